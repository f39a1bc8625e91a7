// Training charts on Chart.js (the UMD build, loaded by a classic <script>
// before the modules; see build.sh): loss over steps, gradient norm per layer
// over steps, and a histogram of each layer's gradients. A line's points
// go through a MinMaxSeries (minmax_series.js): every point while there are
// at most 512, then buckets of 2^k consecutive points drawn as their min
// and max, so a run of any length draws at most 1,024 points a line and
// the drawn envelope holds every point.
import { fullNumber, shortNumber } from './format.js';
import { PALETTE } from './palette.js';
import { MinMaxSeries } from './minmax_series.js';

const FONT = { family: 'system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", sans-serif', size: 11 };
// series colours: the palette's, without the yellow that is hard to see on white
const SERIES = PALETTE.classes.filter((c) => c !== '#f0e442');

const DEFAULT_LABELS = {
  train: 'train loss', test: 'test loss', step: 'step', loss: 'loss',
  layer: 'layer', gradNorm: '‖dL/dW‖', gradient: 'gradient', count: 'count',
};

/** Chart.js from the page (build/vendor/chart.umd.js). */
function chartClass() {
  const Chart = globalThis.Chart;
  if (!Chart) throw new Error('Chart.js is not loaded: add <script src="build/vendor/chart.umd.js"> before the modules');
  return Chart;
}

/** A canvas in a sized box (Chart.js needs a positioned parent of its own). */
function chartBox(root, className, label) {
  const box = document.createElement('div');
  box.className = `chart-box ${className}`;
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', label);
  box.append(canvas);
  root.append(box);
  return { box, canvas };
}

function axis(title, extra = {}) {
  return {
    title: { display: Boolean(title), text: title, color: PALETTE.muted, font: FONT, padding: 2 },
    ticks: { color: PALETTE.muted, font: FONT, maxTicksLimit: 6, callback: tickLabel },
    grid: { color: PALETTE.grid },
    border: { color: '#b9c0cc' },
    ...extra,
  };
}

function tickLabel(value) {
  return shortNumber(Number(value));
}

/** A histogram's range ends: two significant digits ("-0.081", "6.2e-6"). */
function shortTick(value) {
  const x = Number(value);
  if (x === 0 || !Number.isFinite(x)) return String(x);
  return Math.abs(x) >= 1e-3 && Math.abs(x) < 1e4 ? String(Number(x.toPrecision(2))) : x.toExponential(1).replace('.0e', 'e');
}

function baseOptions(extra) {
  return {
    animation: false,
    responsive: true,
    maintainAspectRatio: false,
    normalized: true,
    parsing: false,
    interaction: { mode: 'nearest', axis: 'x', intersect: false },
    plugins: {
      legend: {
        position: 'top',
        align: 'end',
        labels: { color: PALETTE.ink, font: FONT, boxWidth: 18, boxHeight: 2, padding: 8 },
      },
      tooltip: {
        titleFont: FONT,
        bodyFont: FONT,
        callbacks: {
          label: (item) => `${item.dataset.label}: ${fullNumber(item.parsed.y)}`,
        },
      },
    },
    ...extra,
  };
}

/** A line's dataset, drawing the points of its own MinMaxSeries (in
 * `minmax`, a key Chart.js does not read). */
function lineDataset(label, colour, dashed = false) {
  const minmax = new MinMaxSeries();
  return {
    label,
    minmax,
    data: minmax.points,
    borderColor: colour,
    backgroundColor: colour,
    borderWidth: 2,
    borderDash: dashed ? [6, 4] : [],
    pointRadius: 0,
    pointHoverRadius: 3,
    tension: 0,
    spanGaps: true,
  };
}

/** What the line charts share: this.chart (Chart.js) in this.box. */
class LineChart {
  reset() {
    for (const d of this.chart.data.datasets) d.minmax.clear();
    this.chart.update('none');
  }

  /** Empties series i (a run that starts again). */
  clearSeries(i) {
    this.chart.data.datasets[i].minmax.clear();
    this.chart.update('none');
  }

  destroy() {
    this.chart.destroy();
    this.box.remove();
  }
}

