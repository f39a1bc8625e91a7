// The tensor engine in WASM against the native build, both run here: the
// same model, data and seed give the same loss after 100 steps (1e-5
// relative, the parity bar of DESIGN.md, and in fact the same float), and
// model files move between them.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadEngine, EngineError } from '../../web/js/engine.js';
import { MG, ROOT, assertClose } from './helpers.mjs';

const DATA_DIR = `${ROOT}web/build/data`;
let engine;
before(async () => {
  engine = await loadEngine();
});

function nativeTrain(args) {
  const r = spawnSync(MG, ['train', ...args, '--json', '--quiet'], {
    encoding: 'utf8',
    env: { ...process.env, MG_DATA_DIR: DATA_DIR },
  });
  assert.equal(r.status, 0, `mg train ${args.join(' ')}: ${r.stderr}`);
  return JSON.parse(r.stdout.trim().split('\n').at(-1));
}

const CASES = [
  { data: 'moons', spec: 'dense 8 tanh, dense 8 tanh, dense 1', opt: 'adam', lr: 0.01, batch: 16, seed: 3 },
  { data: 'spiral', classes: 3, spec: 'dense 16 relu, dense 3', opt: 'momentum', lr: 0.05, batch: 8, seed: 5 },
  { data: 'circles', spec: 'dense 8 sigmoid, batchnorm, dense 1', opt: 'rmsprop', lr: 0.01, batch: 32, seed: 7, loss: 'svm' },
  { data: 'line', spec: 'dense 1', opt: 'sgd', lr: 0.1, batch: 10, seed: 9 },
  { data: 'mnist', spec: 'dense 32 relu, dense 10', opt: 'adam', lr: 0.001, batch: 32, seed: 1 },
  { data: 'mnist', spec: 'conv 5 4 relu, maxpool 2, flatten, dense 10', opt: 'sgd', lr: 0.05, batch: 16, seed: 2, steps: 40 },
];

function wasmDataset(c) {
  const ds = engine.createDataset();
  if (c.data === 'mnist') {
    ds.loadIdx(
      readFileSync(`${DATA_DIR}/mnist-10k-images.idx`),
      readFileSync(`${DATA_DIR}/mnist-10k-labels.idx`),
      8000,
    );
  } else {
    // the CLI's defaults: 200 points, the generator's default noise, 80% train
    const noise = { moons: 0.1, spiral: 0.2, circles: 0.1, line: 0.1 }[c.data];
    ds.generate({ name: c.data, n: 200, noise, k: c.classes ?? 0, trainRatio: 0.8, seed: c.seed });
  }
  return ds;
}

test('WASM and native training agree after 100 steps (1e-5 relative)', () => {
  for (const c of CASES) {
    const steps = c.steps ?? 100;
    const args = ['--data', c.data, '--model', c.spec, '--opt', c.opt, '--lr', String(c.lr),
      '--batch', String(c.batch), '--seed', String(c.seed), '--steps', String(steps), '--epochs', '1000'];
    if (c.classes) args.push('--classes', String(c.classes));
    if (c.loss) args.push('--loss', c.loss);
    if (c.data !== 'mnist') {
      const noise = { moons: 0.1, spiral: 0.2, circles: 0.1, line: 0.1 }[c.data];
      args.push('--noise', String(noise));
    }
    const native = nativeTrain(args);
    const ds = wasmDataset(c);
    const model = engine.createModel();
    try {
      const shape = c.data === 'mnist' ? (c.spec.startsWith('conv') ? [1, 28, 28] : [784, 1, 1]) : [ds.d, 1, 1];
      model.build(c.spec, shape, { maxBatch: c.batch, seed: c.seed });
      model.configure({ loss: c.loss ?? 'auto', opt: c.opt, lr: c.lr, nclasses: ds.nclasses });
      const r = model.train(ds, { batch: c.batch, steps });
      assert.equal(r.steps, steps);
      assert.equal(native.steps, steps);
      assertClose(r.loss, native.last_loss, 1e-5, `${c.data} '${c.spec}': loss after ${steps} steps`);
      // Stronger than the bar: the dense and conv kernels sum in one fixed
      // order whatever the vector width (src/tensor/gemm.h), so the WASM
      // build (SIMD128, 4 lanes) and the native one (AVX2/AVX-512 where
      // present) give the same float; %.9g round-trips a float exactly.
      assert.equal(r.loss, Math.fround(native.last_loss),
        `${c.data} '${c.spec}': WASM and native losses differ in the last bits`);
      console.log(`${c.data} '${c.spec}': WASM ${r.loss} native ${native.last_loss}`);
    } finally {
      model.free();
      ds.free();
    }
  }
});

