// The network as neurons and weighted edges, left to right: the input
// features, the hidden layers, the output. An SVG that fits its container's
// width; built once per architecture, then only its numbers change.
//
// update(data):
//   { inputs: ['x1', ...], layers: [{ units, act, output? }, ...],
//     weights: [Float32Array units_l * units_{l-1}, row-major [j][i]], biases,
//     grads: same layout as weights | null, mode: 'weights' | 'grads',
//     thumbnails: [[Float32Array tres*tres per unit] per layer] | null, tres,
//     curves?: true when the data have one input: each thumbnail is then a
//       neuron's output at tres points along x, drawn as a curve
//     highlight: { layer, unit } | { type: 'edge', layer, from, to } | null,
//     values: [Float32Array per layer] | null,   // one more array first = the inputs
//     task?: 'binary' | 'multiclass' | 'regression' }  // colours of the output thumbnails
//
// Indices are those of the arrays: layer l is data.layers[l] (0-based), whose
// incoming weights are weights[l]; the input features are layer -1. An edge
// { layer: l, from: i, to: j } is weights[l][j * units_{l-1} + i]. Labels for
// people count from 1 ("layer 2 neuron 3" is layer 1, unit 2).
import { shortNumber } from './format.js';
import { PALETTE, hexToRgb, tint } from './palette.js';

const SVG = 'http://www.w3.org/2000/svg';
const S = 44; // neuron size
const INSET = 3; // thumbnail inset inside the neuron's frame
const COL = 128; // column pitch
const ROW = S + 26; // neuron pitch, with room for a value under each
const TOP = 40; // column headings
const PAD = 10;
const MAX_SCALE = 1.5; // the drawing never grows beyond 1.5 CSS px per unit

const DEFAULT_LABELS = {
  inputs: 'inputs', input: 'input', layer: 'layer', neuron: 'neuron', output: 'output',
  bias: 'bias', weight: 'w', grad: 'dL/dw', value: 'value',
  positive: 'positive', negative: 'negative',
  widthWeights: 'line width ∝ |weight|', widthGrads: 'line width ∝ |gradient dL/dw|',
  biasMark: 'corner square: bias',
};

export class NetworkView {
  /**
   * @param {HTMLElement} root
   * @param {{ label?: string, labels?: object,
   *           onSelect?: (what: {type: 'neuron', layer: number, unit: number} |
   *                             {type: 'edge', layer: number, from: number, to: number}) => void }} options
   */
  constructor(root, options = {}) {
    this.options = options;
    this.labels = { ...DEFAULT_LABELS, ...options.labels };
    this.el = document.createElement('div');
    this.el.className = 'network';
    this.svg = svgEl('svg', { class: 'network-svg', role: 'group' });
    this.svg.setAttribute('aria-label', options.label ?? 'The network: neurons and weighted edges');
    this.edgeLayer = svgEl('g', { class: 'network-edges' });
    this.nodeLayer = svgEl('g', { class: 'network-nodes' });
    this.headLayer = svgEl('g', { class: 'network-heads', 'aria-hidden': 'true' });
    // the values under the neurons and the inputs' names: outside the
    // focusable neurons, whose names (their titles) say them
    this.valueLayer = svgEl('g', { class: 'network-values', 'aria-hidden': 'true' });
    this.svg.append(this.edgeLayer, this.nodeLayer, this.valueLayer, this.headLayer);
    this.legend = document.createElement('div');
    this.legend.className = 'network-legend';
    this.el.append(this.svg, this.legend);
    root.append(this.el);

    this.key = ''; // the architecture the SVG was built for
    this.edges = []; // per layer: [{ g, line, title }] indexed j * nin + i
    this.neurons = []; // per layer + 1 (index 0 = inputs): [{ g, title, image, bias, value, ... }]
    this.classRgb = PALETTE.classes.map(hexToRgb);
    this.posRgb = hexToRgb(PALETTE.pos);
    this.negRgb = hexToRgb(PALETTE.neg);
    this.legendMode = '';

    this.svg.addEventListener('click', (e) => this.select(e.target));
    this.svg.addEventListener('keydown', (e) => {
      if ((e.key === 'Enter' || e.key === ' ') && e.target.classList?.contains('network-neuron')) {
        e.preventDefault();
        this.select(e.target);
      }
    });
  }

