// A grid of test digits, each drawn from its float pixels with the
// network's prediction below it; mistakes are marked (red, with the true
// label). Clicking a digit selects it (the CNN's feature maps show it).
// Cells are reused between updates; each digit is one 28 x 28 canvas.

const INK = [29, 35, 48];

export class DigitGrid {
  /**
   * @param {HTMLElement} root
   * @param {{ onSelect?: (index: number) => void, labels?: { cell?: string, wrong?: string } }} options
   */
  constructor(root, { onSelect = () => {}, labels = {} } = {}) {
    this.root = root;
    this.onSelect = onSelect;
    this.labels = {
      cell: 'digit {i}: label {label}, predicted {pred} ({p})',
      wrong: 'true {label}',
      ...labels,
    };
    this.grid = document.createElement('div');
    this.grid.className = 'digit-grid';
    root.append(this.grid);
    this.cells = [];
  }

  makeCell() {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'digit-cell';
    const canvas = document.createElement('canvas');
    canvas.width = 28;
    canvas.height = 28;
    const pred = document.createElement('span');
    pred.className = 'digit-pred';
    const truth = document.createElement('span');
    truth.className = 'digit-true';
    button.append(canvas, pred, truth);
    button.addEventListener('click', () => this.onSelect(Number(button.dataset.index)));
    this.grid.append(button);
    const ctx = canvas.getContext('2d');
    return { button, ctx, img: ctx.createImageData(28, 28), pred, truth };
  }

  /**
   * @param {{ start: number, n: number, images: Float32Array, labels: Int32Array,
   *   preds: Int32Array, confidence: Float32Array, selected?: number }} p
   */
  update({ start, n, images, labels, preds, confidence, selected = -1 }) {
    while (this.cells.length < n) this.cells.push(this.makeCell());
    while (this.cells.length > n) this.cells.pop().button.remove();
    let wrong = 0;
    for (let i = 0; i < n; i++) {
      const { button, ctx, img, pred, truth } = this.cells[i];
      const px = img.data;
      for (let k = 0; k < 784; k++) {
        const v = images[i * 784 + k];
        px[4 * k] = 255 + (INK[0] - 255) * v;
        px[4 * k + 1] = 255 + (INK[1] - 255) * v;
        px[4 * k + 2] = 255 + (INK[2] - 255) * v;
        px[4 * k + 3] = 255;
      }
      ctx.putImageData(img, 0, 0);
      const index = start + i;
      const ok = preds[i] === labels[i];
      wrong += ok ? 0 : 1;
      button.dataset.index = String(index);
      button.dataset.label = String(labels[i]);
      button.dataset.pred = String(preds[i]);
      button.classList.toggle('wrong', !ok);
      button.classList.toggle('selected', index === selected);
      pred.textContent = String(preds[i]);
      truth.textContent = ok ? '' : this.labels.wrong.replace('{label}', String(labels[i]));
      const p = `${Math.round(100 * confidence[i])}%`;
      button.setAttribute('aria-label', this.labels.cell.replace('{i}', String(index + 1)).replace('{label}', String(labels[i])).replace('{pred}', String(preds[i])).replace('{p}', p));
    }
    this.root.dataset.wrong = String(wrong);
  }

  /** Marks the selected digit (by index in the set). */
  select(index) {
    for (const c of this.cells) c.button.classList.toggle('selected', Number(c.button.dataset.index) === index);
  }

  reset() {
    for (const c of this.cells) c.button.remove();
    this.cells = [];
    delete this.root.dataset.wrong;
  }
}
