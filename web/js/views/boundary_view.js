// The model's output over the input plane as a heatmap, the data points on
// top (or, for 1-D regression, the data and the predicted curve). A square
// canvas sized by its container, drawn at the device pixel ratio.
//
// update(data), all numbers given by the page:
//   { kind: 'binary' | 'multiclass' | 'regression2d' | 'curve',
//     extent: [x0, x1, y0, y1], res,
//     grid: Float32Array   binary: res*res p(class 1); multiclass: res*res*C
//                          (point-major); regression2d: res*res values;
//                          curve: res values at x = x0 .. x1 (both included)
//     nclasses, train: { x, y, t }, test: { x, y, t } | null, showTest,
//     selected: index of a training point to ring (the step-through sample) | null }
// Grid rows run from the top (x2 = y1) to the bottom (x2 = y0), columns from
// x1 = x0 to x1 = x1: the samples sit on the edges and corners of the plane.
import { fullNumber, shortNumber } from './format.js';
import { PALETTE, diverging, hexToRgb, tint } from './palette.js';

const DEFAULT_LABELS = {
  x1: 'x₁', x2: 'x₂', x: 'x', y: 'y',
  class: 'class', train: 'train', test: 'test', data: 'data', model: 'model',
  value: 'prediction',
};
const FADE = 0.6; // strongest tint of the heatmap, so the points stay readable
// plot margins in CSS pixels; left + right = top + bottom keeps the plot square
const M = { left: 34, right: 8, top: 8, bottom: 34 };
const NAN_PIXEL = 0xffe4e4e4; // light grey, ABGR (little-endian ImageData)

export class BoundaryView {
  /**
   * @param {HTMLElement} root
   * @param {{ label?: string, onPoint?: (x1: number, x2: number, event: MouseEvent) => void,
   *           classNames?: string[], labels?: object }} options
   */
  constructor(root, options = {}) {
    this.options = options;
    this.labels = { ...DEFAULT_LABELS, ...options.labels };
    this.el = document.createElement('div');
    this.el.className = 'boundary';
    this.canvas = document.createElement('canvas');
    this.canvas.className = 'boundary-canvas';
    this.canvas.setAttribute('role', 'img');
    this.canvas.setAttribute('aria-label', options.label ?? 'Model output over the input plane, with the data points');
    this.legend = document.createElement('div');
    this.legend.className = 'boundary-legend';
    this.el.append(this.canvas, this.legend);
    root.append(this.el);
    this.ctx = this.canvas.getContext('2d');

    // the heatmap at grid resolution, scaled up with smoothing when drawn
    this.heat = document.createElement('canvas');
    this.heatCtx = this.heat.getContext('2d');
    this.image = null;
    this.pixels = null; // Uint32Array view of this.image
    this.lut = new Uint32Array(8 * 256); // colour tables, 256 levels per class
    this.lutKey = '';
    this.classRgb = PALETTE.classes.map(hexToRgb);
    this.data = null;
    this.maxAbs = 0; // regression2d colour scale
    this.legendKey = '';
    this.legendRange = null;

    if (options.onPoint) {
      this.canvas.classList.add('boundary-clickable');
      this.canvas.addEventListener('click', (e) => this.click(e));
    }
    this.resizeObserver = new ResizeObserver(() => this.draw());
    this.resizeObserver.observe(this.canvas);
  }

  update(data) {
    this.data = data;
    if (data.kind !== 'curve') this.paintHeatmap(data);
    this.updateLegend(data);
    this.draw();
  }

  reset() {
    this.data = null;
    this.legend.replaceChildren();
    this.legendKey = '';
    this.draw();
  }

  /** Stops watching the element's size (when the page drops the view). */
  destroy() {
    this.resizeObserver.disconnect();
  }

  // --- heatmap -----------------------------------------------------------

