// Native and WASM training agree bit for bit on every option: each case
// trains the same model on the same data with the same seed, natively
// with `mg train --save` and in WASM through engine.js, and the two model
// files must be the same bytes: parameters, batchnorm running statistics,
// both optimizer moments and the step count, after every update of the
// run (and the last losses the same float). Together the cases run every
// layer kind, activation, initialization, optimizer (with a momentum other
// than the default), loss, L1/L2, weight decay, clipping, accumulation,
// schedule and conv stride and padding, on toy data and on MNIST.
//
// Where the bits are promised: the dense and conv kernels sum each output
// in one fixed order whatever the vector width (src/tensor/gemm.h: AVX-512
// here, SIMD128 in WASM), exp/tanh/sigmoid are our own (fmath.h), and the
// rest is plain float arithmetic without FMA. Not promised: the input
// features sin x1 and sin x2 (libm's sinf: glibc natively, musl in WASM);
// tests/js/pictures.test.mjs checks them against Math.sin to 2 ulp.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine } from '../../web/js/engine.js';
import { MG, ROOT } from './helpers.mjs';

const DATA_DIR = `${ROOT}web/build/data`;
let engine;
let images;
let labels;
before(async () => {
  engine = await loadEngine();
  images = readFileSync(`${DATA_DIR}/mnist-10k-images.idx`);
  labels = readFileSync(`${DATA_DIR}/mnist-10k-labels.idx`);
});

const CONV_A = 'conv 3 4 stride 2 pad 1 relu, avgpool 2, conv 3 6 pad 1 tanh, maxpool 2, flatten, dense 10';
const CONV_B = 'conv 5 4 stride 2 sigmoid, batchnorm, dropout 0.2, conv 2 3 stride 3 leaky_relu, dense 16 relu, dense 10';
// opt, lr and the rest as the CLI and engine.configure take them
const CASES = [
  { data: 'moons', spec: 'dense 8 relu, dense 8 leaky_relu, dense 1', opt: 'sgd', lr: 0.1, init: 'he_normal' },
  { data: 'circles', spec: 'dense 6 tanh, dense 6 sigmoid, dense 1', opt: 'momentum', momentum: 0.8, lr: 0.05, loss: 'svm', l1: 0.001, init: 'xavier_normal' },
  { data: 'spiral', classes: 3, spec: 'dense 8 relu, batchnorm, dropout 0.3, dense 3', opt: 'nesterov', momentum: 0.7, lr: 0.05, l2: 0.01, clip: 0.5 },
  { data: 'xor', spec: 'dense 4 tanh, dense 1', opt: 'rmsprop', lr: 0.01, loss: 'mse', weightDecay: 0.1, accum: 2, init: 'xavier_uniform' },
  { data: 'blobs', classes: 4, spec: 'dense 8 leaky_relu, dense 4', opt: 'adam', lr: 0.02, loss: 'mse', schedule: 'step', stepSize: 5, gamma: 0.5, init: 'he_uniform' },
  { data: 'blobs', classes: 3, spec: 'dense 5 sigmoid, dense 3 linear', opt: 'sgd', lr: 0.5, init: 'zeros' },
  { data: 'sine', spec: 'dense 16 tanh, dense 1', opt: 'adam', lr: 0.01, schedule: 'cosine', totalSteps: 20 },
  { data: 'plane', spec: 'dense 1', opt: 'sgd', lr: 0.1 },
  { data: 'mnist', spec: CONV_A, opt: 'adam', lr: 0.002, clip: 1 },
  { data: 'mnist', spec: CONV_B, opt: 'rmsprop', lr: 0.002, weightDecay: 0.01, l2: 0.001 },
  { data: 'mnist', spec: 'dense 32 relu, dense 10', opt: 'momentum', lr: 0.05, accum: 3, schedule: 'cosine', totalSteps: 8, l1: 0.0001 },
];
const STEPS = 30;
const BATCH = 16;
const SEED = 7;
const NOISE = 0.15;

function cliArgs(c, file) {
  const args = ['train', '--data', c.data, '--model', c.spec, '--opt', c.opt, '--lr', String(c.lr),
    '--batch', String(BATCH), '--seed', String(SEED), '--steps', String(STEPS), '--epochs', '1000',
    '--save', file, '--json', '--quiet'];
  if (c.data !== 'mnist') args.push('--noise', String(NOISE));
  const flags = { classes: '--classes', loss: '--loss', momentum: '--momentum', l1: '--l1', l2: '--l2',
    weightDecay: '--weight-decay', clip: '--clip', accum: '--accum', schedule: '--schedule',
    stepSize: '--step-size', gamma: '--gamma', totalSteps: '--total-steps', init: '--init' };
  for (const [k, flag] of Object.entries(flags)) if (c[k] !== undefined) args.push(flag, String(c[k]));
  return args;
}

