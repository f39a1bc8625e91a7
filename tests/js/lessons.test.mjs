// Every guided lesson's claims, checked on the WASM engine with the
// lesson's own state and seed: the graph lessons' numbers through the
// expression engine (what the graph view shows), the playground lessons
// through the playground's own session (web/js/play_session.js, what its
// worker runs: one playground frame is one epoch), and the MNIST lessons
// through the MNIST view's session. When a test here fails, the lesson's
// words (lesson.<id>.text/.try in web/js/i18n.js) no longer hold: change
// the preset in web/js/lessons.js or the words, never just the number.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { loadEngine } from '../../web/js/engine.js';
import { createSession, setupArgs } from '../../web/js/play_session.js';
import { createMnistSession } from '../../web/js/mnist_session.js';
import { lessonState } from '../../web/js/state.js';
import { lessonById } from '../../web/js/lessons.js';
import { ROOT } from './helpers.mjs';

let engine;
before(async () => {
  engine = await loadEngine();
});

/** Within tol of want (absolute). */
function near(got, want, tol, what) {
  assert.ok(Math.abs(got - want) <= tol, `${what}: got ${got}, want ${want} ± ${tol}`);
}

// ---- the graph lessons --------------------------------------------------------

/** The lesson's program, run forward and backward: { program, result, id(name) }. */
function graphLesson(id) {
  const program = engine.createProgram();
  const result = program.run(lessonById(id).program);
  const leaf = (name) => result.values.find((v) => v.name === name && v.leaf).node;
  return { program, result, leaf };
}

test('lesson derivative: f(2) = 1, f\'(2) = 8, the central difference is off by h²', () => {
  const { program, result, leaf } = graphLesson('derivative');
  assert.equal(result.nodes.length, 7);
  assert.equal(result.data, 1);
  assert.equal(result.leaves.x.grad, 8);
  const x = leaf('x');
  near(program.numericGrad(x, 1e-4), 8, 2e-8, 'h = 0.0001');
  near(program.numericGrad(x, 1e-4) - 8, 1e-8, 1e-9, 'the difference is about h²');
  near(program.numericGrad(x, 0.5), 8.25, 1e-12, 'h = 0.5');
  near(program.numericGrad(x, 0.1), 8.01, 1e-12, 'h = 0.1');
  const at3 = program.setLeaf(x, 3);
  assert.equal(at3.nodes.find((n) => n.id === result.nodes.length - 1).data, 27 - 12 + 1);
  assert.equal(program.backward().leaves.x.grad, 23);
  program.free();
});

test('lesson chain-rule: the forward values and each local chain-rule product', () => {
  const { program, result, leaf } = graphLesson('chain-rule');
  const by = Object.fromEntries(result.values.map((v) => [v.name, v]));
  assert.deepEqual(['e', 'd', 'L'].map((n) => by[n].data), [-6, 4, -8]);
  assert.deepEqual(['d', 'f', 'e', 'c', 'a', 'b'].map((n) => by[n].grad), [-2, 4, -2, -2, 6, -4]);
  // step by step from the output: at L its children get f and d; at d (+)
  // both get -2 unchanged; at e, a gets b·(-2) and b gets a·(-2)
  program.zeroGrad();
  program.backwardBegin();
  const steps = [];
  for (let s = program.backwardStep(); s; s = program.backwardStep()) steps.push(s);
  assert.equal(steps.length, result.nodes.length, 'one step per node');
  const at = (name) => steps.find((s) => s.node === by[name].node);
  assert.deepEqual(at('L').children.map((c) => c.contrib), [-2, 4]);
  assert.deepEqual(at('d').children.map((c) => [c.local, c.contrib]), [[1, -2], [1, -2]]);
  assert.deepEqual(at('e').children.map((c) => c.contrib), [6, -4]);
  near(program.numericGrad(leaf('a'), 1e-4), 6, 1e-9, 'numerical dL/da');
  program.free();
});

test('lesson neuron: o = 0.7071, do/dn = 0.5, dw2 = 0; with b = 8 every gradient is about 7 times smaller', () => {
  const { program, result, leaf } = graphLesson('neuron');
  const by = Object.fromEntries(result.values.map((v) => [v.name, v]));
  near(by.n.data, 0.8814, 5e-5, 'n');
  near(by.o.data, 0.7071, 5e-5, 'o');
  near(by.n.grad, 0.5, 1e-12, 'do/dn');
  near(by.w1.grad, 1, 1e-12, 'do/dw1');
  near(by.b.grad, 0.5, 1e-12, 'do/db');
  assert.equal(by.w2.grad, 0);
  near(by.x1.grad, -1.5, 1e-12, 'do/dx1');
  program.setLeaf(leaf('b'), 8);
  const sat = Object.fromEntries(program.backward().values.map((v) => [v.name, v]));
  near(sat.n.data, 2, 1e-12, 'n with b = 8');
  near(sat.o.data, 0.964, 5e-4, 'tanh(2)');
  near(sat.n.grad, 0.071, 5e-4, 'do/dn with b = 8');
  near(0.5 / sat.n.grad, 7, 0.2, 'how much smaller');
  program.free();
});