  update(data) {
    const key = `${data.inputs.join('\u0001')}|${data.layers.map((l) => `${l.units}:${l.act}`).join(',')}`;
    if (key !== this.key) {
      this.build(data);
      this.key = key;
    }
    this.updateEdges(data);
    this.updateNeurons(data);
    this.updateHighlight(data.highlight);
    this.updateLegend(data.mode === 'grads' && data.grads ? 'grads' : 'weights');
  }

  reset() {
    this.key = '';
    this.edges = [];
    this.neurons = [];
    this.edgeLayer.replaceChildren();
    this.nodeLayer.replaceChildren();
    this.headLayer.replaceChildren();
    this.valueLayer.replaceChildren();
    this.legend.replaceChildren();
    this.legendMode = '';
    this.svg.removeAttribute('viewBox');
    this.svg.classList.remove('network-focused');
  }

  // --- structure -------------------------------------------------------------

  /** Column sizes, inputs first. */
  static sizes(data) {
    return [data.inputs.length, ...data.layers.map((l) => l.units)];
  }

  build(data) {
    this.reset();
    const L = this.labels;
    const sizes = NetworkView.sizes(data);
    const tallest = Math.max(...sizes);
    const width = PAD * 2 + (sizes.length - 1) * COL + S;
    const height = TOP + tallest * ROW - (ROW - S) + 22;
    this.svg.setAttribute('viewBox', `0 0 ${width} ${height}`);
    this.el.style.maxWidth = `${Math.round(width * MAX_SCALE)}px`;
    // the top-left corner of neuron u of column c
    const pos = sizes.map((n, c) => {
      const y0 = TOP + ((tallest - n) * ROW) / 2;
      return Array.from({ length: n }, (_, u) => [PAD + c * COL, y0 + u * ROW]);
    });
    this.pos = pos;

    // headings: the layer, then its activation
    sizes.forEach((n, c) => {
      const x = pos[c][0][0] + S / 2;
      const layer = data.layers[c - 1];
      const name = svgEl('text', { class: 'network-head', x, y: 12 });
      name.textContent = c === 0 ? L.inputs : layer.output ? L.output : `${L.layer} ${c}`;
      this.headLayer.append(name);
      if (layer) {
        const act = svgEl('text', { class: 'network-head-act', x, y: 26 });
        act.textContent = layer.act;
        this.headLayer.append(act);
      }
    });

    // edges, under the neurons
    for (let l = 0; l < data.layers.length; l++) {
      const nin = sizes[l];
      const row = [];
      for (let j = 0; j < sizes[l + 1]; j++) {
        for (let i = 0; i < nin; i++) {
          const [ax, ay] = pos[l][i];
          const [bx, by] = pos[l + 1][j];
          const x0 = ax + S;
          const y0 = ay + S / 2;
          const x1 = bx;
          const y1 = by + S / 2;
          const mx = (x0 + x1) / 2;
          const d = `M${x0},${y0} C${mx},${y0} ${mx},${y1} ${x1},${y1}`;
          const g = svgEl('g', { class: 'network-edge', 'data-layer': l, 'data-from': i, 'data-to': j });
          const title = svgEl('title');
          const hit = svgEl('path', { class: 'network-edge-hit', d });
          const line = svgEl('path', { class: 'network-edge-line', d });
          g.append(title, hit, line);
          this.edgeLayer.append(g);
          row.push({ g, line, title, width: -1, sign: 0 });
        }
      }
      this.edges.push(row);
    }

    // neurons
    for (let c = 0; c < sizes.length; c++) {
      const layer = c - 1;
      const col = [];
      for (let u = 0; u < sizes[c]; u++) {
        const [x, y] = pos[c][u];
        const g = svgEl('g', {
          class: `network-neuron${c === 0 ? ' network-input' : ''}`,
          transform: `translate(${x},${y})`,
          'data-layer': layer,
          'data-unit': u,
          tabindex: 0,
          role: 'button',
        });
        g.setAttribute('aria-label', this.neuronName(data, layer, u));
        const title = svgEl('title');
        const frame = svgEl('rect', { class: 'network-node', width: S, height: S, rx: 7 });
        g.append(title, frame);
        const n = { g, title, canvas: null, ctx: null, imageData: null, painted: false, bias: null, value: null };
        if (c === 0) {
          // (beside the focusable neuron, whose name says it)
          const text = svgEl('text', { class: 'network-input-name', x: x + S / 2, y: y + S / 2 });
          text.textContent = data.inputs[u];
          this.valueLayer.append(text);
          title.textContent = `${L.input} ${data.inputs[u]}`;
        } else {
          // a canvas of its own, painted with putImageData: no image
          // encoding and no image resource per frame (data URLs in an SVG
          // <image> grew the browser's heap by ~170 kB/s while training)
          const box = svgEl('foreignObject', {
            class: 'network-thumb', x: INSET, y: INSET, width: S - 2 * INSET, height: S - 2 * INSET,
          });
          n.canvas = document.createElement('canvas');
          n.canvas.width = n.canvas.height = 1;
          n.canvas.hidden = true;
          box.append(n.canvas);
          n.bias = svgEl('rect', { class: 'network-bias', x: -4, y: S - 8, width: 10, height: 10, rx: 2 });
          g.append(box, svgEl('rect', { class: 'network-node-edge', width: S, height: S, rx: 7 }), n.bias);
        }
        n.value = svgEl('text', { class: 'network-value', x: x + S / 2, y: y + S + 15 });
        this.valueLayer.append(n.value);
        this.nodeLayer.append(g);
        col.push(n);
      }
      this.neurons.push(col);
    }
  }

