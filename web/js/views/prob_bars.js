// Ten probability bars, one per digit, and the predicted digit: what the
// network says about the learner's drawing. The numbers come from the
// engine (mg_api_model_probs); this view only draws them. Each row carries
// its probability in data-p, the view its prediction in data-prediction.

export class ProbBars {
  /** @param {HTMLElement} root @param {{ labels?: { prediction?: string, digit?: string, empty?: string } }} options */
  constructor(root, { labels = {} } = {}) {
    this.root = root;
    this.labels = { prediction: 'Prediction', digit: 'digit {k}: {p}', empty: 'Draw a digit', ...labels };
    this.head = document.createElement('p');
    this.head.className = 'prob-head';
    this.headLabel = document.createElement('span');
    this.headLabel.className = 'prob-head-label';
    this.headLabel.textContent = this.labels.prediction;
    this.pred = document.createElement('output');
    this.pred.className = 'prob-pred';
    this.head.append(this.headLabel, this.pred);
    this.list = document.createElement('ol');
    this.list.className = 'prob-bars';
    this.list.start = 0;
    this.rows = [];
    for (let k = 0; k < 10; k++) {
      const li = document.createElement('li');
      li.dataset.digit = String(k);
      const d = document.createElement('span');
      d.className = 'prob-digit';
      d.textContent = String(k);
      const track = document.createElement('span');
      track.className = 'prob-track';
      const fill = document.createElement('span');
      fill.className = 'prob-fill';
      track.append(fill);
      const pct = document.createElement('span');
      pct.className = 'prob-pct';
      li.append(d, track, pct);
      this.list.append(li);
      this.rows.push({ li, fill, pct });
    }
    root.append(this.head, this.list);
    this.reset();
  }

  /** @param {{ probs: ArrayLike<number>, pred: number }} p */
  update({ probs, pred }) {
    this.rows.forEach(({ li, fill, pct }, k) => {
      const p = probs[k];
      const text = `${(100 * p).toFixed(1)}%`;
      li.dataset.p = String(p);
      li.classList.toggle('prob-top', k === pred);
      fill.style.width = `${(100 * p).toFixed(2)}%`;
      pct.textContent = text;
      li.setAttribute('aria-label', this.labels.digit.replace('{k}', String(k)).replace('{p}', text));
    });
    this.pred.textContent = String(pred);
    this.root.dataset.prediction = String(pred);
    this.root.classList.remove('empty');
  }

  reset() {
    for (const { li, fill, pct } of this.rows) {
      delete li.dataset.p;
      li.classList.remove('prob-top');
      li.removeAttribute('aria-label');
      fill.style.width = '0';
      pct.textContent = '';
    }
    this.pred.textContent = this.labels.empty;
    delete this.root.dataset.prediction;
    this.root.classList.add('empty');
  }
}