export class LossChart extends LineChart {
  /** @param {HTMLElement} root @param {{ labels?: object, logY?: boolean, label?: string }} options */
  constructor(root, options = {}) {
    super();
    const L = { ...DEFAULT_LABELS, ...options.labels };
    const { box, canvas } = chartBox(root, 'chart-loss', options.label ?? `${L.train} and ${L.test} over steps`);
    this.box = box;
    const Chart = chartClass();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [lineDataset(L.train, PALETTE.pos), lineDataset(L.test, PALETTE.neg, true)] },
      options: baseOptions({
        scales: {
          x: axis(L.step, { type: 'linear', ticks: { color: PALETTE.muted, font: FONT, maxTicksLimit: 6 } }),
          y: axis(L.loss, { type: options.logY ? 'logarithmic' : 'linear' }),
        },
      }),
    });
  }

  /** @param {{ step: number, train: number, test: number | null }} p */
  update({ step, train, test }) {
    const [tr, te] = this.chart.data.datasets;
    if (Number.isFinite(train)) tr.minmax.push(step, train);
    if (test !== null && test !== undefined && Number.isFinite(test)) te.minmax.push(step, test);
    this.chart.update('none');
  }

  /** Linear or logarithmic loss axis. */
  setLogY(log) {
    this.chart.options.scales.y.type = log ? 'logarithmic' : 'linear';
    this.chart.update('none');
  }

}

export class GradNormChart extends LineChart {
  /** @param {HTMLElement} root @param {{ labels?: object, label?: string }} options */
  constructor(root, options = {}) {
    super();
    this.labels = { ...DEFAULT_LABELS, ...options.labels };
    const L = this.labels;
    const { box, canvas } = chartBox(root, 'chart-gradnorm', options.label ?? `gradient norm per ${L.layer} over steps (log scale)`);
    this.box = box;
    const Chart = chartClass();
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets: [] },
      options: baseOptions({
        scales: {
          x: axis(L.step, { type: 'linear', ticks: { color: PALETTE.muted, font: FONT, maxTicksLimit: 6 } }),
          y: axis(L.gradNorm, { type: 'logarithmic' }),
        },
      }),
    });
  }

  /** @param {{ step: number, norms: number[], names?: string[] }} p  one norm per layer with
   * parameters, and the layers' names as the network diagram gives them */
  update({ step, norms, names }) {
    const sets = this.chart.data.datasets;
    if (sets.length !== norms.length) {
      sets.length = 0;
      norms.forEach((_, l) => sets.push(lineDataset(names?.[l] ?? `${this.labels.layer} ${l + 1}`, SERIES[l % SERIES.length])));
    }
    // a zero norm has no place on a log axis: it leaves a gap
    norms.forEach((n, l) => sets[l].minmax.push(step, n > 0 && Number.isFinite(n) ? n : null));
    this.chart.update('none');
  }

  reset() {
    this.chart.data.datasets.length = 0;
    this.chart.update('none');
  }
}

/** One small bar chart per layer (small multiples: each layer on its own
 * x range, so a layer with tiny gradients is as readable as the rest). */
export class HistogramChart {
  /** @param {HTMLElement} root @param {{ labels?: object, label?: string }} options */
  constructor(root, options = {}) {
    this.labels = { ...DEFAULT_LABELS, ...options.labels };
    this.el = document.createElement('div');
    this.el.className = 'chart-multiples';
    this.el.setAttribute('role', 'group');
    this.el.setAttribute('aria-label', options.label ?? `histogram of each ${this.labels.layer}'s gradients`);
    root.append(this.el);
    this.cells = []; // [{ cell, heading, chart }]
  }

  /** @param {{ layers: { label: string, lo: number, hi: number, counts: number[] }[] }} p */
  update({ layers }) {
    while (this.cells.length > layers.length) {
      const c = this.cells.pop();
      c.chart.destroy();
      c.cell.remove();
    }
    while (this.cells.length < layers.length) this.cells.push(this.makeCell());
    layers.forEach((h, l) => {
      const { heading, chart, canvas } = this.cells[l];
      const n = h.counts.length;
      const bin = n > 0 ? (h.hi - h.lo) / n : 0;
      const ds = chart.data.datasets[0];
      ds.data.length = n;
      ds.backgroundColor.length = n;
      for (let k = 0; k < n; k++) {
        const centre = h.lo + (k + 0.5) * bin;
        const point = ds.data[k] ?? (ds.data[k] = { x: 0, y: 0 });
        point.x = centre;
        point.y = h.counts[k];
        ds.backgroundColor[k] = centre < 0 ? PALETTE.neg : PALETTE.pos;
      }
      ds.label = h.label;
      const x = chart.options.scales.x;
      x.min = h.lo;
      x.max = h.hi;
      if (heading.textContent !== h.label) heading.textContent = h.label;
      const aria = `${h.label}: ${this.labels.gradient} ${shortNumber(h.lo)} … ${shortNumber(h.hi)}`;
      if (canvas.getAttribute('aria-label') !== aria) canvas.setAttribute('aria-label', aria);
      chart.update('none');
    });
  }

