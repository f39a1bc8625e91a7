// The benchmark's WASM entry points (src/api/api_bench.c) compute what they
// claim: the matmul against a plain JS reference, the scalar workload has
// micrograd's graph and trains, and it is the same workload natively (mg
// bench) and in WASM. Cheap: no timing is asserted (speed is measured by
// npm run bench, never by tests).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { loadEngine, EngineError } from '../../web/js/engine.js';
import { MG, ROOT, assertClose } from './helpers.mjs';

let engine, bench;
before(async () => {
  engine = await loadEngine();
  bench = engine.createBench();
});
after(() => bench.free());

test('the matmul entry point computes inp . weight^T like a JS reference', () => {
  for (const [N, C, OC] of [[1, 1, 1], [5, 7, 3], [33, 65, 17], [64, 128, 10]]) {
    bench.matmulSetup(N, C, OC, 7);
    bench.matmulRun(2);
    const { inp, weight, out } = bench.matmulArrays();
    assert.equal(out.length, N * OC);
    const bad = [];
    for (let n = 0; n < N; n++) {
      for (let o = 0; o < OC; o++) {
        let sum = 0, mag = 0;
        for (let c = 0; c < C; c++) {
          sum += inp[n * C + c] * weight[o * C + c];
          mag += Math.abs(inp[n * C + c] * weight[o * C + c]);
        }
        // float32 kernels may sum in any order: error bound relative to sum |x w|
        const got = out[n * OC + o];
        if (!(Math.abs(got - sum) <= 1e-5 * mag + 1e-7)) bad.push(`out[${n}][${o}] = ${got}, reference ${sum}`);
      }
    }
    assert.deepEqual(bad.slice(0, 5), [], `${N}x${C}x${OC}: ${bad.length} values differ`);
    assert.ok(inp.some((v) => v !== 0) && weight.some((v) => v !== 0), 'inputs are filled');
  }
});

test('the benchmark entry points reject bad calls with a message', () => {
  const b = engine.createBench();
  try {
    assert.throws(() => b.matmulRun(1), (e) => e instanceof EngineError && e.status === 'state' && /setup first/.test(e.message));
    assert.throws(() => b.matmulSetup(0, 4, 4), (e) => e.status === 'limit' && /1\.\.4096/.test(e.message));
    assert.throws(() => b.scalarRun(1), (e) => e.status === 'state');
    assert.throws(() => b.scalarSetup(0), (e) => e.status === 'limit');
  } finally {
    b.free();
  }
});

// micrograd's graph for one step of its moons demo (MLP 2-16-16-1, 100
// points): 337 parameters; per point 2 inputs, layer 1 16 x (2 mul, 2 add,
// relu), layer 2 16 x (16 mul, 16 add, relu), output 16 mul + 16 add, loss
// term -y leaf, mul, 1 leaf, add, relu; the sum from a 0 leaf (1 + 100
// adds), the 1/n leaf and mul; the L2 term from a 0 leaf (337 mul + 337
// add), the alpha leaf and mul; the total add.
const MICROGRAD_NODES = 337 + 100 * (2 + 16 * 5 + 16 * 33 + 32 + 5) + (1 + 100) + 2 + (1 + 2 * 337) + 2 + 1;

test('the scalar workload is micrograd moons demo graph, and it learns', () => {
  bench.scalarSetup(100, 1);
  bench.scalarRun(1);
  const first = bench.scalarState();
  assert.equal(first.nodes, MICROGRAD_NODES);
  assert.equal(MICROGRAD_NODES, 65818);
  bench.scalarRun(29);
  const later = bench.scalarState();
  assert.equal(later.nodes, MICROGRAD_NODES, 'the graph does not grow from step to step');
  assert.ok(later.loss < 0.5 * first.loss, `loss ${first.loss} -> ${later.loss} after 30 steps`);
  assert.ok(later.accuracy >= 0.85, `accuracy ${later.accuracy} after 30 steps`);
});

test('mg bench runs the same scalar and playground workloads as the WASM build', () => {
  const r = spawnSync(MG, ['bench', '--json', '--quick', '--only', 'scalar,playground'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const native = JSON.parse(r.stdout);
  bench.scalarSetup(100, 1);
  bench.scalarRun(3); // mg bench's warm-up
  const wasm = bench.scalarState();
  assert.equal(native.scalar.nodes_per_step, MICROGRAD_NODES);
  assertClose(wasm.loss, native.scalar.warmup_loss, 1e-12, 'scalar loss after 3 steps');
  assert.ok(native.scalar.step_ms.median > 0 && native.playground.total_ms.median > 0);
  assert.equal(native.playground.points, 500);
});

test('the bench counts the CNN and MLP flops by hand and runs the MNIST page optimizers natively', async () => {
  const { trainFlops, CNN_SPEC, MLP_SPEC, MNIST_SHAPE, OPT_RUNS } = await import('../../bench/config.mjs');
  // conv1 8x24x24 outputs x 25 taps; conv2 16x8x8 x 200; dense 256 x 10:
  // forward and dweight for each, dinp for all but the first; 2 flops each
  const conv1 = 8 * 24 * 24 * 25, conv2 = 16 * 8 * 8 * 200, dense = 256 * 10;
  assert.equal(trainFlops(CNN_SPEC, MNIST_SHAPE), 2 * (2 * conv1 + 3 * conv2 + 3 * dense));
  assert.equal(trainFlops(MLP_SPEC, MNIST_SHAPE), 2 * (2 * 784 * 128 + 3 * 128 * 10));
  const r = spawnSync(MG, ['bench', '--json', '--quick', '--only', 'opt'], { encoding: 'utf8', env: { ...process.env, MG_DATA_DIR: `${ROOT}web/build/data` } });
  assert.equal(r.status, 0, r.stderr);
  const native = JSON.parse(r.stdout);
  for (const o of OPT_RUNS) {
    assert.equal(native[o.key].opt, o.opt);
    assert.equal(native[o.key].batch, o.batch);
    assert.equal(native[o.key].lr, o.lr);
    assert.ok(native[o.key].examples_per_sec > 0);
  }
});

test('mg bench --moons-points gives the scalar workload its 100 points, labels -1 and +1', () => {
  const r = spawnSync(MG, ['bench', '--moons-points'], { encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  const p = JSON.parse(r.stdout);
  assert.equal(p.x.length, 100);
  assert.equal(p.y.length, 100);
  assert.ok(p.y.every((v) => v === 1 || v === -1) && p.y.includes(1) && p.y.includes(-1));
  assert.ok(p.x.every(([a, b]) => Number.isFinite(a) && Number.isFinite(b)));
});
