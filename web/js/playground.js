// The playground: wires the controls, the URL state, the training worker
// and the views. No math here: the worker's engine computes every number;
// this module moves them to the views and the state to the URL.
import { serializeState, defaults, shareUrl, embedSnippet, choicesOf } from './state.js';
import { hasClassChoice } from './catalog.js';
import { WorkerClient } from './rpc.js';
import { Lock } from './lock.js';
import { BoundaryView } from './views/boundary_view.js';
import { NetworkView } from './views/network_view.js';
import { LossChart, GradNormChart, HistogramChart } from './views/charts.js';
import { StepView } from './views/step_view.js';
import { shortNumber } from './views/format.js';
import { networkProgram } from './network_program.js';
import { setupArgs } from './play_session.js';
import { GRAPH_MAX_NODES } from './graph_limits.js';

const REBUILD_KEYS = new Set(['data', 'noise', 'n', 'ratio', 'classes', 'seed', 'wseed', 'feat', 'hidden', 'act', 'init', 'loss', 'pts', 'bn', 'dropout']);
const RECONFIGURE_KEYS = new Set(['opt', 'lr', 'batch', 'reg', 'rate', 'clip', 'schedule', 'stepsize', 'gamma', 'total', 'accum']);
const MAX_LAYERS = 6;
const COMPACT = '(max-width: 900px)'; // as web/css/playground.css
const MAX_UNITS = 8;
const MAX_CLASSES = 5; // of clicked and CSV points (parseCsv takes labels 0 to 4)

const $ = (root, sel) => root.querySelector(sel);

function formatCount(x) {
  return String(Math.floor(x)).padStart(6, '0').replace(/\B(?=(\d{3})+(?!\d))/g, ',');
}

/** Parses a CSV of "x1,x2,label" or "x,y" lines (a header line is allowed). */
export function parseCsv(text, t) {
  const points = [];
  const lines = text.split(/\r\n|\r|\n/);
  let width = 0;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i].trim();
    if (!line || line.startsWith('#')) continue;
    const cells = line.split(/[,;\t]/).map((c) => c.trim());
    const nums = cells.map(Number);
    const numeric = cells.every((c) => c !== '' && Number.isFinite(Number(c)));
    if (!numeric && points.length === 0 && i === lines.findIndex((l) => l.trim())) continue; // header
    const ok = numeric && (cells.length === 3 || cells.length === 2) && (!width || width === cells.length) &&
      (cells.length === 2 || (Number.isInteger(nums[2]) && nums[2] >= 0 && nums[2] < MAX_CLASSES)) &&
      nums.slice(0, 2).every((v) => Math.abs(v) <= 6);
    if (!ok) throw new Error(t('error.csvLine', { line: i + 1, text: line.slice(0, 60) }));
    width = cells.length;
    points.push(nums);
  }
  if (points.length > 500) throw new Error(t('error.csvTooMany', { n: points.length, max: 500 }));
  if (!points.length) throw new Error(t('error.csvEmpty'));
  return points;
}

export class Playground {
  /** root: the playground <main>; state: parsed URL state; t(key, params);
   * onProgress(numbers) and onDiverged({ step, message }) tell a course
   * page around an embedded playground (web/js/embed.js); onTrained(p)
   * after each training chunk (the worker's progress) and onRebuild() when
   * the network starts afresh feed the lesson panel's curves. pinned: the
   * link gave the seed, so ↺ starts again from the same weights (as it
   * does in a lesson); otherwise ↺ draws new ones. */
  constructor(root, {
    state, t, onStateChange, onProgress = () => {}, onDiverged = () => {}, onTrained = () => {}, onRebuild = () => {},
    pinned = false,
  }) {
    this.root = root;
    this.state = state;
    this.pinned = pinned;
    this.t = t;
    this.onStateChange = onStateChange;
    this.onProgress = onProgress;
    this.onDiverged = onDiverged;
    this.onTrained = onTrained;
    this.onRebuild = onRebuild;
    this.shown = null;     // the metrics shown: { step, epoch, train, test }
    this.running = false;
    this.lock = new Lock(() => this.markState()); // orders the worker requests
    this.problem = null;   // the worker's setup result
    this.snapshot = null;
    this.last = null;      // the latest progress
    this.step = null;      // step-through: { index, trace, forward, loss, backward, update, selection }
    this.selection = null;
    this.worker = new WorkerClient(new URL('./worker.js', import.meta.url));
    const words = (keys) => Object.fromEntries(keys.map((k) => [k, t(`view.${k}`)]));
    const netLabels = { ...words(['inputs', 'input', 'layer', 'neuron', 'output', 'bias', 'value', 'positive', 'negative', 'widthWeights', 'widthGrads', 'biasMark']) };
    const plotLabels = { ...words(['class', 'train', 'test', 'data', 'model']), value: t('view.prediction') };
    const chartLabels = { ...words(['step', 'loss', 'layer', 'gradient', 'count']), train: t('view.trainLoss'), test: t('view.testLoss') };
    this.views = {
      boundary: new BoundaryView($(root, '#boundary'), {
        onPoint: (x1, x2, event) => this.onPoint(x1, x2, event),
        label: t('section.output'),
        labels: plotLabels,
      }),
      network: new NetworkView($(root, '#network'), { onSelect: (s) => this.select(s), labels: netLabels }),
      loss: new LossChart($(root, '#loss-chart'), { labels: chartLabels }),
      gradNorm: new GradNormChart($(root, '#gradnorm-chart'), { labels: chartLabels }),
      hist: new HistogramChart($(root, '#hist-chart'), { labels: chartLabels }),
      step: new StepView($(root, '#step-view'), { t, onSelect: (s) => this.select(s) }),
    };
    this.bindControls();
    this.renderLayerControls();
    this.syncControls();
  }

