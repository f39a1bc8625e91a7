// The MNIST view: wires the controls, the URL state, the MNIST worker
// (web/js/mnist_worker.js) and the views. No math here: the worker's
// engine computes every number; this module moves them to the views.
//
// Training is a loop of chunks: each 'train' request trains for about
// CHUNK_MS in the worker and returns every step's loss and the examples it
// trained in how long. Between chunks the page draws, and Pause, model
// changes and file loads get their turn (one lock orders them with the
// chunks). Every EVAL_EVERY epochs, at most every EVAL_MIN_MS, and on
// pause the test set is evaluated and the digit grid, the confusion matrix
// and the weights are refreshed. Examples/s = examples trained / wall time of the training
// calls in the worker, over the latest SPEED_WINDOW_MS of training.
//
// Stop after N epochs (stopepochs, the playground's key): the worker is
// told where to stop (train's untilEpoch), so training pauses exactly at
// epoch N, evaluated there. ▶ at or past N trains on without a stop;
// a new N while training applies from the next chunk (or pauses at once
// when training is already past it).
import { WorkerClient } from './rpc.js';
import { Lock } from './lock.js';
import { shareUrl, embedSnippet } from './state.js';
import { readIdxFile, sortIdxFiles } from './idx_files.js';
import { SeriesChart } from './views/charts.js';
import { ProbBars } from './views/prob_bars.js';
import { DrawPad } from './views/draw_pad.js';
import { DigitGrid } from './views/digit_grid.js';
import { ConfusionView } from './views/confusion_view.js';
import { TilesView } from './views/tiles_view.js';
import { PALETTE } from './views/palette.js';
import { shortNumber } from './views/format.js';

const BUILTIN = {
  images: new URL('../build/data/mnist-10k-images.idx', import.meta.url),
  labels: new URL('../build/data/mnist-10k-labels.idx', import.meta.url),
};
const CHUNK_MS = 60;           // each training reply comes after about this long
const EVAL_EVERY = 0.5;        // epochs between evaluations of the test set,
const EVAL_MIN_MS = 500;       // and at least this long (fast kernels train an epoch in 0.3 s)
const SPEED_WINDOW_MS = 1500;  // training time the examples/s figure averages over
const SAMPLES = 40;            // test digits in the grid
const PREDICT_EVERY_MS = 80;   // while drawing, at most one prediction per this long
const MAX_TILES = 256;         // first-layer units drawn

const $ = (root, sel) => root.querySelector(sel);

