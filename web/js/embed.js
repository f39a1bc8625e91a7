// The page inside a course site's <iframe> and the course page around it
// (window.parent) talk with postMessage. The page tells what happens
// (ready, progress while training, divergence, state changes); the course
// page may send a few commands (play, pause, reset, step, set, hello).
// Every message is a plain object { source: 'micrograd-lab', version: 1,
// type, ... }. The tables below are the schema: the README and the
// instructors' page (web/js/teach.js) render them, and validate() checks
// what arrives against them.
//
// Outgoing messages go to window.parent only, and only when the page is in
// a frame. They carry training numbers and the URL state, nothing secret,
// so by default any embedding origin may read them (targetOrigin '*');
// the URL parameter parent=ORIGIN pins them to that origin, and then
// commands are accepted from that origin only. Commands are accepted from
// the parent window only, and only when every field checks out; anything
// else is ignored and counted, and a message with our source tag that
// fails gets a 'rejected' reply saying why. State changes go through
// state.js like a URL, so a bad value falls back with a note, never markup.
import { SCHEMA, parseState, serializeState } from './state.js';

export const MESSAGE_SOURCE = 'micrograd-lab';
export const MESSAGE_VERSION = 1;
/** Progress messages are at most this often (4 a second); the latest wins. */
export const PROGRESS_EVERY_MS = 250;

/** Messages the page posts: type -> the fields besides source, version,
 * type and view (every message has view, the view shown). Numbers are
 * finite or null. */
export const OUTGOING = Object.freeze({
  ready: ['query', 'lang'],
  progress: ['running', 'step', 'epoch', 'loss', 'testLoss', 'accuracy', 'testAccuracy', 'rmse', 'testRmse', 'examplesPerSec'],
  diverged: ['step', 'message'],
  state: ['query', 'notes', 'id'],
  rejected: ['reason', 'id'],
});

/** Keys of set.state a message may not change: the embedding's own. */
export const FIXED_KEYS = Object.freeze(['embed', 'parent']);
const SETTABLE = new Set(SCHEMA.map((e) => e.key).filter((k) => !FIXED_KEYS.includes(k)));
const MAX_TEXT = 10000;
const MAX_ITEMS = 500;

const isPlain = (v) => v !== null && typeof v === 'object' && Object.getPrototypeOf(v) === Object.prototype;
const isId = (v) => (typeof v === 'string' && v.length <= 64) || (Number.isSafeInteger(v) && v >= 0);
const isScalar = (v) =>
  (typeof v === 'string' && v.length <= MAX_TEXT) || typeof v === 'boolean' || (typeof v === 'number' && Number.isFinite(v));

/** set.state: { key: value } with keys of SCHEMA (not FIXED_KEYS) and
 * values a string, a finite number, a boolean or a list of strings and
 * numbers. Returns a reason, or '' when it is good. */
function checkState(state) {
  if (!isPlain(state)) return 'state must be an object of URL parameters';
  const keys = Object.keys(state);
  if (!keys.length) return 'state is empty';
  for (const k of keys) {
    if (FIXED_KEYS.includes(k)) return `state.${k} is set by the iframe's URL and cannot change by message`;
    if (!SETTABLE.has(k)) return `state.${k.slice(0, 40)} is not a URL parameter`;
    const v = state[k];
    const ok = isScalar(v) || (Array.isArray(v) && v.length <= MAX_ITEMS && v.every((x) => isScalar(x) && typeof x !== 'boolean'));
    if (!ok) return `state.${k} must be a string, a finite number, true/false or a list of strings and numbers`;
  }
  return '';
}

/** Messages the page accepts: type -> { field: check(value) -> reason or '' }.
 * Every field listed is required; `id` (a string of up to 64 characters
 * or a whole number) is optional everywhere and comes back in the reply. */
export const INCOMING = Object.freeze({
  hello: {},
  play: {},
  pause: {},
  reset: {},
  step: {},
  set: { state: checkState },
});

/** Every field name a message can have, the envelope's first. */
export function messageFields() {
  const fields = ['source', 'version', 'type', 'view'];
  for (const list of Object.values(OUTGOING)) fields.push(...list);
  for (const spec of Object.values(INCOMING)) fields.push(...Object.keys(spec));
  fields.push('id');
  return [...new Set(fields)];
}

/** Checks a message from the course page. Returns { ok: true, message }
 * or { ok: false, reason, ours } (ours: it has our source tag, so it was
 * meant for this page and deserves a reply). */
export function validate(data) {
  if (!isPlain(data)) return { ok: false, reason: 'not a plain object', ours: false };
  if (data.source !== MESSAGE_SOURCE) return { ok: false, reason: `source is not '${MESSAGE_SOURCE}'`, ours: false };
  const bad = (reason) => ({ ok: false, reason, ours: true });
  if (data.version !== MESSAGE_VERSION) return bad(`version must be ${MESSAGE_VERSION}`);
  if (typeof data.type !== 'string' || !Object.hasOwn(INCOMING, data.type)) {
    return bad(`type must be one of ${Object.keys(INCOMING).join(', ')}`);
  }
  const fields = INCOMING[data.type];
  for (const k of Object.keys(data)) {
    if (!['source', 'version', 'type', 'id'].includes(k) && !Object.hasOwn(fields, k)) {
      return bad(`unknown field '${k.slice(0, 40)}' in a ${data.type} message`);
    }
  }
  if ('id' in data && !isId(data.id)) return bad('id must be a string of up to 64 characters or a whole number');
  for (const [k, check] of Object.entries(fields)) {
    if (!(k in data)) return bad(`a ${data.type} message needs ${k}`);
    const reason = check(data[k]);
    if (reason) return bad(reason);
  }
  return { ok: true, message: data };
}