test('a model saved in WASM continues training natively, and back', () => {
  const c = CASES[0];
  const ds = wasmDataset(c);
  const model = engine.createModel().build(c.spec, [2, 1, 1], { maxBatch: 16, seed: 3 });
  model.configure({ opt: 'adam', lr: 0.01, nclasses: 2 });
  model.train(ds, { batch: 16, steps: 50 });
  const file = model.save();
  const dir = mkdtempSync(join(tmpdir(), 'mg-'));
  writeFileSync(join(dir, 'm.mgm'), file);
  // continue 20 steps natively from the file, with a fresh trainer of seed 3
  const native = nativeTrain(['--data', 'moons', '--noise', '0.1', '--seed', '3', '--load', join(dir, 'm.mgm'),
    '--batch', '16', '--steps', '20', '--epochs', '100', '--save', join(dir, 'n.mgm')]);
  const copy = engine.createModel().load(file, { maxBatch: 16, seed: 3 });
  const r = copy.train(ds, { batch: 16, steps: 20 });
  assertClose(r.loss, native.last_loss, 1e-5, 'loss after 20 more steps');
  assert.equal(r.steps, 70);
  // and the native file loads in WASM with the same parameters
  const back = engine.createModel().load(readFileSync(join(dir, 'n.mgm')), { maxBatch: 16 });
  back.params().forEach((p, i) => assertClose(p, copy.params()[i], 1e-5, `param ${i}`));
  for (const m of [model, copy, back]) m.free();
  ds.free();
});

test('the trace through the API equals the gradient of a training step', () => {
  const ds = engine.createDataset().generate({ name: 'xor', n: 40, seed: 2 });
  const model = engine.createModel().build('dense 4 tanh, dense 1', [2, 1, 1], { seed: 4 });
  model.configure({ opt: 'sgd', lr: 0.1, nclasses: 2 });
  const t = model.trace(ds, 3);
  assert.ok(t.loss > 0);
  const [l1, l2] = t.layers;
  assert.equal(l1.in.length, 2);
  assert.deepEqual(l1.in, ds.split('train').x.slice(6, 8));
  l1.out.forEach((a, j) => assertClose(a, Math.tanh(l1.pre[j]), 1e-6, `a${j} = tanh(z${j})`));
  assert.deepEqual(l2.in, l1.out);
  assert.deepEqual([...l1.dw, ...l1.db, ...l2.dw, ...l2.db], [...model.grads()]);
  assert.equal(l2.dpre.length, 1);
  model.free();
  ds.free();
});

test('bad input comes back as EngineError with the engine message', () => {
  const model = engine.createModel();
  assert.throws(() => model.build('dense 0 relu', [2, 1, 1]), (e) =>
    e instanceof EngineError && e.message.startsWith("layer 1 'dense 0 relu': dense needs a number of units"));
  assert.throws(() => model.train(engine.createDataset(), { steps: 1 }), /no model has been built yet/);
  model.build('dense 3', [2, 1, 1]);
  assert.throws(() => model.configure({ loss: 'bce', nclasses: 3 }), /loss bce needs 2 classes and one output/);
  assert.throws(() => model.configure({ opt: 'adamw' }), /opt 'adamw' is unknown/);
  assert.throws(() => model.load(new Uint8Array([1, 2, 3])), /not a Micrograd Lab model file/);
  const ds = engine.createDataset();
  assert.throws(() => ds.generate({ name: 'moon' }), /unknown dataset "moon"/);
  assert.throws(() => ds.generate({ name: 'moons', n: 0 }), EngineError);
  assert.throws(() => ds.loadIdx(new Uint8Array([0x1f, 0x8b, 0, 0]), new Uint8Array(8), 1), /gzip/);
  model.free();
  ds.free();
});

test("the page's catalog (web/build/catalog.js) is the engine's, and the native CLI's", async () => {
  const { CATALOG } = await import('../../web/js/catalog.js');
  const engine = await loadEngine();
  assert.deepEqual(CATALOG, engine.catalog);
  const cli = spawnSync(MG, ['catalog'], { encoding: 'utf8' });
  assert.equal(cli.status, 0, cli.stderr);
  assert.deepEqual(JSON.parse(cli.stdout), engine.catalog);
});
