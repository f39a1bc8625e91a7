// Our WASM build in Node, through web/js/engine.js as the page uses it:
// the measurements of `mg bench` (src/cli/cmd_bench.c), timed with
// performance.now(). Prints one JSON object (bench/run.mjs reads it).
//
//   node bench/wasm.mjs [--quick]
import { execFileSync } from 'node:child_process';
import { loadEngine, FEATURES } from '../web/js/engine.js';
import { CNN_SPEC, MATMUL_SIZES, MLP_SPEC, OPT_RUNS, PLAY, SCALAR_POINTS, SEED, TRAIN, limits } from './config.mjs';
import { isQuick, log, matmulFigures, now, output, repeat, summarize, trainFigures } from './lib/timing.mjs';
import { loadDigits } from './lib/mnist.mjs';

const quick = isQuick();
const L = limits(quick);
const engine = await loadEngine();
const result = { engine: 'wasm', runtime: `node ${process.version}`, quick, timer: 'performance.now()' };
try {
  result.emcc = execFileSync('emcc', ['--version'], { encoding: 'utf8', env: { ...process.env, NODE_PATH: '/usr/share/nodejs' } }).split('\n')[0];
} catch {
  result.emcc = null;
}
log('ours, WASM in Node, one thread');

// ---- matmul through mg_matmul_forward -----------------------------------------
const bench = engine.createBench();
result.matmul = MATMUL_SIZES.map((n) => {
  bench.matmulSetup(n, n, n, SEED);
  const r = matmulFigures(n, () => bench.matmulRun(1), L.matmul);
  log(`  matmul ${n}: ${r.best_gflops.toFixed(2)} GFLOP/s (best of ${r.reps})`);
  return r;
});

// ---- MNIST training: the same model API and trainer as mg train ----------------
const packed = loadDigits();
const digits = engine.createDataset().loadIdx(packed.images, packed.labels, TRAIN.samples);
function train({ spec, opt = 'sgd', lr = TRAIN.lr, batch = TRAIN.batch }, warmup, minSteps, minTime) {
  const model = engine.createModel().build(spec, [1, 28, 28], { maxBatch: batch, init: 'auto', seed: SEED });
  model.configure({ loss: 'ce', opt, lr, nclasses: 10 });
  let warmupLoss = null;
  let lastLoss = null;
  const fig = trainFigures(
    (k) => {
      lastLoss = model.train(digits, { batch, steps: k }).loss;
      warmupLoss ??= lastLoss;
    },
    { warmup, minSteps, minTime, batch },
  );
  const r = model.train(digits, { batch, steps: 0 });
  model.free();
  log(`  ${spec} (${opt}, batch ${batch}): ${fig.examples_per_sec.toFixed(0)} examples/s`);
  return {
    spec, opt, batch, lr, train_samples: TRAIN.samples, ...fig,
    warmup_loss: warmupLoss, last_loss: lastLoss, last_epoch_loss: r.epochLoss,
  };
}
result.mlp = train({ spec: MLP_SPEC }, L.mlpWarmup, L.mlpSteps, L.mlpTime);
result.cnn = train({ spec: CNN_SPEC }, L.cnnWarmup, L.cnnSteps, L.cnnTime);
for (const o of OPT_RUNS) result[o.key] = train({ spec: MLP_SPEC, ...o }, L.mlpWarmup, L.optSteps, L.mlpTime);
digits.free();

// ---- the playground: what the worker does for a frame --------------------------
{
  const raw = engine.createDataset().generate({ name: 'circles', n: PLAY.points, noise: 0.1, trainRatio: 1, seed: SEED });
  const mask = FEATURES.x1 | FEATURES.x2;
  const feat = engine.createDataset().features(raw, mask);
  const model = engine.createModel().build(PLAY.spec, [2, 1, 1], { maxBatch: 1024, init: 'xavier_uniform', seed: SEED });
  model.configure({ loss: 'bce', opt: 'sgd', lr: 0.03, nclasses: 2 });
  let warmupLoss;
  for (let i = 0; i < 20; i++) {
    warmupLoss = model.train(feat, { batch: PLAY.points, steps: 1 }).loss;
    model.grid({ mask, d: 2, res: PLAY.res, extent: PLAY.extent });
  }
  const tTrain = [], tGrid = [], tTotal = [];
  repeat(
    () => {
      const t0 = now();
      model.train(feat, { batch: PLAY.points, steps: 1 });
      const t1 = now();
      model.grid({ mask, d: 2, res: PLAY.res, extent: PLAY.extent });
      const t2 = now();
      tTrain.push(t1 - t0);
      tGrid.push(t2 - t1);
      tTotal.push(t2 - t0);
    },
    { minTime: L.play, minReps: 10 },
  );
  const ms = (t) => {
    const s = summarize(t);
    return { reps: s.reps, best: s.best * 1e3, median: s.median * 1e3 };
  };
  result.playground = {
    spec: PLAY.spec, points: PLAY.points, batch: PLAY.points, grid: PLAY.res, warmup_loss: warmupLoss,
    train_ms: ms(tTrain), grid_ms: ms(tGrid), total_ms: ms(tTotal),
  };
  log(`  playground step: ${result.playground.total_ms.median.toFixed(3)} ms`);
  model.free();
  feat.free();
  raw.free();
}

// ---- the scalar engine: micrograd's moons demo ----------------------------------
{
  bench.scalarSetup(SCALAR_POINTS, SEED);
  bench.scalarRun(3); // warm-up, as mg bench
  const warmupLoss = bench.scalarState().loss;
  const t = summarize(repeat(() => bench.scalarRun(1), { minTime: L.scalar, minReps: 5 }));
  const s = bench.scalarState();
  result.scalar = {
    points: SCALAR_POINTS, nodes_per_step: s.nodes, warmup_loss: warmupLoss, loss: s.loss, accuracy: s.accuracy,
    step_ms: { reps: t.reps, best: t.best * 1e3, median: t.median * 1e3 },
  };
  log(`  scalar moons step: ${result.scalar.step_ms.median.toFixed(3)} ms, ${s.nodes} nodes`);
}
bench.free();
output(result);
