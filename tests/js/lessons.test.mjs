// Every guided lesson's claims, checked on the WASM engine with the
// lesson's own state and seed: the graph lessons' numbers through the
// expression engine (what the graph view shows), the playground lessons
// through the playground's own session (web/js/play_session.js, what its
// worker runs: one playground frame is one epoch), and the MNIST lessons
// through the MNIST view's session. When a test here fails, the lesson's
// words (lesson.<id>.text/.try in web/js/i18n.js) no longer hold: change
// the preset in web/js/lessons.js or the words, never just the number.
// The figures the words quote are written once, in QUOTED below, and
// checked against the words in both languages as well as the engine.
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

// ---- the figures the lessons' words quote ------------------------------------------
//
// Each result a lesson's text quotes (lesson.<id>.text and .try in
// web/js/i18n.js) is written here once, as the text writes it: the test
// below reads the words in English and Chinese and finds each of these in
// both, and the lesson's own test compares it with what the engine
// measures, to within half a unit of its last digit (the text rounds) or
// the stated tolerance where the text says "about". Every other decimal or
// percentage in the words must be one of the lesson's settings (GIVEN), so
// a figure added to the text without a measurement fails too.
const QUOTED = {
  derivative: { h4: '1e-8', h05: '8.25', h01: '8.01', at3: '23' },
  neuron: { n: '0.8814', o: '0.7071', dodn: '0.5', satO: '0.964', satDodn: '0.071' },
  'gradient-descent': { small100: '0.07', right20: '0.008', large1: '0.9', large100: '3.4' },
  'xor-hidden': { stall: '0.67', chance: '50%', hidden: '90%', feature: '94%' },
  'loss-functions': { mse: '93%', ce: '100%', ceFrom: '32' },
  'batch-size': { stochastic: '0.24', mini: '0.38', full: '0.60', fullLarge: '0.38', ups: '23' },
  optimizers: { sgd: '0.68', momentum: '0.52', rmsprop: '0.19', adam: '0.09', tuned: '0.09' },
  initialization: { zeros: '0.690', xavier: '0.36', he: '0.15', ratio: '3' },
  vanishing: { first: '7e-5', last: '9e-2', stuck: '0.69', relu: '4e-2', reluLoss: '0.3', bn: '0.1', bnLoss: '0.22' },
  exploding: { spike: '1,000', dead: '0.53', clipped: '0.05' },
  overfitting: { train: '0.001', l2Train: '0.43', l2Test: '0.27', dropTrain: '0.22', dropTest: '0.24' },
  evaluation: { acc50: '74%', recall0: '0.86', precision0: '0.60', row1col0: '24', acc100: '94.7%', recall2: '0.85', misses2: '8' },
  mnist: { mlpParams: '101,770', cnnParams: '5,994', mlp1: '89.65%', cnn2: '92.7%', mlp2: '91.5%', fewer: '17' },
  quantization: { weights: '101,632', scales: '138', floatBytes: '407,080', int8Bytes: '102,736', float: '89.65%', int8: '89.70%', within: '0.2' },
};
// decimals and percentages in the words that are settings, not results
const GIVEN = {
  derivative: ['0.0001', '0.5', '0.25', '0.1'],
  neuron: [],
  'gradient-descent': ['0.01', '0.3'],
  'batch-size': ['0.3', '0.03'],
  optimizers: ['0.01', '0.3'],
  vanishing: ['0.25'],
  exploding: ['0.1'],
  overfitting: ['0.01', '0.2'],
};

const NUMBER = /(?<![\p{L}\p{N}_.])[−-]?\d[\d,]*(?:\.\d+)?(?:e[−-]?\d+)?%?/gu;
const plain = (s) => s.replace(/−/g, '-').replace(/,/g, '');

/** The quoted figure as a number ('94%' is 0.94). */
function quoted(id, key) {
  const s = plain(QUOTED[id][key]);
  return s.endsWith('%') ? Number(s.slice(0, -1)) / 100 : Number(s);
}

/** got is the figure the words quote: within half a unit of its last
 * digit, or tol where the words say "about". */
