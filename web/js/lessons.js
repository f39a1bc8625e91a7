// Guided lessons, one table in course order (issue 9). Each lesson opens a
// view with a partial URL state (keys of SCHEMA in state.js, laid over that
// view's defaults); its words are the i18n keys lesson.<id>.title,
// lesson.<id>.text and lesson.<id>.try, in every language. The lesson
// picker, next/previous, the instructors' page and the browser tests all
// read this table; ?lesson=<id> opens one (state.js).
//
// Optional fields:
//   program   the graph view's program (graph lessons)
//   variants  [{ id, state }]: "try" buttons, each a partial state laid over
//             the lesson's; the label is the i18n key
//             lesson.<id>.variant.<variant id>. Pressing one starts the
//             network afresh (same data, same seed) with that setting.
//   compare   { metric, log }: the lesson panel keeps one curve per variant
//             run, over epochs: metric is 'loss' (training loss),
//             'testLoss', 'accuracy' (training accuracy), 'grad0' (gradient
//             norm of the first layer), 'testAccuracy' or 'maxGrad' (largest gradient norm
//             of the epoch); log: a log scale.
//   panel     'metrics': the panel shows the test set's per-class
//             precision, recall, F1 and confusion matrix, live.
//
// Every number a lesson's words quote was measured with the lesson's own
// state and seed; tests/js/lessons.test.mjs checks them on the engine.

/** Lesson 6's points (x1, x2, class): class 0 left of x1 = 0, class 1
 * right of it, and 20 more class-1 points far to the right (x1 about 5.3),
 * easy to classify, which mean squared error still wants exactly at 1.
 * Fixed data, so every learner sees the same. */
const FAR_CLUSTER = [
  [-0.66, -0.6, 0], [-0.74, 1.46, 0], [-0.56, 0.09, 0], [-0.28, 1.25, 0], [-1.4, 1.49, 0],
  [-1.21, -0.92, 0], [-0.11, -1.32, 0], [-0.96, -1.41, 0], [-1.4, 0.52, 0], [-0.21, 0.93, 0],
  [-0.46, -1.31, 0], [-0.63, -0.01, 0], [-1.21, 1.18, 0], [-1.4, 0.91, 0], [-1.3, -1.42, 0],
  [-0.5, 0.72, 0], [-0.29, 0.95, 0], [-0.33, 0.73, 0], [-1.45, -0.48, 0], [-1.29, 0.48, 0],
  [0.64, -0.6, 1], [1.21, -0.56, 1], [1.32, 0.17, 1], [0.38, -0.11, 1], [0.9, -0.25, 1],
  [0.52, 1.02, 1], [0.94, -0.44, 1], [1.1, 0.26, 1], [0.66, 0.22, 1], [0.43, -1.24, 1],
  [0.93, 0.08, 1], [0.74, -0.61, 1], [0.73, -1.26, 1], [1.18, -0.89, 1], [0.27, 1.05, 1],
  [0.95, 0.35, 1], [1.41, -0.75, 1], [0.77, -0.32, 1], [0.98, 0.54, 1], [0.42, -0.92, 1],
  [5.44, -1.5, 1], [5.04, 0.83, 1], [5.62, -0.2, 1], [5.14, 0.03, 1], [5, -0.62, 1],
  [5.71, -0.65, 1], [5.41, -1.32, 1], [5.75, 0.56, 1], [5.24, -0.98, 1], [5.69, -0.64, 1],
  [4.97, -0.13, 1], [5.63, -0.41, 1], [4.7, -0.24, 1], [4.83, 1.47, 1], [5.03, 0.23, 1],
  [5.41, 1.2, 1], [5.57, 1.42, 1], [5.01, -0.82, 1], [5.29, -0.32, 1], [5.64, 0.02, 1],
];