  // ---- controls <-> state ------------------------------------------------

  /** Every input with data-key edits that state key. */
  bindControls() {
    for (const input of this.root.querySelectorAll('[data-key]')) {
      input.addEventListener('change', () => {
        const key = input.dataset.key;
        let value;
        if (input.type === 'checkbox') value = input.checked;
        else if (input.type === 'number' || input.type === 'range' || input.dataset.kind === 'number') value = Number(input.value);
        else value = input.value;
        if (input.type === 'number') {
          // the field's own limits, so a shared link reproduces the run
          if (input.value.trim() === '' || !Number.isFinite(value)) return this.syncControls();
          value = Math.min(Number(input.max), Math.max(Number(input.min), value));
          if (input.step === '1') value = Math.round(value);
          input.value = String(value);
        }
        this.set({ [key]: value });
      });
    }
    for (const box of this.root.querySelectorAll('[data-feature]')) {
      box.addEventListener('change', () => {
        const feat = [...this.root.querySelectorAll('[data-feature]')].filter((b) => b.checked).map((b) => b.dataset.feature);
        if (!feat.length) {
          box.checked = true;
          return;
        }
        this.set({ feat });
      });
    }
    const on = (sel, fn) => $(this.root, sel).addEventListener('click', fn);
    on('#play-btn', () => (this.running ? this.pause() : this.play()));
    on('#step-btn', () => this.trainOnce());
    on('#reset-btn', () => this.restart());
    on('#regen-btn', () => this.set({ seed: (this.state.seed + 1) % 2147483647 }));
    on('#clear-points', () => this.set({ data: this.problem?.d === 1 ? 'custom1d' : 'custom', pts: [] }));
    on('#fwd-btn', () => this.stepForward());
    on('#bwd-btn', () => this.stepBackward());
    on('#upd-btn', () => this.stepUpdate());
    on('#sample-random', () => this.pickSample(Math.floor(Math.random() * (this.problem?.train.n ?? 1))));
    on('#export-btn', () => this.exportModel());
    on('#graph-btn', () => this.openAsGraph());
    $(this.root, '#sample-index').addEventListener('change', (e) => this.pickSample(Number(e.target.value) - 1));
    $(this.root, '#import-file').addEventListener('change', (e) => {
      this.importModel(e.target.files[0]);
      e.target.value = '';
    });
    $(this.root, '#csv-file').addEventListener('change', (e) => {
      this.loadCsv(e.target.files[0]);
      e.target.value = ''; // choosing the same file again reloads it
    });
    for (const r of this.root.querySelectorAll('input[name="net-mode"]')) r.addEventListener('change', () => this.drawNetwork());
    // compact layouts (frames, phones): the settings behind a button, panels that fold
    const settings = $(this.root, '#toolbar-settings');
    const toggle = $(this.root, '#settings-toggle');
    toggle.addEventListener('click', () => {
      const open = !settings.classList.contains('open');
      settings.classList.toggle('open', open);
      toggle.setAttribute('aria-expanded', String(open));
    });
    const compact = globalThis.matchMedia?.(COMPACT).matches ?? false;
    for (const b of this.root.querySelectorAll('.collapse-toggle')) {
      const body = document.getElementById(b.getAttribute('aria-controls'));
      const fold = (folded) => {
        body.classList.toggle('folded', folded);
        b.setAttribute('aria-expanded', String(!folded));
        b.textContent = folded ? '+' : '−';
      };
      b.addEventListener('click', () => fold(!body.classList.contains('folded')));
      fold(compact && body.id === 'data-body'); // the data panel starts folded in a compact layout
    }
  }

