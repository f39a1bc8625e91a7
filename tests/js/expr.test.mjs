// The WASM build of the scalar engine against the native build (both run in
// this test) and against the independent reference values.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, EngineError } from '../../web/js/engine.js';
import { REF_CASES, nativeExpr, assertClose } from './helpers.mjs';

let engine, program;
before(async () => {
  engine = await loadEngine();
  program = engine.createProgram();
});
after(() => program.free());

const EXTRA_PROGRAMS = [
  'x = 0.3\ny = sigmoid(x)*tanh(x) + exp(-x)*log(1 + x**2) - relu(-x) / (x + 2)',
  'a = 1e-3\nb = a**-0.5 + a**3.5\nc = tanh(b/100) * sigmoid(-b/50)',
  'w = -0.7; x = 1.9; b = 0.05\nz = w*x + b\nL = -log(sigmoid(z))',
];

function compareResults(wasm, native, where) {
  assert.equal(wasm.output, native.output, `${where}: output name`);
  assertClose(wasm.data, native.data, 1e-12, `${where}: output`);
  assert.deepEqual(Object.keys(wasm.leaves), Object.keys(native.leaves), `${where}: leaf names`);
  for (const [name, leaf] of Object.entries(native.leaves)) {
    assertClose(wasm.leaves[name].data, leaf.data, 1e-12, `${where}: ${name}.data`);
    assertClose(wasm.leaves[name].grad, leaf.grad, 1e-12, `${where}: ${name}.grad`);
  }
  assert.equal(wasm.nodes.length, native.nodes.length, `${where}: node count`);
  wasm.nodes.forEach((node, i) => {
    const n = native.nodes[i];
    assert.equal(node.op, n.op, `${where}: node ${i} op`);
    assert.equal(node.label, n.label, `${where}: node ${i} label`);
    assert.deepEqual(node.children, n.children, `${where}: node ${i} children`);
    assertClose(node.data, n.data, 1e-12, `${where}: node ${i} data`);
    assertClose(node.grad, n.grad, 1e-12, `${where}: node ${i} grad`);
  });
}

test('WASM and native agree on every value and gradient (1e-12 relative)', () => {
  const programs = [...REF_CASES.map((c) => c.program), ...EXTRA_PROGRAMS];
  for (const [i, src] of programs.entries()) {
    const native = nativeExpr(src);
    assert.equal(native.status, 0, `native mg expr failed: ${native.stderr}`);
    compareResults(program.run(src), native.json, `program ${i}`);
  }
});

test('WASM matches the independent reference (forward-mode duals in Python)', () => {
  for (const c of REF_CASES) {
    const r = program.run(c.program);
    assert.equal(r.output, c.output);
    assertClose(r.data, c.data, 1e-12, `${c.name}: output`);
    for (const [name, leaf] of Object.entries(c.leaves)) {
      assertClose(r.leaves[name].data, leaf.data, 1e-15, `${c.name}: ${name}.data`);
      assertClose(r.leaves[name].grad, leaf.grad, 1e-12, `${c.name}: ${name}.grad`);
    }
  }
});

test('errors come back as EngineError with the same message and place as native', () => {
  const bad = [
    ['a = 2\ne = q*a', 'name', 2, 5],
    ['a = 2\nb = (a + 1', 'syntax', 2, 11],
    ['a = 2; b = 3\nc = a ** b', 'syntax', 2, 10],
    ['a = 0\nb = 1 / a', 'domain', 2, 7],
    ['a = -1\nb = log(a)', 'domain', 2, 5],
    ['x = 0\ny = x**0.5', 'domain', 2, 6],
    ['', 'syntax', 1, 1],
    ['a = foo(1)', 'name', 1, 5],
    [`a = ${'('.repeat(5000)}1${')'.repeat(5000)}`, 'limit', 1, 261],
  ];
  for (const [src, status, line, col] of bad) {
    const native = nativeExpr(src);
    assert.equal(native.status, 1, `native exit status for ${JSON.stringify(src.slice(0, 40))}`);
    assert.throws(
      () => program.run(src),
      (err) => {
        assert.ok(err instanceof EngineError);
        assert.equal(err.status, status);
        assert.equal(err.line, line);
        assert.equal(err.col, col);
        assert.ok(err.message.startsWith(`line ${line}, col ${col}: `), err.message);
        assert.ok(native.stderr.includes(err.message), `native says: ${native.stderr}`);
        return true;
      },
    );
  }
  // a NUL character is an error at its place, not the end of the program
  assert.throws(() => program.run('x=1\0y=@@'), (err) => err.line === 1 && err.col === 4 && /0x00/.test(err.message));
  assert.deepEqual(program.values(), new Float64Array(0), 'no values after an error');
  assert.deepEqual(program.result(), {}, 'no partial result after an error');
  // nor after a backward error
  assert.throws(() => program.run('x = 0\ny = x**0.5'), /became inf/);
  assert.deepEqual(program.result(), {});
  // the program still works after errors
  assert.equal(program.run('a = 3\nb = a*a').leaves.a.grad, 6);
});

test('backward step by step equals the full backward pass', () => {
  const src = REF_CASES.find((c) => c.name === 'micrograd_more_ops').program;
  const full = program.run(src);
  program.eval(src);
  assert.ok(program.values().every((v, i) => i % 2 === 0 || v === 0), 'grads are 0 after eval');
  program.backwardBegin();
  let step;
  const visited = [];
  while ((step = program.backwardStep())) {
    visited.push(step.node);
    for (const child of step.children) assertClose(child.contrib, child.local * step.grad, 0, 'contrib');
    assert.equal(step.remaining, full.nodes.length - visited.length);
  }
  assert.deepEqual(visited, [...visited].sort((a, b) => b - a), 'reverse topological order');
  assert.equal(visited.length, full.nodes.length);
  const values = program.values();
  full.nodes.forEach((node, i) => {
    assert.equal(values[2 * i], node.data);
    assert.equal(values[2 * i + 1], node.grad);
  });
  assert.equal(program.backwardStep(), null, 'stays done');
});

test('backward twice accumulates leaf grads exactly twice; zeroGrad resets', () => {
  const first = program.run('x=-4; z=2*x+2+x; q=relu(z)+z*x; h=relu(z*z); y=h+q+q*x');
  const second = program.backward();
  assert.equal(second.leaves.x.grad, 2 * first.leaves.x.grad);
  second.nodes.filter((n) => n.op !== 'leaf').forEach((n, i) => {
    assert.equal(n.grad, first.nodes.filter((m) => m.op !== 'leaf')[i].grad);
  });
  program.zeroGrad();
  assert.ok(program.result().nodes.every((n) => n.grad === 0));
});

test('large graphs grow the WASM memory and views stay valid', () => {
  const big = engine.createProgram();
  try {
    const src = `x = 0.5\ny = x${'+x'.repeat(199999)}`;
    const r = big.run(src);
    assert.equal(r.data, 100000);
    assert.equal(r.leaves.x.grad, 200000);
    const values = big.values();
    assert.equal(values.length, 2 * r.nodes.length);
    assert.equal(values[1], 200000);
  } finally {
    big.free();
  }
});

test('a freed program reports an error instead of touching freed memory', () => {
  const p = engine.createProgram();
  p.run('a = 1');
  const handle = p.h;
  p.free();
  p.h = handle; // simulate a stale handle
  assert.throws(() => p.run('a = 2'), /invalid handle/);
  p.h = 0;
});