/** The region of a model file (src/nn/io.c) that byte `at` falls in, and the float's index there. */
function whereInFile(bytes, at) {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const specLen = v.getUint32(12, true);
  const counts = 16 + specLen + 12; // magic, version, spec length, spec, input shape
  const nparams = Number(v.getBigUint64(counts, true));
  const nstate = Number(v.getBigUint64(counts + 8, true));
  let off = counts + 16 + 8 + 12 + 44 + 12 + 8; // ... classes, config, steps
  if (at < off) return { name: 'header' };
  for (const [name, n] of [['params', nparams], ['running statistics', nstate], ['moment 1', nparams], ['moment 2', nparams]]) {
    if (at < off + 4 * n) {
      const i = Math.floor((at - off) / 4);
      return { name, i, offset: off + 4 * i };
    }
    off += 4 * n;
  }
  return { name: 'checksum' };
}

function firstDifferences(a, b) {
  const out = [];
  for (let i = 0; i < Math.min(a.length, b.length) && out.length < 5; i++) {
    if (a[i] === b[i]) continue;
    const w = whereInFile(a, i);
    if (w.offset !== undefined) {
      const fa = new DataView(a.buffer, a.byteOffset).getFloat32(w.offset, true);
      const fb = new DataView(b.buffer, b.byteOffset).getFloat32(w.offset, true);
      out.push(`${w.name}[${w.i}]: native ${fa}, WASM ${fb}`);
      i = w.offset + 3;
    } else {
      out.push(`${w.name} byte ${i}: native ${a[i]}, WASM ${b[i]}`);
    }
  }
  return out.join('\n  ');
}

function wasmDataset(c) {
  const ds = engine.createDataset();
  if (c.data === 'mnist') ds.loadIdx(images, labels, 8000);
  // the CLI's defaults: 200 points, 80% train
  else ds.generate({ name: c.data, n: 200, noise: NOISE, k: c.classes ?? 0, trainRatio: 0.8, seed: SEED });
  return ds;
}

test('native and WASM training give the same bits on every option', () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-parity-'));
  try {
    for (const [k, c] of CASES.entries()) {
      const file = join(dir, `case${k}.mgm`);
      const r = spawnSync(MG, cliArgs(c, file), { encoding: 'utf8', env: { ...process.env, MG_DATA_DIR: DATA_DIR } });
      assert.equal(r.status, 0, `mg train (${c.spec}): ${r.stderr}`);
      const native = JSON.parse(r.stdout.trim().split('\n').at(-1));
      const nativeFile = readFileSync(file);

      const ds = wasmDataset(c);
      const model = engine.createModel();
      try {
        const shape = c.data === 'mnist' ? [1, 28, 28] : [ds.d, 1, 1]; // as the CLI (dense flattens)
        model.build(c.spec, shape, { maxBatch: BATCH, seed: SEED, init: c.init ?? 'auto' });
        model.configure({
          loss: c.loss ?? 'auto', opt: c.opt, lr: c.lr, momentum: c.momentum ?? 0.9, weightDecay: c.weightDecay ?? 0,
          l1: c.l1 ?? 0, l2: c.l2 ?? 0, clip: c.clip ?? 0, accum: c.accum ?? 1, schedule: c.schedule ?? 'constant',
          stepSize: c.stepSize ?? 1000, gamma: c.gamma ?? 0.1,
          totalSteps: c.totalSteps ?? 10000, nclasses: ds.nclasses,
        });
        const w = model.train(ds, { batch: BATCH, steps: STEPS });
        const wasmFile = model.save();
        const what = `${c.data} '${c.spec}' ${c.opt}`;
        assert.equal(w.steps, Math.floor(STEPS / (c.accum ?? 1)), `${what}: updates`);
        assert.equal(w.loss, Math.fround(native.last_loss), `${what}: last loss WASM ${w.loss}, native ${native.last_loss}`);
        assert.equal(wasmFile.length, nativeFile.length, `${what}: file sizes`);
        assert.ok(Buffer.compare(Buffer.from(wasmFile), nativeFile) === 0,
          `${what}: the model files differ:\n  ${firstDifferences(nativeFile, wasmFile)}`);
        console.log(`${what}: ${nativeFile.length} bytes the same, last loss ${w.loss}`);
      } finally {
        model.free();
        ds.free();
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});