  /** Puts the state's values into the controls. */
  syncControls() {
    const s = this.state;
    for (const input of this.root.querySelectorAll('[data-key]')) {
      const v = s[input.dataset.key];
      if (input.type === 'checkbox') input.checked = Boolean(v);
      else input.value = String(v);
      const out = this.root.querySelector(`output[for="${input.id}"]`);
      if (out) out.textContent = String(v);
    }
    for (const box of this.root.querySelectorAll('[data-feature]')) box.checked = s.feat.includes(box.dataset.feature);
    // the step-through explains dense layers only
    const extra = s.bn || s.dropout > 0;
    $(this.root, '#step-note').hidden = !extra;
    for (const sel of ['#fwd-btn', '#bwd-btn', '#upd-btn', '#graph-btn', '#sample-random', '#sample-index']) $(this.root, sel).disabled = extra;
    $(this.root, '#seed-shown').textContent = s.wseed ? `${s.seed} · ${s.wseed}` : String(s.seed);
    const reset = $(this.root, '#reset-btn');
    reset.title = this.t(this.pinned || s.lesson ? 'tip.resetPinned' : 'tip.reset');
    reset.setAttribute('aria-label', reset.title); // an icon button: its tooltip is its name
    const classes = $(this.root, '#classes-row');
    classes.hidden = !hasClassChoice(s.data);
    // your own points are not generated: no noise, no count
    const own = s.data === 'custom' || s.data === 'custom1d';
    for (const id of ['#noise', '#n']) {
      const input = $(this.root, id);
      input.disabled = own;
      input.closest('label').classList.toggle('not-applicable', own);
      input.closest('label').title = own ? this.t('tip.ownPoints') : this.t(`tip.${input.id}`);
    }
    this.root.classList.toggle('hide-test', !s.showtest);
    // a schedule's own settings, and the rate it has reached
    for (const el of this.root.querySelectorAll('[data-schedule]')) el.hidden = el.dataset.schedule !== s.schedule;
    $(this.root, '#lr-now-box').hidden = s.schedule === 'constant';
  }

  /** What depends on the data built: the input features that exist for
   * it (one input: x₁, x₁², sin x₁), the classes a click can add (on your
   * own points any of 0 to 4, as in a CSV file; on generated data those of
   * the data and one more) or a point for regression, and the hint of an
   * empty plane. */
  syncData() {
    const p = this.problem;
    for (const box of this.root.querySelectorAll('[data-feature]')) {
      box.closest('label').hidden = p.d === 1 && !this.problem.usableFeatures.includes(box.dataset.feature);
    }
    const mode = $(this.root, '#point-mode');
    const was = mode.value;
    const options = [new Option(this.t('data.selectSample'), 'select')];
    if (p.nclasses === 0) options.push(new Option(this.t('data.addPoint'), 'add'));
    else {
      const own = this.state.data === 'custom';
      for (let k = 0; k < (own ? MAX_CLASSES : Math.min(MAX_CLASSES, p.nclasses + 1)); k++) {
        options.push(new Option(this.t('data.addClass', { k }), String(k)));
      }
    }
    options.push(new Option(this.t('data.removePoint'), 'remove'));
    mode.replaceChildren(...options);
    mode.value = options.some((o) => o.value === was) ? was : 'select';
    const empty = p.train.n + p.test.n === 0;
    $(this.root, '#empty-hint').hidden = !empty;
    this.root.classList.toggle('no-points', empty);
  }

