// The one JS wrapper around the WebAssembly core: the only module that
// touches the WASM heap. The page, the worker and the node tests all import
// it. A failed C call becomes a thrown EngineError carrying the engine's
// message, status and, for programs, line and column.
//
// web/js/wasm_loader.js finds the Emscripten module (mg.cjs with the WASM
// bytes in Node, mg.mjs and mg.wasm in the browser); the dist bundle swaps
// it for one that carries the WASM inside the script (scripts/dist.mjs).
import { loadFactory } from './wasm_loader.js';

const STATUS_NAMES = ['ok', 'syntax', 'name', 'domain', 'limit', 'arg', 'nomem', 'state'];

export class EngineError extends Error {
  constructor(message, { status = 'arg', line = 0, col = 0 } = {}) {
    super(message);
    this.name = 'EngineError';
    this.status = status; // 'syntax', 'name', 'domain', 'limit', ...
    this.line = line;     // 1-based place in the program, 0 if none
    this.col = col;
  }
}

/** Loads the WASM module; resolves to an Engine. */
export async function loadEngine() {
  const factory = await loadFactory();
  const module = await factory({
    print: () => {},
    printErr: (text) => console.warn('[mg]', text),
  });
  return new Engine(module);
}

/** The difference quotients of mg_program_numeric_grad (src/scalar/expr.h),
 * in its enum's order: (f(x+h) − f(x−h)) / 2h, (f(x+h) − f(x)) / h,
 * (f(x) − f(x−h)) / h. */
export const DIFFERENCES = ['central', 'forward', 'backward'];

/** An EngineError the page translates: key and params name its string
 * (rpc.js carries them from a worker). */
export function keyedError(key, params, status = 'state') {
  return Object.assign(new EngineError(`${key} ${JSON.stringify(params)}`, { status }), { key, params });
}

export class Engine {
  constructor(module) {
    this.m = module;
    const ptr = module._mg_api_catalog();
    if (!ptr) throw new EngineError('out of memory reading the catalog', { status: 'nomem' });
    /** The engine's tables (mg_api_catalog): settings, losses, optimizers,
     * schedules, activations, layers, inits, datasets; the page reads the
     * build's copy, web/build/catalog.js, which a test compares with this. */
    this.catalog = JSON.parse(module.UTF8ToString(ptr));
  }

  /** Calls fn(ptr, length) with a UTF-8 copy of str on the WASM heap (NUL
   * characters inside are kept: the engine reports them). */
  withString(str, fn) {
    const m = this.m;
    const n = m.lengthBytesUTF8(str);
    const ptr = m._malloc(n + 1);
    if (!ptr) throw new EngineError('out of memory copying a string into the engine', { status: 'nomem' });
    try {
      m.stringToUTF8(str, ptr, n + 1);
      return fn(ptr, n);
    } finally {
      m._free(ptr);
    }
  }

  /** Heap bytes in use (malloc) and the WASM memory's size, for leak
   * checks. */
  memory() {
    return { heapUsed: this.m._mg_api_heap_used(), memoryBytes: this.m.HEAP8.length };
  }

  /** A new dataset (train and test sets); free it with dataset.free(). */
  createDataset() {
    const h = this.m._mg_api_data_create();
    if (!h) throw new EngineError('cannot create a dataset: too many are open', { status: 'limit' });
    return new Dataset(this, h);
  }

  /** A new model; build it with model.build(...); free it with model.free(). */
  createModel() {
    const h = this.m._mg_api_model_create();
    if (!h) throw new EngineError('cannot create a model: too many are open', { status: 'limit' });
    return new Model(this, h);
  }

  /** Benchmark workloads (bench/ only); free with bench.free(). */
  createBench() {
    const h = this.m._mg_api_bench_create();
    if (!h) throw new EngineError('cannot create a benchmark: too many are open', { status: 'limit' });
    return new Bench(this, h);
  }

  /** Copies bytes (Uint8Array) to the heap for fn(ptr, length). */
  withBytes(bytes, fn) {
    const m = this.m;
    const ptr = m._malloc(Math.max(1, bytes.length));
    if (!ptr) throw new EngineError('out of memory copying data into the engine', { status: 'nomem' });
    try {
      m.HEAPU8.set(bytes, ptr);
      return fn(ptr, bytes.length);
    } finally {
      m._free(ptr);
    }
  }