export class MnistPage {
  /** root: the MNIST <main>; state: the parsed URL state; t(key, params);
   * onProgress(numbers) tells a course page around an embedded page
   * (web/js/embed.js). */
  constructor(root, { state, t, onStateChange, onProgress = () => {} }) {
    this.root = root;
    this.state = state;
    this.t = t;
    this.onStateChange = onStateChange;
    this.onProgress = onProgress;
    this.numbers = {};            // the latest numbers shown, for onProgress
    this.locale = state.lang === 'zh' ? 'zh-CN' : 'en';
    this.worker = new WorkerClient(new URL('./mnist_worker.js', import.meta.url));
    this.running = false;
    this.loop = null;             // the training loop's promise while it runs
    this.evaluateOnStop = true;
    this.lock = new Lock(); // orders chunks, evaluations and changes
    this.ready = false;
    this.info = null;             // the model's summary from the worker
    this.data = null;             // { train, test, source }
    this.epoch = 0;
    this.steps = 0;
    this.stopAt = Infinity;       // the epoch this run pauses at (stopepochs)
    this.evalEpoch = -Infinity;   // epoch of the latest evaluation
    this.evalTime = 0;            // and when it was (performance.now())
    this.speed = [];              // recent chunks: { examples, ms }
    this.sampleStart = 0;
    this.selected = 0;            // the test digit of the feature maps
    this.draw = { inFlight: false, pending: false, timer: 0, last: 0 };
    this.quant = null;            // the latest int8 comparison

    const L = (k, p) => t(`mnist.${k}`, p);
    this.views = {
      loss: new SeriesChart($(root, '#mnist-loss-chart'), {
        series: [
          { label: L('batchLoss'), colour: PALETTE.pos, thin: true },
          { label: L('testLoss'), colour: PALETTE.neg, dots: true },
        ],
        x: L('epochAxis'), y: L('lossAxis'), xMin: 0, label: L('lossChart'),
      }),
      acc: new SeriesChart($(root, '#mnist-acc-chart'), {
        series: [
          { label: L('trainAcc'), colour: PALETTE.pos, dots: true },
          { label: L('testAcc'), colour: PALETTE.neg, dots: true, dashed: true },
        ],
        x: L('epochAxis'), y: L('accAxis'), xMin: 0, yMin: 0, yMax: 1, percent: true, label: L('accChart'),
      }),
      bars: new ProbBars($(root, '#mnist-probs'), {
        labels: { prediction: L('prediction'), digit: L('probRow'), empty: L('drawFirst') },
      }),
      pad: new DrawPad($(root, '#mnist-pad'), {
        onChange: (e) => this.onDraw(e),
        onImage: (file, err) => this.setError(err && (err.key
          ? t(err.key, { name: file.name }) : L('imageFailed', { name: file.name, reason: err.message }))),
        labels: { canvas: L('canvas'), preview: L('preview'), clear: L('clear'), upload: L('upload') },
      }),
      grid: new DigitGrid($(root, '#mnist-samples'), {
        onSelect: (i) => this.selectDigit(i),
        labels: { right: L('cellRight'), wrong: L('cellWrong'), truth: L('wrong') },
      }),
      confusion: new ConfusionView($(root, '#mnist-confusion'), {
        labels: { truth: L('truth'), pred: L('predicted'), cell: L('confusionCell') },
      }),
      tiles: new TilesView($(root, '#mnist-weights')),
    };
    this.bind();
    this.syncControls();
    this.setState('loading');
  }

  // ---- controls <-> state ------------------------------------------------

  bind() {
    for (const input of this.root.querySelectorAll('[data-key]')) {
      input.addEventListener('change', () => {
        const key = input.dataset.key;
        let value = input.dataset.kind === 'number' || input.type === 'number' ? Number(input.value) : input.value;
        if (input.type === 'number') {
          if (input.value.trim() === '' || !Number.isFinite(value)) return this.syncControls();
          value = Math.round(Math.min(Number(input.max), Math.max(Number(input.min), value)));
          input.value = String(value);
        }
        this.set({ [key]: value });
      });
    }
    const on = (sel, fn) => $(this.root, sel).addEventListener('click', fn);
    on('#mnist-train', () => (this.running ? this.pause() : this.play()));
    on('#mnist-reset', () => this.rebuild());
    on('#mnist-next', () => this.nextSamples());
    on('#mnist-builtin', () => this.loadBuiltin());
    on('#mnist-export', () => this.exportModel());
    on('#mnist-quantize', () => this.quantize());
    $(this.root, '#mnist-change').addEventListener('change', () => this.refreshWeights().catch((err) => this.setError(this.reason(err))));
    $(this.root, '#mnist-files').addEventListener('change', (e) => {
      const files = [...e.target.files];
      e.target.value = ''; // the same files again load again
      this.loadFiles(files);
    });
    $(this.root, '#mnist-import').addEventListener('change', (e) => {
      const file = e.target.files[0];
      e.target.value = '';
      this.importModel(file);
    });
  }

  syncControls() {
    const s = this.state;
    const lr = $(this.root, '#mnist-lr');
    if (![...lr.options].some((o) => Number(o.value) === s.lr)) {
      // a learning rate from the link that the list does not offer
      const options = [...lr.options, new Option(String(s.lr), String(s.lr))].sort((a, b) => Number(a.value) - Number(b.value));
      lr.replaceChildren(...options);
    }
    for (const input of this.root.querySelectorAll('[data-key]')) {
      const v = s[input.dataset.key];
      input.value = String(v);
      if (input.tagName === 'SELECT' && input.dataset.kind === 'number') {
        const match = [...input.options].find((o) => Number(o.value) === v);
        if (match) input.value = match.value;
      }
    }
  }

