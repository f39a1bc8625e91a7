// The instructors' page (teach.html): a copy-ready <iframe> for every
// lesson, lesson variant and graph program, what hide= can hide, every
// URL parameter and the postMessage schema. All of it is built from the
// tables the lab itself runs on (SCHEMA in state.js, presets.js,
// lessons.js, the message tables of embed.js), so it cannot drift from the
// lab. Text goes in with textContent only. No engine here.
import { SCHEMA, EMBED_SIZE, defaults, parseState, serializeState, embedSnippet, lessonState } from './state.js';
import { PRESETS, GRAPH_PRESETS } from './presets.js';
import { LESSONS } from './lessons.js';
import { OUTGOING, INCOMING, FIXED_KEYS, MESSAGE_SOURCE, MESSAGE_VERSION, PROGRESS_EVERY_MS, messageFields } from './embed.js';
import { STRINGS, t as translate, applyStrings, addStrings } from './i18n.js';
import { TEACH_STRINGS } from './i18n_teach.js';

addStrings(TEACH_STRINGS);
import { PROGRAM_URL_MAX } from './program_link.js';

/** URL parameters the lab reads besides SCHEMA's. */
const EXTRA_PARAMS = ['program'];
/** Panels that embed=1 hides anyway (web/js/main.js). */
const EMBED_HIDES = ['header', 'share'];
const HIDE = SCHEMA.find((e) => e.key === 'hide');
const DEMO_LOG_LINES = 40;
/** The playground lesson the example course page and the demo embed. */
const DEMO_LESSON = 'xor-hidden';

const $ = (sel) => document.querySelector(sel);

/** An element with text (never markup) and attributes. */
function el(tag, { text, cls, attrs = {} } = {}, children = []) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  e.append(...children);
  return e;
}

/** A value as the URL writes it. */
function urlValue(v) {
  if (Array.isArray(v)) return v.map((x) => (Array.isArray(x) ? x.join(':') : x)).join(Array.isArray(v[0]) ? ';' : ',');
  if (typeof v === 'boolean') return v ? '1' : '0';
  return String(v);
}

/** What values entry e takes, in words. */
function valuesText(e, t) {
  const list = (values) => values.map((v) => v || t('teach.empty')).join(', ');
  switch (e.kind) {
    case 'enum': return t('teach.values.enum', { list: list(e.values) });
    case 'int': return t('teach.values.int', { min: e.min, max: e.max });
    case 'number': return t('teach.values.number', { min: e.min, max: e.max });
    case 'bool': return t('teach.values.bool');
    case 'enums': return t('teach.values.enums', { min: e.minLen, max: e.maxLen, list: list(e.values) });
    case 'ints': return t('teach.values.ints', { minLen: e.minLen, maxLen: e.maxLen, min: e.min, max: e.max });
    case 'points': return t('teach.values.points', { max: e.maxCount, coord: e.coord });
    case 'origin': return t('teach.values.origin');
    default: return '';
  }
}

function defaultText(e, t) {
  const one = (v) => urlValue(v) || t('teach.none');
  const perView = Object.entries(e.views).map(([view, over]) => t('teach.defaultIn', { view, value: one(over.def) }));
  return [one(e.def), ...perView].join('; ');
}

/** Copies the text of element `from`; says so on the button. */
async function copy(button, from, t) {
  const text = from.textContent;
  try {
    await navigator.clipboard.writeText(text);
    // the label from before the first click (a second click within 1.5 s
    // would otherwise keep "Copied." for good)
    button.dataset.label ??= button.textContent;
    button.textContent = t('share.copied');
    clearTimeout(button.copiedTimer);
    button.copiedTimer = setTimeout(() => (button.textContent = button.dataset.label), 1500);
  } catch {
    // select it, so Ctrl+C works
    const range = document.createRange();
    range.selectNodeContents(from);
    getSelection().removeAllRanges();
    getSelection().addRange(range);
    $('#teach-status').textContent = t('error.copy');
  }
}