  renderLayerControls() {
    const box = $(this.root, '#layer-controls');
    // controls are rebuilt: keep the focus on the same one
    const focused = box.contains(document.activeElement) ? document.activeElement.getAttribute('aria-label') : null;
    queueMicrotask(() => {
      if (!focused) return;
      const again = [...box.querySelectorAll('[aria-label]')].find((e) => e.getAttribute('aria-label') === focused);
      (again && !again.disabled ? again : box.querySelector('button:not([disabled])'))?.focus();
    });
    const s = this.state;
    const items = [];
    const button = (label, aria, fn, disabled) => {
      const b = document.createElement('button');
      b.type = 'button';
      b.className = 'small';
      b.textContent = label;
      b.setAttribute('aria-label', aria);
      b.disabled = disabled;
      b.addEventListener('click', fn);
      return b;
    };
    const head = document.createElement('div');
    head.className = 'layer-head';
    const count = document.createElement('span');
    count.textContent = `${this.t('net.hidden')}: ${s.hidden.length}`;
    head.append(
      button('+', this.t('net.addLayer'), () => this.set({ hidden: [...s.hidden, 4], act: this.acts().concat(this.acts().at(-1) ?? 'tanh') }), s.hidden.length >= MAX_LAYERS),
      button('−', this.t('net.removeLayer'), () => this.set({ hidden: s.hidden.slice(0, -1), act: this.acts().slice(0, s.hidden.length - 1) }), s.hidden.length === 0),
      count,
    );
    items.push(head);
    const row = document.createElement('div');
    row.className = 'layer-row';
    s.hidden.forEach((units, i) => {
      const col = document.createElement('div');
      col.className = 'layer-col';
      const n = document.createElement('span');
      n.className = 'layer-units';
      n.textContent = this.t('net.neurons', { n: units });
      const plus = button('+', `${this.t('net.addNeuron')} (${i + 1})`, () => this.setLayer(i, units + 1), units >= MAX_UNITS);
      const minus = button('−', `${this.t('net.removeNeuron')} (${i + 1})`, () => this.setLayer(i, units - 1), units <= 1);
      const act = document.createElement('select');
      act.setAttribute('aria-label', `${this.t('net.activation')} (${i + 1})`);
      for (const a of choicesOf('act')) act.append(new Option(this.t(`act.${a}`), a));
      act.value = this.acts()[i];
      act.addEventListener('change', () => {
        const acts = this.acts();
        acts[i] = act.value;
        this.set({ act: acts });
      });
      col.append(minus, n, plus, act);
      row.append(col);
    });
    items.push(row);
    box.replaceChildren(...items);
  }

  /** ↺: new first weights (a new weights seed, kept in the URL so the run
   * can be repeated), or the same ones when the link or a lesson pins the
   * seed. */
  restart() {
    if (this.pinned || this.state.lesson) return this.rebuild();
    return this.set({ wseed: 1 + Math.floor(Math.random() * 2147483646) });
  }

  /** One activation per hidden layer (the last given repeats). */
  acts() {
    const a = this.state.act.length ? this.state.act : ['tanh'];
    return this.state.hidden.map((_, i) => a[i] ?? a.at(-1));
  }

  setLayer(i, units) {
    const hidden = [...this.state.hidden];
    hidden[i] = units;
    this.set({ hidden, act: this.acts() });
  }

  /** Changes state keys, updates the URL and rebuilds or reconfigures. */
  set(changes) {
    const keys = Object.keys(changes);
    this.state = { ...this.state, ...changes };
    this.onStateChange(this.state);
    this.syncControls();
    if (keys.includes('hidden') || keys.includes('act')) this.renderLayerControls();
    if (keys.some((k) => REBUILD_KEYS.has(k))) return this.rebuild();
    if (keys.some((k) => RECONFIGURE_KEYS.has(k))) return this.reconfigure();
    if (keys.includes('showtest')) this.drawBoundary();
    return Promise.resolve();
  }

  /** A lesson's state (or one of its variants): the playground's defaults
   * and these keys, the language and embed options kept; the network
   * starts afresh, so every variant runs on the same data and seed. */
  /** A lesson or one of its variants (lesson_controller.js): full is the
   * lesson's whole state, which replaces the page's. */
  applyLesson({ full }) {
    const keep = { lang: this.state.lang, embed: this.state.embed, hide: this.state.hide };
    this.state = { ...defaults('play'), ...structuredClone(full), ...keep, view: 'play' };
    this.onStateChange(this.state);
    this.syncControls();
    this.renderLayerControls();
    return this.rebuild();
  }

  // ---- the worker ----------------------------------------------------------

  setupArgs() {
    return setupArgs(this.state, this.problem?.extent ?? null);
  }

  /** The page's first build (main.js starts every training page so). */
  start() {
    return this.rebuild();
  }