  neuronName(data, layer, unit) {
    const L = this.labels;
    if (layer < 0) return `${L.input} ${data.inputs[unit]}`;
    const name = `${L.layer} ${layer + 1} ${L.neuron} ${unit + 1}`;
    return data.layers[layer].output ? `${name} (${L.output})` : name;
  }

  // --- numbers ---------------------------------------------------------------

  updateEdges(data) {
    const grads = data.grads;
    const showGrads = data.mode === 'grads' && Boolean(grads);
    const shown = showGrads ? grads : data.weights;
    let max = 0;
    for (const a of shown) for (let k = 0; k < a.length; k++) max = Math.max(max, Math.abs(a[k]));
    const L = this.labels;
    for (let l = 0; l < this.edges.length; l++) {
      const row = this.edges[l];
      const w = data.weights[l];
      const g = grads?.[l];
      const s = shown[l];
      const nin = NetworkView.sizes(data)[l];
      for (let k = 0; k < row.length; k++) {
        const e = row[k];
        const v = s[k];
        const width = max > 0 && Number.isFinite(v) ? Math.round((0.6 + (5.4 * Math.abs(v)) / max) * 100) / 100 : 0.6;
        if (width !== e.width) {
          e.line.setAttribute('stroke-width', width);
          e.width = width;
        }
        const sign = v < 0 ? -1 : 1;
        if (sign !== e.sign) {
          e.line.setAttribute('stroke', sign < 0 ? PALETTE.neg : PALETTE.pos);
          e.sign = sign;
        }
        const i = k % nin;
        const j = (k - i) / nin;
        let text = `${this.neuronName(data, l - 1, i)} → ${this.neuronName(data, l, j)}\n${L.weight} = ${shortNumber(w[k])}`;
        if (g) text += `\n${L.grad} = ${shortNumber(g[k])}`;
        if (e.title.textContent !== text) e.title.textContent = text;
      }
    }
  }

  updateNeurons(data) {
    const L = this.labels;
    const values = data.values;
    const shift = values && values.length === data.layers.length + 1 ? 1 : 0;
    let bmax = 0;
    for (const b of data.biases) for (let k = 0; k < b.length; k++) bmax = Math.max(bmax, Math.abs(b[k]));
    for (let c = 0; c < this.neurons.length; c++) {
      const layer = c - 1;
      const vals = values ? values[c - 1 + shift] : null;
      const thumbs = layer >= 0 ? data.thumbnails?.[layer] : null;
      const colour = layer >= 0 && thumbs ? this.thumbColour(data, layer, thumbs) : null;
      this.neurons[c].forEach((n, u) => {
        const v = vals && u < vals.length ? vals[u] : undefined;
        const valueText = v === undefined ? '' : shortNumber(v);
        if (n.value.textContent !== valueText) n.value.textContent = valueText;
        // the tooltip is the accessible name too: what the neuron is, its
        // bias and value (the text shown in it is in the name)
        const setTitle = (t) => {
          if (n.title.textContent === t) return;
          n.title.textContent = t;
          n.g.setAttribute('aria-label', t.replace(/\n/g, ', '));
        };
        if (layer < 0) {
          setTitle(`${L.input} ${data.inputs[u]}${v === undefined ? '' : `\n${L.value} = ${valueText}`}`);
          return;
        }
        const b = data.biases[layer][u];
        n.bias.setAttribute('fill', biasColour(b, bmax));
        let t = `${this.neuronName(data, layer, u)} · ${data.layers[layer].act}\n${L.bias} = ${shortNumber(b)}`;
        if (v !== undefined) t += `\n${L.value} = ${valueText}`;
        setTitle(t);
        if (thumbs?.[u] && data.curves) this.paintCurve(n, thumbs[u], this.curveRange(data, layer, thumbs));
        else if (thumbs?.[u]) this.paintThumb(n, thumbs[u], data.tres, colour);
        else if (n.painted) {
          n.canvas.hidden = true;
          n.painted = false;
        }
      });
    }
  }