  makeCell() {
    const L = this.labels;
    const cell = document.createElement('figure');
    cell.className = 'chart-cell';
    const heading = document.createElement('figcaption');
    heading.className = 'chart-cell-title';
    const { canvas } = chartBox(cell, 'chart-hist', L.gradient);
    this.el.append(cell);
    const Chart = chartClass();
    const chart = new Chart(canvas, {
      type: 'bar',
      data: {
        datasets: [{ label: '', data: [], backgroundColor: [], barPercentage: 1, categoryPercentage: 1, grouped: false }],
      },
      options: baseOptions({
        interaction: { mode: 'nearest', axis: 'x', intersect: false },
        plugins: {
          legend: { display: false },
          tooltip: {
            titleFont: FONT,
            bodyFont: FONT,
            callbacks: {
              title: (items) => `${L.gradient} ≈ ${shortNumber(items[0].parsed.x)}`,
              label: (item) => `${L.count}: ${item.parsed.y}`,
            },
          },
        },
        scales: {
          x: axis(L.gradient, {
            type: 'linear',
            offset: false,
            ticks: { color: PALETTE.muted, font: FONT, callback: shortTick, autoSkip: false, maxRotation: 0 },
            // the range's ends and zero, whatever their magnitude
            afterBuildTicks: (scale) => {
              const { min, max } = scale;
              scale.ticks = (min < 0 && max > 0 ? [min, 0, max] : [min, max]).map((value) => ({ value }));
            },
          }),
          y: axis(L.count, { beginAtZero: true, ticks: { color: PALETTE.muted, font: FONT, maxTicksLimit: 3, precision: 0 } }),
        },
      }),
    });
    cell.prepend(heading);
    return { cell, heading, chart, canvas };
  }

  reset() {
    for (const c of this.cells) {
      c.chart.destroy();
      c.cell.remove();
    }
    this.cells = [];
  }
}

/** Lines over a linear x axis, points appended in batches: the MNIST
 * view's loss (every step's loss and the test loss at each evaluation)
 * and accuracy (train and test) over epochs. */
export class SeriesChart extends LineChart {
  /**
   * @param {HTMLElement} root
   * @param {{ series: { label: string, colour?: string, dashed?: boolean, dots?: boolean, thin?: boolean,
   *   hideEmpty?: boolean }[],
   *   x: string, y: string, xMin?: number, yMin?: number, yMax?: number, percent?: boolean, log?: boolean,
   *   label?: string }} options  log: a logarithmic y axis (values <= 0 are not drawn)
   */
  constructor(root, options) {
    super();
    const fmt = options.percent ? (v) => `${Math.round(Number(v) * 1000) / 10}%` : (v) => shortNumber(Number(v));
    const { box, canvas } = chartBox(root, 'chart-series', options.label ?? `${options.y} over ${options.x}`);
    this.box = box;
    this.log = Boolean(options.log);
    const Chart = chartClass();
    const datasets = options.series.map((s, i) => {
      const d = lineDataset(s.label, s.colour ?? SERIES[i % SERIES.length], s.dashed);
      if (s.thin) d.borderWidth = 1;
      if (s.dots) d.pointRadius = 2.5;
      d.hideEmpty = Boolean(s.hideEmpty); // out of the legend until it has points
      return d;
    });
    const yAxis = axis(options.y, { type: options.log ? 'logarithmic' : 'linear' });
    yAxis.ticks = { ...yAxis.ticks, callback: fmt };
    if (options.yMin !== undefined) yAxis.min = options.yMin;
    if (options.yMax !== undefined) yAxis.max = options.yMax;
    const xAxis = axis(options.x, { type: 'linear', ticks: { color: PALETTE.muted, font: FONT, maxTicksLimit: 6 } });
    if (options.xMin !== undefined) xAxis.min = options.xMin;
    this.chart = new Chart(canvas, {
      type: 'line',
      data: { datasets },
      options: baseOptions({
        scales: { x: xAxis, y: yAxis },
      }),
    });
    this.chart.options.plugins.tooltip.callbacks.label = (item) => `${item.dataset.label}: ${fmt(item.parsed.y)}`;
    this.chart.options.plugins.legend.labels.filter = (item, data) => {
      const d = data.datasets[item.datasetIndex];
      return !d.hideEmpty || d.data.length > 0;
    };
  }

  /** @param {{ x: number, y: number }[][]} points  new points per series (in order) */
  update(points) {
    const sets = this.chart.data.datasets;
    points.forEach((list, i) => {
      for (const p of list ?? []) if (Number.isFinite(p.y) && (!this.log || p.y > 0)) sets[i].minmax.push(p.x, p.y);
    });
    this.chart.update('none');
  }

}
