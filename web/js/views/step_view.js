// Step-through of one training sample: the forward pass revealed a layer at
// a time (each neuron's pre-activation z and activation a), the loss, the
// backward pass a layer at a time (dL/da, dL/dz, dL/dW, dL/db), and the
// update (old weight, gradient, new weight). Every number is from the
// engine's single-sample trace; this view only lays them out and fills the
// chain-rule explanations in.
import { shortNumber } from './format.js';

const MAX_ROWS = 8; // neurons and weight columns shown per layer before "…"

function el(tag, className, text) {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** A table cell with a short number, its full value in data-value (for
 * tests and tooltips) and a key naming it. */
function numCell(key, x, shown = true) {
  const td = el('td', 'step-num', shown ? num(x) : '·');
  if (shown && x !== undefined && x !== null) {
    td.dataset.key = key;
    td.dataset.value = String(x);
    td.title = String(x);
  }
  return td;
}

function num(x) {
  return x === undefined || x === null ? '—' : shortNumber(x);
}

/** "(-1.2)" for negative numbers inside a product. */
function factor(x) {
  const s = num(x);
  return x < 0 ? `(${s})` : s;
}

export class StepView {
  /** options: { t(key, params) -> string, onSelect(selection) } */
  constructor(root, options = {}) {
    this.root = root;
    this.t = options.t ?? ((key) => key);
    this.onSelect = options.onSelect ?? (() => {});
    this.header = el('p', 'step-header');
    this.explain = el('p', 'step-explain');
    this.explain.setAttribute('aria-live', 'polite');
    this.layersEl = el('div', 'step-layers');
    root.replaceChildren(this.header, this.explain, this.layersEl);
    this.reset();
  }

  reset() {
    this.data = null;
    this.header.textContent = this.t('step.idle');
    this.explain.textContent = '';
    this.layersEl.replaceChildren();
  }

  /**
   * data: { trace: { loss, layers: [{in, pre, out, dout, dpre, dw, db, dact}], point, label,
   *         target, features, params: {weights, biases} },
   *         layers: [{ units, act }]   (per model layer),
   *         forward: number of layers revealed (0..L), loss: bool,
   *         backward: number of layers revealed from the end (0..L),
   *         update: { before, after } | null, opt, lr, selection }
   */
  update(data) {
    this.data = data;
    const tr = data.trace;
    const L = data.layers.length;
    this.header.textContent = this.t('step.sample', {
      i: tr.index + 1,
      x1: num(tr.point[0]),
      x2: tr.point.length > 1 ? num(tr.point[1]) : '',
      t: tr.label !== null ? tr.label : num(tr.target),
    });
    // whose weights the numbers are: a trace goes stale when training moves them
    this.root.classList.toggle('step-stale', Boolean(data.stale));
    this.header.dataset.weightsStep = String(data.weightsStep ?? 0);
    const when = el('span', 'step-when', ' ');
    when.append(data.stale
      ? this.t('step.stale', { then: data.weightsStep, now: data.stale })
      : this.t('step.weightsOf', { step: data.weightsStep ?? 0 }));
    this.header.append(when);
    const cards = [];
    for (let l = 0; l < L; l++) cards.push(this.layerCard(l, data));
    if (data.loss) {
      const loss = el('div', 'step-card step-loss');
      const value = el('p', 'step-num', `L = ${num(tr.loss)}`);
      value.dataset.value = String(tr.loss);
      const formula = el('p', 'step-formula', this.lossFormula(data));
      loss.append(el('h3', '', this.t('step.loss')), formula, value);
      cards.push(loss);
    }
    this.layersEl.replaceChildren(...cards);
    this.explain.textContent = data.selection ? this.explanation(data.selection) : this.t('step.hint');
  }

  layerCard(l, data) {
    const tr = data.trace;
    const T = tr.layers[l];
    const info = data.layers[l];
    const L = data.layers.length;
    const fwd = l < data.forward;
    const bwd = l >= L - data.backward;
    const card = el('div', 'step-card');
    if (!fwd && !bwd) card.classList.add('step-hidden');
    const title = l === L - 1 ? this.t('net.output') : this.t('step.layer', { i: l + 1 });
    card.append(el('h3', '', `${title} · ${info.units} × ${info.act}`));
    const table = el('table', 'step-table');
    const head = el('tr');
    head.append(el('td', '', ''), el('th', '', 'z'), el('th', '', 'a'));
    if (bwd) head.append(el('th', '', 'dL/da'), el('th', '', 'dL/dz'), el('th', '', 'dL/db'));
    table.append(head);
    const units = T.out.length;
    for (let j = 0; j < Math.min(units, MAX_ROWS); j++) {
      const row = el('tr');
      row.tabIndex = 0;
      row.dataset.layer = String(l);
      row.dataset.unit = String(j);
      const select = () => this.onSelect({ type: 'neuron', layer: l, unit: j });
      row.addEventListener('click', select);
      row.addEventListener('keydown', (e) => {
        if (e.key === 'Enter' || e.key === ' ') {
          e.preventDefault();
          select();
        }
      });
      const sel = data.selection;
      if (sel && sel.layer === l && (sel.unit === j || sel.to === j)) row.classList.add('step-selected');
      row.append(el('th', '', `n${j + 1}`));
      row.append(numCell(`${l}.z.${j}`, T.pre?.[j], fwd), numCell(`${l}.a.${j}`, T.out[j], fwd));
      if (bwd) {
        row.append(numCell(`${l}.da.${j}`, T.dout?.[j]), numCell(`${l}.dz.${j}`, T.dpre?.[j]), numCell(`${l}.db.${j}`, T.db?.[j]));
      }
      table.append(row);
    }
    if (units > MAX_ROWS) {
      const more = el('tr', 'step-more');
      more.append(el('td', '', `… ${units - MAX_ROWS}`));
      table.append(more);
    }
    card.append(table);
    if (bwd && T.dw) card.append(this.weightTable(l, data, false));
    if (bwd && T.dw && data.update) card.append(this.weightTable(l, data, true));
    return card;
  }

  /** dL/dW of a layer, or (updated) its weights old -> new. */
  weightTable(l, data, updated) {
    const T = data.trace.layers[l];
    const inputs = T.in.length;
    const units = T.out.length;
    const upd = updated ? data.update : null;
    const wrap = el('div', 'step-weights');
    wrap.append(el('p', 'step-sub', upd ? this.t('step.updated') : 'dL/dW'));
    const table = el('table', 'step-table');
    const head = el('tr');
    head.append(el('td', '', '')); // the corner: no header of its own
    for (let i = 0; i < Math.min(inputs, MAX_ROWS); i++) head.append(el('th', '', l === 0 ? data.trace.features[i] : `a${i + 1}`));
    table.append(head);
    for (let j = 0; j < Math.min(units, MAX_ROWS); j++) {
      const row = el('tr');
      row.append(el('th', '', `n${j + 1}`));
      for (let i = 0; i < Math.min(inputs, MAX_ROWS); i++) {
        const k = j * inputs + i;
        const text = upd ? `${num(upd.before.weights[l][k])} → ${num(upd.after.weights[l][k])}` : num(T.dw[k]);
        const td = el('td', 'step-num step-edge', text);
        td.tabIndex = 0;
        if (upd) {
          td.dataset.key = `${l}.w.${k}`;
          td.dataset.before = String(upd.before.weights[l][k]);
          td.dataset.after = String(upd.after.weights[l][k]);
          td.title = `w${j + 1},${i + 1}: ${upd.before.weights[l][k]} → ${upd.after.weights[l][k]}`;
        } else {
          td.dataset.key = `${l}.dw.${k}`;
          td.dataset.value = String(T.dw[k]);
          td.title = `w${j + 1},${i + 1}: dL/dw = ${T.dw[k]}`;
        }
        const select = () => this.onSelect({ type: 'edge', layer: l, from: i, to: j });
        td.addEventListener('click', select);
        td.addEventListener('keydown', (e) => {
          if (e.key === 'Enter' || e.key === ' ') {
            e.preventDefault();
            select();
          }
        });
        const sel = data.selection;
        if (sel && sel.type === 'edge' && sel.layer === l && sel.from === i && sel.to === j) td.classList.add('step-selected');
        row.append(td);
      }
      table.append(row);
    }
    wrap.append(table);
    return wrap;
  }

  /** The chain rule for the selected neuron or weight, with the numbers in. */
  explanation(sel) {
    const data = this.data;
    if (!(sel.layer >= 0 && sel.layer < data.layers.length)) return this.t('step.hint');
    const tr = data.trace;
    const T = tr.layers[sel.layer];
    const L = data.layers.length;
    const bwd = sel.layer >= L - data.backward;
    const parts = [];
    if (sel.type === 'edge') {
      const k = sel.to * T.in.length + sel.from;
      const w = tr.params.weights[sel.layer][k];
      if (!bwd) return this.t('explain.w', { w: num(w) });
      parts.push(data.reg
        ? this.t('explain.dwReg', { dz: num(T.dpre[sel.to]), x: factor(T.in[sel.from]), reg: data.reg.toUpperCase(), result: num(T.dw[k]) })
        : this.t('explain.dw', { dz: num(T.dpre[sel.to]), x: factor(T.in[sel.from]), result: num(T.dw[k]) }));
      if (data.update) parts.push(this.updateExplanation(sel.layer, 'weights', k, T.dw[k]));
      return parts.join('\n');
    }
    const j = sel.unit;
    if (sel.layer < data.forward || bwd) {
      // forward: the weighted sum with its numbers, then the activation
      const W = tr.params.weights[sel.layer];
      const n = T.in.length;
      const terms = [];
      for (let i = 0; i < n; i++) terms.push(`${factor(W[j * n + i])} × ${factor(T.in[i])}`);
      parts.push(this.t('explain.z', { terms: terms.join(' + '), b: factor(tr.params.biases[sel.layer][j]), result: num(T.pre[j]) }));
      parts.push(this.t('explain.a', { f: data.layers[sel.layer].act, z: factor(T.pre[j]), result: num(T.out[j]) }));
    }
    if (!bwd) return parts.length ? parts.join('\n') : this.t('step.hint');
    if (sel.layer === L - 1) {
      parts.push(this.outputGradient(j));
    } else {
      const next = tr.layers[sel.layer + 1];
      const W = tr.params.weights[sel.layer + 1];
      const units = next.out.length;
      const terms = [];
      for (let k = 0; k < units; k++) terms.push(`${factor(next.dpre[k])} × ${factor(W[k * T.out.length + j])}`);
      parts.push(this.t('explain.da', { terms: terms.join(' + '), result: num(T.dout[j]) }));
    }
    parts.push(this.t('explain.dz', { da: factor(T.dout[j]), fprime: factor(T.dact[j]), result: num(T.dpre[j]) }));
    parts.push(this.t('explain.db', { result: num(T.db[j]) }));
    if (data.update) parts.push(this.updateExplanation(sel.layer, 'biases', j, T.db[j]));
    return parts.join('\n');
  }

  /** dL/da of output unit j, from the loss's formula and the engine's numbers. */
  outputGradient(j) {
    const { trace: tr, lossKind } = this.data;
    const out = tr.layers.at(-1);
    const a = out.out[j];
    const result = num(out.dout[j]);
    if (lossKind === 'bce') {
      return this.t('explain.doutBce', { a: factor(a), p: num(tr.probs[j]), y: tr.label, result });
    }
    if (lossKind === 'ce') {
      return this.t('explain.doutCe', { k: j + 1, p: num(tr.probs[j]), onehot: tr.label === j ? 1 : 0, result });
    }
    if (lossKind === 'svm') {
      const ys = tr.label ? 1 : -1;
      return this.t('explain.doutSvm', { ys, a: factor(a), margin: num(ys * a), result });
    }
    // mse: on a class label the target is the label (one output) or one-hot
    const D = out.out.length;
    const target = tr.label === null ? tr.target : D === 1 ? tr.label : tr.label === j ? 1 : 0;
    return this.t(D === 1 ? 'explain.doutMse' : 'explain.doutMseN', { a: factor(a), t: factor(target), d: D, result });
  }

  /** The loss of this sample: its formula with the numbers, and the
   * regularization term when there is one. */
  lossFormula(data) {
    const tr = data.trace;
    const out = tr.layers.at(-1).out;
    const value = num(tr.dataLoss);
    let text;
    if (data.lossKind === 'bce') {
      const p = tr.probs[0];
      text = this.t(tr.label ? 'explain.lossBce1' : 'explain.lossBce0', { a: factor(out[0]), p: num(p), q: num(1 - p), result: value });
    } else if (data.lossKind === 'ce') {
      text = this.t('explain.lossCe', { y: tr.label, k: tr.label + 1, p: num(tr.probs[tr.label]), result: value });
    } else if (data.lossKind === 'svm') {
      const ys = tr.label ? 1 : -1;
      text = this.t('explain.lossSvm', { ys, a: factor(out[0]), result: value });
    } else if (out.length === 1) {
      const target = tr.label === null ? tr.target : tr.label;
      text = this.t('explain.lossMse', { a: factor(out[0]), t: factor(target), result: value });
    } else {
      text = this.t('explain.lossMseN', { d: out.length, result: value });
    }
    if (data.reg) text += '\n' + this.t('explain.lossReg', { reg: data.reg.toUpperCase(), term: num(tr.loss - tr.dataLoss), result: num(tr.loss) });
    return text;
  }

  /** How the optimizer moved parameter k of a layer ('weights' or
   * 'biases'): its rule with the engine's numbers (state before and after,
   * the rate applied, clipping). g: the parameter's dL/d(parameter). */
  updateExplanation(layer, kind, k, g) {
    const u = this.data.update;
    const o = u.opt;
    const w = u.before[kind][layer][k];
    const result = num(u.after[kind][layer][k]);
    const m0 = u.stateBefore[0][kind][layer][k], m1 = u.stateAfter[0][kind][layer][k];
    const v0 = u.stateBefore[1][kind][layer][k], v1 = u.stateAfter[1][kind][layer][k];
    const clipped = o.clip_last !== 1;
    const gi = clipped ? g * o.clip_last : g;
    const p = {
      w: num(w), lr: num(o.lr_last), g: factor(gi), result, t: o.t,
      mu: num(o.momentum), m0: factor(m0), m: num(m1), v0: factor(v0), v: num(v1),
      rho: num(o.rho), rho1: num(1 - o.rho), b1: num(o.beta1), b11: num(1 - o.beta1),
      b2: num(o.beta2), b21: num(1 - o.beta2), eps: num(o.eps),
    };
    const lines = [];
    if (clipped) lines.push(this.t('explain.clipped', { g: num(g), c: num(o.clip_last), result: num(gi) }));
    lines.push(this.t(`explain.update.${o.name}`, p));
    if (o.weight_decay > 0 && kind === 'weights') lines.push(this.t('explain.weightDecay', { wd: num(o.weight_decay) }));
    return lines.join('\n');
  }
}
