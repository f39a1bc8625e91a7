// TF.js 4.22 (tfjs-core with the wasm or the cpu backend), on the workloads
// of the issue: the MNIST MLP and CNN trained with plain SGD, and tf.matMul.
// Single thread: Node gets the non-threaded binary (the backend never picks
// the threaded one in Node; we also set WASM_HAS_MULTITHREAD_SUPPORT false
// and setThreadsCount(1)); the output names the .wasm file read.
//
//   node bench/peers/tfjs.mjs --backend wasm|cpu [--quick]
import { createRequire, register } from 'node:module';
import fs from 'node:fs';
import path from 'node:path';
import { MATMUL_SIZES, SEED, TRAIN, limits } from '../config.mjs';
import { batcher, loadDigits } from '../lib/mnist.mjs';
import { isQuick, log, matmulFigures, output, trainFigures } from '../lib/timing.mjs';

const require = createRequire(import.meta.url);
const backend = process.argv[process.argv.indexOf('--backend') + 1];
if (!['wasm', 'cpu'].includes(backend)) {
  console.error('usage: node bench/peers/tfjs.mjs --backend wasm|cpu [--quick]');
  process.exit(2);
}
const quick = isQuick();
const L = limits(quick);

const tf = require('@tensorflow/tfjs-core');
require('@tensorflow/tfjs-backend-cpu');
const wasm = require('@tensorflow/tfjs-backend-wasm');
register('./tfjs_resolve.mjs', import.meta.url);
await import('@tensorflow/tfjs-core/dist/register_all_gradients.js');
tf.enableProdMode(); // what a deployed page runs: no debug checks or warnings
const result = { peer: `tfjs-${backend}`, version: tf.version_core, backend, quick, prod_mode: true };

if (backend === 'wasm') {
  // The binaries ship in the npm package; record which one is read.
  const dir = path.dirname(require.resolve('@tensorflow/tfjs-backend-wasm/package.json'));
  const names = ['tfjs-backend-wasm.wasm', 'tfjs-backend-wasm-simd.wasm', 'tfjs-backend-wasm-threaded-simd.wasm'];
  wasm.setWasmPaths(Object.fromEntries(names.map((n) => [n, path.join(dir, 'dist', n)])));
  tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
  wasm.setThreadsCount(1);
  const read = fs.readFileSync;
  const loaded = [];
  fs.readFileSync = (file, ...rest) => {
    if (String(file).endsWith('.wasm')) loaded.push(path.basename(String(file)));
    return read(file, ...rest);
  };
  try {
    if (!(await tf.setBackend('wasm'))) throw new Error('TF.js could not initialize the wasm backend');
    await tf.ready();
  } finally {
    fs.readFileSync = read;
  }
  result.wasm_binary = loaded.join(', ') || 'unknown';
  result.simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  result.threads = wasm.getThreadsCount();
} else {
  if (!(await tf.setBackend('cpu'))) throw new Error('TF.js could not initialize the cpu backend');
  await tf.ready();
  result.threads = 1; // plain JavaScript on the main thread
}
log(`TF.js ${tf.version_core} ${backend}${backend === 'wasm' ? ` (${result.wasm_binary}, ${result.threads} thread)` : ''}`);

// ---- matmul: tf.matMul(a, b), a and b (N,N) ----------------------------------------
// The layout of TF.js's own dense layers (x . W, W of shape (in, out)): its
// fast path. Ours computes inp . weight^T; tf.matMul(a, b, false, true) is
// far slower in TF.js's wasm backend, so that is recorded too, at 512
// only, as matmul_transpose_b.
function matmul(n, transposeB) {
  const a = tf.randomUniform([n, n], -1, 1, 'float32', SEED);
  const b = tf.randomUniform([n, n], -1, 1, 'float32', SEED + 1);
  const r = matmulFigures(
    n,
    () => {
      const c = tf.matMul(a, b, false, transposeB);
      c.dataSync(); // forces completion
      c.dispose();
    },
    L.matmul,
  );
  a.dispose();
  b.dispose();
  log(`  matmul ${n}${transposeB ? ' (b transposed)' : ''}: ${r.best_gflops.toFixed(2)} GFLOP/s (best of ${r.reps})`);
  return r;
}
if (backend === 'wasm') {
  result.matmul = MATMUL_SIZES.map((n) => matmul(n, false));
  result.matmul_transpose_b = [matmul(512, true)];
}

// ---- MNIST training with plain SGD ----------------------------------------------
const digits = loadDigits();

