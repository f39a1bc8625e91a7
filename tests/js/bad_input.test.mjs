// The catalogue of bad inputs (tests/bad_inputs.json) through the WASM
// build and web/js/engine.js: every entry throws an EngineError with
// exactly its message and status (and, for programs, line and column),
// the same as the native C API gives in tests/c/test_bad_input.c. Then
// what only the JS side handles: the playground's CSV parser, the
// wrapper's own checks, and engine.js enum names.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine, EngineError } from '../../web/js/engine.js';
import { parseCsv } from '../../web/js/playground.js';
import { t as translate } from '../../web/js/i18n.js';
import { ROOT } from './helpers.mjs';

const TABLE = JSON.parse(readFileSync(`${ROOT}tests/bad_inputs.json`, 'utf8'));
let engine;
before(async () => {
  engine = await loadEngine();
});

// ---- the table's pieces (see "about" in the table) ---------------------------

const text = (v) => (typeof v === 'string' ? v : v.map((p) => (typeof p === 'string' ? p : p.repeat.repeat(p.times))).join(''));

function bytesOf(pieces = []) {
  const out = [];
  for (const p of pieces) {
    if (typeof p === 'string') {
      for (const h of p.split(' ').join('').match(/../g) ?? []) out.push(parseInt(h, 16));
    } else if ('u32be' in p) {
      out.push((p.u32be >>> 24) & 255, (p.u32be >>> 16) & 255, (p.u32be >>> 8) & 255, p.u32be & 255);
    } else if ('text' in p) {
      out.push(...new TextEncoder().encode(p.text));
    } else if ('fill' in p) {
      for (let k = 0; k < p.fill; k++) out.push('byte' in p ? p.byte : (k * 53) % 256);
    } else {
      const file = [0, 0, 8, p.idx.length, ...bytesOf(p.idx.map((d) => ({ u32be: d })))];
      const count = p.idx.reduce((a, b) => a * b, 1);
      if (p.values) file.push(...p.values);
      else for (let k = 0; k < count; k++) file.push((k * 53) % 256);
      out.push(...file.slice(0, p.keep ?? file.length));
    }
  }
  return Uint8Array.from(out);
}

const special = (v) => (v === 'nan' ? NaN : v === 'inf' ? Infinity : v === '-inf' ? -Infinity : v);

function fnv1a(bytes, n) {
  let h = 2166136261;
  for (let i = 0; i < n; i++) h = Math.imul(h ^ bytes[i], 16777619) >>> 0;
  return h;
}

function modelFileOf(e) {
  if (!e.from) return bytesOf(e.bytes);
  const m = engine.createModel();
  m.build(e.from.spec, e.from.shape, { maxBatch: 4, seed: 1 });
  m.configure({ nclasses: e.from.nclasses });
  let f = m.save();
  m.free();
  let specLen = new TextEncoder().encode(e.from.spec).length;
  for (const ed of e.edits ?? []) {
    if ('spec' in ed) {
      const spec = new TextEncoder().encode(ed.spec);
      const g = new Uint8Array(f.length - specLen + spec.length);
      g.set(f.subarray(0, 12));
      new DataView(g.buffer).setUint32(12, spec.length, true);
      g.set(spec, 16);
      g.set(f.subarray(16 + specLen), 16 + spec.length);
      f = g;
      specLen = spec.length;
    } else if ('truncate' in ed) {
      f = f.slice(0, f.length - ed.truncate);
    } else if ('append' in ed) {
      const extra = bytesOf([ed.append]);
      const g = new Uint8Array(f.length + extra.length);
      g.set(f);
      g.set(extra, f.length);
      f = g;
    } else if ('checksum' in ed) {
      new DataView(f.buffer, f.byteOffset).setUint32(f.length - 4, fnv1a(f, f.length - 4), true);
    } else {
      const base = { start: 0, spec_end: 16 + specLen, end: f.length }[ed.from ?? 'start'];
      const view = new DataView(f.buffer, f.byteOffset);
      if ('u32' in ed) view.setUint32(base + ed.at, ed.u32, true);
      else if ('f32' in ed) view.setFloat32(base + ed.at, special(ed.f32), true);
      else f[base + ed.at] ^= ed.xor;
    }
  }
  return f;
}

/** Asserts that fn throws an EngineError with exactly these fields. */
function assertThrows(fn, want, where) {
  assert.throws(fn, (err) => {
    assert.ok(err instanceof EngineError, `${where}: ${err}`);
    assert.equal(err.message, want.message, where);
    if (want.status) assert.equal(err.status, want.status, where);
    if ('line' in want) assert.deepEqual([err.line, err.col], [want.line, want.col], where);
    return true;
  }, where);
}

