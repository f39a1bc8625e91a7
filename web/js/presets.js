// Example programs for the expression editor: one table, in menu order.
export const PRESETS = [
  {
    id: 'abc',
    title: 'a*b + c, times f',
    program: `# Karpathy's first example
a = 2
b = -3
c = 10
e = a*b
d = e + c
f = -2
L = d*f`,
  },
  {
    id: 'neuron',
    title: 'A tanh neuron',
    program: `# inputs x1, x2; weights w1, w2; bias b
x1 = 2.0
x2 = 0.0
w1 = -3.0
w2 = 1.0
b = 6.8813735870195432
n = x1*w1 + x2*w2 + b
o = tanh(n)`,
  },
  {
    id: 'sanity',
    title: "micrograd's sanity check",
    program: `x = -4
z = 2*x + 2 + x
q = relu(z) + z*x
h = relu(z*z)
y = h + q + q*x`,
  },
  {
    id: 'more_ops',
    title: "micrograd's more ops",
    program: `a = -4
b = 2
c = a + b
d = a*b + b**3
c = c + c + 1
c = c + 1 + c + (-a)
d = d + d*2 + relu(b + a)
d = d + 3*d + relu(b - a)
e = c - d
f = e**2
g = f / 2.0
g = g + 10.0 / f`,
  },
  {
    id: 'sin_square',
    title: 'd/dx sin(x²): the autodiff chapter',
    program: `# the book's worked example: dy/dx = 2x cos(x²), 2 cos 1 = 1.0806 at x = 1.
# Select x, pick a difference and nudge: forward and backward err by ~h,
# central by ~h²
x = 1
u = x**2
y = sin(u)`,
  },
  {
    id: 'reuse',
    title: 'A value used twice',
    program: `# b is used twice: its grad collects both paths
a = 3
b = a + 1
c = b * b
d = c + b`,
  },
];

// Playground presets, in menu order: each is a partial state (keys of
// SCHEMA in state.js) laid over the defaults. Titles and explanations are
// the i18n keys preset.<id>.title and preset.<id>.text.
export const PLAY_PRESETS = [
  {
    id: 'xor-hidden',
    state: { data: 'xor', noise: 0.05, feat: ['x1', 'x2'], hidden: [], act: ['tanh'] },
  },
  {
    id: 'vanishing',
    state: { data: 'circles', hidden: [8, 8, 8, 8, 8, 8], act: ['sigmoid'], opt: 'sgd', lr: 0.3 },
  },
  {
    id: 'lr-too-high',
    state: { data: 'circles', opt: 'sgd', lr: 3 },
  },
  {
    id: 'overfitting',
    state: {
      data: 'circles', n: 40, noise: 0.3, ratio: 0.5, hidden: [8, 8, 8], act: ['relu'],
      showtest: true, reg: 'none', rate: 0,
    },
  },
  {
    id: 'spiral-depth',
    state: {
      data: 'spiral', classes: 2, feat: ['x1', 'x2'], hidden: [8, 8, 8, 8], act: ['tanh'],
      opt: 'adam', lr: 0.03,
    },
  },
];

// Programs for the graph view, first in its menu (the expression programs
// above follow).
export const GRAPH_PRESETS = [
  {
    id: 'net221',
    title: 'A 2-2-1 network on one sample',
    program: "# a 2-2-1 network on one sample (x1, x2) with target y = 1\nx1 = 0.5\nx2 = -1.5\nw1_1_1 = 0.8\nw1_1_2 = -0.4\nb1_1 = 0.1\nz1_1 = w1_1_1*x1 + w1_1_2*x2 + b1_1\na1_1 = tanh(z1_1)\nw1_2_1 = 0.3\nw1_2_2 = 0.9\nb1_2 = -0.2\nz1_2 = w1_2_1*x1 + w1_2_2*x2 + b1_2\na1_2 = tanh(z1_2)\nw2_1_1 = 1.2\nw2_1_2 = -0.7\nb2_1 = 0.05\nz2_1 = w2_1_1*a1_1 + w2_1_2*a1_2 + b2_1\ny = 1\nL = (z2_1 - y)**2",
  },
];
