// The page's whole state, mapped to and from the URL query by one table.
// Each SCHEMA entry names a key, its kind and its default; the KINDS table
// says how each kind is parsed, written and described. An entry's `views`
// gives other defaults for a view (the MNIST view trains with Adam at
// 0.001 on batches of 64, the playground with SGD at 0.03 on 10). A lesson
// (lesson=<id>, see lessons.js) picks the view and lays its state over the
// view's defaults: the URL then holds the lesson and what differs from it.
// No DOM here.
import { namesOf } from './catalog.js';
import { LESSONS, lessonById } from './lessons.js';

// The engine's names (its C tables, through the build's catalog): a
// dataset, an activation, a loss or an optimizer added there is a choice here.
const DATASETS = [...namesOf('datasets'), 'custom', 'custom1d'];
const FEATURES = ['x1', 'x2', 'x1sq', 'x2sq', 'x1x2', 'sinx1', 'sinx2'];
const ACTIVATIONS = namesOf('activations');
const PANELS = ['data', 'network', 'train', 'settings', 'charts', 'step', 'share', 'header', 'lesson'];

/** The one declarative table, in URL order. unique: duplicates are dropped. */
export const SCHEMA = Object.freeze([
  { key: 'view', kind: 'enum', values: ['play', 'expr', 'graph', 'mnist'], def: 'play' },
  { key: 'lesson', kind: 'enum', values: ['', ...LESSONS.map((l) => l.id)], def: '' },
  { key: 'model', kind: 'enum', values: ['mlp', 'cnn'], def: 'mlp' },
  { key: 'data', kind: 'enum', values: DATASETS, def: 'circles' },
  { key: 'noise', kind: 'number', min: 0, max: 0.5, def: 0.1 },
  { key: 'n', kind: 'int', min: 10, max: 1000, def: 200 },
  { key: 'ratio', kind: 'number', min: 0.1, max: 1, def: 0.5 }, // 1: every point trains, no test set
  { key: 'classes', kind: 'int', min: 2, max: 5, def: 3 },
  { key: 'seed', kind: 'int', min: 0, max: 2147483647, def: 1 },
  // the first weights' seed; 0: the data's seed (a link with seed= alone repeats data and weights)
  { key: 'wseed', kind: 'int', min: 0, max: 2147483647, def: 0 },
  { key: 'showtest', kind: 'bool', def: false },
  { key: 'feat', kind: 'enums', values: FEATURES, minLen: 1, maxLen: 7, unique: true, def: ['x1', 'x2'] },
  { key: 'hidden', kind: 'ints', min: 1, max: 8, minLen: 0, maxLen: 6, def: [6, 6] },
  { key: 'act', kind: 'enums', values: ACTIVATIONS, minLen: 0, maxLen: 6, def: ['tanh'] },
  { key: 'init', kind: 'enum', values: ['xavier', 'he', 'xavier_normal', 'he_normal', 'zeros'], def: 'xavier' },
  { key: 'loss', kind: 'enum', values: namesOf('losses'), def: 'auto' },
  { key: 'opt', kind: 'enum', values: namesOf('optimizers'), def: 'sgd', views: { mnist: { def: 'adam' } } },
  { key: 'lr', kind: 'number', min: 0.00001, max: 10, def: 0.3, views: { mnist: { def: 0.001 } } },
  { key: 'batch', kind: 'int', min: 1, max: 500, def: 10, views: { mnist: { def: 64 } } },
  { key: 'reg', kind: 'enum', values: ['none', 'l1', 'l2'], def: 'none' },
  { key: 'rate', kind: 'number', min: 0, max: 1, def: 0 },
  { key: 'clip', kind: 'number', min: 0, max: 100, def: 0 },
  // the learning-rate schedule (the engine's: step decays by gamma every
  // stepsize updates; cosine falls to 0 over total updates) and gradient
  // accumulation (an update every accum mini-batches, their gradients summed)
  { key: 'schedule', kind: 'enum', values: namesOf('schedules'), def: 'constant' },
  { key: 'stepsize', kind: 'int', min: 1, max: 1000000, def: 200 },
  { key: 'gamma', kind: 'number', min: 0, max: 1, def: 0.5 },
  { key: 'total', kind: 'int', min: 1, max: 1000000, def: 2000 },
  { key: 'accum', kind: 'int', min: 1, max: 64, def: 1 },
  { key: 'bn', kind: 'bool', def: false },
  { key: 'dropout', kind: 'number', min: 0, max: 0.9, def: 0 },
  { key: 'stopepochs', kind: 'int', min: 0, max: 100000, def: 0 },
  { key: 'stoploss', kind: 'number', min: 0, max: 10, def: 0 },
  { key: 'lang', kind: 'enum', values: ['en', 'zh'], def: 'en' },
  { key: 'embed', kind: 'bool', def: false },
  { key: 'hide', kind: 'enums', values: PANELS, minLen: 0, maxLen: PANELS.length, unique: true, def: [] },
  { key: 'parent', kind: 'origin', def: '' },
  { key: 'pts', kind: 'points', coord: 6, decimals: 2, maxCount: 500, def: [] },
].map((e) => Object.freeze({ ...e, views: Object.freeze(e.views ?? {}) })));

