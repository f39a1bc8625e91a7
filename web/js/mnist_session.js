// The MNIST view's session: the digits and the model in the WASM engine,
// and the requests web/js/mnist_worker.js answers for the page (through
// rpc.js): load, build, configure, train, evaluate, samples, predict,
// weights, quantize, exportModel, importModel. No DOM; every number comes from the
// engine. Node tests drive the same session without a worker.
//
// Training runs in chunks: train({ batch, budgetMs }) takes one mini-batch
// at a time until budgetMs of wall time has passed, so each reply comes
// after about budgetMs whatever the model and the kernels' speed, and the
// page can pause between chunks. The chunk reports every step's loss and
// how many examples it trained in how many milliseconds (the wall time of
// the training calls only: evaluation and messaging are not in it).

import { EngineError, keyedError } from './engine.js';
import { idxCount, splitCount } from './idx_files.js';

export const MNIST_MODELS = Object.freeze({
  mlp: 'dense 128 relu, dense 10',
  cnn: 'conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, flatten, dense 10',
});
export const MNIST_SHAPE = Object.freeze([1, 28, 28]);
const PIXELS = 784;
const CLASSES = 10;
export const MAX_BATCH = 500;   // the URL's batch limit (state.js)
const PROBE = 1000;             // training samples evaluated for the train accuracy
const SEED = 1;
const EPOCH_EPS = 1e-9;         // an epoch count this close to a stop has reached it


/** Index of the largest value of a[from .. from + n). */
function argmax(a, from, n) {
  let best = 0;
  for (let k = 1; k < n; k++) if (a[from + k] > a[from + best]) best = k;
  return best;
}

/** 'mlp', 'cnn' or 'custom' for a spec. */
export function modelKind(spec) {
  return Object.keys(MNIST_MODELS).find((k) => MNIST_MODELS[k] === spec) ?? 'custom';
}