  /** A copy of n floats at ptr (a fresh view: memory may have grown). */
  floats(ptr, n) {
    return ptr ? new Float32Array(this.m.HEAPF32.buffer, ptr, n).slice() : null;
  }

  /** A new expression program; free it with program.free(). */
  createProgram({ maxNodes = 0 } = {}) {
    const h = this.m._mg_api_expr_create(maxNodes);
    if (!h) {
      throw new EngineError('cannot create a program: out of memory, or too many programs are open', {
        status: 'limit',
      });
    }
    return new Program(this, h);
  }
}

export class Program {
  constructor(engine, handle) {
    this.engine = engine;
    this.m = engine.m;
    this.h = handle;
  }

  check(status) {
    if (status === 0) return;
    const m = this.m;
    throw new EngineError(m.UTF8ToString(m._mg_api_expr_error(this.h)), {
      status: STATUS_NAMES[status] ?? `status ${status}`,
      line: m._mg_api_expr_error_line(this.h),
      col: m._mg_api_expr_error_col(this.h),
    });
  }

  /** Parses and evaluates src (forward only); returns the result object. */
  eval(src) {
    this.check(this.engine.withString(String(src), (p, n) => this.m._mg_api_expr_eval(this.h, p, n)));
    return this.result();
  }

  /** Evaluates src and runs backward from its output; returns the result:
   * { output, data, leaves: {name: {data, grad}}, values: [...], nodes: [...] } */
  run(src) {
    this.check(this.engine.withString(String(src), (p, n) => this.m._mg_api_expr_run(this.h, p, n)));
    return this.result();
  }

  backward() {
    this.check(this.m._mg_api_expr_backward(this.h));
    return this.result();
  }

  zeroGrad() {
    this.check(this.m._mg_api_expr_zero_grad(this.h));
  }

  /** Prepares a step-by-step backward pass from the output. */
  backwardBegin() {
    this.check(this.m._mg_api_expr_backward_begin(this.h));
  }

  /** Propagates one node's grad to its children. Returns
   * { node, grad, remaining, children: [{id, local, contrib, grad}] },
   * or null when every node has been propagated. */
  backwardStep() {
    this.check(this.m._mg_api_expr_backward_step(this.h));
    const step = JSON.parse(this.m.UTF8ToString(this.m._mg_api_expr_step_json(this.h)));
    return step.done ? null : step;
  }

  /** Sets leaf `node` to value; all data recompute, grads are zeroed. */
  setLeaf(node, value) {
    this.check(this.m._mg_api_expr_set_leaf(this.h, node, value));
    return this.result();
  }

  /** The engine's central difference of the output with respect to a leaf. */
  numericGrad(node, eps = 1e-4, kind = 'central') {
    const v = this.m._mg_api_expr_numeric_grad(this.h, node, eps, indexOf(DIFFERENCES, kind, 'difference'));
    if (Number.isNaN(v)) this.check(5);
    return v;
  }

  /** The current result (values and grads as they are now). */
  result() {
    return JSON.parse(this.m.UTF8ToString(this.m._mg_api_expr_json(this.h)));
  }

  /** Data and grad of every node as one Float64Array copy:
   * [data0, grad0, data1, grad1, ...]. */
  values() {
    const n = this.m._mg_api_expr_node_count(this.h);
    const ptr = this.m._mg_api_expr_values(this.h);
    if (n === 0) return new Float64Array(0);
    if (!ptr) throw new EngineError('out of memory reading node values', { status: 'nomem' });
    // A fresh view after the call: memory may have grown.
    return new Float64Array(this.m.HEAPF64.buffer, ptr, 2 * n).slice();
  }

  free() {
    if (this.h) this.m._mg_api_expr_free(this.h);
    this.h = 0;
  }
}

/** Input feature bits of src/data/features.h, by name. */
export const FEATURES = { x1: 1, x2: 2, x1sq: 4, x2sq: 8, x1x2: 16, sinx1: 32, sinx2: 64 };

const TRACE_FIELDS = ['in', 'pre', 'out', 'dout', 'dpre', 'dw', 'db', 'dact'];