// ---- the playground lessons ------------------------------------------------------

/**
 * Runs a playground lesson (and a variant's keys) as the page does: one
 * frame, one epoch. Returns per epoch { train, test, layers: [gNorm],
 * maxGradNorm }, the error that stopped it (or null), and the session
 * (call done() to free it).
 */
function play(id, variant = {}, epochs = 100, each = null) {
  const state = { ...lessonState(id), ...variant };
  const session = createSession(engine);
  const setup = session.setup(setupArgs(state)).result;
  const steps = Math.max(1, Math.ceil(setup.train.n / state.batch));
  const hist = [];
  let error = null;
  for (let e = 1; e <= epochs; e++) {
    try {
      const p = session.train({ steps }).result;
      hist.push({ train: p.train, test: p.test, layers: p.layers.map((l) => l.gNorm), maxGradNorm: p.maxGradNorm });
      each?.(e, session, setup);
    } catch (err) {
      error = err;
      break;
    }
  }
  return { hist, at: (e) => hist[e - 1], error, setup, session, done: () => session.free() };
}

/** Runs, frees, returns the history. */
function runPlay(id, variant, epochs, each) {
  const r = play(id, variant, epochs, each);
  r.done();
  return r;
}

test('lesson gradient-descent: 0.01 creeps, 0.3 fits in 20 epochs, 1 swings and grows', () => {
  const small = runPlay('gradient-descent', {}, 100);
  assert.equal(small.setup.train.n, 50, '50 training houses, all in one batch');
  near(small.at(100).train.loss, 0.07, 0.01, 'lr 0.01 after 100 epochs');
  assert.ok(small.at(1).train.loss > 1, `starts above 1: ${small.at(1).train.loss}`);
  const right = runPlay('gradient-descent', { lr: 0.3 }, 20);
  near(right.at(20).train.loss, 0.008, 0.001, 'lr 0.3 after 20 epochs');
  // lr 1: the bias, the line's height, jumps to the other side of its
  // best value at every step, and the loss grows
  const biases = [];
  const large = runPlay('gradient-descent', { lr: 1 }, 100, (e, s, setup) => {
    if (e <= 12) biases.push(s.snapshot({ extent: setup.extent, res: 4, tres: 4 }).result.biases[0][0]);
  });
  assert.equal(large.error, null);
  near(large.at(1).train.loss, 0.9, 0.05, 'lr 1, epoch 1');
  near(large.at(100).train.loss, 3.4, 0.1, 'lr 1, epoch 100');
  const mid = biases.reduce((a, b) => a + b, 0) / biases.length;
  for (let i = 1; i < biases.length; i++) {
    assert.ok(Math.sign(biases[i] - mid) === -Math.sign(biases[i - 1] - mid), `the line swings: ${biases.map((b) => b.toFixed(3))}`);
  }
});

test('lesson xor-hidden: no line separates XOR; 4 tanh neurons or the x1x2 feature do', () => {
  const linear = runPlay('xor-hidden', {}, 100);
  near(linear.at(100).train.loss, 0.67, 0.01, 'the linear model stalls');
  near(linear.at(100).test.accuracy, 0.5, 0.05, 'test accuracy near chance');
  const hidden = runPlay('xor-hidden', { hidden: [4] }, 40);
  assert.ok(hidden.at(40).test.accuracy > 0.9, `4 tanh: ${hidden.at(40).test.accuracy}`);
  const feature = runPlay('xor-hidden', { feat: ['x1', 'x2', 'x1x2'] }, 40);
  near(feature.at(40).test.accuracy, 0.94, 0.005, 'x1x2 at epoch 40');
});