  async rebuild() {
    this.pause();
    this.setError(null);
    try {
      this.problem = await this.lock.run(() => this.worker.request('setup', this.setupArgs()));
    } catch (err) {
      this.setError(err.message);
      return;
    }
    this.last = null;
    this.step = null;
    this.selection = null;
    this.views.loss.reset();
    this.views.gradNorm.reset();
    this.views.hist.reset();
    this.views.step.reset();
    $(this.root, '#step-message').hidden = true;
    $(this.root, '#sample-index').max = String(Math.max(1, this.problem.train.n));
    this.syncData();
    this.showMetrics({ step: 0, epoch: 0, ...this.problem.metrics });
    this.showRate(this.problem.info.opt.lr_next);
    this.onRebuild();
    await this.refresh();
    this.root.dataset.ready = 'true';
    this.root.dataset.builds = String((Number(this.root.dataset.builds) || 0) + 1); // for tools and tests
  }

  async reconfigure() {
    if (!this.problem) return;
    this.setError(null);
    try {
      // the engine's step and epoch counts go on (mg_api_model_configure)
      const r = await this.lock.run(() => this.worker.request('configure', this.setupArgs()));
      this.showRate(r.lr);
    } catch (err) {
      this.setError(err.message);
    }
  }

  /** Waits until no request of ours is in flight. */
  idle() {
    return this.lock.idle();
  }

  /** Draws everything from a new snapshot. */
  async refresh() {
    this.snapshot = await this.worker.request('snapshot', { extent: this.problem.extent, res: 100, tres: 24 });
    this.drawBoundary();
    this.drawNetwork();
  }

  stepsPerFrame() {
    // one epoch per frame, as the playgrounds learners know
    return Math.max(1, Math.ceil(this.problem.train.n / this.state.batch));
  }

  /** data-state for tools and tests: 'running' while play is on or a
   * request of a step is in flight, 'idle' when the numbers shown are final. */
  markState() {
    this.root.dataset.state = this.running || this.lock.busy ? 'running' : 'idle';
  }

  play() {
    if (this.running || !this.problem) return;
    this.running = true;
    this.markState();
    this.root.classList.add('running');
    $(this.root, '#play-btn').setAttribute('aria-pressed', 'true');
    $(this.root, '#play-btn').title = this.t('train.pause');
    // one frame loop at a time: a loop left from before a quick pause and
    // play sees a newer id and ends
    const id = (this.loopId = (this.loopId ?? 0) + 1);
    const frame = async () => {
      if (!this.running || id !== this.loopId) return;
      // a frame while a request runs is dropped, not queued
      if (!this.lock.busy) await this.trainOnce(this.stepsPerFrame());
      if (this.running && id === this.loopId) requestAnimationFrame(frame);
    };
    requestAnimationFrame(frame);
    this.reportProgress();
  }

  pause() {
    const was = this.running;
    this.running = false;
    this.markState();
    // the step-through follows the weights where training stopped
    if (was && this.step?.stale) this.idle().then(() => this.retrace());
    this.root.classList.remove('running');
    const b = $(this.root, '#play-btn');
    b.setAttribute('aria-pressed', 'false');
    b.title = this.t('train.play');
    if (was) this.reportProgress();
  }

  /** Trains `steps` mini-batches after whatever runs (⇥ pressed twice
   * quickly makes two steps; the play loop drops its frames instead). */
  async trainOnce(steps = 1) {
    if (!this.problem) return;
    await this.lock.run(() => this.trainChunk(steps));
    if (!this.running && this.step?.stale) await this.retrace();
  }

