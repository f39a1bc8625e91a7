// The pictures the playground draws, checked by value against formulas
// written here: a model with weights set by hand has a known output at
// every point of the plane, so the decision-boundary grid (orientation,
// extent, the edges included), the regression curve, every neuron's image
// and every input feature can be computed independently of the engine. A
// flipped axis, a transposed grid or a wrong extent changes the values.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine, FEATURES } from '../../web/js/engine.js';

let engine;
before(async () => {
  engine = await loadEngine();
});

/** The model with its parameters replaced by params (in the engine's flat
 * order), through the public file format: save, write the parameters,
 * fix the FNV-1a checksum (src/nn/io.c), load. */
function withParams(model, params) {
  const file = model.save();
  const v = new DataView(file.buffer, file.byteOffset, file.byteLength);
  const specLen = v.getUint32(12, true);
  const counts = 16 + specLen + 12;
  const nparams = Number(v.getBigUint64(counts, true));
  assert.equal(nparams, params.length, 'parameter count');
  const at = counts + 16 + 8 + 12 + 44 + 12 + 8;
  params.forEach((p, i) => v.setFloat32(at + 4 * i, p, true));
  let h = 2166136261;
  for (let i = 0; i < file.length - 4; i++) h = Math.imul(h ^ file[i], 16777619) >>> 0;
  v.setUint32(file.length - 4, h, true);
  return model.load(file, { maxBatch: 64 });
}

/** A model of spec on `inputs` features, configured for nclasses, with
 * the given parameters. */
function handModel(spec, inputs, nclasses, loss, params) {
  const m = engine.createModel().build(spec, [inputs, 1, 1], { maxBatch: 64 });
  m.configure({ loss, nclasses });
  return withParams(m, params);
}

/** |got - want| <= tol for every value; the first mismatches side by side. */
function assertValues(got, want, tol, what) {
  assert.equal(got.length, want.length, `${what}: ${got.length} values, want ${want.length}`);
  const bad = [];
  for (let i = 0; i < want.length; i++) {
    if (!(Math.abs(got[i] - want[i]) <= tol)) bad.push(`[${i}] got ${got[i]} want ${want[i]}`);
  }
  assert.equal(bad.length, 0, `${what}: ${bad.length} of ${want.length} off by more than ${tol}:\n  ${bad.slice(0, 5).join('\n  ')}`);
}

const sigmoid = (z) => 1 / (1 + Math.exp(-z));
// the grid's points, as mg_api_model_grid documents them: column j at
// x0 + j (x1 - x0) / (res - 1), row i at y1 - i (y1 - y0) / (res - 1)
const gridX = (j, res, [x0, x1]) => Math.fround(x0 + (j * (x1 - x0)) / (res - 1));
const gridY = (i, res, [, , y0, y1]) => Math.fround(y1 - (i * (y1 - y0)) / (res - 1));
// an extent that is neither square nor centred, so a swap of the axes or
// of their ends gives other values
const EXTENT = [-3, 1, -0.5, 2.5];

/** The seven input features of a point, as the formulas define them (in
 * float, as the engine computes them: each product rounded once). */
function featuresOf(a, b) {
  return {
    x1: a, x2: b, x1sq: Math.fround(a * a), x2sq: Math.fround(b * b), x1x2: Math.fround(a * b),
    sinx1: Math.fround(Math.sin(a)), sinx2: Math.fround(Math.sin(b)),
  };
}

test('the decision boundary: grid value (row i, column j) is the model at (x0 + j dx, y1 - i dy)', () => {
  // one logit 2 x1 - 3 x2 + 0.5 (bce: the grid holds its sigmoid)
  const m = handModel('dense 1', 2, 2, 'bce', [2, -3, 0.5]);
  const res = 7;
  const grid = m.grid({ mask: FEATURES.x1 | FEATURES.x2, d: 2, res, extent: EXTENT });
  const want = [];
  for (let i = 0; i < res; i++) for (let j = 0; j < res; j++) want.push(sigmoid(2 * gridX(j, res, EXTENT) - 3 * gridY(i, res, EXTENT) + 0.5));
  assertValues(grid, want, 3e-7, 'bce grid');
  // the corners: top left is (x0, y1), bottom right (x1, y0)
  assert.ok(Math.abs(grid[0] - sigmoid(2 * -3 - 3 * 2.5 + 0.5)) < 1e-6);
  assert.ok(Math.abs(grid[res * res - 1] - sigmoid(2 * 1 - 3 * -0.5 + 0.5)) < 1e-6);
  // the same grid is what predict gives at those points, through probs
  const pts = new Float32Array(2 * res * res);
  for (let i = 0; i < res; i++) for (let j = 0; j < res; j++) pts.set([gridX(j, res, EXTENT), gridY(i, res, EXTENT)], 2 * (i * res + j));
  assertValues(grid, m.probs(pts, res * res), 0, 'grid vs probs at the same points');
  m.free();
});