function nearQuoted(got, id, key, tol = null) {
  const s = plain(QUOTED[id][key]);
  const digits = s.replace('%', '').match(/\.(\d+)/)?.[1].length ?? 0;
  const exponent = s.match(/e(-?\d+)$/);
  const half = exponent ? 0.5 * 10 ** Number(exponent[1]) : 0.5 * 10 ** -digits * (s.endsWith('%') ? 0.01 : 1);
  near(got, quoted(id, key), tol ?? half * (1 + 1e-9), `lesson ${id}: ${key} (the words say ${QUOTED[id][key]})`);
}

test('every figure the lessons quote is in their words in both languages, and every other is a setting', async () => {
  const { STRINGS } = await import('../../web/js/i18n.js');
  const ids = Object.keys(STRINGS.en).map((k) => k.match(/^lesson\.(.+)\.text$/)?.[1]).filter(Boolean);
  assert.deepEqual(Object.keys(QUOTED).filter((id) => !ids.includes(id)), [], 'QUOTED names lessons that exist');
  for (const id of ids) {
    const figures = QUOTED[id] ?? {};
    for (const lang of ['en', 'zh']) {
      const words = ['text', 'try'].map((p) => STRINGS[lang][`lesson.${id}.${p}`] ?? '').join(' ');
      const numbers = (words.match(NUMBER) ?? []).map(plain);
      for (const [key, f] of Object.entries(figures)) {
        assert.ok(numbers.includes(plain(f)), `lesson ${id} (${lang}): the words do not quote ${key} = ${f}`);
      }
      const known = new Set([...Object.values(figures).map(plain), ...(GIVEN[id] ?? [])]);
      const unknown = numbers.filter((n) => /[.%e]/.test(n) && !known.has(n));
      assert.deepEqual(unknown, [], `lesson ${id} (${lang}): figures the tests do not measure`);
    }
  }
});

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
  nearQuoted(program.numericGrad(x, 1e-4) - 8, 'derivative', 'h4', 1e-9); // about h²
  nearQuoted(program.numericGrad(x, 0.5), 'derivative', 'h05', 1e-12);
  nearQuoted(program.numericGrad(x, 0.1), 'derivative', 'h01', 1e-12);
  const at3 = program.setLeaf(x, 3);
  assert.equal(at3.nodes.find((n) => n.id === result.nodes.length - 1).data, 27 - 12 + 1);
  assert.equal(program.backward().leaves.x.grad, quoted('derivative', 'at3'));
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

test('lesson neuron: one tanh neuron\'s values and gradients, a zero input\'s zero gradient, saturation at b = 8', () => {
  const { program, result, leaf } = graphLesson('neuron');
  const by = Object.fromEntries(result.values.map((v) => [v.name, v]));
  nearQuoted(by.n.data, 'neuron', 'n');
  nearQuoted(by.o.data, 'neuron', 'o');
  nearQuoted(by.n.grad, 'neuron', 'dodn', 1e-12);
  near(by.w1.grad, 1, 1e-12, 'do/dw1');
  near(by.b.grad, 0.5, 1e-12, 'do/db');
  assert.equal(by.w2.grad, 0);
  near(by.x1.grad, -1.5, 1e-12, 'do/dx1');
  program.setLeaf(leaf('b'), 8);
  const sat = Object.fromEntries(program.backward().values.map((v) => [v.name, v]));
  near(sat.n.data, 2, 1e-12, 'n with b = 8');
  nearQuoted(sat.o.data, 'neuron', 'satO');
  nearQuoted(sat.n.grad, 'neuron', 'satDodn');
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
  nearQuoted(small.at(100).train.loss, 'gradient-descent', 'small100');
  assert.ok(small.at(1).train.loss > 1, `starts above 1: ${small.at(1).train.loss}`);
  const right = runPlay('gradient-descent', { lr: 0.3 }, 20);
  nearQuoted(right.at(20).train.loss, 'gradient-descent', 'right20');
  // lr 1: the bias, the line's height, jumps to the other side of its
  // best value at every step, and the loss grows
  const biases = [];
  const large = runPlay('gradient-descent', { lr: 1 }, 100, (e, s, setup) => {
    if (e <= 12) biases.push(s.snapshot({ extent: setup.extent, res: 4, tres: 4 }).result.biases[0][0]);
  });
  assert.equal(large.error, null);
  nearQuoted(large.at(1).train.loss, 'gradient-descent', 'large1');
  nearQuoted(large.at(100).train.loss, 'gradient-descent', 'large100');
  const mid = biases.reduce((a, b) => a + b, 0) / biases.length;
  for (let i = 1; i < biases.length; i++) {
    assert.ok(Math.sign(biases[i] - mid) === -Math.sign(biases[i - 1] - mid), `the line swings: ${biases.map((b) => b.toFixed(3))}`);
  }
});

