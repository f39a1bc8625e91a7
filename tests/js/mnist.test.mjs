// The MNIST view's modules in Node: the drawing's preprocessing (pure
// pixels), sorting and gunzipping the learner's IDX files, and the worker's
// session on the WASM engine (load, train in timed chunks, evaluate,
// samples, probabilities, weights and feature maps, export and import).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { loadEngine } from '../../web/js/engine.js';
import { preprocessDigit, centreOfMass, inkBox, inkFromRgba, DIGIT_SIZE } from '../../web/js/digit_preprocess.js';
import { readIdxFile, sortIdxFiles, roleOf, idxCount, splitCount } from '../../web/js/idx_files.js';
import { createMnistSession, MNIST_MODELS, modelKind } from '../../web/js/mnist_session.js';
import { ROOT } from './helpers.mjs';

const IMAGES = readFileSync(`${ROOT}web/build/data/mnist-10k-images.idx`);
const LABELS = readFileSync(`${ROOT}web/build/data/mnist-10k-labels.idx`);
let engine;
before(async () => {
  engine = await loadEngine();
});

/** IDX bytes: unsigned bytes with the given dims. */
function idx(dims, values) {
  const b = new Uint8Array(4 + 4 * dims.length + values.length);
  b[2] = 0x08;
  b[3] = dims.length;
  const view = new DataView(b.buffer);
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d));
  b.set(values, 4 + 4 * dims.length);
  return b;
}

/** The first n packed digits (from `from`) as their own IDX pair. */
function firstDigits(n, from = 0) {
  return {
    images: idx([n, 28, 28], IMAGES.subarray(16 + from * 784, 16 + (from + n) * 784)),
    labels: idx([n], LABELS.subarray(8 + from, 8 + from + n)),
  };
}

/** Packed digit i as 0..1 floats. */
function digit(i) {
  return Float32Array.from(IMAGES.subarray(16 + i * 784, 16 + (i + 1) * 784), (v) => v / 255);
}

function canvas(w, h) {
  return { w, h, ink: new Float32Array(w * h) };
}
function fillRect(c, x, y, w, h, v = 1) {
  for (let i = y; i < y + h; i++) for (let j = x; j < x + w; j++) c.ink[i * c.w + j] = v;
}
const sum = (a) => a.reduce((s, v) => s + v, 0);

// ---- preprocessing -------------------------------------------------------------

test('preprocessing crops, scales the longest side to 20 and centres the mass', () => {
  assert.equal(preprocessDigit(new Float32Array(280 * 280), 280, 280), null, 'nothing drawn');
  // a tall bar 40 x 100 in the top right: it becomes 8 x 20, mass kept
  const c = canvas(280, 280);
  fillRect(c, 200, 10, 40, 100);
  const r = preprocessDigit(c.ink, c.w, c.h);
  assert.deepEqual(r.box, { x: 200, y: 10, w: 40, h: 100 });
  assert.deepEqual(r.scaled, { w: 8, h: 20 });
  assert.equal(r.image.length, DIGIT_SIZE * DIGIT_SIZE);
  assert.ok(Math.abs(sum(r.image) - 160) < 1e-3, `mass ${sum(r.image)}`);
  // its centre of mass (4, 10) goes to 14.5 (where MNIST has it), up to
  // the whole-pixel shift: 10.5 and 4.5 round up to 11 and 5
  assert.deepEqual(r.offset, { x: 11, y: 5 });
  assert.deepEqual(inkBox(r.image, 28, 28, 0.5), { x: 11, y: 5, w: 8, h: 20 });
  const com = centreOfMass(r.image, 28, 28);
  assert.deepEqual([com.x, com.y], [15, 15]);
  // a wide L: longest side (width) becomes 20; the centre of mass, not the
  // box, lands within half a pixel of the centre
  const L = canvas(300, 200);
  fillRect(L, 20, 20, 20, 150);
  fillRect(L, 20, 150, 250, 20);
  const rl = preprocessDigit(L.ink, L.w, L.h);
  assert.equal(rl.scaled.w, 20);
  assert.equal(rl.scaled.h, Math.round(150 * 20 / 250));
  const cl = centreOfMass(rl.image, 28, 28);
  assert.ok(Math.abs(cl.x - 14.5) <= 0.5 && Math.abs(cl.y - 14.5) <= 0.5, JSON.stringify(cl));
  assert.ok(rl.image.every((v) => v >= 0 && v <= 1));
});