test('lesson loss-functions: MSE keeps 3 to 5 points on the wrong side for good; cross-entropy gets them all', () => {
  const wrong = (r, e) => Math.round(60 * (1 - r.at(e).train.accuracy));
  const mse = runPlay('loss-functions', {}, 300);
  const counts = [];
  for (let e = 20; e <= 300; e++) counts.push(wrong(mse, e));
  assert.ok(counts.every((n) => n >= 3 && n <= 7), `never fewer than 3 wrong: ${counts.join('')}`);
  const usual = counts.filter((n) => n <= 5).length / counts.length;
  assert.ok(usual > 0.95, `usually 3 to 5 wrong (${usual})`);
  near(counts.reduce((a, b) => a + b, 0) / counts.length, 4, 0.5, 'around 93% (4 of 60 wrong)');
  const ce = runPlay('loss-functions', { loss: 'bce' }, 300);
  for (let e = 32; e <= 300; e++) assert.equal(wrong(ce, e), 0, `cross-entropy at epoch ${e}`);
});

test('lesson batch-size: per epoch batch 1 learns fastest but jagged; full batch at lr 0.3 follows mini-batches', () => {
  const runs = Object.fromEntries(lessonById('batch-size').variants.map((v) => [v.id, runPlay('batch-size', v.state, 80)]));
  near(runs.stochastic.at(20).train.loss, 0.24, 0.01, 'batch 1 after 20');
  near(runs.mini.at(20).train.loss, 0.38, 0.01, 'batch 10 after 20');
  near(runs.full.at(20).train.loss, 0.60, 0.01, 'batch 100 after 20');
  near(runs['full-large'].at(20).train.loss, 0.38, 0.01, 'full batch, lr 0.3, after 20');
  const ups = (r) => r.hist.filter((h, i) => i > 0 && h.train.loss > r.hist[i - 1].train.loss).length;
  assert.equal(ups(runs.stochastic), 23);
  assert.equal(ups(runs.full), 0);
  assert.equal(ups(runs.mini), 0);
});

test('lesson optimizers: at epoch 40 SGD 0.68, momentum 0.52, RMSprop 0.19, Adam 0.09; SGD at 0.3 catches up', () => {
  const want = { sgd: 0.68, momentum: 0.52, rmsprop: 0.19, adam: 0.09 };
  for (const v of lessonById('optimizers').variants) {
    near(runPlay('optimizers', v.state, 40).at(40).train.loss, want[v.id], 0.01, v.id);
  }
  near(runPlay('optimizers', { lr: 0.3 }, 40).at(40).train.loss, 0.09, 0.01, 'SGD at 0.3');
});

test('lesson initialization: zeros never moves and stays symmetric; He starts 3 times steeper than Xavier', () => {
  const zeros = play('initialization', {}, 50);
  const snap = zeros.session.snapshot({ extent: zeros.setup.extent, res: 4, tres: 4 }).result;
  zeros.done();
  for (const w of snap.weights) assert.ok(w.every((v) => v === 0), 'every weight is still exactly 0');
  near(zeros.at(40).train.loss, 0.690, 0.0005, 'zeros at epoch 40');
  const xavier = runPlay('initialization', { init: 'xavier' }, 40);
  const he = runPlay('initialization', { init: 'he' }, 40);
  near(xavier.at(40).train.loss, 0.36, 0.01, 'Xavier at 40');
  near(he.at(40).train.loss, 0.15, 0.01, 'He at 40');
  near(he.at(1).layers[0] / xavier.at(1).layers[0], 3, 0.3, 'first-layer gradient, He / Xavier');
});

test('lesson vanishing: sigmoid\'s first layer gets a thousandth of the gradient; ReLU and batch norm fix it', () => {
  const sig = runPlay('vanishing', {}, 150);
  const [first, last] = [sig.at(1).layers[0], sig.at(1).layers.at(-1)];
  near(first, 7e-5, 1e-5, 'sigmoid, first layer, epoch 1');
  near(last, 9e-2, 1e-2, 'sigmoid, output layer, epoch 1');
  assert.ok(last / first > 1000, `${last} / ${first}`);
  for (const e of [10, 50, 100, 150]) near(sig.at(e).train.loss, 0.69, 0.01, `sigmoid loss at ${e}`);
  const relu = runPlay('vanishing', { act: ['relu'], init: 'he' }, 10);
  near(relu.at(1).layers[0], 4e-2, 1e-2, 'ReLU first layer');
  assert.ok(relu.at(10).train.loss < 0.3, `ReLU loss at 10: ${relu.at(10).train.loss}`);
  const bn = runPlay('vanishing', { bn: true }, 40);
  near(bn.at(1).layers[0], 0.1, 0.02, 'batch norm first layer');
  assert.equal(bn.at(1).layers.length, 7, 'the drawing sees the 7 dense layers only');
  near(bn.at(40).train.loss, 0.22, 0.01, 'batch norm loss at 40');
});