test('lesson xor-hidden: no line separates XOR; 4 tanh neurons or the x1x2 feature do', () => {
  const linear = runPlay('xor-hidden', {}, 100);
  nearQuoted(linear.at(100).train.loss, 'xor-hidden', 'stall');
  nearQuoted(linear.at(100).test.accuracy, 'xor-hidden', 'chance', 0.05); // about 50%
  const hidden = runPlay('xor-hidden', { hidden: [4] }, 40);
  assert.ok(hidden.at(40).test.accuracy > quoted('xor-hidden', 'hidden'), `4 tanh: ${hidden.at(40).test.accuracy}`);
  const feature = runPlay('xor-hidden', { feat: ['x1', 'x2', 'x1x2'] }, 40);
  nearQuoted(feature.at(40).test.accuracy, 'xor-hidden', 'feature');
});

test('lesson loss-functions: MSE keeps 3 to 5 points on the wrong side for good; cross-entropy gets them all', () => {
  const wrong = (r, e) => Math.round(60 * (1 - r.at(e).train.accuracy));
  const mse = runPlay('loss-functions', {}, 300);
  const counts = [];
  for (let e = 20; e <= 300; e++) counts.push(wrong(mse, e));
  assert.ok(counts.every((n) => n >= 3 && n <= 7), `never fewer than 3 wrong: ${counts.join('')}`);
  const usual = counts.filter((n) => n <= 5).length / counts.length;
  assert.ok(usual > 0.95, `usually 3 to 5 wrong (${usual})`);
  nearQuoted(1 - counts.reduce((a, b) => a + b, 0) / counts.length / 60, 'loss-functions', 'mse', 0.01); // around 93%
  const ce = runPlay('loss-functions', { loss: 'bce' }, 300);
  for (let e = quoted('loss-functions', 'ceFrom'); e <= 300; e++) assert.equal(ce.at(e).train.accuracy, quoted('loss-functions', 'ce'), `cross-entropy at epoch ${e}`);
});

test('lesson batch-size: per epoch batch 1 learns fastest but jagged; full batch at lr 0.3 follows mini-batches', () => {
  const runs = Object.fromEntries(lessonById('batch-size').variants.map((v) => [v.id, runPlay('batch-size', v.state, 80)]));
  nearQuoted(runs.stochastic.at(20).train.loss, 'batch-size', 'stochastic');
  nearQuoted(runs.mini.at(20).train.loss, 'batch-size', 'mini');
  nearQuoted(runs.full.at(20).train.loss, 'batch-size', 'full');
  nearQuoted(runs['full-large'].at(20).train.loss, 'batch-size', 'fullLarge');
  const ups = (r) => r.hist.filter((h, i) => i > 0 && h.train.loss > r.hist[i - 1].train.loss).length;
  assert.equal(ups(runs.stochastic), quoted('batch-size', 'ups'));
  assert.equal(ups(runs.full), 0);
  assert.equal(ups(runs.mini), 0);
});

test('lesson optimizers: the four rules\' losses at epoch 40; SGD at 0.3 catches up', () => {
  for (const v of lessonById('optimizers').variants) {
    nearQuoted(runPlay('optimizers', v.state, 40).at(40).train.loss, 'optimizers', v.id);
  }
  nearQuoted(runPlay('optimizers', { lr: 0.3 }, 40).at(40).train.loss, 'optimizers', 'tuned');
});