test('an MNIST digit drawn 10x larger comes back as itself', () => {
  // MNIST digits are already 20 pixels on their longest side, centred by
  // mass: scaling one up and preprocessing it must give it back
  for (let i = 0; i < 10000; i += 97) {
    const d = digit(i);
    const big = new Float32Array(280 * 280);
    for (let y = 0; y < 280; y++) for (let x = 0; x < 280; x++) big[y * 280 + x] = d[Math.floor(y / 10) * 28 + Math.floor(x / 10)];
    const r = preprocessDigit(big, 280, 280).image;
    let dot = 0, na = 0, nb = 0;
    for (let k = 0; k < 784; k++) {
      dot += d[k] * r[k];
      na += d[k] * d[k];
      nb += r[k] * r[k];
    }
    const cosine = dot / Math.sqrt(na * nb);
    assert.ok(cosine > 0.99, `digit ${i}: cosine ${cosine.toFixed(4)}`);
  }
});

test('an uploaded image becomes ink: either polarity, transparency, grey paper, nothing', () => {
  /** RGBA of 28 x 28 greys g(k) in 0..255, alpha a(k). */
  const rgba = (g, a = () => 255) => {
    const out = new Uint8ClampedArray(784 * 4);
    for (let k = 0; k < 784; k++) out.set([g(k), g(k), g(k), a(k)], 4 * k);
    return out;
  };
  const px = (i) => IMAGES.subarray(16 + i * 784, 16 + (i + 1) * 784);
  for (const i of [0, 1234, 9000]) {
    const d = digit(i);
    const p = px(i);
    const near = (ink, what, tol = 1e-6) => {
      const worst = Math.max(...ink.map((v, k) => Math.abs(v - d[k])));
      assert.ok(worst < tol, `digit ${i}, ${what}: off by ${worst}`);
    };
    // MNIST's own polarity (white on black), as a 28 x 28 MNIST PNG has it
    near(inkFromRgba(rgba((k) => p[k]), 28, 28), 'white on black');
    // printed: black on white
    near(inkFromRgba(rgba((k) => 255 - p[k]), 28, 28), 'black on white');
    // black ink on a transparent background (alpha is the ink)
    near(inkFromRgba(rgba(() => 0, (k) => p[k]), 28, 28), 'black on transparent');
    // a photo's grey paper (luminance 0.8) with black ink: the paper is no
    // ink (within the rounding of 204 grey levels)
    near(inkFromRgba(rgba((k) => Math.round(204 * (1 - p[k] / 255))), 28, 28), 'grey paper', 0.5 / 204 + 1e-6);
  }
  // the same preprocessing as a drawing from there on
  const ink = inkFromRgba(rgba((k) => 255 - px(7)[k]), 28, 28);
  const a = preprocessDigit(ink, 28, 28).image;
  const b = preprocessDigit(digit(7), 28, 28).image;
  assert.ok(a.every((v, k) => Math.abs(v - b[k]) < 1e-6), 'the printed digit preprocesses as the digit');
  // a uniform image has no ink, whatever its shade
  for (const g of [0, 128, 255]) assert.equal(preprocessDigit(inkFromRgba(rgba(() => g), 28, 28), 28, 28), null, `grey ${g}`);
});

// ---- IDX files -------------------------------------------------------------------