/** The URL text of a set.state value. */
const urlText = (v) => (Array.isArray(v) ? v.join(',') : typeof v === 'boolean' ? (v ? '1' : '0') : String(v));

/** The state after a set message: current with the message's keys laid
 * over it, read back through state.js. A value state.js refuses leaves
 * its key as it was, with a note. Returns { state, notes }. */
export function applySet(current, changes) {
  const params = new URLSearchParams(serializeState(current));
  for (const [k, v] of Object.entries(changes)) params.set(k, urlText(v));
  const { state, notes } = parseState(params);
  for (const n of notes) state[n.key] = structuredClone(current[n.key]);
  return { state, notes: notes.map((n) => ({ ...n, message: n.message.replace(/; using .*$/s, '; unchanged') })) };
}

const finite = (v) => (typeof v === 'number' && Number.isFinite(v) ? v : null);

/** The link to the parent window. send() and progress() do nothing when
 * the page is not in a frame. */
export class ParentLink {
  /** win: the page's window; parentOrigin: '' or the origin to pin;
   * view: the view shown; onIgnored(reason, data): a message was ignored;
   * now() and later(fn, ms): the clock and timer of the throttle (a test
   * passes its own). */
  constructor({
    win = window, parentOrigin = '', view, onIgnored = () => {},
    now = () => performance.now(), later = (fn, ms) => setTimeout(fn, ms),
  }) {
    this.win = win;
    this.now = now;
    this.later = later;
    this.framed = win.parent !== win;
    this.target = parentOrigin || '*';
    this.parentOrigin = parentOrigin;
    this.view = view;
    this.onIgnored = onIgnored;
    this.pending = null;  // the latest progress not yet sent
    this.lastSent = -Infinity;
    this.timer = 0;
  }

  send(type, fields = {}) {
    if (!this.framed) return;
    const msg = { source: MESSAGE_SOURCE, version: MESSAGE_VERSION, type, view: this.view };
    for (const k of OUTGOING[type]) if (fields[k] !== undefined) msg[k] = fields[k];
    this.win.parent.postMessage(msg, this.target);
  }

  /** Training progress, at most every PROGRESS_EVERY_MS; the latest wins
   * and is sent at the end of the interval. */
  progress(fields) {
    if (!this.framed) return;
    const p = { running: Boolean(fields.running) };
    for (const k of OUTGOING.progress) if (k !== 'running' && k in fields) p[k] = finite(fields[k]);
    this.pending = p;
    if (this.timer) return;
    const wait = this.lastSent + PROGRESS_EVERY_MS - this.now();
    if (wait <= 0) this.flush();
    else this.timer = this.later(() => this.flush(), wait);
  }

  flush() {
    this.timer = 0;
    if (!this.pending) return;
    this.lastSent = this.now();
    const p = this.pending;
    this.pending = null;
    this.send('progress', p);
  }

  /** Calls handle(message) for each valid command from the parent. */
  listen(handle) {
    if (!this.framed) return;
    this.win.addEventListener('message', (event) => {
      if (event.source !== this.win.parent) return this.onIgnored('not from the parent window', event.data);
      if (this.parentOrigin && event.origin !== this.parentOrigin) {
        return this.onIgnored(`from ${event.origin}, not the parent origin ${this.parentOrigin}`, event.data);
      }
      const v = validate(event.data);
      if (!v.ok) {
        this.onIgnored(v.reason, event.data);
        if (v.ours) this.send('rejected', { reason: v.reason, id: isId(event.data.id) ? event.data.id : undefined });
        return;
      }
      handle(v.message);
    });
  }
}

/** Training commands: the page method each calls. */
const TRAINING = Object.freeze({ play: 'play', pause: 'pause', reset: 'rebuild', step: 'trainOnce' });
/** Keys whose change reloads the page rather than going to page.set. */
const RELOAD_KEYS = ['view', 'lang', 'hide', 'lesson'];

/** Answers the parent's commands. page: the playground or the MNIST page
 * (play, pause, rebuild, trainOnce, set), or null on the graph and
 * expression views; getState() the current state; showNotes(notes) shows
 * notes on the page; navigate(query) reloads it with a new URL state. */
export function connectParent(link, { page, getState, showNotes, navigate }) {
  link.listen((msg) => {
    const { type, id } = msg;
    if (type === 'hello') {
      link.send('ready', { query: serializeState(getState()), lang: getState().lang });
      return;
    }
    if (Object.hasOwn(TRAINING, type)) {
      const method = TRAINING[type];
      if (typeof page?.[method] !== 'function') link.send('rejected', { reason: `the ${link.view} view has no ${type}`, id });
      else if (type === 'step') page.trainOnce(1);
      else page[method]();
      return;
    }
    // set
    const current = getState();
    const { state: next, notes } = applySet(current, msg.state);
    const before = new URLSearchParams(serializeState(current));
    const after = new URLSearchParams(serializeState(next));
    const changed = SCHEMA.map((e) => e.key).filter((k) => before.get(k) !== after.get(k));
    if (notes.length) showNotes(notes);
    link.send('state', { query: serializeState(next), notes: notes.map((n) => n.message), id });
    if (!changed.length) return;
    if (!page || changed.some((k) => RELOAD_KEYS.includes(k))) navigate(serializeState(next));
    else page.set(Object.fromEntries(changed.map((k) => [k, next[k]])));
  });
}