function indexOf(list, name, what) {
  const i = list.indexOf(name);
  if (i < 0) throw new EngineError(`unknown ${what} '${name}' (one of: ${list.join(', ')})`);
  return i;
}

class Handle {
  constructor(engine, handle, prefix) {
    this.engine = engine;
    this.m = engine.m;
    this.h = handle;
    this.prefix = prefix;
  }

  check(status) {
    if (status === 0) return;
    const m = this.m;
    throw new EngineError(m.UTF8ToString(m[`_mg_api_${this.prefix}_error`](this.h)), {
      status: STATUS_NAMES[status] ?? `status ${status}`,
    });
  }

  free() {
    if (this.h) this.m[`_mg_api_${this.prefix}_free`](this.h);
    this.h = 0;
  }
}

export class Dataset extends Handle {
  constructor(engine, handle) {
    super(engine, handle, 'data');
  }

  /** Generates a toy dataset: {name, n, noise, k, trainRatio, seed}. */
  generate({ name, n = 200, noise = 0.1, k = 0, trainRatio = 0.8, seed = 1 }) {
    if (String(name).includes('\0')) throw new EngineError('the dataset name contains a NUL character');
    this.check(
      this.engine.withString(String(name), (p) =>
        this.m._mg_api_data_generate(this.h, p, n, noise, k, trainRatio, seed),
      ),
    );
    return this;
  }

  /** MNIST-style IDX bytes (Uint8Array each); the first trainCount train. */
  loadIdx(images, labels, trainCount) {
    this.check(
      this.engine.withBytes(images, (ip, il) =>
        this.engine.withBytes(labels, (lp, ll) => this.m._mg_api_data_load_idx(this.h, ip, il, lp, ll, trainCount)),
      ),
    );
    return this;
  }

  /** Sets the 'train' or 'test' set from arrays: x (n*d) and labels y
   * (with nclasses >= 2) or targets t (with nclasses 0). */
  setPoints(which, { x, y = null, t = null, n, d, nclasses }) {
    const e = this.engine;
    // The engine copies n*d values and n labels or targets from the heap:
    // shorter arrays would let it read past the copies.
    const given = (nclasses ? y : t)?.length ?? 0;
    if (n > 0 && d > 0 && (x.length < n * d || given < n)) {
      throw new EngineError(`points: ${n} points of ${d} features need ${n * d} values and ${n} ` +
        `${nclasses ? 'labels' : 'targets'}; got ${x.length} and ${given}`);
    }
    const bytes = (a) => (a ? new Uint8Array(a.buffer, a.byteOffset, a.byteLength) : new Uint8Array(0));
    this.check(
      e.withBytes(bytes(Float32Array.from(x)), (xp) =>
        e.withBytes(bytes(y && Int32Array.from(y)), (yp) =>
          e.withBytes(bytes(t && Float32Array.from(t)), (tp) =>
            this.m._mg_api_data_set(this.h, which === 'test' ? 1 : 0, xp, y ? yp : 0, t ? tp : 0, n, d, nclasses),
          ),
        ),
      ),
    );
    return this;
  }

  /** Both sets' points shuffled with seed and split again: the first
   * round(n * trainRatio) train, the rest test (as generated data is). */
  resplit(trainRatio, seed) {
    this.check(this.m._mg_api_data_resplit(this.h, trainRatio, seed));
    return this;
  }

  /** This dataset := the features of mask (FEATURES bits) of source. */
  features(source, mask) {
    this.check(this.m._mg_api_data_features(this.h, source.h, mask));
    return this;
  }

  get d() {
    return this.m._mg_api_data_d(this.h);
  }

  get nclasses() {
    return this.m._mg_api_data_nclasses(this.h);
  }

  /** count samples of 'train' or 'test' from start (clamped to the set):
   * { start, n, x: Float32Array (n*d), y: Int32Array | null }, copies of
   * that slice only (a test set of MNIST is 31 MB as floats). */
  rows(which, start, count) {
    const w = which === 'test' ? 1 : 0;
    const m = this.m;
    const total = m._mg_api_data_n(this.h, w);
    const d = this.d;
    const from = Math.max(0, Math.min(Math.floor(start), total));
    const n = Math.max(0, Math.min(Math.floor(count), total - from));
    const xp = m._mg_api_data_x(this.h, w);
    const yp = m._mg_api_data_y(this.h, w);
    return {
      start: from,
      n,
      x: n && xp ? new Float32Array(m.HEAPF32.buffer, xp + 4 * from * d, n * d).slice() : new Float32Array(0),
      y: yp ? new Int32Array(m.HEAP32.buffer, yp + 4 * from, n).slice() : null,
    };
  }

