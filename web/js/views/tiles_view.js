// Groups of small images drawn into one canvas per group with
// putImageData: the first layer's weights of an MLP (one 28 x 28 tile per
// hidden unit, blue positive, vermillion negative, each tile scaled to its
// own largest |w|), a CNN's filters, and its feature maps (dark = strong
// activation, each map scaled to its own maximum).
import { PALETTE, hexToRgb } from './palette.js';

const POS = hexToRgb(PALETTE.pos);
const NEG = hexToRgb(PALETTE.neg);
const INK = [29, 35, 48];
const LINE = [223, 227, 234]; // --line, between the tiles
const GAP = 1;

/** Writes tile t (h x w values at data[off..]) into px at (x0, y0) of a canvas W wide. */
function drawTile(px, W, x0, y0, data, off, h, w, mode) {
  let max = 0;
  for (let k = 0; k < h * w; k++) max = Math.max(max, mode === 'diverging' ? Math.abs(data[off + k]) : data[off + k]);
  for (let i = 0; i < h; i++) {
    for (let j = 0; j < w; j++) {
      const v = max > 0 ? data[off + i * w + j] / max : 0;
      const c = mode === 'diverging' ? (v < 0 ? NEG : POS) : INK;
      const a = mode === 'diverging' ? Math.min(1, Math.abs(v)) : Math.max(0, Math.min(1, v));
      const p = 4 * ((y0 + i) * W + x0 + j);
      px[p] = 255 + (c[0] - 255) * a;
      px[p + 1] = 255 + (c[1] - 255) * a;
      px[p + 2] = 255 + (c[2] - 255) * a;
      px[p + 3] = 255;
    }
  }
}

export class TilesView {
  /** @param {HTMLElement} root */
  constructor(root) {
    this.root = root;
    this.el = document.createElement('div');
    this.el.className = 'tiles';
    root.append(this.el);
    this.figs = [];
  }

  /**
   * @param {{ groups: { title: string, n: number, h: number, w: number, data: ArrayLike<number>,
   *   mode?: 'diverging' | 'ink', cols?: number, zoom?: number }[] }} p
   *   zoom: CSS pixels per tile pixel at most (the canvas shrinks to fit)
   */
  update({ groups }) {
    while (this.figs.length > groups.length) this.figs.pop().fig.remove();
    while (this.figs.length < groups.length) {
      const fig = document.createElement('figure');
      fig.className = 'tiles-group';
      const cap = document.createElement('figcaption');
      const canvas = document.createElement('canvas');
      canvas.setAttribute('role', 'img');
      fig.append(cap, canvas);
      this.el.append(fig);
      this.figs.push({ fig, cap, canvas });
    }
    groups.forEach((g, gi) => {
      const { fig, cap, canvas } = this.figs[gi];
      const cols = Math.min(g.n, g.cols ?? Math.ceil(Math.sqrt(g.n)));
      const rows = Math.ceil(g.n / cols);
      const W = cols * (g.w + GAP) - GAP;
      const H = rows * (g.h + GAP) - GAP;
      if (canvas.width !== W || canvas.height !== H) {
        canvas.width = W;
        canvas.height = H;
      }
      canvas.style.width = `${W * (g.zoom ?? 2)}px`;
      canvas.setAttribute('aria-label', g.title);
      if (cap.textContent !== g.title) cap.textContent = g.title;
      fig.dataset.tiles = String(g.n);
      const ctx = canvas.getContext('2d');
      const img = ctx.createImageData(W, H);
      for (let p = 0; p < img.data.length; p += 4) {
        img.data[p] = LINE[0];
        img.data[p + 1] = LINE[1];
        img.data[p + 2] = LINE[2];
        img.data[p + 3] = 255;
      }
      for (let t = 0; t < g.n; t++) {
        const x0 = (t % cols) * (g.w + GAP);
        const y0 = Math.floor(t / cols) * (g.h + GAP);
        drawTile(img.data, W, x0, y0, g.data, t * g.h * g.w, g.h, g.w, g.mode ?? 'diverging');
      }
      ctx.putImageData(img, 0, 0);
    });
  }

  reset() {
    for (const f of this.figs) f.fig.remove();
    this.figs = [];
  }
}
