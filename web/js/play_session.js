// The playground's session: the dataset and the model in the WASM engine,
// and the requests web/js/worker.js answers for the page (through rpc.js):
// setup, configure, train, snapshot, trace, update, exportModel,
// importModel. No DOM; every number comes from the engine. Node tests
// (the lessons' claims among them) drive the same session without a worker.
import { FEATURES, keyedError } from './engine.js';
import { hasClassChoice } from './catalog.js';


// the page's initializations by the engine's names (uniform unless said)
const INITS = { xavier: 'xavier_uniform', he: 'he_uniform', xavier_normal: 'xavier_normal', he_normal: 'he_normal', zeros: 'zeros' };
const CURVE_POINTS = 48; // a neuron's output over x, for one-input data

/** The session's setup arguments for a playground state (state.js);
 * extent: the plane drawn so far (custom points keep it). */
export function setupArgs(s, extent = null) {
  const a = s.act.length ? s.act : ['tanh'];
  return {
    // classes: 0 for a dataset with a fixed count (the engine's class range)
    problem: { data: s.data, n: s.n, noise: s.noise, classes: hasClassChoice(s.data) ? s.classes : 0, ratio: s.ratio, seed: s.seed, points: s.pts },
    features: s.feat,
    hidden: s.hidden,
    acts: s.hidden.map((_, i) => a[i] ?? a.at(-1)),
    init: INITS[s.init],
    loss: s.loss,
    opt: s.opt,
    lr: s.lr,
    batch: s.batch,
    reg: s.reg,
    rate: s.rate,
    clip: s.clip,
    schedule: s.schedule,
    stepSize: s.stepsize,
    gamma: s.gamma,
    totalSteps: s.total,
    accum: s.accum,
    bn: s.bn,
    dropout: s.dropout,
    seed: s.wseed || s.seed, // the first weights'
    extent,
  };
}

/** The setup arguments a change of which reconfigures (not rebuilds). */
const TRAIN_KEYS = ['opt', 'lr', 'batch', 'reg', 'rate', 'clip', 'schedule', 'stepSize', 'gamma', 'totalSteps', 'accum'];

/** The engine's training settings (model.configure) for setup arguments. */
function trainSettings(args, loss, nclasses) {
  return {
    loss, opt: args.opt, lr: args.lr, l1: args.reg === 'l1' ? args.rate : 0, l2: args.reg === 'l2' ? args.rate : 0,
    clip: args.clip, schedule: args.schedule, stepSize: args.stepSize, gamma: args.gamma,
    totalSteps: args.totalSteps, accum: args.accum, nclasses,
  };
}

function byLayer(flat, layers) {
  return {
    weights: layers.map((L) => flat.slice(L.w_off, L.w_off + L.w_count)),
    biases: layers.map((L) => flat.slice(L.b_off, L.b_off + L.b_count)),
  };
}

/** A square extent around the points, with a margin (for 1-D data: x
 * across, the targets up). */
function extentOf(sets, d) {
  const lo = [Infinity, Infinity], hi = [-Infinity, -Infinity];
  for (const s of sets) {
    for (let i = 0; i < s.n; i++) {
      const p = d === 2 ? [s.x[2 * i], s.x[2 * i + 1]] : [s.x[i], s.t[i]];
      for (const k of [0, 1]) {
        lo[k] = Math.min(lo[k], p[k]);
        hi[k] = Math.max(hi[k], p[k]);
      }
    }
  }
  if (!(hi[0] >= lo[0])) return [-1, 1, -1, 1];
  const round = (v) => Math.round(v * 10) / 10;
  if (d === 1) {
    const px = 0.08 * (hi[0] - lo[0] || 1), py = 0.15 * (hi[1] - lo[1] || 1);
    return [round(lo[0] - px), round(hi[0] + px), lo[1] - py, hi[1] + py];
  }
  const half = Math.max(0.5, 0.58 * Math.max(hi[0] - lo[0], hi[1] - lo[1]));
  const cx = (lo[0] + hi[0]) / 2, cy = (lo[1] + hi[1]) / 2;
  return [round(cx - half), round(cx + half), round(cy - half), round(cy + half)];
}