test('lesson initialization: zeros never moves and stays symmetric; He starts 3 times steeper than Xavier', () => {
  const zeros = play('initialization', {}, 50);
  const snap = zeros.session.snapshot({ extent: zeros.setup.extent, res: 4, tres: 4 }).result;
  zeros.done();
  for (const w of snap.weights) assert.ok(w.every((v) => v === 0), 'every weight is still exactly 0');
  nearQuoted(zeros.at(40).train.loss, 'initialization', 'zeros');
  const xavier = runPlay('initialization', { init: 'xavier' }, 40);
  const he = runPlay('initialization', { init: 'he' }, 40);
  nearQuoted(xavier.at(40).train.loss, 'initialization', 'xavier');
  nearQuoted(he.at(40).train.loss, 'initialization', 'he');
  nearQuoted(he.at(1).layers[0] / xavier.at(1).layers[0], 'initialization', 'ratio', 0.3); // about 3 times
});

test('lesson vanishing: sigmoid\'s first layer gets a thousandth of the gradient; ReLU and batch norm fix it', () => {
  const sig = runPlay('vanishing', {}, 150);
  const [first, last] = [sig.at(1).layers[0], sig.at(1).layers.at(-1)];
  nearQuoted(first, 'vanishing', 'first');
  nearQuoted(last, 'vanishing', 'last');
  assert.ok(last / first > 1000, `${last} / ${first}`);
  for (const e of [10, 50, 100, 150]) nearQuoted(sig.at(e).train.loss, 'vanishing', 'stuck');
  const relu = runPlay('vanishing', { act: ['relu'], init: 'he' }, 10);
  nearQuoted(relu.at(1).layers[0], 'vanishing', 'relu');
  assert.ok(relu.at(10).train.loss < quoted('vanishing', 'reluLoss'), `ReLU loss at 10: ${relu.at(10).train.loss}`);
  const bn = runPlay('vanishing', { bn: true }, 40);
  nearQuoted(bn.at(1).layers[0], 'vanishing', 'bn', 0.02); // about 0.1
  assert.equal(bn.at(1).layers.length, 7, 'the drawing sees the 7 dense layers only');
  nearQuoted(bn.at(40).train.loss, 'vanishing', 'bnLoss');
});

test('lesson exploding: a gradient spike kills every ReLU; clipping at 1 trains', () => {
  const free = runPlay('exploding', {}, 40);
  nearQuoted(free.at(1).maxGradNorm, 'exploding', 'spike', 100); // about 1,000
  for (let e = 2; e <= 40; e++) assert.ok(free.at(e).layers.every((g) => g === 0), `epoch ${e}: every weight's gradient is 0`);
  nearQuoted(free.at(40).train.loss, 'exploding', 'dead');
  const clip = runPlay('exploding', { clip: 1 }, 40);
  assert.ok(clip.hist.some((h) => h.maxGradNorm > 50), 'spikes still come (before clipping)');
  nearQuoted(clip.at(40).train.loss, 'exploding', 'clipped');
});

test('lesson overfitting: train loss to 0 and test loss above 1; L2 and dropout close the gap', () => {
  // the figures are quoted after 300 epochs, where the lesson pauses
  assert.equal(lessonState('overfitting').stopepochs, 300);
  const none = runPlay('overfitting', {}, 300);
  assert.equal(none.setup.train.n, 30);
  nearQuoted(none.at(300).train.loss, 'overfitting', 'train');
  assert.ok(none.at(300).test.loss > 1, `test ${none.at(300).test.loss}`);
  const l2 = runPlay('overfitting', { reg: 'l2', rate: 0.01 }, 300);
  nearQuoted(l2.at(300).train.loss, 'overfitting', 'l2Train');
  nearQuoted(l2.at(300).test.loss, 'overfitting', 'l2Test');
  const drop = runPlay('overfitting', { dropout: 0.2 }, 300);
  nearQuoted(drop.at(300).train.loss, 'overfitting', 'dropTrain');
  nearQuoted(drop.at(300).test.loss, 'overfitting', 'dropTest');
});