  /** Samples in the 'train' or 'test' set. */
  count(which = 'train') {
    return this.m._mg_api_data_n(this.h, which === 'test' ? 1 : 0);
  }

  /** 'train' or 'test': { n, x: Float32Array (n*d), y: Int32Array | null, t: Float32Array | null } */
  split(which = 'train') {
    const w = which === 'test' ? 1 : 0;
    const m = this.m;
    const n = m._mg_api_data_n(this.h, w);
    const yp = m._mg_api_data_y(this.h, w);
    const tp = m._mg_api_data_t(this.h, w);
    return {
      n,
      x: this.engine.floats(m._mg_api_data_x(this.h, w), n * this.d) ?? new Float32Array(0),
      y: yp ? new Int32Array(m.HEAP32.buffer, yp, n).slice() : null,
      t: this.engine.floats(tp, n),
    };
  }
}

export class Model extends Handle {
  constructor(engine, handle) {
    super(engine, handle, 'model');
  }

  /** Builds from a spec for inputs of shape [c, h, w]. */
  build(spec, shape, { maxBatch = 64, init = 'auto', seed = 1 } = {}) {
    const [c, h, w] = shape;
    if (String(spec).includes('\0')) throw new EngineError('the model spec contains a NUL character');
    this.cachedLayout = null;
    this.check(
      this.engine.withString(String(spec), (p) =>
        this.m._mg_api_model_build(this.h, p, c, h, w, maxBatch, indexOf(this.engine.catalog.inits.map((r) => r.name), init, 'initialization'), seed),
      ),
    );
    return this;
  }