  async trainChunk(steps) {
    try {
      const p = await this.worker.request('train', { steps });
      this.last = p;
      // for tools and the long-session test: the engine's heap stays flat
      document.body.dataset.wasmHeapUsed = String(p.memory.heapUsed);
      document.body.dataset.wasmMemoryBytes = String(p.memory.memoryBytes);
      const { step, epoch } = p;
      this.showMetrics({ step, epoch, train: p.train, test: p.test });
      this.showRate(p.lr);
      this.views.loss.update({ step, train: p.train.loss, test: p.test ? p.test.loss : null });
      // named as the network diagram names them: layer 1, layer 2, ..., output
      const layers = this.problem.info.layers;
      const withParams = layers.map((L, i) => ({ L, i })).filter(({ L }) => L.w_count > 0);
      const name = (i) => (i === layers.length - 1 ? this.t('view.output') : this.t('charts.layer', { i: i + 1 }));
      this.views.gradNorm.update({ step, norms: withParams.map(({ i }) => Math.max(p.layers[i].gNorm, 1e-12)), names: withParams.map(({ i }) => name(i)) });
      this.views.hist.update({
        layers: withParams.map(({ i }) => ({ label: name(i), lo: p.layers[i].lo, hi: p.layers[i].hi, counts: p.layers[i].hist })),
      });
      this.onTrained({ ...p, step, epoch });
      await this.refresh();
      // the weights moved: the step-through's numbers are stale until it traces again
      if (this.step && !this.step.stale) {
        this.step.stale = step;
        this.drawStep();
      } else if (this.step) {
        this.step.stale = step;
      }
      const s = this.state;
      if ((s.stopepochs && epoch >= s.stopepochs) || (s.stoploss && p.train.loss <= s.stoploss)) this.pause();
    } catch (err) {
      this.pause();
      this.setError(err.key ? this.t(err.key, err.params) : err.message, err.status === 'domain');
      if (err.status === 'domain') this.onDiverged({ step: this.shown?.step ?? 0, message: err.message });
    }
  }

  showMetrics({ step, epoch, train, test }) {
    const set = (id, text) => {
      $(this.root, id).textContent = text;
    };
    set('#epoch-count', formatCount(epoch));
    set('#step-count', formatCount(step));
    set('#train-loss', train ? shortNumber(train.loss) : '—');
    set('#test-loss', test ? shortNumber(test.loss) : '—');
    const regression = this.problem.nclasses === 0;
    set('#train-acc-label', this.t(regression ? 'status.trainRmse' : 'status.trainAccuracy'));
    set('#test-acc-label', this.t(regression ? 'status.testRmse' : 'status.testAccuracy'));
    const fmt = (m) => (!m ? '—' : regression ? `${shortNumber(m.rmse)} (R² ${shortNumber(m.r2)})` : `${(100 * m.accuracy).toFixed(1)}%`);
    set('#train-acc', fmt(train));
    set('#test-acc', fmt(test));
    this.shown = { step, epoch, train, test };
    this.reportProgress();
  }

  /** The learning rate the next update applies (beside the step count,
   * when a schedule moves it). */
  showRate(lr) {
    $(this.root, '#lr-now').textContent = shortNumber(lr);
  }

  /** The numbers shown, for onProgress. */
  reportProgress() {
    const m = this.shown;
    if (!m) return;
    this.onProgress({
      running: this.running, step: m.step, epoch: m.epoch,
      loss: m.train?.loss, testLoss: m.test?.loss, accuracy: m.train?.accuracy, testAccuracy: m.test?.accuracy,
      rmse: m.train?.rmse, testRmse: m.test?.rmse,
    });
  }

  setError(message, diverged = false) {
    const box = $(this.root, '#play-error');
    box.hidden = !message;
    $(box, '.error-message').textContent = message ?? '';
    const remedies = $(box, '.remedies');
    remedies.hidden = !diverged;
    if (diverged) {
      remedies.replaceChildren();
      const add = (label, changes) => {
        const b = document.createElement('button');
        b.type = 'button';
        b.textContent = label;
        b.addEventListener('click', () => this.set(changes).then(() => this.rebuild()));
        remedies.append(b);
      };
      add(this.t('remedy.lowerLr', { lr: shortNumber(this.state.lr / 10) }), { lr: Math.max(0.00001, this.state.lr / 10) });
      add(this.t('remedy.clip'), { clip: 1 });
    }
  }

  // ---- drawing ---------------------------------------------------------------

  drawBoundary() {
    const p = this.problem;
    const snap = this.snapshot;
    if (!p || !snap) return;
    const kind = p.nclasses === 0 ? (p.d === 1 ? 'curve' : 'regression2d') : p.nclasses > 2 || snap.info.out > 1 ? 'multiclass' : 'binary';
    this.views.boundary.update({
      kind,
      extent: p.extent,
      res: snap.res,
      grid: snap.grid,
      nclasses: Math.max(2, p.nclasses),
      train: p.train,
      test: p.test.n ? p.test : null,
      showTest: this.state.showtest,
      selected: this.step ? this.step.index : null,
    });
  }

