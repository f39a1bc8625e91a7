// The one palette of the playground views: Okabe-Ito, colour-blind safe.
// Blue is positive (and class 0), vermillion negative (and class 1).

export const PALETTE = Object.freeze({
  neg: '#d55e00', // vermillion
  pos: '#0072b2', // blue
  classes: Object.freeze(['#0072b2', '#d55e00', '#009e73', '#cc79a7', '#e69f00', '#56b4e9', '#f0e442', '#000000']),
  grid: '#dfe3ea',
  ink: '#1d2330',
  muted: '#5b6475',
});

/** '#rrggbb' -> [r, g, b] (0..255). */
export function hexToRgb(hex) {
  const n = parseInt(hex.slice(1), 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** Mixes white towards rgb by t in [0, 1]; writes [r, g, b] into out. */
export function tint(rgb, t, out = [0, 0, 0]) {
  out[0] = Math.round(255 + (rgb[0] - 255) * t);
  out[1] = Math.round(255 + (rgb[1] - 255) * t);
  out[2] = Math.round(255 + (rgb[2] - 255) * t);
  return out;
}

/** WCAG 2 relative luminance of [r, g, b] (0..255). */
function luminance(rgb) {
  const lin = (c) => {
    const v = c / 255;
    return v <= 0.04045 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4;
  };
  return 0.2126 * lin(rgb[0]) + 0.7152 * lin(rgb[1]) + 0.0722 * lin(rgb[2]);
}

// the relative luminance where white and black text contrast equally:
// 1.05 / (L + 0.05) = (L + 0.05) / 0.05
const WHITE_BELOW = Math.sqrt(1.05 * 0.05) - 0.05;

/** Whether text on a cell of colour rgb should be white (else black):
 * whichever contrasts more, at least 4.58:1 either way (WCAG AA). */
export function whiteTextOn(rgb) {
  return luminance(rgb) < WHITE_BELOW;
}

const POS_RGB = Object.freeze(hexToRgb(PALETTE.pos));
const NEG_RGB = Object.freeze(hexToRgb(PALETTE.neg));

/** v in [-maxAbs, maxAbs] -> css colour: vermillion .. white .. blue.
 * Values beyond maxAbs saturate; maxAbs <= 0 or NaN gives white. */
export function diverging(v, maxAbs) {
  const t = maxAbs > 0 && Number.isFinite(v) ? Math.max(-1, Math.min(1, v / maxAbs)) : 0;
  const [r, g, b] = tint(t < 0 ? NEG_RGB : POS_RGB, Math.abs(t));
  return `rgb(${r}, ${g}, ${b})`;
}