  /** The colour map of one layer's thumbnails: value -> packed ABGR pixel. */
  thumbColour(data, layer, thumbs) {
    const spec = data.layers[layer];
    const output = Boolean(spec.output);
    const task = data.task ?? (spec.act === 'softmax' ? 'multiclass' : spec.act === 'sigmoid' ? 'binary' : 'regression');
    const pack = ([r, g, b]) => (255 << 24) | (b << 16) | (g << 8) | r;
    const out = [0, 0, 0];
    let max = 0;
    if (spec.act !== 'tanh' && spec.act !== 'sigmoid' && spec.act !== 'softmax') {
      for (const a of thumbs) for (let k = 0; k < a.length; k++) if (Math.abs(a[k]) > max) max = Math.abs(a[k]);
    }
    if (output && task === 'multiclass') {
      // probability of each class, white .. the class colour
      return (v, unit) => pack(tint(this.classRgb[unit % 8], clamp01(v) * 0.9, out));
    }
    if (output && task === 'binary') {
      // as on the decision boundary: class 0 below 0.5 (or a logit below 0), class 1 above
      const centre = spec.act === 'sigmoid' ? 0.5 : 0;
      const half = spec.act === 'sigmoid' ? 0.5 : max;
      return (v) => {
        const t = half > 0 ? Math.max(-1, Math.min(1, (v - centre) / half)) : 0;
        return pack(tint(this.classRgb[t < 0 ? 0 : 1], Math.abs(t) * 0.9, out));
      };
    }
    const centre = spec.act === 'sigmoid' ? 0.5 : 0;
    const half = spec.act === 'sigmoid' ? 0.5 : spec.act === 'tanh' ? 1 : max;
    return (v) => {
      const t = half > 0 ? Math.max(-1, Math.min(1, (v - centre) / half)) : 0;
      return pack(tint(t < 0 ? this.negRgb : this.posRgb, Math.abs(t) * 0.9, out));
    };
  }

  /** The value range a layer's curves share: the activation's own (tanh
   * -1..1, sigmoid 0..1), else the layer's largest |value| (and zero). */
  curveRange(data, layer, thumbs) {
    const act = data.layers[layer].act;
    if (act === 'tanh') return [-1, 1];
    if (act === 'sigmoid') return [0, 1];
    let lo = 0, hi = 0;
    for (const a of thumbs) for (let k = 0; k < a.length; k++) if (Number.isFinite(a[k])) { lo = Math.min(lo, a[k]); hi = Math.max(hi, a[k]); }
    return hi > lo ? [lo, hi] : [-1, 1];
  }

  /** A one-input neuron: its output over x as a curve, the area to zero
   * tinted by sign (as the 2-D pictures are coloured). */
  paintCurve(n, values, [lo, hi]) {
    const size = 64;
    if (n.canvas.width !== size || n.imageData) {
      n.canvas.width = n.canvas.height = size;
      n.ctx = n.canvas.getContext('2d');
      n.imageData = null; // the 2-D pictures' buffer, if any, no longer fits
    }
    const key = `${lo},${hi},${values.join(',')}`;
    n.canvas.hidden = false;
    if (n.painted === key) return;
    n.painted = key;
    const ctx = n.ctx;
    const y = (v) => size - 2 - ((v - lo) / (hi - lo)) * (size - 4);
    const x = (k) => (k / (values.length - 1)) * size;
    const zero = y(Math.min(hi, Math.max(lo, 0)));
    ctx.fillStyle = '#fff';
    ctx.fillRect(0, 0, size, size);
    for (const [sign, rgb] of [[1, this.posRgb], [-1, this.negRgb]]) {
      ctx.fillStyle = `rgba(${rgb.join(',')}, 0.35)`;
      ctx.beginPath();
      ctx.moveTo(x(0), zero);
      values.forEach((v, k) => ctx.lineTo(x(k), sign * v > 0 ? y(v) : zero));
      ctx.lineTo(x(values.length - 1), zero);
      ctx.fill();
    }
    ctx.strokeStyle = '#b9c0cc';
    ctx.lineWidth = 1;
    ctx.beginPath();
    ctx.moveTo(0, zero);
    ctx.lineTo(size, zero);
    ctx.stroke();
    ctx.strokeStyle = PALETTE.ink;
    ctx.lineWidth = 2;
    ctx.beginPath();
    values.forEach((v, k) => (k ? ctx.lineTo(x(k), y(v)) : ctx.moveTo(x(k), y(v))));
    ctx.stroke();
  }