export function createMnistSession(engine, { now = () => performance.now() } = {}) {
  let data = null;   // the digits: train and test sets (d = 784)
  let probe = null;  // the first PROBE training digits, as a test set
  let model = engine.createModel();
  let built = false;
  let start = null;  // the first layer's weights when the model was built or loaded
  let cfg = { opt: 'adam', lr: 0.001 };
  // The engine counts: steps since the model was built or loaded, epochs
  // since the digits were loaded (configure changes neither).

  function needModel() {
    if (!built) throw new EngineError('no model yet: build one first', { status: 'state' });
  }
  function needData() {
    if (!data) throw new EngineError('no digits yet: load them first', { status: 'state' });
  }

  /** A dataset from one pair of IDX files: the first trainCount samples train. */
  function fromIdx(images, labels, trainCount, prefix) {
    const ds = engine.createDataset();
    try {
      ds.loadIdx(images, labels, trainCount);
      if (ds.d !== PIXELS) {
        const rows = images.length >= 16 ? idxCount(images.subarray(4)) : 0;
        const cols = images.length >= 16 ? idxCount(images.subarray(8)) : 0;
        throw keyedError('mnist.notMnistShape', { rows, cols });
      }
    } catch (err) {
      ds.free();
      if (prefix && !err.key) err.message = `${prefix}: ${err.message}`;
      throw err;
    }
    return ds;
  }

  function summary() {
    const info = model.layout();
    return { spec: info.spec, kind: modelKind(info.spec), nparams: info.nparams, layers: info.layers.map((L) => ({ kind: L.kind, units: L.units, K: L.K, act: L.act, out: L.out_shape })) };
  }

  /** The first layer with weights: its layout entry and a copy of its weights. */
  function firstLayer() {
    const info = model.layout();
    const L = info.layers.find((layer) => layer.w_count > 0);
    return { L, w: model.params().slice(L.w_off, L.w_off + L.w_count) };
  }

  function configure() {
    model.configure({ loss: 'ce', opt: cfg.opt, lr: cfg.lr, nclasses: CLASSES });
  }

  return {
    /**
     * Digits from IDX bytes: { images, labels } (the first 80% train, the
     * rest test, as the built-in 10k set is split), or with testImages
     * and testLabels, all of images/labels train and the others test.
     * Replaces the digits only when everything loaded.
     */
    load({ images, labels, testImages = null, testLabels = null }) {
      const u8 = (b) => (b instanceof Uint8Array ? b : new Uint8Array(b));
      const im = u8(images), lb = u8(labels);
      let next;
      if (testImages) {
        const tim = u8(testImages), tlb = u8(testLabels);
        const test = fromIdx(tim, tlb, Math.max(1, idxCount(tim)), 'test files');
        try {
          next = fromIdx(im, lb, Math.max(1, idxCount(im)), 'training files');
          const t = test.split('train');
          next.setPoints('test', { x: t.x, y: t.y, n: t.n, d: PIXELS, nclasses: CLASSES });
        } catch (err) {
          next?.free();
          throw err;
        } finally {
          test.free();
        }
      } else {
        next = fromIdx(im, lb, splitCount(idxCount(im)), '');
      }
      const nextProbe = engine.createDataset();
      const first = next.rows('train', 0, PROBE);
      nextProbe.setPoints('test', { x: first.x, y: first.y, n: first.n, d: PIXELS, nclasses: CLASSES });
      data?.free();
      probe?.free();
      data = next;
      probe = nextProbe;
      // the trainer starts again on the new digits (a new dataset)
      return { result: { train: data.count('train'), test: data.count('test') } };
    },

    /** A new model: { model: 'mlp' | 'cnn', opt, lr }, weights from the fixed seed. */
    build({ model: kind = 'mlp', opt = cfg.opt, lr = cfg.lr }) {
      const spec = MNIST_MODELS[kind];
      if (!spec) throw new EngineError(`unknown model '${kind}' (one of: ${Object.keys(MNIST_MODELS).join(', ')})`);
      cfg = { opt, lr };
      built = false;
      model.build(spec, MNIST_SHAPE, { maxBatch: MAX_BATCH, init: 'auto', seed: SEED });
      configure();
      built = true;
      start = firstLayer().w;
      return { result: summary() };
    },

    /** New optimizer settings; the weights and the counts stay, and the
     * optimizer's state unless the optimizer changes. */
    configure({ opt, lr }) {
      needModel();
      cfg = { opt, lr };
      configure();
      return { result: { opt, lr, epoch: model.epochs, steps: model.steps } };
    },

    /** Trains mini-batches of `batch` until budgetMs have passed (at
     * least one, at most maxSteps), or until the epoch count reaches
     * untilEpoch ("stop after N epochs"): the step that completes it is
     * the chunk's last, and `reached` says so. An epoch is
     * ceil(train digits / batch) steps (the last batch of an epoch is
     * smaller), so when training started at a whole epoch with these
     * settings, the stop is exactly at the boundary. Already there: no
     * step. */
    train({ batch = 64, budgetMs = 60, maxSteps = 10000, untilEpoch = Infinity }) {
      needModel();
      needData();
      const n = data.count('train');
      let r = model.train(data, { batch, steps: 0 });
      const start = r.epochs;
      // the trainer's epochs are epoch + cursor / n: exact at a boundary
      const reached = () => r.epochs >= untilEpoch - EPOCH_EPS;
      const losses = [];
      const epochs = [];
      const t0 = now();
      while (!reached() && losses.length < maxSteps && (losses.length === 0 || now() - t0 < budgetMs)) {
        r = model.train(data, { batch, steps: 1 });
        losses.push(r.loss);
        epochs.push(r.epochs);
      }
      const ms = now() - t0;
      return {
        result: {
          losses, ms, epochs,
          examples: Math.round((r.epochs - start) * n),
          steps: r.steps,
          epoch: r.epochs,
          loss: losses.length ? r.loss : NaN,
          reached: reached(),
          trainCount: n,
        },
      };
    },

    /** Test set metrics (loss, accuracy, confusion matrix) and the train
     * accuracy on the first PROBE training digits. */
    evaluate() {
      needModel();
      needData();
      const t0 = now();
      const pick = ({ n, loss, accuracy, confusion }) => ({ n, loss, accuracy, confusion });
      const test = data.count('test') ? pick(model.evaluate(data, 'test')) : null;
      const train = pick(model.evaluate(probe, 'test'));
      delete train.confusion;
      return { result: { test, train, ms: now() - t0 } };
    },

    /** count test digits from start with the model's prediction and its
     * probability (the training set when there is no test set). */
    samples({ start = 0, count = 40 }) {
      needModel();
      needData();
      const which = data.count('test') ? 'test' : 'train';
      const total = data.count(which);
      const from = total ? ((start % total) + total) % total : 0;
      const rows = data.rows(which, from, count);
      const preds = new Int32Array(rows.n);
      const confidence = new Float32Array(rows.n);
      if (rows.n) {
        const probs = model.probs(rows.x, rows.n);
        for (let i = 0; i < rows.n; i++) {
          preds[i] = argmax(probs, i * CLASSES, CLASSES);
          confidence[i] = probs[i * CLASSES + preds[i]];
        }
      }
      return {
        result: { which, start: from, total, n: rows.n, images: rows.x, labels: rows.y, preds, confidence },
        transfer: [rows.x.buffer],
      };
    },

    /** Probabilities for one 28 x 28 image (Float32Array of 784, 0..1). */
    predict({ image }) {
      needModel();
      const x = image instanceof Float32Array ? image : new Float32Array(image);
      if (x.length !== PIXELS) throw new EngineError(`predict: an image has ${PIXELS} pixels, got ${x.length}`);
      const probs = model.probs(x, 1);
      return { result: { probs, pred: argmax(probs, 0, CLASSES) } };
    },

    /** What the first layers learned: a dense first layer's weights as one
     * 28 x 28 image per unit; for a conv first layer its filters and the
     * feature maps of test digit `index` (the engine's trace). change: the
     * weights minus those the model started with (built or loaded), where
     * the learned part shows without the random start. */
    weights({ index = 0, change = false }) {
      needModel();
      const info = model.layout();
      const { L, w } = firstLayer();
      if (change) for (let k = 0; k < w.length; k++) w[k] -= start[k];
      if (L.kind === 'dense') {
        return { result: { kind: 'dense', units: L.units, h: 28, w: 28, weights: w, change }, transfer: [w.buffer] };
      }
      const result = { kind: 'conv', units: L.units, cin: L.in_shape[0], K: L.K, filters: w, change, maps: [] };
      if (data) {
        const which = data.count('test') ? 'test' : 'train';
        const i = Math.max(0, Math.min(Math.floor(index), data.count(which) - 1));
        const tr = model.trace(data, i, which);
        result.index = i;
        result.which = which;
        result.input = tr.layers[0].in;
        result.label = data.rows(which, i, 1).y[0];
        info.layers.forEach((layer, l) => {
          const [C, H, W] = layer.out_shape;
          if (H > 1 && W > 1) result.maps.push({ layer: l, kind: layer.kind, C, H, W, data: tr.layers[l].out });
        });
      }
      return { result };
    },

    /** Lesson 15: an int8 copy of the model (dense and conv weights
     * rounded to int8, a scale per output channel), both evaluated on the
     * test set (the training set when there is none): { float, int8 }
     * each with accuracy, loss and the weights' size in bytes, the
     * engine's report, and how many digits the two models answer
     * differently. The copy is freed; the model trains on unchanged. */
    quantize() {
      needModel();
      needData();
      const which = data.count('test') ? 'test' : 'train';
      const q = engine.createModel();
      try {
        const report = q.quantizeFrom(model);
        const f = model.evaluate(data, which);
        const i8 = q.evaluate(data, which);
        // answers that changed, read in slices (the test set may be large)
        let changed = 0;
        const total = data.count(which);
        for (let from = 0; from < total; from += MAX_BATCH) {
          const rows = data.rows(which, from, MAX_BATCH);
          const a = model.probs(rows.x, rows.n);
          const b = q.probs(rows.x, rows.n);
          for (let k = 0; k < rows.n; k++) changed += argmax(a, k * CLASSES, CLASSES) !== argmax(b, k * CLASSES, CLASSES);
        }
        return {
          result: {
            which, n: f.n, changed, report, steps: model.steps,
            float: { accuracy: f.accuracy, loss: f.loss, bytes: report.float_bytes },
            int8: { accuracy: i8.accuracy, loss: i8.loss, bytes: report.int8_bytes },
          },
        };
      } finally {
        q.free();
      }
    },

    exportModel() {
      needModel();
      const bytes = model.save();
      return { result: bytes, transfer: [bytes.buffer] };
    },

    /** Loads a model file; it must take 28 x 28 images and give 10
     * outputs. The page's optimizer settings apply from then on. */
    importModel({ bytes }) {
      const next = engine.createModel();
      try {
        next.load(new Uint8Array(bytes), { maxBatch: MAX_BATCH, seed: SEED });
        const ni = next.layout();
        const shape = ni.layers[0]?.in_shape ?? [];
        const imageShaped = ni.layers[0]?.kind === 'dense' || shape.join('x') === MNIST_SHAPE.join('x');
        if (ni.in !== PIXELS || ni.out !== CLASSES || !imageShaped) {
          throw keyedError('mnist.wrongModel', { shape: shape.join('×'), inputs: ni.in, outputs: ni.out });
        }
        next.configure({ loss: 'ce', opt: cfg.opt, lr: cfg.lr, nclasses: CLASSES });
      } catch (err) {
        next.free();
        throw err;
      }
      model.free();
      model = next;
      built = true;
      start = firstLayer().w;
      return { result: summary() };
    },
  };
}
