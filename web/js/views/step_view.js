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
    const cards = [];
    for (let l = 0; l < L; l++) cards.push(this.layerCard(l, data));
    if (data.loss) {
      const loss = el('div', 'step-card step-loss');
      const value = el('p', 'step-num', `L = ${num(tr.loss)}`);
      value.dataset.value = String(tr.loss);
      loss.append(el('h4', '', this.t('step.loss')), value);
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
    card.append(el('h4', '', `${title} · ${info.units} × ${info.act}`));
    const table = el('table', 'step-table');
    const head = el('tr');
    head.append(el('th', '', ''), el('th', '', 'z'), el('th', '', 'a'));
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
    if (bwd && T.dw) card.append(this.weightTable(l, data));
    return card;
  }

  /** dL/dW of a layer, and in the update stage old -> new weights. */
  weightTable(l, data) {
    const T = data.trace.layers[l];
    const inputs = T.in.length;
    const units = T.out.length;
    const upd = data.update;
    const wrap = el('div', 'step-weights');
    wrap.append(el('p', 'step-sub', upd ? this.t('step.updated') : 'dL/dW'));
    const table = el('table', 'step-table');
    const head = el('tr');
    head.append(el('th', '', ''));
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
        td.dataset.key = `${l}.dw.${k}`;
        td.dataset.value = String(T.dw[k]);
        td.title = `w${j + 1},${i + 1}: dL/dw = ${T.dw[k]}`;
        if (upd) td.dataset.after = String(upd.after.weights[l][k]);
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
    if (!bwd) {
      if (sel.type === 'neuron' && sel.layer < data.forward) {
        return this.t('explain.a', { f: data.layers[sel.layer].act, z: num(T.pre[sel.unit]), result: num(T.out[sel.unit]) });
      }
      return this.t('step.hint');
    }
    if (sel.type === 'edge') {
      const k = sel.to * T.in.length + sel.from;
      const parts = [
        data.reg
          ? this.t('explain.dwReg', { dz: num(T.dpre[sel.to]), x: factor(T.in[sel.from]), reg: data.reg.toUpperCase(), result: num(T.dw[k]) })
          : this.t('explain.dw', { dz: num(T.dpre[sel.to]), x: factor(T.in[sel.from]), result: num(T.dw[k]) }),
      ];
      if (data.update) {
        const w = data.update.before.weights[sel.layer][k];
        const w2 = data.update.after.weights[sel.layer][k];
        parts.push(
          data.opt === 'sgd' && !(data.clip > 0)
            ? this.t('explain.update', { w: num(w), lr: num(data.lr), g: factor(T.dw[k]), result: num(w2) })
            : this.t('explain.updateOther', { w: num(w), result: num(w2), opt: data.opt }),
        );
      }
      return parts.join('   ');
    }
    const j = sel.unit;
    const parts = [];
    if (sel.layer === L - 1) {
      parts.push(this.t('explain.dout', { result: num(T.dout[j]) }));
    } else {
      const next = tr.layers[sel.layer + 1];
      const W = tr.params.weights[sel.layer + 1];
      const units = next.out.length;
      const terms = [];
      for (let k = 0; k < units; k++) terms.push(`${factor(next.dpre[k])} × ${factor(W[k * T.out.length + j])}`);
      parts.push(this.t('explain.da', { terms: terms.join(' + '), result: num(T.dout[j]) }));
    }
    parts.push(this.t('explain.dz', { da: num(T.dout[j]), fprime: factor(T.dact[j]), result: num(T.dpre[j]) }));
    return parts.join('   ');
  }
}
