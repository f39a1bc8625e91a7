// The confusion matrix from the engine's metrics (confusion[true][pred])
// as a 10 x 10 heat table with counts: the diagonal (right) in blue by the
// share of its row, the mistakes in vermillion, stronger where a digit is
// often taken for another. Each count is in white or black, whichever
// contrasts more with its cell (at least 4.58:1 either way, WCAG AA).
import { PALETTE, hexToRgb, tint, whiteTextOn } from './palette.js';

const POS = hexToRgb(PALETTE.pos);
const NEG = hexToRgb(PALETTE.neg);

export class ConfusionView {
  /** @param {HTMLElement} root @param {{ labels?: { truth?: string, pred?: string, cell?: string } }} options */
  constructor(root, { labels = {} } = {}) {
    this.root = root;
    this.labels = { truth: 'true', pred: 'predicted', cell: 'true {t}, predicted {p}: {n} ({share} of {t})', ...labels };
    const table = document.createElement('table');
    table.className = 'confusion';
    const caption = document.createElement('caption');
    caption.className = 'confusion-axis';
    caption.textContent = `${this.labels.truth} ↓ · ${this.labels.pred} →`;
    const head = document.createElement('tr');
    // the corner heads the column of true digits (for screen readers; the
    // caption says it on screen)
    const corner = document.createElement('th');
    corner.scope = 'col';
    corner.className = 'confusion-corner';
    const cornerText = document.createElement('span');
    cornerText.className = 'sr-only';
    cornerText.textContent = this.labels.truth;
    corner.append(cornerText);
    head.append(corner);
    for (let p = 0; p < 10; p++) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = String(p);
      head.append(th);
    }
    const thead = document.createElement('thead');
    thead.append(head);
    const tbody = document.createElement('tbody');
    this.cells = [];
    for (let t = 0; t < 10; t++) {
      const tr = document.createElement('tr');
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = String(t);
      tr.append(th);
      const row = [];
      for (let p = 0; p < 10; p++) {
        const td = document.createElement('td');
        tr.append(td);
        row.push(td);
      }
      tbody.append(tr);
      this.cells.push(row);
    }
    table.append(caption, thead, tbody);
    root.append(table);
    this.reset();
  }

  /** @param {{ confusion: number[][] }} p  counts [true][predicted] */
  update({ confusion }) {
    const rgb = [0, 0, 0];
    for (let t = 0; t < 10; t++) {
      const row = confusion[t] ?? [];
      const total = row.reduce((s, v) => s + v, 0);
      for (let p = 0; p < 10; p++) {
        const n = row[p] ?? 0;
        const share = total ? n / total : 0;
        const td = this.cells[t][p];
        // mistakes are rare: a tenth of a row is already strong
        const strength = t === p ? share : Math.min(1, 6 * share);
        tint(t === p ? POS : NEG, n ? 0.08 + 0.92 * strength : 0, rgb);
        td.textContent = String(n);
        td.dataset.count = String(n);
        td.style.backgroundColor = `rgb(${rgb[0]}, ${rgb[1]}, ${rgb[2]})`;
        td.classList.toggle('dark', whiteTextOn(rgb));
        td.classList.toggle('zero', n === 0);
        td.title = this.labels.cell.replaceAll('{t}', String(t)).replace('{p}', String(p)).replace('{n}', String(n))
          .replace('{share}', `${(100 * share).toFixed(1)}%`);
      }
    }
  }

  reset() {
    for (const row of this.cells) {
      for (const td of row) {
        td.textContent = '';
        delete td.dataset.count;
        td.style.backgroundColor = '';
        td.classList.remove('dark', 'zero');
        td.removeAttribute('title');
      }
    }
  }
}