function snippetBox(code, t, previewUrl) {
  // it scrolls sideways: focusable, so the keyboard can scroll it too
  const pre = el('pre', { cls: 'snippet', text: code, attrs: { tabindex: '0' } });
  const button = el('button', { cls: 'secondary', text: t('teach.copy'), attrs: { type: 'button' } });
  button.addEventListener('click', () => copy(button, pre, t));
  const tools = [button];
  if (previewUrl) {
    tools.push(el('a', { text: t('teach.preview'), attrs: { href: previewUrl, target: '_blank', rel: 'noopener' } }));
  }
  return el('div', { cls: 'snippet-box' }, [pre, el('div', { cls: 'snippet-tools' }, tools)]);
}

/** The form's settings: { base, width, height, lang, hide }. */
function readForm(previous) {
  const num = (sel, lo, hi, def) => {
    const v = Math.round(Number($(sel).value));
    return Number.isFinite(v) && v >= lo && v <= hi ? v : def;
  };
  let base = previous?.base ?? '';
  let baseOk = true;
  try {
    const u = new URL($('#teach-base').value.trim());
    if (!['http:', 'https:', 'file:'].includes(u.protocol)) throw new Error('scheme');
    base = u.href.split(/[?#]/)[0];
  } catch {
    baseOk = false;
  }
  return {
    base,
    baseOk,
    width: num('#teach-width', 200, 2000, EMBED_SIZE.width),
    height: num('#teach-height', 200, 2000, EMBED_SIZE.height),
    lang: $('#teach-snippet-lang').value,
    hide: [...document.querySelectorAll('#teach-hide input:checked:not(:disabled)')].map((b) => b.value),
  };
}

/** The lab's address for a state (and a program on the graph view). */
function labUrl(form, state, program = null) {
  let query = serializeState({ ...state, lang: form.lang, hide: form.hide });
  if (program !== null) query += `${query ? '&' : ''}program=${encodeURIComponent(program)}`;
  return query ? `${form.base}?${query}` : form.base;
}

const embedUrl = (url) => url + (url.includes('?') ? '&' : '?') + 'embed=1';

function card({ id, title, meta, text, url, form, t }) {
  const children = [el('h3', { text: title }), el('p', { cls: 'hint', text: meta })];
  if (text) children.push(el('p', { text }));
  children.push(snippetBox(embedSnippet(url, { width: form.width, height: form.height }), t, embedUrl(url)));
  return el('article', { cls: 'teach-card', attrs: { 'data-id': id } }, children);
}

/** A string of the table, or null when it has none (lessons being written). */
const maybe = (lang, key) => STRINGS[lang]?.[key] ?? STRINGS.en[key] ?? null;

function renderCards(form, lang, t) {
  $('#teach-lessons').replaceChildren(
    ...LESSONS.map((lesson, i) =>
      card({
        id: lesson.id,
        title: `${i + 1}. ${maybe(lang, `lesson.${lesson.id}.title`) ?? lesson.id}`,
        meta: `view=${lesson.view} · lesson=${lesson.id}`,
        text: maybe(lang, `lesson.${lesson.id}.text`),
        url: labUrl(form, lessonState(lesson.id)),
        form,
        t,
      }),
    ),
  );
  if (!LESSONS.length) $('#teach-lessons').replaceChildren(el('p', { cls: 'hint', text: t('teach.noLessons') }));
  // each setting a lesson compares, as the lesson with that setting
  $('#teach-variants').replaceChildren(
    ...LESSONS.flatMap((lesson, i) =>
      (lesson.variants ?? []).map((v) => {
        const state = { ...lessonState(lesson.id), ...v.state };
        const diff = serializeState(state).replace(/^lesson=[^&]*&?/, '');
        return card({
          id: `${lesson.id}/${v.id}`,
          title: `${i + 1}. ${maybe(lang, `lesson.${lesson.id}.title`) ?? lesson.id}: ${maybe(lang, `lesson.${lesson.id}.variant.${v.id}`) ?? v.id}`,
          meta: `lesson=${lesson.id}${diff ? ` · ${diff}` : ''}`,
          text: null,
          url: labUrl(form, state),
          form,
          t,
        });
      }),
    ),
  );
  const programs = [...GRAPH_PRESETS, ...PRESETS.filter((p) => !GRAPH_PRESETS.some((g) => g.id === p.id))];
  $('#teach-programs').replaceChildren(
    ...programs.map((p) =>
      card({
        id: p.id,
        title: p.title,
        meta: `view=graph · ${p.id}`,
        text: null,
        url: labUrl(form, defaults('graph'), p.program),
        form,
        t,
      }),
    ),
  );
}

function renderHide(lang, t) {
  const box = $('#teach-hide');
  box.replaceChildren(
    ...HIDE.values.map((panel) => {
      const always = EMBED_HIDES.includes(panel);
      const input = el('input', { attrs: { type: 'checkbox', value: panel } });
      input.checked = always;
      input.disabled = always;
      const words = [el('code', { text: panel }), el('span', { text: ` ${t(`teach.panel.${panel}`)}` })];
      if (always) words.push(el('span', { cls: 'hint', text: ` ${t('teach.alwaysHidden')}` }));
      return el('label', { cls: 'check teach-check', attrs: { 'data-panel-name': panel } }, [input, el('span', {}, words)]);
    }),
  );
}

function renderParams(t) {
  const rows = SCHEMA.map((e) =>
    el('tr', { attrs: { 'data-key': e.key } }, [
      el('td', {}, [el('code', { text: e.key })]),
      el('td', { text: t(`teach.param.${e.key}`) }),
      el('td', { text: valuesText(e, t) }),
      el('td', {}, [el('code', { text: defaultText(e, t) })]),
    ]),
  );
  for (const key of EXTRA_PARAMS) {
    rows.push(el('tr', { attrs: { 'data-key': key } }, [
      el('td', {}, [el('code', { text: key })]),
      el('td', { text: t(`teach.param.${key}`) }),
      el('td', { text: t(`teach.values.${key}`, { max: PROGRAM_URL_MAX }) }),
      el('td', {}, [el('code', { text: t('teach.none') })]),
    ]));
  }
  $('#teach-params tbody').replaceChildren(...rows);
}

function renderMessages(form, t) {
  $('#teach-envelope').replaceChildren(
    el('span', { text: t('teach.envelope', { ms: PROGRESS_EVERY_MS, per: Math.round(1000 / PROGRESS_EVERY_MS) }) }),
    el('code', { text: `{ source: '${MESSAGE_SOURCE}', version: ${MESSAGE_VERSION}, type, … }` }),
  );
  const codes = (names) => names.map((n, i) => [i ? ', ' : '', el('code', { text: n })]).flat();
  $('#teach-outgoing tbody').replaceChildren(
    ...Object.entries(OUTGOING).map(([type, fields]) =>
      el('tr', { attrs: { 'data-type': type } }, [
        el('td', {}, [el('code', { text: type })]),
        el('td', { text: t(`teach.out.${type}`, { per: Math.round(1000 / PROGRESS_EVERY_MS) }) }),
        el('td', {}, codes(['view', ...fields])),
      ]),
    ),
  );
  $('#teach-incoming tbody').replaceChildren(
    ...Object.entries(INCOMING).map(([type, spec]) =>
      el('tr', { attrs: { 'data-type': type } }, [
        el('td', {}, [el('code', { text: type })]),
        el('td', { text: t(`teach.in.${type}`, { fixed: FIXED_KEYS.join(', ') }) }),
        el('td', {}, codes([...Object.keys(spec), 'id?'])),
      ]),
    ),
  );
  $('#teach-fields').replaceChildren(
    ...messageFields().flatMap((f) => [el('dt', {}, [el('code', { text: f })]), el('dd', { text: t(`teach.field.${f}`) })]),
  );
  const labOrigin = form.base.startsWith('http') ? new URL(form.base).origin : 'https://lab.example.org';
  const src = embedUrl(labUrl(form, { ...lessonState(DEMO_LESSON), parent: 'https://course.example.org' }));
  $('#teach-example').textContent = `<!-- on https://course.example.org -->
<iframe id="lab" src="${src.replace(/&/g, '&amp;')}"
        width="${form.width}" height="${form.height}" title="Micrograd Lab" style="border:0"></iframe>
<p id="score"></p>
<script>
  const lab = document.getElementById('lab');
  const LAB = '${labOrigin}';
  const tell = (type, more = {}) =>
    lab.contentWindow.postMessage({ source: '${MESSAGE_SOURCE}', version: ${MESSAGE_VERSION}, type, ...more }, LAB);
  addEventListener('message', (e) => {
    if (e.source !== lab.contentWindow || e.origin !== LAB) return;
    const m = e.data;
    if (m.source !== '${MESSAGE_SOURCE}' || m.version !== ${MESSAGE_VERSION}) return;
    if (m.type === 'ready') tell('set', { state: { hidden: [4], lr: 0.1 } });
    if (m.type === 'progress' && m.testAccuracy !== null) {
      document.getElementById('score').textContent =
        \`step \${m.step}: test accuracy \${(100 * m.testAccuracy).toFixed(1)}%\`;
    }
  });
</script>`;
}

/** The lab in a frame here, driven by the buttons; its messages listed. */
function startDemo(t) {
  const url = new URL('index.html', location.href);
  url.search = serializeState({ ...lessonState(DEMO_LESSON), hide: ['lesson'], lang: $('#teach-snippet-lang').value });
  url.searchParams.set('embed', '1');
  const frame = el('iframe', { attrs: { src: url.href, title: t('teach.demo'), width: '100%', height: '620' } });
  $('#demo-frame').replaceChildren(frame);
  const log = $('#demo-log');
  log.hidden = false;
  const lines = [];
  addEventListener('message', (e) => {
    if (e.source !== frame.contentWindow) return;
    lines.push(JSON.stringify(e.data));
    lines.splice(0, lines.length - DEMO_LOG_LINES);
    log.textContent = lines.join('\n');
    log.scrollTop = log.scrollHeight;
  });
  for (const b of document.querySelectorAll('[data-send]')) {
    b.disabled = false;
    b.onclick = () => frame.contentWindow.postMessage({ source: MESSAGE_SOURCE, version: MESSAGE_VERSION, type: b.dataset.send }, '*');
  }
  $('#demo-load').disabled = true;
}

function main() {
  const { state } = parseState(location.search);
  const lang = state.lang;
  const t = (key, p) => translate(lang, key, p);
  applyStrings(document.documentElement, lang);
  document.title = t('teach.title');
  $('#teach-lang').value = lang;
  $('#teach-lang').addEventListener('change', (e) => {
    location.search = e.target.value === 'en' ? '' : `?lang=${e.target.value}`;
  });
  $('#teach-back').href = lang === 'en' ? 'index.html' : `index.html?lang=${lang}`;
  // this copy of the lab, as students would open it
  const here = new URL(location.protocol === 'file:' ? 'index.html' : './', location.href);
  $('#teach-base').value = here.href;
  $('#teach-snippet-lang').value = lang;
  $('#teach-width').value = String(EMBED_SIZE.width); // the size Share gives too
  $('#teach-height').value = String(EMBED_SIZE.height);
  renderHide(lang, t);
  renderParams(t);

  let form = readForm(null);
  const render = () => {
    form = readForm(form);
    $('#teach-base-hint').textContent = form.baseOk ? t('teach.baseHint') : t('teach.baseBad', { url: form.base });
    $('#teach-base-hint').classList.toggle('bad', !form.baseOk);
    renderCards(form, lang, t);
    renderMessages(form, t);
  };
  for (const sel of ['#teach-base', '#teach-width', '#teach-height', '#teach-snippet-lang', '#teach-hide']) {
    $(sel).addEventListener(sel === '#teach-hide' || sel === '#teach-snippet-lang' ? 'change' : 'input', render);
  }
  render();
  for (const b of document.querySelectorAll('[data-copy]')) {
    b.addEventListener('click', () => copy(b, document.getElementById(b.dataset.copy), t));
  }
  $('#demo-load').addEventListener('click', () => startDemo(t));
  document.body.dataset.ready = 'true';
}

main();