test('IDX files: roles from names or headers, pairs, the test pair, counts', () => {
  const im = { name: 'train-images-idx3-ubyte', bytes: idx([1, 28, 28], new Uint8Array(784)) };
  const lb = { name: 'train-labels-idx1-ubyte', bytes: idx([1], [3]) };
  assert.equal(roleOf(im), 'images');
  assert.equal(roleOf(lb), 'labels');
  assert.equal(roleOf({ name: 'a.bin', bytes: lb.bytes }), 'labels');
  assert.equal(roleOf({ name: 'b.bin', bytes: im.bytes }), 'images');
  assert.equal(roleOf({ name: 'c.bin', bytes: Uint8Array.of(0x50, 0x4b, 3, 4) }), null);
  const two = sortIdxFiles([lb, im]);
  assert.equal(two.train.images, im.bytes);
  assert.equal(two.train.labels, lb.bytes);
  assert.equal(two.test, null);
  // one file unknown: it takes the other role
  const bad = { name: 'c.bin', bytes: Uint8Array.of(0x50, 0x4b, 3, 4) };
  assert.equal(sortIdxFiles([bad, lb]).train.images, bad.bytes);
  const t10k = (f) => ({ ...f, name: f.name.replace('train', 't10k') });
  const four = sortIdxFiles([t10k(im), lb, im, t10k(lb)]);
  assert.deepEqual(four.train.names, ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte']);
  assert.deepEqual(four.test.names, ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte']);
  const key = (fn) => {
    try {
      fn();
    } catch (err) {
      return [err.key, err.params];
    }
    return null;
  };
  assert.deepEqual(key(() => sortIdxFiles([im])), ['mnist.filesCount', { n: 1 }]);
  assert.deepEqual(key(() => sortIdxFiles([im, im])), ['mnist.filesRoles', { names: 'train-images-idx3-ubyte, train-images-idx3-ubyte' }]);
  assert.deepEqual(key(() => sortIdxFiles([im, lb, im, lb]))[0], 'mnist.filesTest');
  assert.equal(idxCount(IMAGES), 10000);
  assert.equal(idxCount(Uint8Array.of(0, 0, 8)), 0);
  assert.equal(splitCount(10000), 8000);
  assert.equal(splitCount(1), 1);
});

test('gzip files are decompressed whatever their name; broken gzip says so', async () => {
  const { images } = firstDigits(3);
  const gz = new Blob([gzipSync(images)]);
  gz.name = 'my-digits.bin';
  const r = await readIdxFile(gz);
  assert.equal(r.name, 'my-digits.bin');
  assert.deepEqual(r.bytes, images);
  const plain = new Blob([images]);
  assert.deepEqual((await readIdxFile(plain)).bytes, images);
  const broken = new Blob([Uint8Array.of(0x1f, 0x8b, 8, 0, 1, 2, 3, 4, 5, 6, 7, 8)]);
  broken.name = 'x.gz';
  await assert.rejects(readIdxFile(broken), (err) => err.key === 'mnist.badGzip' && err.params.name === 'x.gz');
});

// ---- the session -------------------------------------------------------------------

test('session: the packed digits load 8,000 / 2,000; bad files keep the old digits', () => {
  const s = createMnistSession(engine);
  assert.deepEqual(s.load({ images: IMAGES, labels: LABELS }).result, { train: 8000, test: 2000 });
  const messages = [];
  const fail = (args) => {
    try {
      s.load(args);
    } catch (err) {
      messages.push(err.key ? [err.key, err.params] : err.message);
      return;
    }
    assert.fail('loaded a bad file');
  };
  const wrongMagic = Uint8Array.from(IMAGES.subarray(0, 64));
  wrongMagic[0] = 0x50;
  wrongMagic[1] = 0x4b;
  fail({ images: wrongMagic, labels: LABELS });
  fail({ images: IMAGES.subarray(0, 1000), labels: LABELS });
  fail({ images: firstDigits(5).images, labels: firstDigits(6).labels });
  fail({ images: idx([2, 10, 10], new Uint8Array(200)), labels: idx([2], [1, 2]) });
  fail({ ...firstDigits(5), testImages: wrongMagic, testLabels: LABELS });
  fail({ images: wrongMagic, labels: LABELS, ...(({ images, labels }) => ({ testImages: images, testLabels: labels }))(firstDigits(5)) });
  assert.deepEqual(messages, [
    'images: bad magic: bytes 0-1 are 0x50 0x4b, an IDX file starts with 0x00 0x00',
    'images: truncated: expected 7840016 bytes, got 1000',
    'count mismatch: 5 images but 6 labels',
    ['mnist.notMnistShape', { rows: 10, cols: 10 }],
    'test files: images: bad magic: bytes 0-1 are 0x50 0x4b, an IDX file starts with 0x00 0x00',
    'training files: images: bad magic: bytes 0-1 are 0x50 0x4b, an IDX file starts with 0x00 0x00',
  ]);
  // still the packed digits
  s.build({ model: 'mlp' });
  assert.equal(s.samples({ start: 0, count: 3 }).result.total, 2000);
  // train and test files: all of each
  const train = firstDigits(100);
  const test = firstDigits(50, 9000);
  assert.deepEqual(s.load({ ...train, testImages: test.images, testLabels: test.labels }).result, { train: 100, test: 50 });
  const smp = s.samples({ start: 0, count: 50 }).result;
  assert.deepEqual(Array.from(smp.labels), Array.from(LABELS.subarray(8 + 9000, 8 + 9050)));
  assert.deepEqual(smp.images.subarray(0, 784), digit(9000));
});

test('session: training chunks count their examples and time; accuracy rises', () => {
  const s = createMnistSession(engine);
  s.load(firstDigits(100)); // 80 train, 20 test
  s.build({ model: 'mlp', opt: 'adam', lr: 0.001 });
  // batches of 30 over 80 digits: 30, 30, 20 make one epoch
  const r = s.train({ batch: 30, budgetMs: 1e9, maxSteps: 3 }).result;
  assert.equal(r.losses.length, 3);
  assert.equal(r.examples, 80);
  assert.equal(r.epoch, 1);
  assert.deepEqual(r.epochs.map((e) => Number(e.toFixed(4))), [0.375, 0.75, 1]);
  assert.ok(r.ms > 0 && Number.isFinite(r.ms));
  // new optimizer settings: the engine's trainer and its counts go on
  const again = s.configure({ opt: 'sgd', lr: 0.1 }).result;
  assert.deepEqual([again.epoch, again.steps], [1, 3]);
  const r2 = s.train({ batch: 40, budgetMs: 1e9, maxSteps: 1 }).result;
  assert.deepEqual([r2.epoch, r2.steps, r2.examples], [1.5, 4, 40]);
  // a timed chunk: at least one step, and it stops soon after the budget
  let clock = 0;
  const timed = createMnistSession(engine, { now: () => (clock += 10) });
  timed.load(firstDigits(100));
  timed.build({ model: 'mlp' });
  const c = timed.train({ batch: 10, budgetMs: 35 }).result;
  // the clock reads 10 ms later at every look: 10, 20, 30 ms after the
  // start the budget is not spent, at 40 it is: four steps
  assert.equal(c.losses.length, 4);
  assert.equal(c.examples, 40);

  s.load({ images: IMAGES, labels: LABELS });
  s.build({ model: 'mlp', opt: 'adam', lr: 0.001 });
  const before = s.evaluate().result;
  assert.ok(before.test.accuracy < 0.3, `untrained ${before.test.accuracy}`);
  let examples = 0;
  while (examples < 64 * 80) examples += s.train({ batch: 64, budgetMs: 50 }).result.examples;
  const after = s.evaluate().result;
  assert.equal(after.test.n, 2000);
  assert.equal(after.train.n, 1000);
  assert.ok(after.test.accuracy > 0.8, `test accuracy after ${examples} examples: ${after.test.accuracy}`);
  assert.ok(after.train.accuracy > 0.8, `train accuracy ${after.train.accuracy}`);
  const cm = after.test.confusion;
  assert.equal(cm.length, 10);
  assert.equal(sum(cm.map(sum)), 2000);
  assert.ok(Math.abs(sum(cm.map((row, i) => row[i])) / 2000 - after.test.accuracy) < 1e-9);
  // samples: predictions are the argmax of the engine's probabilities
  const smp = s.samples({ start: 1990, count: 20 }).result;
  assert.equal(smp.start, 1990);
  assert.equal(smp.n, 10, 'clamped to the end of the test set');
  for (let i = 0; i < smp.n; i++) {
    const p = s.predict({ image: smp.images.slice(i * 784, (i + 1) * 784) }).result;
    assert.ok(Math.abs(sum(p.probs) - 1) < 1e-5, `probs sum ${sum(p.probs)}`);
    assert.equal(p.pred, smp.preds[i]);
    assert.equal(p.probs[p.pred], smp.confidence[i]);
    assert.equal(p.probs[p.pred], Math.max(...p.probs));
  }
  assert.deepEqual(Array.from(smp.labels), Array.from(LABELS.subarray(8 + 9990, 8 + 10000)));
  assert.throws(() => s.predict({ image: new Float32Array(10) }), /784 pixels, got 10/);
});

test('session: stop after N epochs ends the chunk at the epoch boundary, whatever the time budget', () => {
  // 80 training digits in batches of 30: 30, 30, 20 = one epoch of 3 steps
  // (ceil(80 / 30)); a clock where every chunk could go on for ever
  const s = createMnistSession(engine, { now: () => 0 });
  s.load(firstDigits(100));
  s.build({ model: 'mlp', opt: 'adam', lr: 0.001 });
  const first = s.train({ batch: 30, budgetMs: 1e9, untilEpoch: 2 }).result;
  assert.deepEqual([first.losses.length, first.steps, first.epoch, first.reached, first.examples], [6, 6, 2, true, 160]);
  assert.equal(first.epochs.at(-1), 2);
  // already there: no step, and it says so
  const none = s.train({ batch: 30, budgetMs: 1e9, untilEpoch: 2 }).result;
  assert.deepEqual([none.losses.length, none.steps, none.epoch, none.reached], [0, 6, 2, true]);
  // in chunks of at most 2 steps (the page's time budget), still exactly at the boundary
  const chunks = [];
  for (let r; !r?.reached;) chunks.push((r = s.train({ batch: 30, budgetMs: 1e9, maxSteps: 2, untilEpoch: 4 }).result));
  assert.deepEqual(chunks.map((c) => c.losses.length), [2, 2, 2]);
  assert.deepEqual(chunks.map((c) => c.reached), [false, false, true]);
  assert.deepEqual([chunks.at(-1).steps, chunks.at(-1).epoch], [12, 4]);
  // the MNIST view's case: 8,000 digits in batches of 64 are 125 steps an epoch;
  // the same losses as one step at a time
  const page = createMnistSession(engine, { now: () => 0 });
  const ref = createMnistSession(engine);
  for (const x of [page, ref]) {
    x.load({ images: IMAGES, labels: LABELS });
    x.build({ model: 'mlp', opt: 'adam', lr: 0.001 });
  }
  const r = page.train({ batch: 64, budgetMs: 1e9, untilEpoch: 1 }).result;
  assert.deepEqual([r.losses.length, r.steps, r.epoch, r.reached], [125, 125, 1, true]);
  const one = [];
  for (let k = 0; k < 125; k++) one.push(ref.train({ batch: 64, budgetMs: 1e9, maxSteps: 1 }).result.losses[0]);
  assert.deepEqual(r.losses, one);
  assert.equal(page.evaluate().result.test.accuracy, ref.evaluate().result.test.accuracy);
});

test('engine: probs are the softmax of predict for a cross-entropy model', () => {
  const m = engine.createModel().build('dense 5 tanh, dense 4', [3, 1, 1], { seed: 4 });
  m.configure({ loss: 'ce', opt: 'sgd', lr: 0.1, nclasses: 4 });
  const x = Float32Array.of(0.5, -1, 2, 1, 0, -3);
  const logits = m.predict(x, 2);
  const probs = m.probs(x, 2);
  for (let i = 0; i < 2; i++) {
    const row = Array.from(logits.subarray(4 * i, 4 * i + 4));
    const z = sum(row.map(Math.exp));
    row.forEach((l, k) => assert.ok(Math.abs(probs[4 * i + k] - Math.exp(l) / z) < 1e-6, `${i},${k}`));
  }
  assert.throws(() => m.probs(x, 3), /3 inputs need a Float32Array of 9 values/);
  m.free();
});

test('session: first-layer weights (MLP) and filters and feature maps (CNN)', () => {
  const s = createMnistSession(engine);
  s.load({ images: IMAGES, labels: LABELS });
  const mlp = s.build({ model: 'mlp' }).result;
  assert.deepEqual([mlp.kind, mlp.spec, mlp.nparams], ['mlp', MNIST_MODELS.mlp, 784 * 128 + 128 + 128 * 10 + 10]);
  const w0 = s.weights({}).result;
  assert.deepEqual([w0.kind, w0.units, w0.h, w0.w, w0.weights.length], ['dense', 128, 28, 28, 128 * 784]);
  s.train({ batch: 64, budgetMs: 1e9, maxSteps: 2 });
  const w1 = s.weights({}).result;
  assert.ok(w1.weights.some((v, i) => v !== w0.weights[i]), 'training moved the weights');
  // the change since the start: the weights now minus those at build time
  const d = s.weights({ change: true }).result;
  assert.equal(d.change, true);
  d.weights.forEach((v, i) => assert.ok(Math.abs(v - (w1.weights[i] - w0.weights[i])) < 1e-6, `weight ${i}`));
  assert.ok(d.weights.some((v) => v !== 0));

  const cnn = s.build({ model: 'cnn' }).result;
  assert.equal(cnn.kind, 'cnn');
  const w = s.weights({ index: 7 }).result;
  assert.deepEqual([w.kind, w.units, w.cin, w.K, w.filters.length, w.index, w.which], ['conv', 8, 1, 5, 200, 7, 'test']);
  assert.deepEqual(w.maps.map((m) => [m.kind, m.C, m.H, m.W]), [['conv', 8, 24, 24], ['maxpool', 8, 12, 12], ['conv', 16, 8, 8], ['maxpool', 16, 4, 4]]);
  assert.deepEqual(w.input, digit(8007));
  assert.equal(w.label, LABELS[8 + 8007]);
  // the engine's pooled map is the 2 x 2 maximum of its conv map
  const [conv, pool] = w.maps;
  for (let c = 0; c < 8; c++) {
    for (let i = 0; i < 12; i++) {
      for (let j = 0; j < 12; j++) {
        const at = (y, x) => conv.data[c * 576 + y * 24 + x];
        const want = Math.max(at(2 * i, 2 * j), at(2 * i, 2 * j + 1), at(2 * i + 1, 2 * j), at(2 * i + 1, 2 * j + 1));
        assert.equal(pool.data[c * 144 + i * 12 + j], want);
      }
    }
  }
  assert.ok(conv.data.every((v) => v >= 0), 'relu maps are non-negative');
  // conv 1's map 0 at (0, 0): the filter over the top-left 5 x 5 patch plus bias, through relu
  const x = digit(8007);
  let z = 0;
  for (let a = 0; a < 5; a++) for (let b = 0; b < 5; b++) z += w.filters[a * 5 + b] * x[a * 28 + b];
  assert.ok(Math.abs(conv.data[0] - Math.max(0, z + 0)) < 1e-5, `conv ${conv.data[0]} vs ${z} (bias 0 at init)`);
  assert.equal(modelKind('dense 7, dense 10'), 'custom');
});

test('session: a model saved and loaded predicts the same; other shapes are refused', () => {
  const s = createMnistSession(engine);
  s.load({ images: IMAGES, labels: LABELS });
  s.build({ model: 'cnn', opt: 'sgd', lr: 0.05 });
  s.train({ batch: 16, budgetMs: 1e9, maxSteps: 3 });
  const image = digit(8001);
  const before = s.predict({ image }).result.probs;
  const bytes = s.exportModel().result;
  s.build({ model: 'mlp' });
  assert.notDeepEqual(s.predict({ image }).result.probs, before);
  const loaded = s.importModel({ bytes: bytes.slice().buffer }).result;
  assert.deepEqual([loaded.kind, loaded.spec], ['cnn', MNIST_MODELS.cnn]);
  assert.deepEqual(s.predict({ image }).result.probs, before);
  s.train({ batch: 16, budgetMs: 1e9, maxSteps: 1 }); // it trains on
  const trained = s.predict({ image }).result.probs;
  assert.notDeepEqual(trained, before);

  const other = engine.createModel().build('dense 4 tanh, dense 1', [2, 1, 1], { seed: 1 });
  other.configure({ loss: 'bce', opt: 'sgd', lr: 0.1, nclasses: 2 });
  const small = other.save();
  other.free();
  assert.throws(() => s.importModel({ bytes: small.buffer }), (err) => {
    assert.equal(err.key, 'mnist.wrongModel');
    assert.deepEqual(err.params, { shape: '2×1×1', inputs: 2, outputs: 1 });
    return true;
  });
  const wide = engine.createModel().build('conv 3 2, flatten, dense 10', [4, 14, 14], { seed: 1 });
  wide.configure({ loss: 'ce', opt: 'sgd', lr: 0.1, nclasses: 10 });
  const wideBytes = wide.save();
  wide.free();
  assert.throws(() => s.importModel({ bytes: wideBytes.buffer }), (err) => err.key === 'mnist.wrongModel' && err.params.shape === '4×14×14');
  const broken = bytes.slice(0, 40);
  assert.throws(() => s.importModel({ bytes: broken.buffer }), (err) => !err.key && err.message.length > 0);
  // the loaded model is still in place
  assert.deepEqual(s.predict({ image }).result.probs, trained);
});