  set(changes) {
    const before = this.state;
    this.state = { ...this.state, ...changes };
    this.onStateChange(this.state);
    this.syncControls();
    if (changes.model !== undefined && changes.model !== before.model) return this.rebuild();
    if (changes.stopepochs !== undefined && changes.stopepochs !== before.stopepochs && this.running) {
      this.stopAt = this.stopFor(this.epoch);
      if (this.state.stopepochs && this.stopAt === Infinity) this.pause(); // already past the new N
    }
    if ((changes.opt !== undefined && changes.opt !== before.opt) || (changes.lr !== undefined && changes.lr !== before.lr)) {
      return this.reconfigure();
    }
    return Promise.resolve(); // the batch size applies from the next chunk
  }

  /** A lesson or one of its variants (lesson_controller.js): full is the
   * lesson's whole state, changes what it names. Here the trained model
   * stays unless the lesson names another; a variant starts it afresh. */
  applyLesson({ changes, variant = false }) {
    if (!variant || changes.model !== this.state.model) return this.set(changes);
    this.state = { ...this.state, ...changes };
    this.onStateChange(this.state);
    this.syncControls();
    return this.rebuild();
  }

  shareLinks() {
    const url = shareUrl(location.href.split('?')[0], this.state);
    return { url, iframe: embedSnippet(url) };
  }

  // ---- the page's state ------------------------------------------------------

  /** 'loading', 'ready', 'training' or 'pausing', in data-state. */
  setState(name) {
    this.root.dataset.state = name;
    const busy = name === 'loading';
    $(this.root, '#mnist-train').disabled = busy || name === 'pausing';
    for (const sel of ['#mnist-reset', '#mnist-export', '#mnist-builtin', '#mnist-quantize']) $(this.root, sel).disabled = busy;
    for (const sel of ['#mnist-files', '#mnist-import']) $(this.root, sel).disabled = busy;
  }

  setError(message) {
    const box = $(this.root, '#mnist-error');
    box.hidden = !message;
    $(box, '.error-message').textContent = message ?? '';
  }

  /** The page's message for a worker error: translated when it has a key. */
  reason(err) {
    return err.key ? this.t(err.key, err.params) : err.message;
  }

  fmt(n) {
    return Math.round(n).toLocaleString(this.locale);
  }

  // ---- start, data and model -------------------------------------------------------

  /** Builds the model while the built-in digits download, then shows everything. */
  async start() {
    const built = this.lock.run(() => this.worker.request('build', this.buildArgs())).then((info) => {
      this.info = info;
    });
    await this.loadBuiltin({ first: built });
  }

  buildArgs() {
    return { model: this.state.model, opt: this.state.opt, lr: this.state.lr };
  }

