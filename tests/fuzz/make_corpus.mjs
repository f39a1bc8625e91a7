// Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/):
// small valid and near-valid inputs in each target's input format (see the
// comment at the top of each fuzz_<target>.c). Model files are saved by
// the WASM engine, so run `./build.sh wasm` first:
//
//     node tests/fuzz/make_corpus.mjs
//
// The output is committed; run this again after changing the formats.
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { loadEngine } from '../../web/js/engine.js';

const DIR = new URL('./corpus/', import.meta.url);
const enc = new TextEncoder();
const bytes = (...parts) => {
  const chunks = parts.map((p) => (typeof p === 'string' ? enc.encode(p) : Uint8Array.from(p)));
  const out = new Uint8Array(chunks.reduce((n, c) => n + c.length, 0));
  let off = 0;
  for (const c of chunks) {
    out.set(c, off);
    off += c.length;
  }
  return out;
};

function writeCorpus(target, seeds) {
  const dir = new URL(`${target}/`, DIR);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const [name, data] of Object.entries(seeds)) writeFileSync(new URL(name, dir), data);
  console.log(`${target}: ${Object.keys(seeds).length} seeds`);
}

// ---- expressions: the input is the program ----------------------------------
const programs = {
  micrograd: 'a = 2; b = -3; c = 10\ne = a*b\nd = e + c      # comments\nf = -2\nL = d*f',
  readme: 'x=-4; z=2*x+2+x; q=relu(z)+z*x; h=relu(z*z); y=h+q+q*x',
  functions: 'a = -4\nb = 2\nc = a*b + b**3\nd = relu(c) * tanh(a/b) - exp(b/4)*log(c+10)',
  power: 'x = 3\ny = -x**2 + 2**3**2 + x**-0.5 + (x*x)**0.5',
  rebind: 'c = 1\nc = c + c + 1\nc = 2\nd = c*c',
  neuron: 'x1 = 2; x2 = 0\nw1 = -3; w2 = 1\nb = 6.8813735870195432\nn = x1*w1 + x2*w2 + b\no = tanh(n)',
  sigmoid: 'x = .5\ny = sigmoid(x) / (1 + exp(-x)) - 1e-3',
  crlf: 'a = 1\r\nb = a * 2\rc = b - a',
  folded: 'x = 2\ny = x*(3*4) + (1/8)',
  // near-valid: each fails at one place
  unknown: 'a = 2\ne = q*a',
  paren: 'a = 2\nb = (a + 1',
  divzero: 'a = 0\nb = 1 / a',
  logneg: 'a = -3\nb = log(a)',
  badexp: 'a = 2; b = 3\nc = a ** b',
  number: 'x = 3\ny = 2x + 1.2.3 + 1e+',
  overflow: 'a = 800\nb = exp(a) + 1e308*10',
  gradinf: 'x = 0\ny = x**0.5',
  deep: `a = ${'('.repeat(40)}1${')'.repeat(40)}`,
};
writeCorpus('expr', Object.fromEntries(Object.entries(programs).map(([k, v]) => [k, enc.encode(v)])));

// ---- model specs: shape index, batch byte, init byte, spec -------------------
// shape index: 0 (2,1,1), 1 (1,28,28), 2 (3,8,8), 3 (1,1,1), 4 (4,5,7), 5 (16,3,3),
// 6 (7,1,1), 7 (1,12,9), 8 (2,16,16), 9 (1,64,64); 10.. are refused shapes
const specs = {
  mlp: [0, 3, 0, 'dense 16 relu, dense 16 relu, dense 1'],
  cnn: [1, 1, 0, 'conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, flatten, dense 10'],
  all_layers: [8, 2, 4, 'conv 3 4 stride 2 pad 1 tanh, avgpool 2, batchnorm, dropout 0.5, dense 3 sigmoid'],
  acts: [6, 0, 2, 'dense 8 leaky_relu, dense 8 tanh, dense 4 sigmoid, dense 3 linear'],
  pools: [2, 1, 5, 'maxpool 2, avgpool 2, flatten, dense 2'],
  conv_pad: [7, 0, 1, 'conv 3 2 pad 2 relu, conv 1 1, dense 1'],
  bn_only: [5, 0, 3, 'batchnorm'],
  limit: [0, 0, 0, 'dense 4096, dense 4096'],
  too_big_conv: [1, 0, 0, 'conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, conv 5 4'],
  typo: [0, 0, 0, 'dense 8, dens 4'],
  empty_layer: [0, 0, 0, 'dense 4,, dense 1'],
  bad_shape: [10, 0, 0, 'dense 1'],
  bad_batch: [0, 255, 0, 'dense 1'],
  bad_init: [0, 0, 7, 'dense 1'],
};
writeCorpus('spec', Object.fromEntries(Object.entries(specs).map(([k, [s, b, i, spec]]) => [k, bytes([s, b, i], spec)])));