  drawNetwork() {
    const p = this.problem;
    const snap = this.snapshot;
    if (!p || !snap) return;
    const mode = $(this.root, 'input[name="net-mode"]:checked')?.value ?? 'weights';
    const tr = this.step?.trace;
    const layers = snap.info.layers.map((L, i) => ({
      units: L.out_shape[0],
      act: L.act,
      output: i === snap.info.layers.length - 1,
    }));
    this.views.network.update({
      inputs: p.features,
      layers,
      weights: snap.weights,
      biases: snap.biases,
      grads: tr ? tr.layers.map((l) => l.dw) : snap.grads,
      mode,
      thumbnails: snap.neurons,
      tres: snap.tres,
      curves: snap.curves,
      highlight: this.selection,
      values: tr && this.step.forward ? tr.layers.map((l, i) => (i < this.step.forward ? l.out : null)) : null,
    });
  }

  // ---- custom data ---------------------------------------------------------------

  /** The current points as custom points (rounded as the URL keeps them). */
  currentPoints() {
    const p = this.problem;
    const out = [];
    for (const set of [p.train, p.test]) {
      for (let i = 0; i < set.n; i++) {
        const x = Array.from(set.x.slice(i * p.d, (i + 1) * p.d), (v) => Math.round(v * 100) / 100);
        out.push(p.d === 1 ? [x[0], Math.round(set.t[i] * 100) / 100, 0] : [...x, set.y[i]]);
      }
    }
    return out;
  }

  onPoint(x1, x2) {
    const mode = $(this.root, '#point-mode').value;
    const p = this.problem;
    if (!p) return;
    if (mode === 'select') {
      // the nearest training point becomes the step-through sample
      let best = 0, bestD = Infinity;
      for (let i = 0; i < p.train.n; i++) {
        const dx = p.train.x[i * p.d] - x1;
        const dy = p.d === 2 ? p.train.x[i * p.d + 1] - x2 : p.train.t[i] - x2;
        if (dx * dx + dy * dy < bestD) [best, bestD] = [i, dx * dx + dy * dy];
      }
      this.pickSample(best);
      return;
    }
    const custom = p.d === 1 ? 'custom1d' : 'custom';
    let pts = this.state.data === custom ? this.state.pts.map((q) => [...q]) : this.currentPoints();
    if (mode === 'remove') {
      const r = 0.05 * (p.extent[1] - p.extent[0]);
      pts = pts.filter((q) => (q[0] - x1) ** 2 + ((p.d === 2 ? q[1] : q[1]) - x2) ** 2 > r * r);
    } else {
      pts.push([Math.round(x1 * 100) / 100, Math.round(x2 * 100) / 100, mode === 'add' ? 0 : Number(mode)]);
    }
    if (pts.length > 500) return this.setError(this.t('error.csvTooMany', { n: pts.length, max: 500 }));
    return this.set({ data: custom, pts });
  }

  async loadCsv(file) {
    if (!file) return;
    try {
      const pts = parseCsv(await file.text(), this.t);
      const xy = pts[0].length === 2;
      await this.set({ data: xy ? 'custom1d' : 'custom', pts: xy ? pts.map(([x, y]) => [x, y, 0]) : pts });
    } catch (err) {
      this.setError(err.message);
    }
  }

  // ---- step-through -------------------------------------------------------------

  /** The step-through's sample traced again with the current weights,
   * keeping what was revealed (the update, if any, is gone: it was of the
   * old weights). One at a time. */
  retrace() {
    const s = this.step;
    if (!s?.stale) return Promise.resolve();
    this.retracing ??= this.worker.request('trace', { index: s.index }).then((trace) => {
      if (this.step !== s) return; // another sample was picked meanwhile
      this.step = { ...s, trace, stale: false, update: null, weightsStep: this.shown?.step ?? 0 };
      this.drawStep();
    }).catch((err) => this.setError(err.key ? this.t(err.key, err.params) : err.message))
      .finally(() => { this.retracing = null; });
    return this.retracing;
  }

  async pickSample(index) {
    if (!this.problem) return;
    const n = this.problem.train.n;
    const i = Math.min(Math.max(0, Number.isFinite(index) ? index : 0), n - 1);
    $(this.root, '#sample-index').value = String(i + 1);
    this.pause();
    await this.idle();
    try {
      const trace = await this.worker.request('trace', { index: i });
      this.step = { index: i, trace, forward: 0, loss: false, backward: 0, update: null, stale: false, weightsStep: this.shown?.step ?? 0 };
      this.selection = null;
      this.drawStep();
      this.drawBoundary();
    } catch (err) {
      this.setError(err.key ? this.t(err.key, err.params) : err.message);
    }
  }