  /** The training settings by name (engine.catalog.settings: lr, opt, beta1, ...;
   * camelCase works too: weightDecay is weight_decay); the others take
   * their defaults. nclasses of the data (0 for regression). The optimizer's
   * state carries on unless the optimizer or the loss changes, and the
   * trainer's epochs and steps always do. */
  configure({ nclasses = 0, ...settings } = {}) {
    const parts = [];
    for (const [key, value] of Object.entries(settings)) {
      if (value === undefined) continue;
      const name = key.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);
      const text = String(value);
      if (text === '' || /[\s=]/.test(text)) throw new EngineError(`setting ${name}: '${text}' is not a value`);
      parts.push(`${name}=${text}`);
    }
    this.check(this.engine.withString(parts.join(' '), (p) => this.m._mg_api_model_configure(this.h, p, nclasses)));
    return this;
  }

  /** Runs steps mini-batches on the dataset's training set. */
  train(dataset, { batch = 32, steps = 1 } = {}) {
    this.check(this.m._mg_api_model_train(this.h, dataset.h, batch, steps));
    return {
      loss: this.m._mg_api_model_last_loss(this.h),
      epochLoss: this.m._mg_api_model_epoch_loss(this.h),
      epochs: this.m._mg_api_model_epochs(this.h),
      steps: this.m._mg_api_model_steps(this.h),
      gradNorm: this.m._mg_api_model_grad_norm(this.h),
    };
  }

  /** Metrics on 'train' or 'test': { n, loss, accuracy, confusion, ... } */
  evaluate(dataset, which = 'test') {
    this.check(this.m._mg_api_model_evaluate(this.h, dataset.h, which === 'test' ? 1 : 0));
    return JSON.parse(this.m.UTF8ToString(this.m._mg_api_model_metrics_json(this.h)));
  }

  /** Outputs for n inputs x (Float32Array of n * in): Float32Array (n * out). */
  predict(x, n) {
    const info = this.layout();
    if (!(x instanceof Float32Array) || !(n >= 1) || x.length < n * info.in) {
      throw new EngineError(`predict: ${n} inputs need a Float32Array of ${n * info.in} values`);
    }
    const bytes = new Uint8Array(x.buffer, x.byteOffset, n * info.in * 4);
    const out = this.engine.withBytes(bytes, (p) => {
      const r = this.m._mg_api_model_predict(this.h, p, n);
      if (!r) throw new EngineError(this.m.UTF8ToString(this.m._mg_api_model_error(this.h)));
      return this.engine.floats(r, n * info.out);
    });
    return out;
  }

  /** Class probabilities (the engine's mg_model_probs: softmax for
   * cross-entropy) for n inputs x (Float32Array of n * in): Float32Array
   * (n * out). */
  probs(x, n) {
    const info = this.layout();
    if (!(x instanceof Float32Array) || !(n >= 1) || x.length < n * info.in) {
      throw new EngineError(`probs: ${n} inputs need a Float32Array of ${n * info.in} values`);
    }
    const bytes = new Uint8Array(x.buffer, x.byteOffset, n * info.in * 4);
    return this.engine.withBytes(bytes, (p) => {
      const r = this.m._mg_api_model_probs(this.h, p, n);
      if (!r) throw new EngineError(this.m.UTF8ToString(this.m._mg_api_model_error(this.h)));
      return this.engine.floats(r, n * info.out);
    });
  }

  /** This handle := an int8 copy of src (a Model): dense and conv weights
   * rounded to int8 with a scale per output channel (lesson 15); src is
   * unchanged. Returns the engine's report: { layers, weights, scales,
   * float_bytes, int8_bytes, max_abs_err }. */
  quantizeFrom(src) {
    this.cachedLayout = null;
    this.check(this.m._mg_api_model_quantize(this.h, src.h));
    return JSON.parse(this.m.UTF8ToString(this.m._mg_api_model_quant_json(this.h)));
  }

  /** The model over the input plane (see mg_api_model_grid): Float32Array
   * of res*res*out (d = 2) or res*out (d = 1) values to draw. */
  grid({ mask, d = 2, res, extent }) {
    const [x0, x1, y0, y1] = extent;
    const ptr = this.m._mg_api_model_grid(this.h, mask, d, res, x0, x1, y0, y1);
    if (!ptr) throw new EngineError(this.m.UTF8ToString(this.m._mg_api_model_error(this.h)));
    return this.engine.floats(ptr, (d === 2 ? res * res : res) * this.layout().out);
  }

  /** Every layer's outputs over a res x res grid: per layer, per unit, a
   * Float32Array of res*res values. */
  neurons({ mask, d = 2, res, extent }) {
    const [x0, x1, y0, y1] = extent;
    const ptr = this.m._mg_api_model_neurons(this.h, mask, d, res, x0, x1, y0, y1);
    if (!ptr) throw new EngineError(this.m.UTF8ToString(this.m._mg_api_model_error(this.h)));
    const n = d === 2 ? res * res : res;
    const info = this.layout();
    const total = info.layers.reduce((s, L) => s + L.out_shape[0] * L.out_shape[1] * L.out_shape[2], 0);
    const all = this.engine.floats(ptr, total * n);
    let off = 0;
    return info.layers.map((L) => {
      const units = L.out_shape[0] * L.out_shape[1] * L.out_shape[2];
      const grids = [];
      for (let u = 0; u < units; u++, off += n) grids.push(all.subarray(off, off + n));
      return grids;
    });
  }

  /** Updates made since the model was built or loaded (configure keeps
   * counting). */
  get steps() {
    return this.m._mg_api_model_steps(this.h);
  }

  /** Epochs of training on the current dataset, with the fraction. */
  get epochs() {
    return this.m._mg_api_model_epochs(this.h);
  }

  /** Applies the optimizer to the gradient of the latest trace. */
  update() {
    this.check(this.m._mg_api_model_update(this.h));
  }

  /** The model's structure (spec, sizes, layer shapes and offsets), read
   * once per built or loaded model: it does not change while training. */
  layout() {
    this.cachedLayout ??= this.info();
    return this.cachedLayout;
  }

  /** Spec, sizes, and per-layer shapes, offsets and statistics. */
  info() {
    return JSON.parse(this.m.UTF8ToString(this.m._mg_api_model_json(this.h)));
  }

  params() {
    return this.engine.floats(this.m._mg_api_model_params(this.h), this.m._mg_api_model_nparams(this.h));
  }

  grads() {
    return this.engine.floats(this.m._mg_api_model_grads(this.h), this.m._mg_api_model_nparams(this.h));
  }

  /** The gradient the latest update applied. */
  lastGrads() {
    return this.engine.floats(this.m._mg_api_model_last_grads(this.h), this.m._mg_api_model_nparams(this.h));
  }

  /** Single-sample trace: { loss, dataLoss, probs, layers: [{in, pre, out, dout, dpre, dw, db, dact}] } */
  trace(dataset, index, which = 'train') {
    this.check(this.m._mg_api_model_trace(this.h, dataset.h, which === 'test' ? 1 : 0, index));
    const info = this.layout();
    const layers = info.layers.map((L, i) => {
      const inSize = L.in_shape[0] * L.in_shape[1] * L.in_shape[2];
      const outSize = L.out_shape[0] * L.out_shape[1] * L.out_shape[2];
      const sizes = [inSize, outSize, outSize, outSize, outSize, L.w_count, L.b_count, outSize];
      const layer = {};
      TRACE_FIELDS.forEach((f, k) => {
        layer[f] = this.engine.floats(this.m._mg_api_model_trace_array(this.h, i, k), sizes[k]);
      });
      return layer;
    });
    const probs = this.m._mg_api_model_trace_probs(this.h);
    return {
      loss: this.m._mg_api_model_trace_loss(this.h),
      dataLoss: this.m._mg_api_model_trace_data_loss(this.h), // without regularization
      probs: probs ? this.engine.floats(probs, info.out) : null, // sigmoid (bce) or softmax (ce) of the output
      layers,
    };
  }

  /** The optimizer's state per parameter: 0 the first moment (velocity,
   * Adam's m), 1 the second (average of squared gradients). */
  optState(which) {
    return this.engine.floats(this.m._mg_api_model_opt_state(this.h, which), this.m._mg_api_model_nparams(this.h));
  }

  /** The model file (Uint8Array). */
  save() {
    this.check(this.m._mg_api_model_save(this.h));
    const ptr = this.m._mg_api_model_file(this.h);
    return new Uint8Array(this.m.HEAPU8.buffer, ptr, this.m._mg_api_model_file_len(this.h)).slice();
  }

  /** Replaces the model with one loaded from a file (Uint8Array). */
  load(bytes, { maxBatch = 64, seed = 1 } = {}) {
    this.cachedLayout = null;
    this.check(this.engine.withBytes(bytes, (p, n) => this.m._mg_api_model_load(this.h, p, n, maxBatch, seed)));
    return this;
  }
}