// ---- the table ------------------------------------------------------------------

test('the table covers every section and the C test reads the same file', () => {
  const sections = ['expr', 'spec', 'generate', 'points', 'idx', 'model_file', 'model_calls'];
  assert.deepEqual(Object.keys(TABLE).filter((k) => k !== 'about'), sections);
  const total = sections.reduce((n, s) => n + TABLE[s].length, 0);
  assert.ok(total >= 140, `${total} entries`);
  for (const s of sections) for (const e of TABLE[s]) assert.equal(typeof e.message, 'string');
});

test('malformed and oversized programs', () => {
  TABLE.expr.forEach((e, i) => {
    const p = engine.createProgram({ maxNodes: e.max_nodes ?? 0 });
    assertThrows(() => p.run(text(e.program)), e, `expr[${i}] ${JSON.stringify(text(e.program).slice(0, 40))}`);
    assert.deepEqual(p.result(), {}, `expr[${i}]: no partial result`);
    assert.equal(p.run('a = 1').data, 1, `expr[${i}]: the program works after the error`);
    p.free();
  });
});

test('bad model specs, shapes and batch sizes', () => {
  const m = engine.createModel();
  TABLE.spec.forEach((e, i) => {
    assertThrows(() => m.build(text(e.spec), e.shape, { maxBatch: e.batch }), { ...e, status: 'arg' },
      `spec[${i}] ${text(e.spec).slice(0, 50)}`);
  });
  m.free();
});

test('bad dataset requests', () => {
  const ds = engine.createDataset();
  TABLE.generate.forEach((e, i) => {
    assertThrows(() => ds.generate({ name: e.name, n: e.n, noise: e.noise, k: e.k, trainRatio: e.ratio }), e,
      `generate[${i}] ${e.name} n=${e.n}`);
    assert.equal(ds.split('train').n, 0);
  });
  ds.free();
});

test('bad points', () => {
  const ds = engine.createDataset();
  TABLE.points.filter((e) => e.only !== 'c').forEach((e, i) => {
    const arr = (a) => a && a.map(special);
    assertThrows(
      () => ds.setPoints('train', { x: arr(e.x), y: arr(e.y) ?? null, t: arr(e.t) ?? null, n: e.n, d: e.d, nclasses: e.nclasses }),
      e, `points[${i}]`);
  });
  ds.free();
});

test('truncated, oversized, wrong-magic and inconsistent IDX files', () => {
  const ds = engine.createDataset();
  TABLE.idx.forEach((e, i) => {
    assertThrows(() => ds.loadIdx(bytesOf(e.images), bytesOf(e.labels), e.train), e, `idx[${i}]`);
    assert.equal(ds.split('train').n + ds.split('test').n, 0, `idx[${i}]: nothing loaded`);
  });
  ds.free();
});

test('damaged, foreign and other-spec model files; the model in place stays', () => {
  const m = engine.createModel();
  m.build('dense 3', [2, 1, 1]);
  TABLE.model_file.forEach((e, i) => {
    const file = modelFileOf(e);
    assertThrows(() => m.load(file, { maxBatch: e.max_batch ?? 64 }), { ...e, status: 'arg' }, `model_file[${i}]`);
    assert.equal(m.info().nparams, 9, `model_file[${i}]: the old model is still there`);
  });
  m.free();
});

test('bad training settings and calls in the wrong order', () => {
  TABLE.model_calls.forEach((e, i) => {
    const m = engine.createModel();
    const ds = engine.createDataset();
    try {
      if (e.spec) m.build(e.spec, e.shape);
      if (e.data) {
        const spiral = e.data === 'spiral3';
        ds.generate({ name: spiral ? 'spiral' : 'moons', n: 20, noise: 0.1, k: spiral ? 3 : 0, trainRatio: e.data === 'moons_all' ? 1 : 0.8 });
      }
      const call = () => {
        if (e.configure) m.configure(e.configure);
        if (e.call === 'train') m.train(ds, { batch: e.batch ?? 32, steps: e.steps ?? 1 });
        else if (e.call === 'trace') m.trace(ds, e.index);
        else if (e.call === 'evaluate_test') m.evaluate(ds, 'test');
      };
      assertThrows(call, { ...e, status: e.status ?? 'arg' }, `model_calls[${i}]`);
    } finally {
      m.free();
      ds.free();
    }
  });
});

// ---- what only JS handles ------------------------------------------------------

