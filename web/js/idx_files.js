// The learner's own MNIST files: read each (gunzipped in the browser with
// DecompressionStream when it starts with the gzip magic bytes, whatever its
// name), then tell which file holds images and which labels, and which pair
// is the test set. Checking the IDX contents is the engine's job
// (mg_api_data_load_idx): this module only sorts files, and its errors
// carry an i18n key and parameters for the page.

const GZIP = [0x1f, 0x8b];

/** An Error the page translates: key and params for t(). */
export function fileError(key, params = {}) {
  return Object.assign(new Error(`${key} ${JSON.stringify(params)}`), { key, params });
}

/** A File or Blob (with a name) -> { name, bytes: Uint8Array }, gunzipped
 * when it is gzip data. */
export async function readIdxFile(file) {
  const name = file.name ?? 'file';
  const head = new Uint8Array(await file.slice(0, 2).arrayBuffer());
  if (head[0] !== GZIP[0] || head[1] !== GZIP[1]) return { name, bytes: new Uint8Array(await file.arrayBuffer()) };
  try {
    const stream = file.stream().pipeThrough(new DecompressionStream('gzip'));
    return { name, bytes: new Uint8Array(await new Response(stream).arrayBuffer()) };
  } catch (err) {
    throw fileError('mnist.badGzip', { name, reason: err.message });
  }
}

/** 'images', 'labels' or null, from the name (the standard names say
 * idx3/images and idx1/labels) or else from an IDX header's dimension
 * count (3 for images, 1 for labels). */
export function roleOf({ name, bytes }) {
  const base = name.toLowerCase();
  if (/idx1|label/.test(base)) return 'labels';
  if (/idx3|image/.test(base)) return 'images';
  if (bytes.length >= 4 && bytes[0] === 0 && bytes[1] === 0) {
    if (bytes[3] === 1) return 'labels';
    if (bytes[3] === 3) return 'images';
  }
  return null;
}

/** Two files -> { images, labels } (Uint8Array each). */
function pair(files) {
  let [a, b] = files.map(roleOf);
  if (a === null && b !== null) a = b === 'images' ? 'labels' : 'images';
  if (b === null && a !== null) b = a === 'images' ? 'labels' : 'images';
  if (a === null || a === b) throw fileError('mnist.filesRoles', { names: files.map((f) => f.name).join(', ') });
  const [im, lb] = a === 'images' ? files : [files[1], files[0]];
  return { images: im.bytes, labels: lb.bytes, names: [im.name, lb.name] };
}

/**
 * files: [{ name, bytes }], 2 or 4 of them. Returns { train: { images,
 * labels, names }, test: same or null }. With 2 files the page splits them
 * (the first 80% train); with 4, the test pair is the one named t10k or
 * test (the standard names: t10k-images-idx3-ubyte.gz).
 */
export function sortIdxFiles(files) {
  if (files.length !== 2 && files.length !== 4) throw fileError('mnist.filesCount', { n: files.length });
  if (files.length === 2) return { train: pair(files), test: null };
  const isTest = (f) => /t10k|test/i.test(f.name);
  const test = files.filter(isTest);
  const train = files.filter((f) => !isTest(f));
  if (test.length !== 2) throw fileError('mnist.filesTest', { names: files.map((f) => f.name).join(', ') });
  return { train: pair(train), test: pair(test) };
}

/** The sample count in an IDX header (bytes 4-7, big-endian), 0 if the
 * bytes are too short to hold one. The engine checks the rest. */
export function idxCount(bytes) {
  if (bytes.length < 8) return 0;
  return ((bytes[4] << 24) | (bytes[5] << 16) | (bytes[6] << 8) | bytes[7]) >>> 0;
}

/** The first `count` training samples of the split the built-in set uses:
 * 80% (8,000 of 10,000), at least 1. */
export function splitCount(n) {
  return Math.max(1, Math.round(0.8 * n));
}