test('three classes: the grid holds each point\'s softmax, class by class', () => {
  // logits (x1, x2, -x1 - x2 + 1)
  const m = handModel('dense 3', 2, 3, 'ce', [1, 0, 0, 1, -1, -1, 0, 0, 1]);
  const res = 5;
  const grid = m.grid({ mask: FEATURES.x1 | FEATURES.x2, d: 2, res, extent: EXTENT });
  const want = [];
  for (let i = 0; i < res; i++) {
    for (let j = 0; j < res; j++) {
      const a = gridX(j, res, EXTENT), b = gridY(i, res, EXTENT);
      const z = [a, b, -a - b + 1].map(Math.exp);
      const s = z[0] + z[1] + z[2];
      want.push(...z.map((e) => e / s));
    }
  }
  assertValues(grid, want, 3e-7, 'softmax grid');
  m.free();
});

test('the regression curve: res points from x0 to x1, the model\'s value at each', () => {
  const m = handModel('dense 1', 1, 0, 'mse', [-1.5, 0.25]);
  const res = 9;
  const curve = m.grid({ mask: FEATURES.x1, d: 1, res, extent: [-2, 3, 0, 1] });
  const want = Array.from({ length: res }, (_, j) => -1.5 * Math.fround(-2 + (j * 5) / (res - 1)) + 0.25);
  assertValues(curve, want, 1e-6, 'regression curve');
  m.free();
});

test('every input feature is its formula, in the data and on the grid', () => {
  const names = Object.keys(FEATURES);
  const raw = engine.createDataset();
  const pts = [[0.5, -1.25], [-2.75, 3.5], [1.5, 0.1], [-0.3, -0.7], [3.1, 2.2]];
  raw.setPoints('train', { x: pts.flat(), y: pts.map((_, i) => i % 2), n: pts.length, d: 2, nclasses: 2 });
  raw.setPoints('test', { x: [], y: [], n: 0, d: 2, nclasses: 2 });
  const feat = engine.createDataset();
  for (const name of names) {
    // one feature at a time: its column is the formula
    feat.features(raw, FEATURES[name]);
    const { x } = feat.split('train');
    const want = pts.map(([a, b]) => featuresOf(Math.fround(a), Math.fround(b))[name]);
    // sin: libm's sinf (glibc natively, musl in WASM) against Math.sin: 2 ulp of a value below 1
    assertValues(x, want, name.startsWith('sin') ? 1.2e-7 : 0, `feature ${name}`);
  }
  // all seven, in the documented column order
  feat.features(raw, 127);
  const { x } = feat.split('train');
  const want = pts.flatMap(([a, b]) => Object.values(featuresOf(Math.fround(a), Math.fround(b))));
  assertValues(x, want, 1.2e-7, 'all seven features in order');

  // the grid maps each point through the same features: one logit with a
  // weight per feature
  const w = [0.3, -0.2, 0.15, -0.1, 0.4, 0.8, -0.6], b = 0.05;
  const m = handModel('dense 1', 7, 2, 'bce', [...w, b]);
  const res = 6;
  const grid = m.grid({ mask: 127, d: 2, res, extent: EXTENT });
  const wantGrid = [];
  for (let i = 0; i < res; i++) {
    for (let j = 0; j < res; j++) {
      const f = Object.values(featuresOf(gridX(j, res, EXTENT), gridY(i, res, EXTENT)));
      wantGrid.push(sigmoid(f.reduce((s, v, k) => s + v * w[k], b)));
    }
  }
  assertValues(grid, wantGrid, 1e-6, 'grid through the seven features');
  m.free();
  raw.free();
  feat.free();
});

test('neuron images: every unit of every layer at every grid point', () => {
  // dense 2 tanh, dense 1: hidden units tanh(w . (x1, x2) + b), output v . h + c
  const W = [[0.8, -0.5], [-0.3, 1.2]], B = [0.1, -0.4], V = [1.5, -2], C = 0.3;
  const m = handModel('dense 2 tanh, dense 1', 2, 2, 'bce', [...W.flat(), ...B, ...V, C]);
  const res = 5;
  const layers = m.neurons({ mask: FEATURES.x1 | FEATURES.x2, d: 2, res, extent: EXTENT });
  assert.equal(layers.length, 2);
  assert.equal(layers[0].length, 2);
  assert.equal(layers[1].length, 1);
  const want = [[[], []], [[]]];
  for (let i = 0; i < res; i++) {
    for (let j = 0; j < res; j++) {
      const a = gridX(j, res, EXTENT), b = gridY(i, res, EXTENT);
      const h = W.map((w, k) => Math.tanh(w[0] * a + w[1] * b + B[k]));
      h.forEach((v, k) => want[0][k].push(v));
      want[1][0].push(V[0] * h[0] + V[1] * h[1] + C); // the output layer's value (a logit)
    }
  }
  assertValues(layers[0][0], want[0][0], 1e-6, 'layer 1 unit 1');
  assertValues(layers[0][1], want[0][1], 1e-6, 'layer 1 unit 2');
  assertValues(layers[1][0], want[1][0], 2e-6, 'output unit');
  m.free();
});