test('the playground CSV parser: missing columns, text in number fields, out of range', () => {
  const t = (key, params) => translate('en', key, params);
  const cases = [
    ['x1,x2,label\n0.5,0.5,1\n0.1,oops,0\n', 'line 3: expected x1,x2,label or x,y, found 0.1,oops,0'],
    ['0.5,0.5,1\n0.25,1\n', 'line 2: expected x1,x2,label or x,y, found 0.25,1'],
    ['0.5\n', 'line 1: expected x1,x2,label or x,y, found 0.5'],
    ['1,2,3,4\n', 'line 1: expected x1,x2,label or x,y, found 1,2,3,4'],
    ['x,y\n1,\n', 'line 2: expected x1,x2,label or x,y, found 1,'],
    ['1,1,0\n2,2,7\n', 'line 2: expected x1,x2,label or x,y, found 2,2,7'],
    ['1,1,0.5\n', 'line 1: expected x1,x2,label or x,y, found 1,1,0.5'],
    ['9,0,1\n', 'line 1: expected x1,x2,label or x,y, found 9,0,1'],
    ['0,0\n1e400,0\n', 'line 2: expected x1,x2,label or x,y, found 1e400,0'],
    ['0,0\nNaN,0\n', 'line 2: expected x1,x2,label or x,y, found NaN,0'],
    ['0,0\n"1","2"\n', 'line 2: expected x1,x2,label or x,y, found "1","2"'],
    ['0,0\n<script>alert(1)</script>,1\n', 'line 2: expected x1,x2,label or x,y, found <script>alert(1)</script>,1'],
    // a first line that is not numbers is a header, even when it was meant as data
    ['1e400,0\n', 'The file has no data lines.'],
    ['', 'The file has no data lines.'],
    ['x1,x2,label\n# a comment\n\n', 'The file has no data lines.'],
    [Array.from({ length: 501 }, () => '0,0,1').join('\n'), 'The file has 501 points; at most 500 fit in the playground.'],
  ];
  for (const [csv, message] of cases) {
    assert.throws(() => parseCsv(csv, t), { message }, JSON.stringify(csv.slice(0, 40)));
  }
  // a header is skipped, ';' and tabs separate too, 1D data has two columns
  assert.deepEqual(parseCsv('x1,x2,label\n0.5;-1;2\n1\t1\t0\n', t), [[0.5, -1, 2], [1, 1, 0]]);
  assert.deepEqual(parseCsv('x,y\n-1,0.5\n', t), [[-1, 0.5]]);
});

test('the wrapper refuses what it cannot pass to the engine', () => {
  const m = engine.createModel();
  assert.throws(() => m.build('dense 1\0dense 2', [2, 1, 1]), { message: 'the model spec contains a NUL character' });
  assert.throws(() => m.build('dense 1', [2, 1, 1], { init: 'glorot' }),
    { message: "unknown initialization 'glorot' (one of: auto, zeros, xavier_uniform, xavier_normal, he_uniform, he_normal)" });
  m.build('dense 1', [2, 1, 1]);
  assert.throws(() => m.configure({ loss: 'hinge', nclasses: 2 }), { message: "loss 'hinge' is unknown (one of auto, mse, bce, ce, svm)" });
  assert.throws(() => m.configure({ opt: 'adamw', nclasses: 2 }),
    { message: "opt 'adamw' is unknown (one of sgd, momentum, nesterov, rmsprop, adam, adagrad)" });
  assert.throws(() => m.configure({ learningRate: 0.1, nclasses: 2 }), /unknown setting 'learning_rate' \(the settings are loss, opt, lr,/);
  assert.throws(() => m.configure({ lr: '0.1 opt=sgd', nclasses: 2 }), { message: "setting lr: '0.1 opt=sgd' is not a value" });
  assert.throws(() => m.configure({ lr: NaN, nclasses: 2 }), { message: 'lr nan: allowed above 0 to 100' });
  assert.throws(() => m.predict(new Float32Array(1), 1), { message: 'predict: 1 inputs need a Float32Array of 2 values' });
  m.free();
  const ds = engine.createDataset();
  assert.throws(() => ds.generate({ name: 'moons\0' }), { message: 'the dataset name contains a NUL character' });
  // arrays shorter than n and d say so (the engine would read past them)
  assert.throws(() => ds.setPoints('train', { x: [0, 1, 2], y: [0, 1], n: 2, d: 2, nclasses: 2 }),
    { message: 'points: 2 points of 2 features need 4 values and 2 labels; got 3 and 2' });
  assert.throws(() => ds.setPoints('train', { x: [0, 1], t: [0.5], n: 2, d: 1, nclasses: 0 }),
    { message: 'points: 2 points of 1 features need 2 values and 2 targets; got 2 and 1' });
  ds.setPoints('train', { x: [0, 1], y: [0, 1], n: 2, d: 1, nclasses: 2 });
  assert.equal(ds.split('train').n, 2);
  ds.free();
});