const VIEW_ENTRY = SCHEMA.find((e) => e.key === 'view');

/** The values an enum key allows (a select's options), in table order. */
export function choicesOf(key) {
  return SCHEMA.find((e) => e.key === key).values;
}

/** Entry e as it applies in view (its default may differ there). */
function inView(e, view) {
  const own = e.views[view];
  return own ? { ...e, ...own } : e;
}

const NUMBER_RE = /^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i;
const INT_RE = /^[-+]?\d+$/;

const BOOLS = new Map([['1', true], ['true', true], ['0', false], ['false', false]]);

/** Rounding that the URL keeps (6 significant digits, or fixed decimals);
 * `|| 0` turns -0 into 0 so a round trip gives the same value. */
const round6 = (v) => Number(v.toPrecision(6)) || 0;
const roundTo = (v, decimals) => Number(v.toFixed(decimals)) || 0;
/** Numbers as the URL shows them: no exponent from 1e-6 up to 1e21. */
const fmt = (v) => String(round6(v));
const toNumber = (s) => (NUMBER_RE.test(s) ? Number(s) : NaN);
const toInt = (s) => (INT_RE.test(s) ? Number(s) || 0 : NaN);
const inRange = (v, lo, hi) => Number.isFinite(v) && v >= lo && v <= hi;
const listOf = (s) => (s === '' ? [] : s.split(','));
const cut = (s) => s.slice(0, 40);

/** Per kind: parse(raw, e) -> value or undefined; write(value, e) -> text;
 * expects(e) -> what a good value is, for the note. points reports its own
 * error (which point is bad) through check(). */