  paintHeatmap(d) {
    const res = d.res;
    if (!this.image || this.image.width !== res) {
      this.heat.width = this.heat.height = res;
      this.image = this.heatCtx.createImageData(res, res);
      this.pixels = new Uint32Array(this.image.data.buffer);
    }
    const px = this.pixels;
    const g = d.grid;
    const lut = this.lut;
    const n = res * res;
    const lutKey = `${d.kind}|${d.nclasses}`;
    const fresh = lutKey !== this.lutKey;
    this.lutKey = lutKey;
    if (d.kind === 'binary') {
      if (fresh) this.fillLut(0, (i) => {
        const t = (i / 255 - 0.5) * 2; // -1 at p = 0 (class 0) .. 1 at p = 1 (class 1)
        return tint(this.classRgb[t < 0 ? 0 : 1], Math.abs(t) * FADE);
      });
      for (let k = 0; k < n; k++) {
        const p = g[k];
        px[k] = p === p ? lut[(Math.min(1, Math.max(0, p)) * 255 + 0.5) | 0] : NAN_PIXEL;
      }
    } else if (d.kind === 'multiclass') {
      const C = Math.min(d.nclasses, 8);
      const floor = 1 / C;
      for (let c = 0; c < C; c++) {
        // lightness by the winning probability, from 1/C (a tie) to 1
        if (fresh) this.fillLut(c, (i) => tint(this.classRgb[c], (i / 255) * FADE));
      }
      for (let k = 0, o = 0; k < n; k++, o += d.nclasses) {
        let best = 0;
        let pmax = g[o];
        for (let c = 1; c < C; c++) {
          if (g[o + c] > pmax) {
            pmax = g[o + c];
            best = c;
          }
        }
        const a = (pmax - floor) / (1 - floor);
        px[k] = a === a ? lut[best * 256 + ((Math.min(1, Math.max(0, a)) * 255 + 0.5) | 0)] : NAN_PIXEL;
      }
    } else {
      // regression2d: one diverging scale for the heatmap and the targets
      let m = 0;
      for (let k = 0; k < n; k++) if (Math.abs(g[k]) > m) m = Math.abs(g[k]);
      for (const set of [d.train, d.showTest ? d.test : null]) {
        const t = set?.t;
        if (t) for (let k = 0; k < t.length; k++) if (Math.abs(t[k]) > m) m = Math.abs(t[k]);
      }
      this.maxAbs = m;
      if (fresh) this.fillLut(0, (i) => {
        const t = (i / 255) * 2 - 1;
        return tint(t < 0 ? hexToRgb(PALETTE.neg) : hexToRgb(PALETTE.pos), Math.abs(t) * FADE);
      });
      const scale = m > 0 ? 127.5 / m : 0;
      for (let k = 0; k < n; k++) {
        const v = g[k];
        px[k] = v === v ? lut[Math.min(255, Math.max(0, (v * scale + 128) | 0))] : NAN_PIXEL;
      }
    }
    this.heatCtx.putImageData(this.image, 0, 0);
  }

  /** Fills the 256 entries of table `slot` with colour(i) -> [r, g, b]. */
  fillLut(slot, colour) {
    const lut = this.lut;
    for (let i = 0; i < 256; i++) {
      const [r, g, b] = colour(i);
      lut[slot * 256 + i] = (255 << 24) | (b << 16) | (g << 8) | r;
    }
  }

  // --- drawing -------------------------------------------------------------

  /** The CSS-pixel geometry of the plot, or null while the canvas is hidden. */
  geometry() {
    const size = this.canvas.clientWidth;
    if (size < M.left + M.right + 10) return null;
    const w = size - M.left - M.right;
    return { size, x: M.left, y: M.top, w, h: size - M.top - M.bottom };
  }

