// Per-class metrics of a classifier, as the engine computes them
// (mg_api_model_metrics_json): a table of precision, recall, F1 and the
// number of points of each class, and the confusion matrix (rows: the true
// class, columns: the prediction) with the diagonal in blue and mistakes
// in vermillion. Any number of classes from 2 to 32.
import { PALETTE, hexToRgb, tint, whiteTextOn } from './palette.js';

const POS = hexToRgb(PALETTE.pos);
const NEG = hexToRgb(PALETTE.neg);

const el = (tag, className, text) => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
};

const fixed = (v) => (Number.isFinite(v) ? v.toFixed(2) : '—');

export class MetricsView {
  /**
   * @param {HTMLElement} root
   * @param {{ labels: { title: string, empty: string, caption: string, class: string, precision: string,
   *   recall: string, f1: string, support: string, confusion: string, cell: string } }} options
   * caption has {n} and {acc}; cell has {t}, {p} and {n}.
   */
  constructor(root, { labels }) {
    this.labels = labels;
    this.box = el('div', 'metrics-view');
    this.box.append(el('h3', 'metrics-title', labels.title));
    this.caption = el('p', 'hint metrics-caption');
    this.table = el('table', 'metrics-table');
    this.confusionNote = el('p', 'hint', labels.confusion);
    this.confusion = el('table', 'metrics-confusion');
    this.box.append(this.caption, this.table, this.confusionNote, this.confusion);
    root.append(this.box);
    this.reset();
  }

  /** @param {{ n: number, accuracy: number, confusion: number[][], precision: number[], recall: number[], f1: number[] }} m */
  update(m) {
    const C = m.confusion.length;
    const L = this.labels;
    this.box.dataset.accuracy = String(m.accuracy);
    this.caption.textContent = L.caption.replace('{n}', String(m.n)).replace('{acc}', `${(100 * m.accuracy).toFixed(1)}%`);
    const head = el('tr');
    for (const h of [L.class, L.precision, L.recall, L.f1, L.support]) {
      const th = el('th', '', h);
      th.scope = 'col';
      head.append(th);
    }
    const rows = [head];
    for (let k = 0; k < C; k++) {
      const tr = el('tr');
      tr.dataset.class = String(k);
      const th = el('th', '', String(k));
      th.scope = 'row';
      const support = m.confusion[k].reduce((s, v) => s + v, 0);
      tr.append(th);
      [['precision', m.precision[k]], ['recall', m.recall[k]], ['f1', m.f1[k]]].forEach(([key, v]) => {
        const td = el('td', 'num', fixed(v));
        td.dataset.key = key;
        td.dataset.value = String(v);
        tr.append(td);
      });
      tr.append(el('td', 'num', String(support)));
      rows.push(tr);
    }
    this.table.replaceChildren(...rows);

    const top = el('tr');
    top.append(el('th', 'metrics-corner', '↓ · →'));
    for (let p = 0; p < C; p++) {
      const th = el('th', '', String(p));
      th.scope = 'col';
      top.append(th);
    }
    const grid = [top];
    const rgb = [0, 0, 0];
    for (let t = 0; t < C; t++) {
      const tr = el('tr');
      const th = el('th', '', String(t));
      th.scope = 'row';
      tr.append(th);
      const total = m.confusion[t].reduce((s, v) => s + v, 0);
      for (let p = 0; p < C; p++) {
        const n = m.confusion[t][p];
        const share = total ? n / total : 0;
        const strength = t === p ? share : Math.min(1, 4 * share);
        tint(t === p ? POS : NEG, n ? 0.1 + 0.9 * strength : 0, rgb);
        const td = el('td', 'num', String(n));
        td.dataset.count = String(n);
        td.style.backgroundColor = `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
        td.classList.toggle('dark', whiteTextOn(rgb)); // white or black, whichever reads better
        td.title = L.cell.replace('{t}', String(t)).replace('{p}', String(p)).replace('{n}', String(n));
        tr.append(td);
      }
      grid.push(tr);
    }
    this.confusion.replaceChildren(...grid);
    this.confusionNote.hidden = false;
  }

  reset() {
    delete this.box.dataset.accuracy;
    this.caption.textContent = this.labels.empty;
    this.table.replaceChildren();
    this.confusion.replaceChildren();
    this.confusionNote.hidden = true;
  }
}