  paintThumb(n, values, tres, colour) {
    const size = tres * tres;
    if (n.canvas.width !== tres || !n.imageData) {
      n.canvas.width = n.canvas.height = tres;
      n.ctx = n.canvas.getContext('2d');
      n.imageData = n.ctx.createImageData(tres, tres);
      n.painted = false;
    }
    const px = new Uint32Array(n.imageData.data.buffer);
    const unit = Number(n.g.dataset.unit);
    let same = n.painted;
    for (let k = 0; k < size; k++) {
      const p = (values[k] === values[k] ? colour(values[k], unit) : 0xffe4e4e4) >>> 0;
      if (p !== px[k]) {
        same = false;
        px[k] = p;
      }
    }
    n.canvas.hidden = false;
    if (same) return; // unchanged pixels: nothing to paint
    n.painted = true;
    n.ctx.putImageData(n.imageData, 0, 0);
  }

  /** h: a neuron { layer, unit } (its edges light up), an edge { type:
   * 'edge', layer, from, to } (it and its two neurons light up), or null. */
  updateHighlight(h) {
    const on = Boolean(h);
    const edge = on && h.type === 'edge';
    this.svg.classList.toggle('network-focused', on);
    this.neurons.forEach((col, c) =>
      col.forEach((n, u) => {
        const lit = on && (edge ? (c - 1 === h.layer && u === h.to) || (c - 1 === h.layer - 1 && u === h.from) : h.layer === c - 1 && h.unit === u);
        n.g.classList.toggle('network-highlight', lit);
      }),
    );
    this.edges.forEach((row, l) => {
      const nin = this.neurons[l].length;
      row.forEach((e, k) => {
        const i = k % nin;
        const j = (k - i) / nin;
        const active = on && (edge
          ? h.layer === l && h.from === i && h.to === j
          : (h.layer === l && h.unit === j) || (h.layer === l - 1 && h.unit === i));
        e.g.classList.toggle('network-edge-active', active);
        e.g.classList.toggle('network-edge-selected', active && edge);
      });
    });
  }

  updateLegend(mode) {
    if (mode === this.legendMode) return;
    this.legendMode = mode;
    const L = this.labels;
    const item = (cls, text) => {
      const s = document.createElement('span');
      s.className = 'network-legend-item';
      const mark = document.createElement('span');
      mark.className = `network-mark ${cls}`;
      const t = document.createElement('span');
      t.textContent = text;
      s.append(mark, t);
      return s;
    };
    this.legend.replaceChildren(
      item('network-mark-pos', L.positive),
      item('network-mark-neg', L.negative),
      item('network-mark-width', mode === 'grads' ? L.widthGrads : L.widthWeights),
      item('network-mark-bias', L.biasMark),
    );
  }

  select(target) {
    if (!this.options.onSelect) return;
    const el = target.closest?.('.network-neuron, .network-edge');
    if (!el) return;
    const layer = Number(el.dataset.layer);
    if (el.classList.contains('network-neuron')) {
      this.options.onSelect({ type: 'neuron', layer, unit: Number(el.dataset.unit) });
    } else {
      this.options.onSelect({ type: 'edge', layer, from: Number(el.dataset.from), to: Number(el.dataset.to) });
    }
  }
}

function svgEl(name, attrs = {}) {
  const el = document.createElementNS(SVG, name);
  for (const [k, v] of Object.entries(attrs)) el.setAttribute(k, v);
  return el;
}

function clamp01(v) {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

function biasColour(b, max) {
  const t = max > 0 && Number.isFinite(b) ? Math.min(1, Math.abs(b) / max) : 0;
  const [r, g, bl] = tint(hexToRgb(b < 0 ? PALETTE.neg : PALETTE.pos), 0.15 + 0.85 * t);
  return `rgb(${r}, ${g}, ${bl})`;
}