  draw() {
    const geo = this.geometry();
    if (!geo) return;
    const dpr = window.devicePixelRatio || 1;
    const pixels = Math.round(geo.size * dpr);
    if (this.canvas.width !== pixels || this.canvas.height !== pixels) {
      this.canvas.width = this.canvas.height = pixels;
    }
    const ctx = this.ctx;
    const k = pixels / geo.size;
    ctx.setTransform(k, 0, 0, k, 0, 0);
    ctx.clearRect(0, 0, geo.size, geo.size);
    ctx.fillStyle = '#fff';
    ctx.fillRect(geo.x, geo.y, geo.w, geo.h);
    const d = this.data;
    if (d) {
      const map = mapper(d.extent, geo);
      if (d.kind === 'curve') {
        this.drawGrid(ctx, d, geo, map);
      } else {
        ctx.imageSmoothingEnabled = true;
        ctx.imageSmoothingQuality = 'high';
        // source rect from the first sample's centre to the last's: samples on the edges
        const r = d.res;
        ctx.drawImage(this.heat, 0.5, 0.5, r - 1, r - 1, geo.x, geo.y, geo.w, geo.h);
      }
      ctx.save();
      ctx.beginPath();
      ctx.rect(geo.x - 4, geo.y - 4, geo.w + 8, geo.h + 8);
      ctx.clip();
      if (d.kind === 'curve') this.drawCurve(ctx, d, geo, map);
      this.drawPoints(ctx, d, geo, map);
      ctx.restore();
      this.drawTicks(ctx, d, geo, map);
    }
    ctx.strokeStyle = '#b9c0cc';
    ctx.lineWidth = 1;
    ctx.strokeRect(geo.x - 0.5, geo.y - 0.5, geo.w + 1, geo.h + 1);
  }

  drawGrid(ctx, d, geo, map) {
    const [x0, x1, y0, y1] = d.extent;
    ctx.lineWidth = 1;
    ctx.strokeStyle = PALETTE.grid;
    ctx.beginPath();
    for (const v of niceTicks(x0, x1, geo.w / 70)) {
      const x = Math.round(map.x(v)) + 0.5;
      ctx.moveTo(x, geo.y);
      ctx.lineTo(x, geo.y + geo.h);
    }
    for (const v of niceTicks(y0, y1, geo.h / 60)) {
      const y = Math.round(map.y(v)) + 0.5;
      ctx.moveTo(geo.x, y);
      ctx.lineTo(geo.x + geo.w, y);
    }
    ctx.stroke();
    if (y0 < 0 && y1 > 0) {
      // the zero line, a little stronger
      ctx.strokeStyle = '#b9c0cc';
      ctx.beginPath();
      const y = Math.round(map.y(0)) + 0.5;
      ctx.moveTo(geo.x, y);
      ctx.lineTo(geo.x + geo.w, y);
      ctx.stroke();
    }
  }

  drawCurve(ctx, d, geo, map) {
    const g = d.grid;
    const n = Math.min(d.res, g.length);
    if (n < 2) return;
    const [x0, x1] = d.extent;
    ctx.beginPath();
    let pen = false;
    for (let i = 0; i < n; i++) {
      const v = g[i];
      if (!Number.isFinite(v)) {
        pen = false;
        continue;
      }
      const x = map.x(x0 + ((x1 - x0) * i) / (n - 1));
      const y = map.y(v);
      if (pen) ctx.lineTo(x, y);
      else ctx.moveTo(x, y);
      pen = true;
    }
    ctx.lineJoin = 'round';
    ctx.lineCap = 'round';
    ctx.strokeStyle = '#fff';
    ctx.lineWidth = 5;
    ctx.stroke();
    ctx.strokeStyle = PALETTE.neg;
    ctx.lineWidth = 2.5;
    ctx.stroke();
  }

  drawPoints(ctx, d, geo, map) {
    const r = Math.max(3, Math.min(5, geo.w / 90));
    if (d.showTest && d.test) this.drawSet(ctx, d, d.test, map, r, true);
    if (d.train) this.drawSet(ctx, d, d.train, map, r, false);
    // the step-through sample: a dark ring around training point d.selected
    const k = d.selected;
    if (d.train && Number.isInteger(k) && k >= 0) {
      const curve = d.kind === 'curve';
      const x = map.x(d.train.x[curve ? k : 2 * k]);
      const y = map.y(curve ? d.train.t?.[k] : d.train.x[2 * k + 1]);
      if (Number.isFinite(x) && Number.isFinite(y)) {
        ctx.beginPath();
        ctx.arc(x, y, r + 4, 0, 2 * Math.PI);
        ctx.lineWidth = 2;
        ctx.strokeStyle = PALETTE.ink;
        ctx.stroke();
      }
    }
  }