export const LESSONS = [
  {
    id: 'derivative',
    view: 'graph',
    state: {},
    program: '# f(x) = x**3 - 4x + 1 at x = 2; by hand, f\'(x) = 3x**2 - 4\nx = 2\nf = x**3 - 4*x + 1',
  },
  {
    id: 'chain-rule',
    view: 'graph',
    state: {},
    program: "# Karpathy's first example: L = (a*b + c) * f\na = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f",
  },
  {
    id: 'neuron',
    view: 'graph',
    state: {},
    program: '# one neuron: inputs x1, x2; weights w1, w2; bias b; activation tanh\nx1 = 2.0\nx2 = 0.0\nw1 = -3.0\nw2 = 1.0\nb = 6.8813735870195432\nn = x1*w1 + x2*w2 + b\no = tanh(n)',
  },
  {
    id: 'gradient-descent',
    view: 'play',
    state: { data: 'line', feat: ['x1'], hidden: [], n: 100, noise: 0.1, ratio: 0.5, opt: 'sgd', lr: 0.01, batch: 50 },
    variants: [
      { id: 'small', state: { lr: 0.01 } },
      { id: 'right', state: { lr: 0.3 } },
      { id: 'large', state: { lr: 1 } },
    ],
    compare: { metric: 'loss', log: true },
  },
  {
    id: 'xor-hidden',
    view: 'play',
    state: { data: 'xor', noise: 0.05, feat: ['x1', 'x2'], hidden: [], act: ['tanh'], lr: 0.1 },
    variants: [
      { id: 'linear', state: { hidden: [], feat: ['x1', 'x2'] } },
      { id: 'hidden', state: { hidden: [4], feat: ['x1', 'x2'] } },
      { id: 'feature', state: { hidden: [], feat: ['x1', 'x2', 'x1x2'] } },
    ],
    compare: { metric: 'testAccuracy' },
  },
  {
    id: 'loss-functions',
    view: 'play',
    // every point trains (ratio 1): the lesson is about the training accuracy
    state: { data: 'custom', pts: FAR_CLUSTER, ratio: 1, feat: ['x1', 'x2'], hidden: [], loss: 'mse', opt: 'sgd', lr: 0.03, batch: 10 },
    variants: [
      { id: 'mse', state: { loss: 'mse' } },
      { id: 'ce', state: { loss: 'bce' } },
    ],
    compare: { metric: 'accuracy' },
  },
  {
    id: 'batch-size',
    view: 'play',
    state: { data: 'moons', hidden: [6, 6], act: ['tanh'], opt: 'sgd', lr: 0.03, batch: 10 },
    variants: [
      { id: 'stochastic', state: { batch: 1, lr: 0.03 } },
      { id: 'mini', state: { batch: 10, lr: 0.03 } },
      { id: 'full', state: { batch: 100, lr: 0.03 } },
      { id: 'full-large', state: { batch: 100, lr: 0.3 } },
    ],
    compare: { metric: 'loss' },
  },
  {
    id: 'optimizers',
    view: 'play',
    state: { data: 'circles', hidden: [6, 6], act: ['tanh'], opt: 'sgd', lr: 0.01, batch: 10 },
    variants: [
      { id: 'sgd', state: { opt: 'sgd' } },
      { id: 'momentum', state: { opt: 'momentum' } },
      { id: 'rmsprop', state: { opt: 'rmsprop' } },
      { id: 'adam', state: { opt: 'adam' } },
    ],
    compare: { metric: 'loss' },
  },
  {
    id: 'initialization',
    view: 'play',
    state: { data: 'circles', hidden: [8, 8, 8, 8], act: ['relu'], init: 'zeros', opt: 'sgd', lr: 0.03, batch: 10 },
    variants: [
      { id: 'zeros', state: { init: 'zeros' } },
      { id: 'xavier', state: { init: 'xavier' } },
      { id: 'he', state: { init: 'he' } },
    ],
    compare: { metric: 'loss' },
  },
  {
    id: 'vanishing',
    view: 'play',
    state: { data: 'circles', hidden: [8, 8, 8, 8, 8, 8], act: ['sigmoid'], init: 'xavier', opt: 'sgd', lr: 0.3 },
    variants: [
      { id: 'sigmoid', state: { act: ['sigmoid'], init: 'xavier', bn: false } },
      { id: 'relu', state: { act: ['relu'], init: 'he', bn: false } },
      { id: 'batchnorm', state: { act: ['sigmoid'], init: 'xavier', bn: true } },
    ],
    compare: { metric: 'grad0', log: true },
  },
  {
    id: 'exploding',
    view: 'play',
    state: { data: 'sine', feat: ['x1'], hidden: [8, 8, 8, 8], act: ['relu'], init: 'he', opt: 'sgd', lr: 0.1, batch: 10, clip: 0 },
    variants: [
      { id: 'noclip', state: { clip: 0 } },
      { id: 'clip', state: { clip: 1 } },
    ],
    compare: { metric: 'maxGrad', log: true },
  },
  {
    id: 'overfitting',
    view: 'play',
    state: {
      data: 'moons', n: 60, noise: 0.35, ratio: 0.5, hidden: [8, 8, 8], act: ['tanh'], opt: 'adam', lr: 0.03,
      batch: 10, showtest: true, stopepochs: 300,
    },
    variants: [
      { id: 'none', state: { reg: 'none', rate: 0, dropout: 0 } },
      { id: 'l2', state: { reg: 'l2', rate: 0.01, dropout: 0 } },
      { id: 'dropout', state: { reg: 'none', rate: 0, dropout: 0.2 } },
    ],
    compare: { metric: 'testLoss' },
  },
  {
    id: 'evaluation',
    view: 'play',
    state: { data: 'spiral', classes: 3, n: 300, noise: 0.1, hidden: [4], act: ['tanh'], opt: 'adam', lr: 0.03, stopepochs: 50 },
    panel: 'metrics',
  },
  {
    id: 'mnist',
    view: 'mnist',
    state: { stopepochs: 1 },
    variants: [
      { id: 'mlp', state: { model: 'mlp', stopepochs: 2 } },
      { id: 'cnn', state: { model: 'cnn', stopepochs: 2 } },
    ],
  },
  {
    id: 'quantization',
    view: 'mnist',
    state: { stopepochs: 1 },
  },
];

/** The lesson with this id, or undefined. */
export const lessonById = (id) => LESSONS.find((l) => l.id === id);