const KINDS = {
  enum: {
    parse: (s, e) => (e.values.includes(s) ? s : undefined),
    write: (v) => v,
    expects: (e) => `one of ${e.values.map((v) => v || '(empty)').join(', ')}`,
  },
  int: {
    parse: (s, e) => {
      const v = toInt(s);
      return inRange(v, e.min, e.max) ? v : undefined;
    },
    write: (v) => String(v),
    expects: (e) => `a whole number from ${e.min} to ${e.max}`,
  },
  number: {
    parse: (s, e) => {
      const v = toNumber(s);
      return inRange(v, e.min, e.max) ? round6(v) : undefined;
    },
    write: fmt,
    expects: (e) => `a number from ${fmt(e.min)} to ${fmt(e.max)}`,
  },
  bool: {
    parse: (s) => BOOLS.get(s),
    write: (v) => (v ? '1' : '0'),
    expects: () => '1, 0, true or false',
  },
  enums: {
    parse: (s, e) => {
      let items = listOf(s);
      if (!items.every((x) => e.values.includes(x))) return undefined;
      if (e.unique) items = [...new Set(items)];
      return items.length >= e.minLen && items.length <= e.maxLen ? items : undefined;
    },
    write: (v) => v.join(','),
    expects: (e) => `a comma-separated list of ${e.minLen} to ${e.maxLen} of ${e.values.join(', ')}`,
  },
  ints: {
    parse: (s, e) => {
      const items = listOf(s).map(toInt);
      const ok = items.every((v) => inRange(v, e.min, e.max));
      return ok && items.length >= e.minLen && items.length <= e.maxLen ? items : undefined;
    },
    write: (v) => v.join(','),
    expects: (e) => `a comma-separated list of ${e.minLen} to ${e.maxLen} whole numbers from ${e.min} to ${e.max}`,
  },
  origin: {
    // a web origin (the embedding course page's, for postMessage), or ''
    parse: (s) => (s === '' || isOrigin(s) ? s : undefined),
    write: (v) => v,
    expects: () => 'an origin such as https://course.example.org (scheme, host and port, no path)',
  },
  points: {
    // value: [[x1, x2, c], ...]; c is a class 0..4 or a regression target
    parse: (s, e) => {
      const pts = s === '' ? [] : s.split(';').map((p) => parsePoint(p, e));
      return pts.length <= e.maxCount && pts.every(Boolean) ? pts : undefined;
    },
    write: (v, e) =>
      v.map(([x1, x2, c]) => `${roundTo(x1, e.decimals)}:${roundTo(x2, e.decimals)}:${fmt(c)}`).join(';'),
    expects: (e) =>
      `x1:x2:c with x1, x2 from -${e.coord} to ${e.coord} and c a class 0 to 4 ` +
      `or a target from -${e.coord} to ${e.coord}`,
    check: (s, e) => {
      const pts = s.split(';');
      if (pts.length > e.maxCount) return `${pts.length} points are more than the ${e.maxCount} allowed`;
      const bad = pts.findIndex((p) => !parsePoint(p, e));
      return `point ${bad + 1}, '${cut(pts[bad])}', is not ${KINDS.points.expects(e)}`;
    },
  },
};

/** http(s)://host[:port] exactly as URL writes its origin. */
function isOrigin(s) {
  try {
    const u = new URL(s);
    return (u.protocol === 'https:' || u.protocol === 'http:') && u.origin === s;
  } catch {
    return false;
  }
}

/** One "x1:x2:c" point, or undefined. Coordinates are rounded to e.decimals. */
function parsePoint(p, e) {
  const parts = p.split(':').map(toNumber);
  if (parts.length !== 3 || !parts.every((v) => inRange(v, -e.coord, e.coord))) return undefined;
  const [x1, x2, c] = parts;
  return [roundTo(x1, e.decimals), roundTo(x2, e.decimals), round6(c)];
}

/** A fresh state with every key at its default (in view, when given). */
export function defaults(view) {
  const state = Object.fromEntries(SCHEMA.map((e) => [e.key, structuredClone(inView(e, view).def)]));
  if (view !== undefined) state.view = view;
  return state;
}

/** A lesson's state: its view's defaults, the lesson's own keys, and
 * lesson set (the state ?lesson=<id> opens). */
export function lessonState(id) {
  const lesson = lessonById(id);
  if (!lesson) throw new Error(`no lesson '${id}'`);
  return { ...defaults(lesson.view), ...structuredClone(lesson.state), view: lesson.view, lesson: id };
}

/** Links from before lessons existed: preset=<id> (the playground's presets
 * became lessons). */
const OLD_PRESETS = { 'xor-hidden': 'xor-hidden', vanishing: 'vanishing', 'lr-too-high': 'gradient-descent', overfitting: 'overfitting' };

/** Reads a query string or URLSearchParams. Returns { state, notes }; a bad
 * value keeps the default and adds a note { key, value, message }. Never throws. */