  drawSet(ctx, d, set, map, r, hollow) {
    const curve = d.kind === 'curve';
    const dim = curve ? 1 : 2;
    const n = Math.floor(set.x.length / dim);
    if (n === 0) return;
    const X = set.x;
    const T = set.t;
    const px = (k) => map.x(X[dim * k]);
    const py = curve ? (k) => map.y(T ? T[k] : NaN) : (k) => map.y(X[2 * k + 1]);
    const ring = (fill, hairline = false) => {
      // white outline under the mark so it reads on any background
      ctx.lineWidth = hollow ? 4.5 : 3;
      ctx.strokeStyle = '#fff';
      ctx.stroke();
      if (hairline) {
        // targets near zero are nearly white: a thin dark edge keeps them visible
        ctx.lineWidth = hollow ? 3 : 1.2;
        ctx.strokeStyle = 'rgba(29, 35, 48, 0.45)';
        ctx.stroke();
      }
      if (hollow) {
        ctx.lineWidth = 2;
        ctx.strokeStyle = fill;
        ctx.stroke();
      } else {
        ctx.fillStyle = fill;
        ctx.fill();
      }
    };
    const rr = hollow ? r - 0.5 : r;
    if (d.kind === 'regression2d') {
      // each point coloured by its target on the heatmap's scale
      for (let k = 0; k < n; k++) {
        const x = px(k);
        const y = py(k);
        if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
        ctx.beginPath();
        ctx.arc(x, y, rr, 0, 2 * Math.PI);
        ring(diverging(T ? T[k] : 0, this.maxAbs), true);
      }
      return;
    }
    // one path per colour: binary/multiclass by class, curve all blue
    const ncol = curve || !set.y ? 1 : Math.min(8, Math.max(2, d.nclasses));
    for (let c = 0; c < ncol; c++) {
      ctx.beginPath();
      let any = false;
      for (let k = 0; k < n; k++) {
        if (ncol > 1 && set.y[k] !== c) continue;
        const x = px(k);
        const y = py(k);
        if (!(Number.isFinite(x) && Number.isFinite(y))) continue;
        ctx.moveTo(x + rr, y);
        ctx.arc(x, y, rr, 0, 2 * Math.PI);
        any = true;
      }
      if (any) ring(curve ? PALETTE.pos : PALETTE.classes[c]);
    }
  }

  drawTicks(ctx, d, geo, map) {
    const curve = d.kind === 'curve';
    const [x0, x1, y0, y1] = d.extent;
    ctx.fillStyle = PALETTE.muted;
    ctx.strokeStyle = '#b9c0cc';
    ctx.lineWidth = 1;
    ctx.font = '11px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    const bottom = geo.y + geo.h;
    // x1 along the bottom
    ctx.textAlign = 'center';
    ctx.textBaseline = 'top';
    ctx.beginPath();
    for (const v of niceTicks(x0, x1, geo.w / 60)) {
      const x = Math.round(map.x(v)) + 0.5;
      ctx.moveTo(x, bottom);
      ctx.lineTo(x, bottom + 4);
      ctx.fillText(shortNumber(v), x, bottom + 6);
    }
    // x2 along the left
    ctx.textAlign = 'right';
    ctx.textBaseline = 'middle';
    for (const v of niceTicks(y0, y1, geo.h / 50)) {
      const y = Math.round(map.y(v)) + 0.5;
      ctx.moveTo(geo.x - 4, y);
      ctx.lineTo(geo.x, y);
      ctx.fillText(shortNumber(v), geo.x - 6, y);
    }
    ctx.stroke();
    // axis names
    ctx.fillStyle = PALETTE.ink;
    ctx.font = '600 12px system-ui, -apple-system, "Segoe UI", Roboto, sans-serif';
    ctx.textAlign = 'center';
    ctx.textBaseline = 'bottom';
    ctx.fillText(curve ? this.labels.x : this.labels.x1, geo.x + geo.w / 2, geo.size - 1);
    ctx.save();
    ctx.translate(11, geo.y + geo.h / 2);
    ctx.rotate(-Math.PI / 2);
    ctx.textBaseline = 'middle';
    ctx.fillText(curve ? this.labels.y : this.labels.x2, 0, 0);
    ctx.restore();
  }

