// A drawn digit made to look like an MNIST digit, as the MNIST paper
// describes its own preparation: crop to the ink, scale the longest side
// to 20 pixels keeping the aspect ratio (area averaging, so thin strokes
// become grey edges as in MNIST), then place it in a 28 x 28 image so that
// the centre of mass of the ink is at the centre. Values are 0..1 with
// 1 for ink, like the training data (pack_mnist.mjs keeps MNIST's
// white-on-black polarity: background 0, ink up to 255 -> 1). Pixel
// handling only, no DOM and no model math: the page feeds it the canvas's
// alpha channel, or an uploaded image's pixels through inkFromRgba.

export const DIGIT_SIZE = 28; // the image side
export const DIGIT_BOX = 20;  // the side the longest side of the ink is scaled to
// Where MNIST's centres of mass are: at pixel 14 (0-based), so 14.5 with
// pixel centres at +0.5 (the packed digits average 14.5 on both axes).
export const DIGIT_CENTRE = 14.5;

/** The ink's bounding box { x, y, w, h } (pixels > threshold), or null. */
export function inkBox(ink, width, height, threshold = 0.05) {
  let x0 = width, y0 = height, x1 = -1, y1 = -1;
  for (let y = 0; y < height; y++) {
    const row = y * width;
    for (let x = 0; x < width; x++) {
      if (ink[row + x] > threshold) {
        if (x < x0) x0 = x;
        if (x > x1) x1 = x;
        if (y < y0) y0 = y;
        if (y > y1) y1 = y;
      }
    }
  }
  return x1 < 0 ? null : { x: x0, y: y0, w: x1 - x0 + 1, h: y1 - y0 + 1 };
}

/** Weights of an area-averaging resample of n source pixels to m: for
 * output j, the overlap of each source pixel with [j n/m, (j+1) n/m),
 * divided by that interval's length. Returns [{ from, w: Float64Array }]. */
function areaWeights(n, m) {
  const step = n / m;
  const out = [];
  for (let j = 0; j < m; j++) {
    const a = j * step, b = (j + 1) * step;
    const from = Math.floor(a);
    const to = Math.min(n, Math.ceil(b));
    const w = new Float64Array(to - from);
    for (let k = from; k < to; k++) w[k - from] = (Math.min(b, k + 1) - Math.max(a, k)) / step;
    out.push({ from, w });
  }
  return out;
}

/** The w x h crop at (x, y) of ink, area-averaged to ow x oh. */
export function resample(ink, width, { x, y, w, h }, ow, oh) {
  const wx = areaWeights(w, ow), wy = areaWeights(h, oh);
  // rows first: tmp is h x ow
  const tmp = new Float64Array(h * ow);
  for (let r = 0; r < h; r++) {
    const src = (y + r) * width + x;
    for (let j = 0; j < ow; j++) {
      const { from, w: ws } = wx[j];
      let s = 0;
      for (let k = 0; k < ws.length; k++) s += ws[k] * ink[src + from + k];
      tmp[r * ow + j] = s;
    }
  }
  const out = new Float32Array(ow * oh);
  for (let i = 0; i < oh; i++) {
    const { from, w: ws } = wy[i];
    for (let j = 0; j < ow; j++) {
      let s = 0;
      for (let k = 0; k < ws.length; k++) s += ws[k] * tmp[(from + k) * ow + j];
      out[i * ow + j] = Math.min(1, s);
    }
  }
  return out;
}

/** Centre of mass { x, y } of a w x h image, pixel centres at +0.5;
 * null when it has no mass. */
export function centreOfMass(img, w, h) {
  let m = 0, sx = 0, sy = 0;
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = img[i * w + j];
      m += v;
      sx += v * (j + 0.5);
      sy += v * (i + 0.5);
    }
  }
  return m > 0 ? { x: sx / m, y: sy / m } : null;
}

/**
 * ink: Float32Array (or any array) of width * height values in 0..1, 1 for
 * ink. Returns { image: Float32Array(784), box, scaled: { w, h }, offset:
 * { x, y } } or null when nothing is drawn.
 */
export function preprocessDigit(ink, width, height, { threshold = 0.05 } = {}) {
  const box = inkBox(ink, width, height, threshold);
  if (!box) return null;
  const scale = DIGIT_BOX / Math.max(box.w, box.h);
  const ow = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.w * scale)));
  const oh = Math.max(1, Math.min(DIGIT_BOX, Math.round(box.h * scale)));
  const small = resample(ink, width, box, ow, oh);
  const com = centreOfMass(small, ow, oh) ?? { x: ow / 2, y: oh / 2 };
  const ox = Math.round(DIGIT_CENTRE - com.x);
  const oy = Math.round(DIGIT_CENTRE - com.y);
  const image = new Float32Array(DIGIT_SIZE * DIGIT_SIZE);
  for (let i = 0; i < oh; i++) {
    const r = oy + i;
    if (r < 0 || r >= DIGIT_SIZE) continue;
    for (let j = 0; j < ow; j++) {
      const c = ox + j;
      if (c >= 0 && c < DIGIT_SIZE) image[r * DIGIT_SIZE + c] = small[i * ow + j];
    }
  }
  return { image, box, scaled: { w: ow, h: oh }, offset: { x: ox, y: oy } };
}

/**
 * Ink (0..1, 1 for ink) of an RGBA image (e.g. canvas ImageData of an
 * uploaded picture), the way a drawing's ink is: transparent pixels count
 * as white paper; the image's border tells the polarity (a light border is
 * paper with dark ink, a dark one MNIST's white digit on black) and the
 * level of the paper, which becomes 0 (grey paper in a photo is no ink;
 * full ink stays 1). A uniform image has no ink. Returns Float32Array of
 * width * height.
 */
export function inkFromRgba(rgba, width, height) {
  const n = width * height;
  const lum = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    const a = rgba[4 * i + 3] / 255;
    const grey = (0.299 * rgba[4 * i] + 0.587 * rgba[4 * i + 1] + 0.114 * rgba[4 * i + 2]) / 255;
    lum[i] = a * grey + (1 - a); // over white
  }
  let border = 0, count = 0;
  const add = (x, y) => {
    border += lum[y * width + x];
    count++;
  };
  for (let x = 0; x < width; x++) {
    add(x, 0);
    if (height > 1) add(x, height - 1);
  }
  for (let y = 1; y < height - 1; y++) {
    add(0, y);
    if (width > 1) add(width - 1, y);
  }
  const paperLum = count ? border / count : 1;
  const darkInk = paperLum >= 0.5;
  const paper = darkInk ? 1 - paperLum : paperLum; // the paper's ink level, at most 0.5
  for (let i = 0; i < n; i++) {
    const v = darkInk ? 1 - lum[i] : lum[i];
    lum[i] = Math.max(0, (v - paper) / (1 - paper));
  }
  return lum;
}