test('lesson evaluation: at epoch 50 class 0 is over-predicted; at 100 class 2 still misses some', () => {
  const r = runPlay('evaluation', {}, 100);
  const at50 = r.at(50).test;
  nearQuoted(at50.accuracy, 'evaluation', 'acc50');
  nearQuoted(at50.recall[0], 'evaluation', 'recall0');
  nearQuoted(at50.precision[0], 'evaluation', 'precision0');
  assert.equal(at50.confusion[1][0], quoted('evaluation', 'row1col0'));
  const at100 = r.at(100).test;
  nearQuoted(at100.accuracy, 'evaluation', 'acc100');
  assert.equal(at100.recall[1], 1);
  nearQuoted(at100.recall[2], 'evaluation', 'recall2');
  assert.equal(at100.confusion[2].reduce((s, v) => s + v, 0) - at100.confusion[2][2], quoted('evaluation', 'misses2'));
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

test('lessons mnist and quantization: sizes, accuracy after one epoch, int8 as close as the words say while it trains', () => {
  const s = createMnistSession(engine);
  s.load({ images: IMAGES, labels: LABELS });
  const lesson = lessonState('mnist');
  const mlp = s.build(lesson).result;
  assert.equal(mlp.nparams, quoted('mnist', 'mlpParams'));
  // ▶ pauses at epoch 1: 8,000 digits in batches of 64 are 125 steps
  const stop = trainTo(s, lesson);
  assert.deepEqual([stop.steps, stop.epoch], [125, 1]);
  const ev = s.evaluate().result;
  nearQuoted(ev.test.accuracy, 'mnist', 'mlp1');
  assert.deepEqual(lessonState('quantization'), { ...lesson, lesson: 'quantization' }, 'lesson 15 trains as lesson 14 does');
  const q = s.quantize().result;
  // the figures of the C test (tests/c/test_mnist.c): 784·128 + 128·10
  // weights in one byte, 138 scales and 138 biases in four
  assert.deepEqual(
    [q.report.layers, q.report.weights, q.report.scales, q.float.bytes, q.int8.bytes],
    [2, 784 * 128 + 128 * 10, 138, 101770 * 4, 101632 + 138 * 4 + 138 * 4],
  );
  assert.deepEqual([q.report.weights, q.report.scales, q.float.bytes, q.int8.bytes],
    ['weights', 'scales', 'floatBytes', 'int8Bytes'].map((k) => quoted('quantization', k)));
  near(q.float.bytes / q.int8.bytes, 4, 0.05, 'about 4 times smaller');
  assert.equal(q.float.accuracy, ev.test.accuracy, 'the float model is the one trained');
  nearQuoted(q.float.accuracy, 'quantization', 'float');
  nearQuoted(q.int8.accuracy, 'quantization', 'int8');
  assert.equal(q.changed, 1, 'one answer changed (the words: one digit)');
  assert.ok(q.report.max_abs_err > 0 && q.report.max_abs_err < 0.01);
  // the copy is gone and the model trains on: quantized every 50 steps up
  // to epoch 4, the accuracies stay within 0.2 points and at most 5 of
  // the 2,000 answers change
  for (let steps = 150; steps <= 500; steps += 25) {
    const r = s.train({ batch: 64, budgetMs: 1e9, maxSteps: 25 }).result;
    assert.equal(r.steps, steps);
    if (steps % 50) continue;
    const qs = s.quantize().result;
    assert.ok(Math.abs(qs.int8.accuracy - qs.float.accuracy) <= quoted('quantization', 'within') / 100 + 1e-12, `step ${steps}: ${qs.int8.accuracy} vs ${qs.float.accuracy}`);
    assert.ok(qs.changed <= 5, `step ${steps}: ${qs.changed} answers changed`);
    if (steps === 250) nearQuoted(qs.float.accuracy, 'mnist', 'mlp2');
  }
  // the variant buttons: each model afresh, paused at epoch 2
  const variant = (id) => ({ ...lesson, ...lessonById('mnist').variants.find((v) => v.id === id).state });
  s.build(variant('mlp'));
  assert.equal(trainTo(s, variant('mlp')).steps, 250);
  nearQuoted(s.evaluate().result.test.accuracy, 'mnist', 'mlp2');
  const cnn = s.build(variant('cnn')).result;
  assert.equal(cnn.nparams, quoted('mnist', 'cnnParams'));
  nearQuoted(mlp.nparams / cnn.nparams, 'mnist', 'fewer');
  assert.equal(trainTo(s, variant('cnn')).steps, 250);
  nearQuoted(s.evaluate().result.test.accuracy, 'mnist', 'cnn2');
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