export function parseState(search) {
  const params = search instanceof URLSearchParams ? search : new URLSearchParams(String(search ?? ''));
  const notes = [];
  // the lesson and the view first: the other keys' defaults depend on them
  let lesson = lessonById(params.get('lesson') ?? '');
  const preset = params.get('preset');
  if (preset !== null && params.get('lesson') === null) {
    lesson = lessonById(OLD_PRESETS[preset]);
    if (!lesson) notes.push({ key: 'preset', value: cut(preset), message: `preset: '${cut(preset)}' is not a lesson; presets are lessons now (lesson=<id>)` });
  }
  const asked = KINDS.enum.parse(params.get('view') ?? '', VIEW_ENTRY);
  const view = lesson ? lesson.view : asked ?? VIEW_ENTRY.def;
  const state = lesson ? lessonState(lesson.id) : defaults(view);
  const rawView = params.get('view');
  if (lesson && rawView !== null && asked !== view) {
    notes.push({ key: 'view', value: cut(rawView), message: `view: lesson ${lesson.id} opens the ${view} view, not '${cut(rawView)}'; using ${view}` });
  }
  for (const entry of SCHEMA) {
    const e = inView(entry, view);
    const raw = params.get(e.key);
    // a lesson sets the view (and its note is written above)
    if (raw === null || (lesson && (e.key === 'view' || e.key === 'lesson'))) continue;
    const kind = KINDS[e.kind];
    const value = kind.parse(raw, e);
    if (value !== undefined) {
      state[e.key] = value;
      continue;
    }
    const why = kind.check ? kind.check(raw, e) : `'${cut(raw)}' is not ${kind.expects(e)}`;
    const using = kind.write(state[e.key], e) || 'nothing'; // the view's default, or the lesson's value
    notes.push({ key: e.key, value: cut(raw), message: `${e.key}: ${why}; using ${using}` });
  }
  return { state, notes };
}

/** The query (no '?') holding the keys that differ from their defaults:
 * the view's, or with a lesson, the lesson's state (the view is the
 * lesson's; a link to a lesson as it opens is just lesson=<id>). */
export function serializeState(state) {
  const parts = [];
  const lesson = lessonById(state.lesson ?? '');
  const view = lesson ? lesson.view : state.view ?? VIEW_ENTRY.def;
  const base = lesson ? lessonState(lesson.id) : null;
  for (const entry of SCHEMA) {
    const e = inView(entry, view);
    if (!(e.key in state) || (lesson && e.key === 'view')) continue;
    const { write } = KINDS[e.kind];
    const text = write(state[e.key], e);
    const def = base && e.key !== 'lesson' ? write(base[e.key], e) : write(e.def, e);
    if (text !== def) parts.push(`${e.key}=${encode(text)}`);
  }
  return parts.join('&');
}

/** URL-encodes but keeps ',', ':' and '/' readable (all legal in a query). */
const encode = (s) => encodeURIComponent(s).replace(/%2C/g, ',').replace(/%3A/g, ':').replace(/%2F/g, '/');

/** baseUrl without its query and hash, plus the state's query. */
export function shareUrl(baseUrl, state) {
  const base = String(baseUrl).split(/[?#]/)[0];
  const query = serializeState(state);
  return query ? `${base}?${query}` : base;
}

const escapeAttr = (s) =>
  String(s).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

/** An <iframe> that shows url in embed mode. */
/** The frame size Share and teach.html recommend; the compact layout
 * keeps play and the output in view at this size (and at phone widths). */
export const EMBED_SIZE = Object.freeze({ width: 720, height: 560 });

export function embedSnippet(url, { width = EMBED_SIZE.width, height = EMBED_SIZE.height } = {}) {
  const text = String(url);
  const at = text.includes('#') ? text.indexOf('#') : text.length;
  const path = text.slice(0, at);
  const sep = path.includes('?') ? '&' : '?';
  const src = /[?&]embed=1(&|$)/.test(path) ? text : `${path}${sep}embed=1${text.slice(at)}`;
  return (
    `<iframe src="${escapeAttr(src)}" width="${escapeAttr(width)}" height="${escapeAttr(height)}" ` +
    `title="Micrograd Lab" loading="lazy" style="border:0"></iframe>`
  );
}
