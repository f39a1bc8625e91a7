// Long sessions do not grow the WASM heap: what malloc has handed out
// (mallinfo, through mg_api_heap_used) and the memory's size are the same
// after 100,000 training steps of the playground's network (with the
// boundary, neuron images, statistics and traces a page asks for between
// chunks), after 20 MNIST epochs, and after building and freeing 10,000
// programs, datasets and models.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine } from '../../web/js/engine.js';
import { ROOT } from './helpers.mjs';

let engine;
before(async () => {
  engine = await loadEngine();
});

/** Runs fn once to warm up (first-use allocations), then measures. */
function assertNoGrowth(what, fn) {
  fn();
  const before = engine.memory();
  assert.ok(before.heapUsed >= 0, 'mg_api_heap_used reports the heap');
  const extra = fn();
  const after = engine.memory();
  assert.equal(after.heapUsed, before.heapUsed, `${what}: heap in use grew from ${before.heapUsed} to ${after.heapUsed} bytes`);
  assert.equal(after.memoryBytes, before.memoryBytes, `${what}: WASM memory grew`);
  console.log(`${what}: heap in use ${after.heapUsed} bytes before and after${extra ? `; ${extra}` : ''}`);
}

test('100,000 playground steps with the views in between: no heap growth', () => {
  const ds = engine.createDataset().generate({ name: 'circles', n: 500, noise: 0.1, trainRatio: 0.8, seed: 1 });
  const model = engine.createModel();
  model.build('dense 8 tanh, dense 8 tanh, dense 1', [2, 1, 1], { maxBatch: 64, seed: 1 });
  model.configure({ loss: 'auto', opt: 'sgd', lr: 0.03, nclasses: ds.nclasses });
  let steps = 0, loss = 0;
  const session = () => {
    for (let chunk = 0; chunk < 100; chunk++) {
      loss = model.train(ds, { batch: 10, steps: 500 }).loss;
      steps += 500;
      model.grid({ mask: 3, d: 2, res: 100, extent: [-6, 6, -6, 6] });
      model.neurons({ mask: 3, d: 2, res: 32, extent: [-6, 6, -6, 6] });
      model.info();
      model.evaluate(ds, 'test');
      model.trace(ds, chunk % 10, 'train');
    }
    return `${steps} steps, loss ${loss.toFixed(4)}`;
  };
  try {
    assertNoGrowth('playground network', session);
    assert.ok(steps >= 100000);
    assert.ok(Number.isFinite(loss));
  } finally {
    model.free();
    ds.free();
  }
});

test('20 MNIST epochs: no heap growth', () => {
  const dir = `${ROOT}web/build/data`;
  const ds = engine.createDataset();
  ds.loadIdx(readFileSync(`${dir}/mnist-10k-images.idx`), readFileSync(`${dir}/mnist-10k-labels.idx`), 8000);
  const model = engine.createModel();
  model.build('dense 32 relu, dense 10', [784, 1, 1], { maxBatch: 32, seed: 1 });
  model.configure({ loss: 'ce', opt: 'adam', lr: 0.001, nclasses: 10 });
  let acc = 0;
  const epochs = (n) => () => {
    for (let e = 0; e < n; e++) {
      model.train(ds, { batch: 32, steps: 250 }); // 8,000 digits
      acc = model.evaluate(ds, 'test').accuracy;
    }
    return `test accuracy ${acc.toFixed(4)}`;
  };
  try {
    epochs(1)();
    const before = engine.memory();
    const extra = epochs(20)();
    const after = engine.memory();
    assert.equal(after.heapUsed, before.heapUsed, `heap in use grew from ${before.heapUsed} to ${after.heapUsed}`);
    assert.equal(after.memoryBytes, before.memoryBytes, 'WASM memory grew');
    assert.ok(acc > 0.9, `the model learned (${acc})`);
    console.log(`MNIST: 20 epochs, heap in use ${after.heapUsed} bytes before and after; ${extra}`);
  } finally {
    model.free();
    ds.free();
  }
});

test('10,000 programs, datasets and models built and freed: nothing leaks', () => {
  assertNoGrowth('programs', () => {
    for (let i = 0; i < 10000; i++) {
      const p = engine.createProgram();
      p.run(`a = ${i}; b = tanh(a * 0.001) ** 2; c = b * a + relu(-a)`);
      p.backward();
      p.free();
    }
  });
  assertNoGrowth('datasets and models', () => {
    for (let i = 0; i < 10000; i++) {
      const ds = engine.createDataset().generate({ name: 'xor', n: 40, seed: i + 1 });
      const m = engine.createModel();
      m.build('dense 4 relu, dense 1', [2, 1, 1], { maxBatch: 8, seed: i + 1 });
      m.configure({ loss: 'auto', opt: 'adam', lr: 0.01, nclasses: ds.nclasses });
      m.train(ds, { batch: 8, steps: 1 });
      const file = m.save();
      m.load(file, { maxBatch: 8 });
      m.free();
      ds.free();
    }
  });
});
