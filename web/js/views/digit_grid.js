// A grid of test digits, each drawn from its float pixels with the
// network's prediction below it; mistakes are marked (red, with the true
// label). Clicking a digit selects it (the CNN's feature maps show it).
// Cells are reused between updates; each digit is one 28 x 28 canvas.
// A cell's accessible name is its own text: the visible prediction and
// true label inside words only screen readers get (labels.right and
// labels.wrong: {pred} and {truth} mark where the visible parts go), so
// what is seen is always part of what is read.

const INK = [29, 35, 48];

/** The spans of a cell's text from template: {pred} and {truth} become
 * the visible spans, the rest (with {i} and {p} filled in) screen-reader
 * text. */
function cellText(template, values, pred, truth) {
  return template.split(/(\{pred\}|\{truth\})/).filter(Boolean).map((part) => {
    if (part === '{pred}') return pred;
    if (part === '{truth}') return truth;
    const span = document.createElement('span');
    span.className = 'sr-only';
    span.textContent = part.replace(/\{(\w+)\}/g, (whole, k) => values[k] ?? whole);
    return span;
  });
}

export class DigitGrid {
  /**
   * @param {HTMLElement} root
   * @param {{ onSelect?: (index: number) => void, labels?: { cell?: string, wrong?: string } }} options
   */
  constructor(root, { onSelect = () => {}, labels = {} } = {}) {
    this.root = root;
    this.onSelect = onSelect;
    this.labels = {
      right: 'test digit {i}, predicted {pred}{truth}, right, {p} sure',
      wrong: 'test digit {i}, predicted {pred}, {truth}, {p} sure',
      truth: 'true {label}',
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
    return { button, canvas, ctx, img: ctx.createImageData(28, 28), pred, truth };
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
      const { button, canvas, ctx, img, pred, truth } = this.cells[i];
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
      truth.textContent = ok ? '' : this.labels.truth.replace('{label}', String(labels[i]));
      const values = { i: String(index + 1), p: `${Math.round(100 * confidence[i])}%` };
      button.replaceChildren(canvas, ...cellText(ok ? this.labels.right : this.labels.wrong, values, pred, truth));
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