  click(e) {
    const d = this.data;
    const geo = this.geometry();
    if (!d || !geo) return;
    const box = this.canvas.getBoundingClientRect();
    const scale = geo.size / box.width;
    const cx = (e.clientX - box.left) * scale;
    const cy = (e.clientY - box.top) * scale;
    if (cx < geo.x || cx > geo.x + geo.w || cy < geo.y || cy > geo.y + geo.h) return;
    const [x0, x1, y0, y1] = d.extent;
    this.options.onPoint(x0 + ((cx - geo.x) / geo.w) * (x1 - x0), y1 - ((cy - geo.y) / geo.h) * (y1 - y0), e);
  }

  // --- legend --------------------------------------------------------------

  updateLegend(d) {
    const hasTest = Boolean(d.showTest && d.test && d.test.x.length);
    const key = `${d.kind}|${d.nclasses}|${hasTest}`;
    if (key !== this.legendKey) {
      this.legendKey = key;
      this.legend.replaceChildren(...this.legendItems(d, hasTest));
    }
    if (d.kind === 'regression2d' && this.legendRange) {
      const [lo, hi] = this.legendRange;
      lo.textContent = shortNumber(-this.maxAbs);
      hi.textContent = shortNumber(this.maxAbs);
      lo.title = fullNumber(-this.maxAbs);
      hi.title = fullNumber(this.maxAbs);
    }
  }

  legendItems(d, hasTest) {
    const L = this.labels;
    const items = [];
    this.legendRange = null;
    if (d.kind === 'binary' || d.kind === 'multiclass') {
      const C = d.kind === 'binary' ? 2 : Math.min(8, d.nclasses);
      for (let c = 0; c < C; c++) {
        items.push(legendItem('dot', PALETTE.classes[c], this.options.classNames?.[c] ?? `${L.class} ${c}`));
      }
    } else if (d.kind === 'regression2d') {
      const lo = span('boundary-range-value');
      const hi = span('boundary-range-value');
      const bar = span('boundary-ramp');
      bar.style.background = `linear-gradient(to right, ${PALETTE.neg}, #fff, ${PALETTE.pos})`;
      const item = span('boundary-legend-item');
      item.append(lo, bar, hi);
      items.push(span('boundary-legend-text', L.value), item);
      this.legendRange = [lo, hi];
    } else {
      items.push(legendItem('dot', PALETTE.pos, L.data), legendItem('line', PALETTE.neg, L.model));
      if (hasTest) items.push(legendItem('ring', PALETTE.pos, L.test));
      return items;
    }
    items.push(legendItem('dot', PALETTE.muted, L.train));
    if (hasTest) items.push(legendItem('ring', PALETTE.muted, L.test));
    return items;
  }
}

function span(className, text) {
  const s = document.createElement('span');
  s.className = className;
  if (text !== undefined) s.textContent = text;
  return s;
}

function legendItem(shape, colour, text) {
  const item = span('boundary-legend-item');
  const mark = span(`boundary-mark boundary-mark-${shape}`);
  if (shape === 'ring') mark.style.borderColor = colour;
  else mark.style.backgroundColor = colour;
  item.append(mark, span('boundary-legend-text', text));
  return item;
}

/** Plane -> CSS pixel maps for one extent and plot rectangle. */
function mapper([x0, x1, y0, y1], geo) {
  const sx = geo.w / (x1 - x0);
  const sy = geo.h / (y1 - y0);
  return {
    x: (v) => geo.x + (v - x0) * sx,
    y: (v) => geo.y + (y1 - v) * sy,
  };
}

/** Round tick values (steps of 1, 2 or 5 times a power of ten) within [lo, hi]. */
export function niceTicks(lo, hi, maxCount) {
  const span = hi - lo;
  if (!(span > 0) || !Number.isFinite(span)) return [];
  const raw = span / Math.max(2, Math.floor(maxCount));
  const p = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * p).find((s) => s >= raw) ?? 10 * p;
  const ticks = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi + step * 1e-9; v += step) {
    ticks.push(Math.abs(v) < step * 1e-9 ? 0 : Number(v.toPrecision(12)));
  }
  return ticks;
}