/** The workloads of src/api/api_bench.c: setup builds everything, run does
 * only the measured work, and the caller (bench/wasm.mjs) holds the clock. */
export class Bench extends Handle {
  constructor(engine, handle) {
    super(engine, handle, 'bench');
  }

  /** out (N,OC) = inp (N,C) @ weight (OC,C)^T through mg_matmul_forward. */
  matmulSetup(N, C, OC, seed = 1) {
    this.check(this.m._mg_api_bench_matmul_setup(this.h, N, C, OC, seed));
    this.shape = [N, C, OC];
    return this;
  }

  matmulRun(reps = 1) {
    this.check(this.m._mg_api_bench_matmul_run(this.h, reps));
  }

  /** Copies of { inp (N*C), weight (OC*C), out (N*OC) }. */
  matmulArrays() {
    const [N, C, OC] = this.shape;
    const m = this.m;
    return {
      inp: this.engine.floats(m._mg_api_bench_matmul_inp(this.h), N * C),
      weight: this.engine.floats(m._mg_api_bench_matmul_weight(this.h), OC * C),
      out: this.engine.floats(m._mg_api_bench_matmul_out(this.h), N * OC),
    };
  }

  /** micrograd's moons demo on the scalar engine, npoints points. */
  scalarSetup(npoints = 100, seed = 1) {
    this.check(this.m._mg_api_bench_scalar_setup(this.h, npoints, seed));
    return this;
  }

  scalarRun(steps = 1) {
    this.check(this.m._mg_api_bench_scalar_run(this.h, steps));
  }

  /** The latest step: { nodes, loss, accuracy }. */
  scalarState() {
    const m = this.m;
    return {
      nodes: m._mg_api_bench_scalar_nodes(this.h),
      loss: m._mg_api_bench_scalar_loss(this.h),
      accuracy: m._mg_api_bench_scalar_accuracy(this.h),
    };
  }
}