// ---- model files: mode byte (0 as is, 1 fix the checksum, 2 another spec) ---
const engine = await loadEngine();
function modelFile(spec, shape, { nclasses = 2, steps = 1, configure = true } = {}) {
  const m = engine.createModel();
  m.build(spec, shape, { maxBatch: 4, seed: 3 });
  if (configure) {
    const out = m.info().out;
    m.configure({ nclasses: out === 1 ? (nclasses === 0 ? 0 : 2) : out, lr: 0.01 });
    if (steps) {
      const ds = engine.createDataset();
      const d = shape[0] * shape[1] * shape[2];
      const n = 4;
      const x = Array.from({ length: n * d }, (_, i) => ((i * 37) % 11) / 11 - 0.5);
      ds.setPoints('train', out === 1 && nclasses === 0
        ? { x, t: [0.1, 0.2, 0.3, 0.4], n, d, nclasses: 0 }
        : { x, y: [0, 1, 0, 1].map((v) => v % Math.max(2, out)), n, d, nclasses: out === 1 ? 2 : out });
      m.train(ds, { batch: 4, steps });
      ds.free();
    }
  }
  const file = m.save();
  m.free();
  return file;
}
const mlp = modelFile('dense 4 tanh, dense 1', [2, 1, 1]);
const cnn = modelFile('conv 3 2 pad 1 relu, batchnorm, maxpool 2, dense 3', [1, 4, 4]);
const reg = modelFile('dense 3 relu, dropout 0.25, dense 1', [1, 1, 1], { nclasses: 0 });
const fresh = modelFile('dense 2', [3, 1, 1], { configure: false });
const truncated = mlp.slice(0, mlp.length - 9);
const version = mlp.slice();
version[8] = 9;
const flipped = cnn.slice();
flipped[cnn.length >> 1] ^= 0x40;
writeCorpus('model_load', {
  mlp: bytes([0], mlp),
  cnn: bytes([0], cnn),
  regression: bytes([0], reg),
  unconfigured: bytes([0], fresh),
  mlp_fixsum: bytes([1], mlp),
  cnn_fixsum: bytes([1], cnn),
  truncated: bytes([0], truncated),
  truncated_fixsum: bytes([1], truncated),
  version: bytes([1], version),
  flipped: bytes([0], flipped),
  not_a_model: bytes([0], 'hello'),
  other_spec: bytes([2], 'dense 3 relu, dense 2'),
  same_spec: bytes([2], 'conv 3 2 pad 1 relu, batchnorm, maxpool 2, dense 3'),
  bad_spec: bytes([2], 'conv 9 2'),
});

// ---- IDX pairs: split (u16 LE), train count, images file then labels file ----
const u32be = (v) => [(v >>> 24) & 255, (v >>> 16) & 255, (v >>> 8) & 255, v & 255];
function idx(dims, values) {
  return bytes([0, 0, 8, dims.length], ...dims.map(u32be), values);
}
function pair(images, labels, train) {
  return bytes([images.length & 255, images.length >> 8, train], images, labels);
}
const pix = (n) => Array.from({ length: n }, (_, i) => (i * 53) % 256);
const img3 = idx([3, 4, 4], pix(48));
const lab3 = idx([3], [7, 0, 9]);
writeCorpus('idx', {
  pair: pair(img3, lab3, 2),
  all_train: pair(img3, lab3, 255),
  one: pair(idx([1, 2, 2], [0, 255, 128, 1]), idx([1], [5]), 1),
  bad_label: pair(img3, idx([3], [7, 10, 9]), 2),
  count_mismatch: pair(img3, idx([2], [1, 2]), 1),
  truncated: pair(img3.slice(0, 40), lab3, 2),
  trailing: pair(bytes(img3, [1, 2]), lab3, 2),
  gzip: pair(bytes([0x1f, 0x8b, 8, 0]), lab3, 1),
  dtype: pair(bytes([0, 0, 0x0d, 3], u32be(1), u32be(1), u32be(1), [0, 0, 0, 0]), lab3, 1),
  ndim: pair(idx([2, 2, 2, 1, 1].slice(0, 4), pix(8)), lab3, 1),
  zero_dim: pair(idx([0, 28, 28], []), idx([0], []), 0),
  huge_dims: pair(bytes([0, 0, 8, 3], u32be(0xffffffff), u32be(0xffffffff), u32be(0xffffffff)), lab3, 1),
  train_zero: pair(img3, lab3, 0),
});