test('lesson exploding: a gradient of ~1,000 kills every ReLU; clipping at 1 trains', () => {
  const free = runPlay('exploding', {}, 40);
  near(free.at(1).maxGradNorm, 1000, 100, 'the spike in epoch 1');
  for (let e = 2; e <= 40; e++) assert.ok(free.at(e).layers.every((g) => g === 0), `epoch ${e}: every weight's gradient is 0`);
  near(free.at(40).train.loss, 0.53, 0.01, 'dead network loss');
  const clip = runPlay('exploding', { clip: 1 }, 40);
  assert.ok(clip.hist.some((h) => h.maxGradNorm > 50), 'spikes still come (before clipping)');
  near(clip.at(40).train.loss, 0.05, 0.01, 'clipped, epoch 40');
});

test('lesson overfitting: train loss to 0 and test loss above 1; L2 and dropout close the gap', () => {
  // the figures are quoted after 300 epochs, where the lesson pauses
  assert.equal(lessonState('overfitting').stopepochs, 300);
  const none = runPlay('overfitting', {}, 300);
  assert.equal(none.setup.train.n, 30);
  assert.ok(none.at(300).train.loss < 0.002, `train ${none.at(300).train.loss}`);
  assert.ok(none.at(300).test.loss > 1, `test ${none.at(300).test.loss}`);
  const l2 = runPlay('overfitting', { reg: 'l2', rate: 0.01 }, 300);
  near(l2.at(300).train.loss, 0.43, 0.01, 'L2 train');
  near(l2.at(300).test.loss, 0.27, 0.01, 'L2 test');
  const drop = runPlay('overfitting', { dropout: 0.2 }, 300);
  near(drop.at(300).train.loss, 0.22, 0.01, 'dropout train');
  near(drop.at(300).test.loss, 0.24, 0.01, 'dropout test');
});

test('lesson evaluation: at epoch 50 class 0 is over-predicted; at 100 class 2 still misses 8', () => {
  const r = runPlay('evaluation', {}, 100);
  const at50 = r.at(50).test;
  near(at50.accuracy, 0.74, 0.005, 'accuracy at 50');
  near(at50.recall[0], 0.86, 0.005, 'class 0 recall');
  near(at50.precision[0], 0.60, 0.005, 'class 0 precision');
  assert.equal(at50.confusion[1][0], 24);
  const at100 = r.at(100).test;
  near(at100.accuracy, 0.947, 0.0005, 'accuracy at 100');
  assert.equal(at100.recall[1], 1);
  near(at100.recall[2], 0.85, 0.005, 'class 2 recall');
  assert.equal(at100.confusion[2].reduce((s, v) => s + v, 0) - at100.confusion[2][2], 8);
  // the engine's per-class figures are the confusion matrix's
  for (let k = 0; k < 3; k++) {
    const row = at100.confusion[k].reduce((s, v) => s + v, 0);
    const col = at100.confusion.reduce((s, r2) => s + r2[k], 0);
    near(at100.recall[k], at100.confusion[k][k] / row, 1e-12, `recall ${k}`);
    near(at100.precision[k], at100.confusion[k][k] / col, 1e-12, `precision ${k}`);
    const { precision: p, recall: q } = { precision: at100.precision[k], recall: at100.recall[k] };
    near(at100.f1[k], (2 * p * q) / (p + q), 1e-12, `F1 ${k}`);
  }
});

test('batch norm and dropout networks refuse the step-through with a message the page translates', () => {
  const r = play('vanishing', { bn: true }, 1);
  assert.throws(() => r.session.trace({ index: 0 }), (err) => err.key === 'error.stepExtraLayers');
  r.done();
  const plain = play('vanishing', {}, 1);
  assert.equal(plain.session.trace({ index: 0 }).result.layers.length, 7);
  plain.done();
});

// ---- the MNIST lessons -----------------------------------------------------------------

const IMAGES = readFileSync(`${ROOT}web/build/data/mnist-10k-images.idx`);
const LABELS = readFileSync(`${ROOT}web/build/data/mnist-10k-labels.idx`);

/** Trains the session's model as the page does with "stop after N
 * epochs" at the state's stopepochs: in chunks of at most 50 steps (the
 * page's time budget), each told where to stop. Returns the last chunk. */
function trainTo(session, state) {
  assert.ok(state.stopepochs > 0, 'the lesson stops by itself');
  for (;;) {
    const r = session.train({ batch: state.batch, budgetMs: 1e9, maxSteps: 50, untilEpoch: state.stopepochs }).result;
    if (r.reached) return r;
  }
}