  async ensureTrace() {
    if (!this.step) await this.pickSample(Number($(this.root, '#sample-index').value) - 1);
    else if (this.step.stale) {
      this.pause();
      await this.idle();
      await this.retrace();
    }
    return this.step;
  }

  async stepForward() {
    const s = await this.ensureTrace();
    if (!s) return;
    const L = s.trace.layers.length;
    if (s.update) await this.pickSample(s.index); // a new pass after an update
    const cur = this.step;
    if (cur.forward < L) cur.forward++;
    else cur.loss = true;
    this.drawStep();
  }

  async stepBackward() {
    const s = await this.ensureTrace();
    if (!s) return;
    const L = s.trace.layers.length;
    s.forward = L;
    s.loss = true;
    if (s.backward < L) s.backward++;
    this.drawStep();
  }

  async stepUpdate() {
    const s = await this.ensureTrace();
    if (!s || s.update) return;
    const L = s.trace.layers.length;
    Object.assign(s, { forward: L, loss: true, backward: L });
    try {
      s.update = await this.worker.request('update');
      this.showRate(s.update.opt.lr_next);
      this.showMetrics({
        step: s.update.steps, epoch: this.last?.epoch ?? 0, ...s.update.metrics,
      });
      await this.refresh();
    } catch (err) {
      this.setError(err.message);
    }
    this.drawStep();
  }

  select(selection) {
    if (selection.layer < 0) return; // the inputs have no numbers of their own to explain
    this.selection = selection;
    this.drawStep();
    this.drawNetwork();
  }

  drawStep() {
    const s = this.step;
    if (!s) return this.views.step.reset();
    const layers = s.trace.layers.map((l, i) => ({ units: l.out.length, act: this.problem.info.layers[i].act }));
    this.views.step.update({
      trace: { ...s.trace },
      layers,
      lossKind: this.problem.loss,
      forward: s.forward,
      loss: s.loss,
      backward: s.backward,
      update: s.update,
      stale: s.stale,
      weightsStep: s.weightsStep,
      reg: this.state.reg !== 'none' && this.state.rate > 0 ? this.state.reg : null,
      selection: this.selection,
    });
    this.drawNetwork();
  }

  /** This network on the step-through sample, in the graph view. */
  async openAsGraph() {
    const s = await this.ensureTrace();
    if (!s) return;
    const tr = s.trace;
    const layers = tr.layers.map((l, i) => ({ units: l.out.length, act: this.problem.info.layers[i].act }));
    // about three nodes per weight (leaf, multiply, add) and a few per neuron
    const nodes = tr.layers.reduce((n, l) => n + 3 * l.dw.length + 4 * l.out.length, tr.layers[0].in.length + 12);
    const message = $(this.root, '#step-message');
    message.hidden = nodes <= GRAPH_MAX_NODES;
    if (nodes > GRAPH_MAX_NODES) {
      // beside the button that was pressed, not at the top of the page
      message.textContent = this.t('graph.tooBigNet', { n: nodes, max: GRAPH_MAX_NODES });
      message.scrollIntoView({ block: 'nearest' });
      return;
    }
    const program = networkProgram({
      names: tr.features, inputs: Array.from(tr.layers[0].in), layers,
      weights: tr.params.weights, biases: tr.params.biases,
      loss: this.problem.loss, label: tr.label, target: tr.target,
    });
    const params = new URLSearchParams({ view: 'graph', program });
    if (this.state.lang !== 'en') params.set('lang', this.state.lang);
    location.href = `?${params}`;
  }

  // ---- files and sharing ------------------------------------------------------------

  async exportModel() {
    try {
      const bytes = await this.worker.request('exportModel');
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = 'micrograd-lab-model.mgm';
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      this.setError(err.message);
    }
  }

  async importModel(file) {
    if (!file) return;
    this.pause();
    try {
      await this.idle();
      const bytes = await file.arrayBuffer();
      const r = await this.worker.request('importModel', { bytes }, [bytes]);
      this.setError(null);
      this.showMetrics({ step: 0, epoch: 0, ...r.metrics });
      await this.refresh();
    } catch (err) {
      this.setError(this.t('error.modelFile', { reason: err.message }));
    }
  }

  shareLinks() {
    const url = shareUrl(location.href.split('?')[0], this.state);
    return { url, iframe: embedSnippet(url) };
  }

  serialize() {
    return serializeState(this.state);
  }
}