export function createSession(engine) {
  const raw = engine.createDataset();   // the points as generated or added (x1, x2)
  const feat = engine.createDataset();  // the same points as input features
  let model = null;
  let cfg = null;   // the setup arguments in force
  let info = null;  // model.info() after setup, its dense layers only (see readInfo)
  let dense = [];   // indices of the dense layers among all the model's layers

  function evaluate() {
    const train = feat.count('train') ? model.evaluate(feat, 'train') : null;
    const test = feat.count('test') ? model.evaluate(feat, 'test') : null;
    return { train, test };
  }

  /** Training needs points (a cleared plane has none yet). */
  function needPoints() {
    if (!feat.count('train')) throw keyedError('error.noPoints', {});
  }

  /** The model's description as the page draws it: the dense layers
   * only. Batch norm and dropout layers (after each hidden layer) change
   * what a neuron's output is, but are not drawn as layers of their own;
   * `extra` says they are there. Offsets stay those of the flat buffers. */
  function readInfo() {
    const full = model.info();
    dense = full.layers.map((L, i) => (L.kind === 'dense' ? i : -1)).filter((i) => i >= 0);
    info = { ...full, layers: dense.map((i) => full.layers[i]), extra: dense.length !== full.layers.length };
    return info;
  }

  function progress(r, maxGradNorm) {
    readInfo();
    const { train, test } = evaluate();
    return {
      step: r.steps,
      epoch: r.epochs,
      loss: r.loss,
      train,
      test,
      gradNorm: r.gradNorm,
      maxGradNorm,
      lr: info.opt.lr_next, // the rate of the next update (the schedule's)
      memory: engine.memory(), // heap in use and WASM memory size (long-session checks)
      layers: info.layers.map((L) => ({
        gNorm: L.g_norm, wNorm: L.w_norm, updateRatio: L.update_ratio, lo: L.hist_lo, hi: L.hist_hi, hist: L.hist,
      })),
    };
  }

  return {
    /** Builds data, features and model from the playground state. */
    setup(args) {
      const { data, n, noise, classes, ratio, seed, points } = args.problem;
      if (data === 'custom' || data === 'custom1d') {
        // custom: [x1, x2, class]; custom1d: [x, y, 0], a regression of y
        // on x. Split into train and test by the training share, shuffled
        // with the seed, as generated data is. No points yet: an empty
        // plane, a network, nothing to train on.
        const regression = data === 'custom1d';
        const d = regression ? 1 : 2;
        const nclasses = regression ? 0 : Math.max(2, ...points.map((p) => p[2] + 1));
        raw.setPoints('train', {
          x: points.flatMap((p) => p.slice(0, d)),
          y: regression ? null : points.map((p) => p[2]),
          t: regression ? points.map((p) => p[1]) : null,
          n: points.length,
          d,
          nclasses,
        });
        raw.setPoints('test', { x: [], y: regression ? null : [], t: regression ? [] : null, n: 0, d, nclasses });
        raw.resplit(ratio, seed);
      } else {
        raw.generate({ name: data, n, noise, k: classes, trainRatio: ratio, seed });
      }
      const d = raw.d;
      const nclasses = raw.nclasses;
      const usable = d === 1 ? ['x1', 'x1sq', 'sinx1'] : Object.keys(FEATURES);
      const names = args.features.filter((f) => usable.includes(f));
      if (!names.length) throw new Error(`pick at least one input feature (${usable.join(', ')})`);
      const mask = names.reduce((m, f) => m | FEATURES[f], 0);
      feat.features(raw, mask);
      const loss = args.loss !== 'auto' ? args.loss : nclasses === 0 ? 'mse' : nclasses === 2 ? 'bce' : 'ce';
      const outputs = nclasses > 2 || (nclasses === 2 && loss === 'ce') ? nclasses : 1;
      // batch norm after each hidden layer's activation, then dropout
      const after = `${args.bn ? ', batchnorm' : ''}${args.dropout > 0 ? `, dropout ${args.dropout}` : ''}`;
      const layers = args.hidden.map((u, i) => `dense ${u} ${args.acts[i] ?? args.acts.at(-1) ?? 'tanh'}${after}`);
      const spec = [...layers, `dense ${outputs}`].join(', ');
      const next = model ?? engine.createModel();
      next.build(spec, [feat.d, 1, 1], { maxBatch: 1024, init: args.init, seed: args.seed });
      next.configure(trainSettings(args, loss, nclasses));
      model = next;
      cfg = { ...args, mask, names, d, nclasses, loss, spec };
      readInfo();
      const train = raw.split('train');
      const test = raw.split('test');
      let extent = extentOf([train, test], d);
      if (data.startsWith('custom') && args.extent) {
        // adding a point must not move the plane under the mouse
        const e = args.extent;
        extent = [Math.min(e[0], extent[0]), Math.max(e[1], extent[1]), Math.min(e[2], extent[2]), Math.max(e[3], extent[3])];
      }
      return {
        result: {
          d, nclasses, loss, spec, features: names, usableFeatures: usable, info,
          extent,
          train, test,
          metrics: evaluate(),
        },
      };
    },

    /** New training settings for the same model: the weights stay; the
     * optimizer's state carries on unless the optimizer changes, and a
     * traced gradient not yet applied stays (see mg_model_configure). */
    configure(args) {
      model.configure(trainSettings(args, cfg.loss, cfg.nclasses));
      cfg = { ...cfg, ...Object.fromEntries(TRAIN_KEYS.map((k) => [k, args[k]])) };
      readInfo();
      return { result: { metrics: evaluate(), lr: info.opt.lr_next } };
    },

    /** Trains `steps` mini-batches one at a time; returns progress and
     * metrics, with the largest gradient norm of those steps (a spike
     * between two frames would not show otherwise). */
    train({ steps = 1 }) {
      needPoints();
      let r = null;
      let maxGradNorm = 0;
      for (let k = 0; k < steps; k++) {
        r = model.train(feat, { batch: cfg.batch, steps: 1 });
        maxGradNorm = Math.max(maxGradNorm, r.gradNorm);
      }
      return { result: progress(r, maxGradNorm) };
    },

    /** What the views draw: the grid, neuron maps, weights and grads. */
    snapshot({ extent, res = 100, tres = 24 }) {
      const d = cfg.d;
      const grid = model.grid({ mask: cfg.mask, d, res: d === 2 ? res : 2 * res, extent });
      // every layer's outputs; the dense layers' (after their activation) are
      // drawn: over the plane (2 inputs), or as a curve over x (one input)
      const all = model.neurons({ mask: cfg.mask, d, res: d === 2 ? tres : CURVE_POINTS, extent });
      const neurons = dense.map((i) => all[i]);
      // info is current: setup, train, update and importModel refresh it
      const params = byLayer(model.params(), info.layers);
      const grads = byLayer(model.lastGrads(), info.layers);
      return {
        result: { grid, res: d === 2 ? res : 2 * res, neurons, tres: d === 2 ? tres : CURVE_POINTS, curves: d === 1, ...params, grads: grads.weights, gradBiases: grads.biases, info },
        transfer: [grid.buffer],
      };
    },

    /** The single-sample trace of one training (or test) point. */
    trace({ index, which = 'train' }) {
      // the step-through explains dense layers one after another
      if (info.extra) throw keyedError('error.stepExtraLayers', {});
      needPoints();
      const t = model.trace(feat, index, which);
      const point = raw.split(which);
      return {
        result: {
          ...t,
          index,
          which,
          point: Array.from(point.x.slice(index * cfg.d, (index + 1) * cfg.d)),
          label: point.y ? point.y[index] : null,
          target: point.t ? point.t[index] : null,
          features: cfg.names,
          params: byLayer(model.params(), info.layers),
          lr: cfg.lr,
        },
      };
    },

    /** Step-through "Update": applies the optimizer to the traced gradient.
     * With the weights before and after: the optimizer's state before and
     * after (per layer, first and second moment) and its settings, the rate
     * it applied and the factor clipping scaled the gradient by. */
    update() {
      const before = byLayer(model.params(), info.layers);
      const state = (which) => byLayer(model.optState(which), info.layers);
      const stateBefore = [state(0), state(1)];
      model.update();
      const after = byLayer(model.params(), info.layers);
      readInfo();
      return {
        result: {
          before, after, stateBefore, stateAfter: [state(0), state(1)], opt: info.opt,
          steps: model.steps, metrics: evaluate(),
        },
      };
    },

    exportModel() {
      const bytes = model.save();
      return { result: bytes, transfer: [bytes.buffer] };
    },

    /** Frees the engine objects (node tests make many sessions). */
    free() {
      model?.free();
      raw.free();
      feat.free();
      model = null;
      return { result: null };
    },

    /** Loads a model file; it must fit the playground's features and outputs. */
    importModel({ bytes }) {
      const next = engine.createModel();
      try {
        next.load(new Uint8Array(bytes), { maxBatch: 1024, seed: cfg.seed });
        const ni = next.info();
        if (ni.spec !== info.spec) {
          throw new Error(`the file holds the network '${ni.spec}'; the playground's is '${info.spec}': build the same network first`);
        }
        if (ni.in !== feat.d || ni.out !== info.out) {
          throw new Error(
            `this model takes ${ni.in} inputs and gives ${ni.out} outputs; the playground has ` +
              `${feat.d} input features and ${info.out} outputs`,
          );
        }
      } catch (err) {
        next.free();
        throw err;
      }
      model.free();
      model = next;
      readInfo();
      return { result: { info, spec: info.spec, metrics: evaluate() } };
    },
  };
}