test('lessons mnist and quantization: sizes, accuracy after one epoch, int8 within 0.2 points as it trains', () => {
  const s = createMnistSession(engine);
  s.load({ images: IMAGES, labels: LABELS });
  const lesson = lessonState('mnist');
  const mlp = s.build(lesson).result;
  assert.equal(mlp.nparams, 101770);
  // ▶ pauses at epoch 1: 8,000 digits in batches of 64 are 125 steps
  const stop = trainTo(s, lesson);
  assert.deepEqual([stop.steps, stop.epoch], [125, 1]);
  const ev = s.evaluate().result;
  assert.equal(ev.test.accuracy, 0.8965, 'MLP after one epoch');
  assert.deepEqual(lessonState('quantization'), { ...lesson, lesson: 'quantization' }, 'lesson 15 trains as lesson 14 does');
  const q = s.quantize().result;
  // the figures of the C test (tests/c/test_mnist.c): 784·128 + 128·10
  // weights in one byte, 138 scales and 138 biases in four
  assert.deepEqual(
    [q.report.layers, q.report.weights, q.report.scales, q.float.bytes, q.int8.bytes],
    [2, 784 * 128 + 128 * 10, 138, 101770 * 4, 101632 + 138 * 4 + 138 * 4],
  );
  assert.deepEqual([q.float.bytes, q.int8.bytes], [407080, 102736]);
  near(q.float.bytes / q.int8.bytes, 4, 0.05, 'about 4 times smaller');
  assert.equal(q.float.accuracy, ev.test.accuracy, 'the float model is the one trained');
  assert.equal(q.int8.accuracy, 0.897, 'int8 after one epoch');
  assert.equal(q.changed, 1, 'one answer changed');
  assert.ok(q.report.max_abs_err > 0 && q.report.max_abs_err < 0.01);
  // the copy is gone and the model trains on: quantized every 50 steps up
  // to epoch 4, the accuracies stay within 0.2 points and at most 5 of
  // the 2,000 answers change
  for (let steps = 150; steps <= 500; steps += 25) {
    const r = s.train({ batch: 64, budgetMs: 1e9, maxSteps: 25 }).result;
    assert.equal(r.steps, steps);
    if (steps % 50) continue;
    const qs = s.quantize().result;
    assert.ok(Math.abs(qs.int8.accuracy - qs.float.accuracy) <= 0.002 + 1e-12, `step ${steps}: ${qs.int8.accuracy} vs ${qs.float.accuracy}`);
    assert.ok(qs.changed <= 5, `step ${steps}: ${qs.changed} answers changed`);
    if (steps === 250) assert.equal(qs.float.accuracy, 0.915, 'MLP after two epochs');
  }
  // the variant buttons: each model afresh, paused at epoch 2
  const variant = (id) => ({ ...lesson, ...lessonById('mnist').variants.find((v) => v.id === id).state });
  s.build(variant('mlp'));
  assert.equal(trainTo(s, variant('mlp')).steps, 250);
  assert.equal(s.evaluate().result.test.accuracy, 0.915, 'the MLP variant after two epochs');
  const cnn = s.build(variant('cnn')).result;
  assert.equal(cnn.nparams, 5994);
  near(mlp.nparams / cnn.nparams, 17, 0.1, 'the CNN has 17 times fewer parameters');
  assert.equal(trainTo(s, variant('cnn')).steps, 250);
  assert.equal(s.evaluate().result.test.accuracy, 0.927, 'CNN after two epochs');
  const qc = s.quantize().result;
  assert.deepEqual([qc.float.bytes, qc.int8.bytes], [23976, 6232]);
  assert.ok(Math.abs(qc.int8.accuracy - qc.float.accuracy) <= 0.01);
});

test('quantize: without digits or a model the session says so; the engine refuses a bad source', () => {
  const s = createMnistSession(engine);
  assert.throws(() => s.quantize(), /no model yet/);
  s.build({ model: 'mlp' });
  assert.throws(() => s.quantize(), /no digits yet/);
  const a = engine.createModel();
  const b = engine.createModel();
  assert.throws(() => b.quantizeFrom(a), /has no model built yet/);
  a.build('dense 3', [2, 1, 1]);
  assert.throws(() => a.quantizeFrom(a), /a handle of its own/);
  const rep = b.quantizeFrom(a);
  assert.deepEqual([rep.layers, rep.weights, rep.scales], [1, 6, 3]);
  a.free();
  b.free();
});