  /** Fetches url with progress(fraction) as bytes arrive: an ArrayBuffer.
   * (Content-Length only scales the progress: a compressed response is
   * longer than it says.) */
  async fetchBytes(url, progress) {
    const res = await fetch(url);
    if (!res.ok) throw new Error(this.t('mnist.fetchFailed', { url: url.pathname, status: res.status }));
    const total = Number(res.headers.get('Content-Length')) || 0;
    if (!res.body || !total) return res.arrayBuffer();
    const chunks = [];
    const reader = res.body.getReader();
    let got = 0;
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      chunks.push(value);
      got += value.length;
      progress(Math.min(1, got / total));
    }
    const out = new Uint8Array(got);
    let at = 0;
    for (const c of chunks) {
      out.set(c, at);
      at += c.length;
    }
    return out.buffer;
  }

  showLoading(fraction, text) {
    const bar = $(this.root, '#mnist-load-progress');
    const box = $(this.root, '#mnist-loading');
    box.hidden = fraction === null;
    if (fraction !== null) {
      if (fraction >= 0) bar.value = fraction;
      else bar.removeAttribute('value');
      $(this.root, '#mnist-load-text').textContent = text;
    }
  }

  async loadBuiltin({ first = null } = {}) {
    if (location.protocol === 'file:') return this.cannotFetch(first);
    this.pause({ evaluate: false });
    this.setState('loading');
    this.setError(null);
    try {
      this.showLoading(0, this.t('mnist.downloading', { pct: 0 }));
      const [images, labels] = await Promise.all([
        this.fetchBytes(BUILTIN.images, (f) => this.showLoading(f, this.t('mnist.downloading', { pct: Math.floor(100 * f) }))),
        this.fetchBytes(BUILTIN.labels, () => {}),
      ]);
      this.showLoading(-1, this.t('mnist.preparing'));
      await first;
      await this.useData({ images, labels }, [images, labels], this.t('mnist.builtinSource'));
    } catch (err) {
      this.setError(this.t('mnist.loadFailed', { reason: this.reason(err) }));
    } finally {
      this.showLoading(null);
      this.setState('ready');
    }
  }

  /** A page opened from disk cannot fetch the digits beside it (the dist
   * folder, scripts/dist.mjs): it says how to serve the folder; the
   * learner's own files still load. */
  async cannotFetch(first) {
    await first;
    const dir = decodeURIComponent(location.pathname.replace(/[^/]*$/, '')).replace(/^\/([A-Za-z]:)/, '$1');
    this.setError(this.t('dist.fileMnist', { dir }));
    this.setState('ready');
  }

  /** The learner's IDX files: 2 (split 80/20) or 4 (train and test). */
  async loadFiles(files) {
    if (!files.length) return;
    this.pause({ evaluate: false });
    this.setError(null);
    this.setState('loading');
    try {
      this.showLoading(-1, this.t('mnist.reading', { n: files.length }));
      const read = await Promise.all(files.map(readIdxFile));
      const { train, test } = sortIdxFiles(read);
      const args = { images: train.images, labels: train.labels };
      if (test) Object.assign(args, { testImages: test.images, testLabels: test.labels });
      const buffers = [...new Set(Object.values(args).map((b) => b.buffer))];
      const names = [...train.names, ...(test ? test.names : [])].join(', ');
      this.showLoading(-1, this.t('mnist.preparing'));
      await this.useData(args, buffers, names);
    } catch (err) {
      this.setError(this.t('mnist.loadFailed', { reason: this.reason(err) }));
    } finally {
      this.showLoading(null);
      this.setState('ready');
    }
  }

  /** Hands IDX bytes to the worker (the engine checks them) and starts afresh on them. */
  async useData(args, transfer, source) {
    await this.idle();
    const r = await this.lock.run(() => this.worker.request('load', args, transfer));
    this.data = { ...r, source };
    $(this.root, '#mnist-data-info').textContent = this.t(r.test ? 'mnist.dataInfo' : 'mnist.dataInfoNoTest', {
      train: this.fmt(r.train), test: this.fmt(r.test), source,
    });
    this.sampleStart = 0;
    this.selected = 0;
    if (!this.info) this.info = await this.lock.run(() => this.worker.request('build', this.buildArgs()));
    await this.fresh();
  }

  /** Counters and charts from zero, then everything evaluated and drawn. */
  async fresh() {
    this.epoch = 0;
    this.steps = 0;
    this.showQuant(null);
    this.evalEpoch = -Infinity;
    this.speed = [];
    this.views.loss.reset();
    this.views.acc.reset();
    this.showProgress({ epoch: 0, steps: 0, loss: NaN });
    this.showSpeed(null);
    this.numbers = {};
    this.showModel();
    await this.lock.run(() => this.refreshAll());
    this.ready = true;
    this.root.dataset.ready = 'true';
  }

  showModel() {
    const i = this.info;
    if (!i) return;
    const kind = i.kind === 'custom' ? this.t('mnist.customModel') : this.t(`mnist.model.${i.kind}`);
    $(this.root, '#mnist-model-info').textContent = this.t('mnist.modelInfo', { kind, spec: i.spec, n: this.fmt(i.nparams) });
  }

  async rebuild() {
    await this.pauseAndWait();
    this.setError(null);
    try {
      this.info = await this.lock.run(() => this.worker.request('build', this.buildArgs()));
      if (this.data) await this.fresh();
    } catch (err) {
      this.setError(this.reason(err));
    }
  }

  async reconfigure() {
    if (!this.info) return;
    this.setError(null);
    try {
      await this.lock.run(() => this.worker.request('configure', { opt: this.state.opt, lr: this.state.lr }));
    } catch (err) {
      this.setError(this.reason(err));
    }
  }

  // ---- training ------------------------------------------------------------------

  play() {
    // not while files load, nor while the last loop is still finishing its
    // chunk (a course page can send pause and play at once)
    if (this.running || this.loop || !this.ready || !this.data || this.root.dataset.state === 'loading') return;
    this.running = true;
    this.stopAt = this.stopFor(this.epoch);
    this.setState('training');
    this.root.classList.add('running');
    const b = $(this.root, '#mnist-train');
    b.setAttribute('aria-pressed', 'true');
    b.title = this.t('mnist.tip.pause');
    this.loop = this.trainLoop();
    this.report();
  }

  /** The epoch a run from epoch `from` pauses at: N of "stop after N
   * epochs" when it is still ahead, else none (Infinity). */
  stopFor(from) {
    const n = this.state.stopepochs;
    return n > 0 && from < n ? n : Infinity;
  }

  /** Stops after the chunk in flight; evaluate: evaluate where it stopped. */
  pause({ evaluate = true } = {}) {
    if (!this.running) return;
    this.running = false;
    this.evaluateOnStop = evaluate;
    this.setState('pausing');
    this.root.classList.remove('running');
    const b = $(this.root, '#mnist-train');
    b.setAttribute('aria-pressed', 'false');
    b.title = this.t('mnist.tip.train');
    this.report();
  }

  /** Waits for the training loop (and its last evaluation) to end. */
  async idle() {
    if (this.loop) await this.loop;
  }

  /** Pauses without the last evaluation (what comes next replaces the model). */
  async pauseAndWait() {
    this.pause({ evaluate: false });
    await this.idle();
  }

  async trainLoop() {
    try {
      while (this.running) {
        await this.lock.run(async () => {
          if (!this.running) return;
          const r = await this.worker.request('train', { batch: this.state.batch, budgetMs: CHUNK_MS, untilEpoch: this.stopAt });
          this.onChunk(r);
          if (r.reached) this.pause();
          if (r.epoch - this.evalEpoch >= EVAL_EVERY && performance.now() - this.evalTime >= EVAL_MIN_MS) await this.refreshAll();
        });
      }
      // where training stopped, evaluated
      if (this.evaluateOnStop) await this.lock.run(() => (this.epoch > this.evalEpoch ? this.refreshAll() : null));
    } catch (err) {
      this.pause();
      this.setError(this.t('mnist.trainFailed', { reason: this.reason(err) }));
    } finally {
      this.loop = null;
      if (this.root.dataset.state !== 'loading') this.setState('ready');
    }
  }

  onChunk(r) {
    if (!r.losses.length) return; // already at the stop (N changed while a chunk ran)
    this.epoch = r.epoch;
    this.steps = r.steps;
    if (this.quant) this.markQuantStale();
    this.views.loss.update([r.losses.map((y, i) => ({ x: r.epochs[i], y })), []]);
    this.showProgress(r);
    this.speed.push({ examples: r.examples, ms: r.ms });
    let examples = 0, ms = 0, used = 0;
    for (let i = this.speed.length - 1; i >= 0 && ms < SPEED_WINDOW_MS; i--, used++) {
      examples += this.speed[i].examples;
      ms += this.speed[i].ms;
    }
    this.speed.splice(0, this.speed.length - used);
    this.showSpeed(ms > 0 ? (1000 * examples) / ms : null, r.trainCount);
    this.report({ step: r.steps, epoch: r.epoch, loss: r.loss, examplesPerSec: ms > 0 ? (1000 * examples) / ms : null });
  }

  /** Updates the numbers a course page hears about and tells it. */
  report(changes = {}) {
    this.numbers = { ...this.numbers, ...changes };
    this.onProgress({ running: this.running, ...this.numbers });
  }

  showProgress({ epoch, steps, loss }) {
    // the epoch under way; at a boundary (where "stop after N epochs"
    // pauses), the one just completed: epoch 5 is "epoch 5: 100%"
    const whole = epoch > 0 && Number.isInteger(epoch) ? epoch - 1 : Math.floor(epoch);
    $(this.root, '#mnist-epoch').textContent = epoch.toFixed(2);
    $(this.root, '#mnist-epoch').dataset.value = String(epoch);
    $(this.root, '#mnist-steps').textContent = this.fmt(steps);
    const bar = $(this.root, '#mnist-progress');
    bar.value = epoch - whole;
    const progress = this.t('mnist.epochProgress', { n: whole + 1, pct: Math.floor(100 * (epoch - whole)) });
    bar.setAttribute('aria-valuetext', progress);
    $(this.root, '#mnist-progress-text').textContent = progress;
    $(this.root, '#mnist-loss').textContent = Number.isFinite(loss) ? shortNumber(Number(loss.toPrecision(4))) : '—';
  }

  showSpeed(perSec, trainCount) {
    const el = $(this.root, '#mnist-speed');
    if (perSec === null) {
      el.textContent = '—';
      delete el.dataset.examplesPerSec;
      $(this.root, '#mnist-epoch-time').textContent = '';
      return;
    }
    el.textContent = this.fmt(perSec);
    el.dataset.examplesPerSec = String(perSec);
    $(this.root, '#mnist-epoch-time').textContent = this.t('mnist.epochTime', { s: (trainCount / perSec).toFixed(trainCount / perSec < 10 ? 1 : 0) });
  }

  // ---- evaluation and the views ---------------------------------------------------

  /** Test metrics, the digit grid, the weights, and the drawing again. */
  async refreshAll() {
    const ev = await this.worker.request('evaluate');
    this.evalEpoch = this.epoch;
    this.evalTime = performance.now();
    const pct = (m) => `${(100 * m.accuracy).toFixed(1)}%`;
    const test = $(this.root, '#mnist-test-acc');
    test.textContent = ev.test ? pct(ev.test) : '—';
    if (ev.test) test.dataset.value = String(ev.test.accuracy);
    else delete test.dataset.value;
    $(this.root, '#mnist-train-acc').textContent = pct(ev.train);
    this.report({ step: this.steps, epoch: this.epoch, accuracy: ev.train.accuracy, testAccuracy: ev.test?.accuracy, testLoss: ev.test?.loss });
    const x = this.epoch;
    this.views.acc.update([[{ x, y: ev.train.accuracy }], ev.test ? [{ x, y: ev.test.accuracy }] : []]);
    if (ev.test) {
      this.views.loss.update([[], [{ x, y: ev.test.loss }]]);
      this.views.confusion.update({ confusion: ev.test.confusion });
    } else {
      this.views.confusion.reset();
    }
    await this.refreshSamples();
    await this.refreshWeights();
    if (this.root.querySelector('#mnist-pad.drawn')) this.predictDrawing();
  }

  async refreshSamples() {
    const s = await this.worker.request('samples', { start: this.sampleStart, count: SAMPLES });
    this.sampleStart = s.start;
    // a selected digit matters for the CNN's feature maps only
    this.views.grid.update({ ...s, selected: this.isConv() ? this.selected : -1 });
    const to = s.start + s.n;
    const info = this.t(s.which === 'test' ? 'mnist.samplesInfo' : 'mnist.samplesInfoTrain', {
      from: this.fmt(s.start + 1), to: this.fmt(to), total: this.fmt(s.total),
      wrong: this.root.querySelector('#mnist-samples').dataset.wrong,
    });
    $(this.root, '#mnist-samples-info').textContent = this.isConv() ? `${info} ${this.t('mnist.samplesClick')}` : info;
  }

  async nextSamples() {
    if (!this.data) return;
    this.sampleStart += SAMPLES;
    try {
      await this.refreshSamples();
    } catch (err) {
      this.setError(this.reason(err));
    }
  }

  async selectDigit(index) {
    if (!this.isConv()) return;
    this.selected = index;
    this.views.grid.select(index);
    try {
      await this.refreshWeights();
    } catch (err) {
      this.setError(this.reason(err));
    }
  }

  isConv() {
    return this.info?.layers[0]?.kind === 'conv';
  }

  async refreshWeights() {
    const change = $(this.root, '#mnist-change').checked;
    const w = await this.worker.request('weights', { index: this.selected, change });
    const L = (k, p) => this.t(`mnist.${k}`, p);
    const explain = (key) => (change ? `${L(key)} ${L('changeExplain')}` : L(key));
    const changed = (title) => (change ? `${title} ${L('changeSuffix')}` : title);
    if (w.kind === 'dense') {
      const n = Math.min(w.units, MAX_TILES);
      $(this.root, '#mnist-weights-title').textContent = L('weightsDense');
      $(this.root, '#mnist-weights-explain').textContent = explain('weightsDenseExplain');
      this.views.tiles.update({
        groups: [{ title: changed(L('denseTiles', { n, units: w.units })), n, h: 28, w: 28, data: w.weights, mode: 'diverging', cols: 16, zoom: 2 }],
      });
      return;
    }
    $(this.root, '#mnist-weights-title').textContent = L('weightsConv');
    $(this.root, '#mnist-weights-explain').textContent = explain('weightsConvExplain');
    const groups = [{
      title: changed(L('filters', { n: w.units * w.cin, k: w.K })), n: w.units * w.cin, h: w.K, w: w.K,
      data: w.filters, mode: 'diverging', cols: w.units, zoom: 6,
    }];
    if (w.input) {
      groups.push({ title: L('inputDigit', { i: this.fmt(w.index + 1), label: w.label }), n: 1, h: 28, w: 28, data: w.input, mode: 'ink', zoom: 3 });
      let conv = 0, pool = 0;
      for (const m of w.maps) {
        const name = m.kind === 'conv' ? L('convMaps', { i: ++conv }) : L('poolMaps', { i: ++pool });
        groups.push({
          title: `${name}: ${m.C} × ${m.H}×${m.W}`, n: m.C, h: m.H, w: m.W, data: m.data,
          mode: 'ink', cols: 8, zoom: Math.max(1, Math.round(40 / m.H)),
        });
      }
    }
    this.views.tiles.update({ groups });
  }

  // ---- drawing ----------------------------------------------------------------------

  /** While drawing: a prediction at most every PREDICT_EVERY_MS, and one
   * when the stroke ends; never more than one in flight. */
  onDraw({ final }) {
    const d = this.draw;
    this.markPredicting(true);
    if (d.timer) {
      if (!final) return;
      clearTimeout(d.timer);
      d.timer = 0;
    }
    const wait = PREDICT_EVERY_MS - (performance.now() - d.last);
    if (!final && wait > 0) {
      d.timer = setTimeout(() => {
        d.timer = 0;
        this.predictDrawing();
      }, wait);
      return;
    }
    this.predictDrawing();
  }

  /** data-predicting on the drawing panel: true until the bars show the drawing as it is. */
  markPredicting(on) {
    $(this.root, '.mnist-draw').dataset.predicting = String(on);
  }

  async predictDrawing() {
    const d = this.draw;
    if (d.inFlight) {
      d.pending = true;
      return;
    }
    const image = this.views.pad.read();
    if (!image || !this.info) {
      this.views.bars.reset();
      if (!d.timer) this.markPredicting(false);
      return;
    }
    d.inFlight = true;
    d.last = performance.now();
    try {
      const r = await this.worker.request('predict', { image }, [image.buffer]);
      if (this.root.querySelector('#mnist-pad.drawn')) this.views.bars.update(r);
    } catch (err) {
      this.setError(this.reason(err));
    } finally {
      d.inFlight = false;
      if (d.pending) {
        d.pending = false;
        this.predictDrawing();
      } else if (!d.timer) {
        this.markPredicting(false);
      }
    }
  }

  // ---- int8 quantization (lesson 15) ---------------------------------------------------

  /** The worker makes an int8 copy of the model and evaluates both. */
  async quantize() {
    if (!this.data || !this.info) return;
    const button = $(this.root, '#mnist-quantize');
    button.disabled = true;
    this.setError(null);
    try {
      this.showQuant(await this.lock.run(() => this.worker.request('quantize')));
    } catch (err) {
      this.setError(this.t('mnist.quant.failed', { reason: this.reason(err) }));
    } finally {
      button.disabled = this.root.dataset.state === 'loading';
    }
  }

  /** The comparison table: accuracy and size, float32 and int8 (null clears it). */
  showQuant(q) {
    this.quant = q;
    const box = $(this.root, '#mnist-quant');
    box.replaceChildren();
    for (const k of ['floatAcc', 'int8Acc', 'floatBytes', 'int8Bytes', 'steps']) delete box.dataset[k];
    if (!q) return;
    const L = (k, p) => this.t(`mnist.quant.${k}`, p);
    const pct = (a) => `${(100 * a).toFixed(2)}%`;
    const cell = (tag, text, className = '') => {
      const c = document.createElement(tag);
      c.textContent = text;
      if (className) c.className = className;
      return c;
    };
    // a column per model, a row per figure (narrow enough for the side column)
    const table = document.createElement('table');
    table.className = 'quant-table';
    const head = document.createElement('tr');
    head.append(cell('td', ''));
    for (const key of ['float', 'int8']) {
      const th = cell('th', L(key));
      th.scope = 'col';
      th.dataset.model = key;
      head.append(th);
    }
    const row = (label, values) => {
      const tr = document.createElement('tr');
      const th = cell('th', label);
      th.scope = 'row';
      tr.append(th, ...values.map((v) => cell('td', v, 'num')));
      return tr;
    };
    table.append(
      head,
      row(q.which === 'test' ? L('accuracy') : L('accuracyTrain'), [pct(q.float.accuracy), pct(q.int8.accuracy)]),
      row(L('size'), [this.fmt(q.float.bytes), this.fmt(q.int8.bytes)]),
    );
    const ratio = q.float.bytes / q.int8.bytes;
    const summary = cell('p', L('summary', {
      ratio: ratio.toFixed(2), changed: this.fmt(q.changed), n: this.fmt(q.n),
      err: shortNumber(Number(q.report.max_abs_err.toPrecision(3))), steps: this.fmt(q.steps),
    }), 'hint');
    const stale = cell('p', L('stale'), 'hint quant-stale');
    stale.hidden = true;
    box.append(table, summary, stale);
    Object.assign(box.dataset, {
      floatAcc: String(q.float.accuracy), int8Acc: String(q.int8.accuracy),
      floatBytes: String(q.float.bytes), int8Bytes: String(q.int8.bytes), steps: String(q.steps),
    });
  }

  markQuantStale() {
    const stale = $(this.root, '#mnist-quant .quant-stale');
    if (stale) stale.hidden = this.steps === this.quant.steps;
  }

  // ---- model files ------------------------------------------------------------------------

  async exportModel() {
    try {
      const bytes = await this.lock.run(() => this.worker.request('exportModel'));
      const url = URL.createObjectURL(new Blob([bytes], { type: 'application/octet-stream' }));
      const a = document.createElement('a');
      a.href = url;
      a.download = `micrograd-lab-mnist-${this.info?.kind ?? 'model'}.mgm`;
      a.click();
      setTimeout(() => URL.revokeObjectURL(url), 1000);
    } catch (err) {
      this.setError(this.reason(err));
    }
  }

  async importModel(file) {
    if (!file) return;
    await this.pauseAndWait();
    this.setError(null);
    try {
      const bytes = await file.arrayBuffer();
      this.info = await this.lock.run(() => this.worker.request('importModel', { bytes }, [bytes]));
      if (this.info.kind !== 'custom' && this.info.kind !== this.state.model) {
        this.state = { ...this.state, model: this.info.kind };
        this.onStateChange(this.state);
        this.syncControls();
      }
      if (this.data) await this.fresh();
    } catch (err) {
      this.setError(this.t('mnist.modelFailed', { reason: this.reason(err) }));
    }
  }
}