/** Uniform init in +-sqrt(6 / fan_in) (He uniform, as our 'auto' for relu). */
function weight(shape, fanIn, seed) {
  const lim = Math.sqrt(6 / fanIn);
  return tf.variable(tf.randomUniform(shape, -lim, lim, 'float32', seed));
}

/** Trains forward(x) -> logits, x of shape [batch, ...inShape]. */
function train(name, inShape, params, forward, warmup, minSteps, minTime) {
  const opt = tf.train.sgd(TRAIN.lr);
  const order = batcher(TRAIN.samples, SEED);
  const B = TRAIN.batch;
  const xb = new Float32Array(B * 784);
  const yb = new Float32Array(B * 10);
  let warmupLoss = null;
  let lastLoss = null;
  const fig = trainFigures(
    (k) => {
      for (let s = 0; s < k; s++) {
        const idx = order.next(B);
        yb.fill(0);
        for (let i = 0; i < idx.length; i++) {
          xb.set(digits.x.subarray(idx[i] * 784, idx[i] * 784 + 784), i * 784);
          yb[i * 10 + digits.y[idx[i]]] = 1;
        }
        const cost = tf.tidy(() => {
          const x = tf.tensor(xb.subarray(0, idx.length * 784), [idx.length, ...inShape]);
          const y = tf.tensor2d(yb.subarray(0, idx.length * 10), [idx.length, 10]);
          return opt.minimize(() => tf.losses.softmaxCrossEntropy(y, forward(x)), true, params);
        });
        lastLoss = cost.dataSync()[0];
        cost.dispose();
      }
      warmupLoss ??= lastLoss;
    },
    { warmup, minSteps, minTime, batch: B },
  );
  log(`  ${name}: ${fig.examples_per_sec.toFixed(0)} examples/s (loss ${lastLoss.toFixed(3)})`);
  opt.dispose();
  params.forEach((p) => p.dispose());
  return { batch: B, lr: TRAIN.lr, train_samples: TRAIN.samples, ...fig, warmup_loss: warmupLoss, last_loss: lastLoss };
}

{
  // MLP 784-128-10, relu
  const w1 = weight([784, 128], 784, SEED), b1 = tf.variable(tf.zeros([128]));
  const w2 = weight([128, 10], 128, SEED + 1), b2 = tf.variable(tf.zeros([10]));
  result.mlp = {
    model: '784-128-10 relu, softmax CE',
    ...train(
      'MLP',
      [784],
      [w1, b1, w2, b2],
      // fused matMul + bias (+ relu), as tf.layers.dense computes it: ~10%
      // faster here than separate ops
      (x) => tf.fused.matMul({ a: tf.fused.matMul({ a: x, b: w1, bias: b1, activation: 'relu' }), b: w2, bias: b2 }),
      L.mlpWarmup, L.mlpSteps, L.mlpTime,
    ),
  };
}
{
  // CNN: conv 5x5x8 relu, maxpool 2, conv 5x5x16 relu, maxpool 2, dense 10 (NHWC)
  const k1 = weight([5, 5, 1, 8], 25, SEED), c1 = tf.variable(tf.zeros([8]));
  const k2 = weight([5, 5, 8, 16], 200, SEED + 1), c2 = tf.variable(tf.zeros([16]));
  const w3 = weight([256, 10], 256, SEED + 2), b3 = tf.variable(tf.zeros([10]));
  const model = 'conv 5x5x8 relu, maxpool 2, conv 5x5x16 relu, maxpool 2, dense 10, softmax CE';
  try {
    result.cnn = {
      model,
      ...train(
        'CNN',
        [28, 28, 1],
        [k1, c1, k2, c2, w3, b3],
        (x) => {
          let h = tf.maxPool(tf.relu(tf.add(tf.conv2d(x, k1, 1, 'valid'), c1)), 2, 2, 'valid');
          h = tf.maxPool(tf.relu(tf.add(tf.conv2d(h, k2, 1, 'valid'), c2)), 2, 2, 'valid');
          return tf.add(tf.matMul(tf.reshape(h, [-1, 256]), w3), b3);
        },
        // TF.js's pure-JS Conv2DBackpropFilter takes ~3 s a batch here:
        // a few steps on the cpu backend keep the run short
        ...(backend === 'cpu' ? [1, quick ? 1 : 3, 0] : [L.cnnWarmup, L.cnnSteps, L.cnnTime]),
      ),
    };
  } catch (e) {
    // the wasm backend has no Conv2DBackpropFilter kernel: it cannot train a CNN
    result.cnn = { model, unsupported: e.message.split('\n')[0] };
    log(`  CNN: cannot train: ${result.cnn.unsupported}`);
  }
}
output(result);
