// The guided lessons on the page: the picker in the header, the lesson
// panel (views/lesson_view.js), Previous/Next, the variant buttons, and
// what a lesson shows besides its words: one curve per variant run
// (SeriesChart) or the per-class metrics (MetricsView). It moves numbers
// from the page's progress to those views and never computes any.
//
// Going to a lesson of the view on screen applies it in place (the graph
// loads its program, the playground starts afresh with its state, MNIST
// takes its keys and keeps a trained model); a lesson of another view
// loads the page with ?lesson=<id> and that lesson's state.
import { LESSONS, lessonById } from './lessons.js';
import { lessonState, serializeState } from './state.js';
import { LessonView } from './views/lesson_view.js';
import { SeriesChart } from './views/charts.js';
import { MetricsView } from './views/metrics_view.js';

/** The compared quantity of a playground progress report (see worker.js). */
const METRICS = {
  loss: (p) => p.train.loss,
  testLoss: (p) => p.test?.loss,
  accuracy: (p) => p.train.accuracy,
  testAccuracy: (p) => p.test?.accuracy,
  grad0: (p) => p.layers[0]?.gNorm,
  maxGrad: (p) => p.maxGradNorm,
};

const same = (a, b) => JSON.stringify(a) === JSON.stringify(b);

/** Keys that do not change what the network learns. */
const PRESENTATION = new Set(['view', 'lesson', 'lang', 'embed', 'hide', 'showtest', 'stopepochs', 'stoploss']);

/** The variant of lesson whose settings are the state's (the lesson's
 * state with the variant's keys, every key that changes the run), or null. */
export function activeVariant(lesson, state) {
  if (!lesson?.variants) return null;
  const base = lessonState(lesson.id);
  const v = lesson.variants.find((x) => {
    const want = { ...base, ...x.state };
    return Object.keys(want).every((k) => PRESENTATION.has(k) || same(state[k], want[k]));
  });
  return v ? v.id : null;
}

export class LessonController {
  /**
   * @param {{ panel: HTMLElement, select: HTMLSelectElement, state: object, t: (key: string, p?: object) => string,
   *   setUrl: (state: object) => void, navigate: (query: string) => void }} options
   * setUrl shows a state in the address bar (no reload); navigate loads the page with a query.
   */
  constructor({ panel, select, state, t, setUrl, navigate }) {
    this.t = t;
    this.state = state;
    this.setUrl = setUrl;
    this.navigate = navigate;
    this.page = null;      // the view's page: applyLesson (play, mnist) or load (graph)
    this.lesson = null;
    this.chart = null;     // the runs' curves
    this.run = -1;         // the series the current run draws into
    this.metrics = null;
    this.shown = !state.hide.includes('lesson');
    this.select = select;
    select.replaceChildren(new Option(t('lesson.choose'), ''));
    LESSONS.forEach((l, i) => select.append(new Option(t('lesson.option', { i: i + 1, title: t(`lesson.${l.id}.title`) }), l.id)));
    select.addEventListener('change', () => this.goTo(select.value));
    this.view = new LessonView(panel, {
      labels: {
        tryLabel: t('lesson.tryLabel'), prev: t('lesson.prev'), next: t('lesson.next'), close: t('lesson.close'),
        variants: t('lesson.variants'), nav: t('lesson.picker'), collapse: t('lesson.collapse'), expand: t('lesson.expand'),
      },
      onVariant: (id) => this.applyVariant(id),
      onPrev: () => this.step(-1),
      onNext: () => this.step(1),
      onClose: () => this.leave(),
    });
    this.show(lessonById(state.lesson));
  }

  /** The page of the view on screen, once it exists. */
  attach(page) {
    this.page = page;
  }

  // ---- events from the page ---------------------------------------------------

  /** The page's state changed (a control, a variant, a lesson). */
  onState(state) {
    this.state = state;
    if (this.lesson) this.view.setActive(activeVariant(this.lesson, state));
  }

  /** The playground's network starts afresh: the run gets a fresh curve. */
  onRebuild() {
    this.metrics?.reset();
    if (!this.chart) return;
    const v = activeVariant(this.lesson, this.state);
    this.run = v ? this.lesson.variants.findIndex((x) => x.id === v) : this.lesson.variants.length;
    this.chart.clearSeries(this.run);
  }

  /** A training chunk's progress (playground). */
  onTrained(p) {
    if (this.metrics) this.metrics.update(p.test ?? p.train);
    if (!this.chart || this.run < 0) return;
    const y = METRICS[this.lesson.compare.metric](p);
    const points = this.lesson.variants.map(() => []).concat([[]]);
    points[this.run].push({ x: p.epoch, y });
    this.chart.update(points);
    // how many points the runs drew, for tools and tests
    const box = this.view.extra;
    box.dataset.points = String((Number(box.dataset.points) || 0) + 1);
  }

  // ---- moving between lessons ----------------------------------------------------

  /** The state a lesson opens with, keeping the language and embed options. */
  openState(id) {
    const { lang, embed, hide } = this.state;
    return { ...lessonState(id), lang, embed, hide };
  }

  step(delta) {
    const i = LESSONS.findIndex((l) => l.id === this.lesson?.id);
    const next = LESSONS[i + delta];
    if (next) this.goTo(next.id);
  }

  /** Opens lesson id ('' leaves the lesson). */
  goTo(id) {
    const lesson = lessonById(id);
    if (!lesson) return this.leave();
    const state = this.openState(id);
    if (lesson.view !== this.state.view || !this.page) {
      this.navigate(serializeState(state));
      return;
    }
    this.show(lesson);
    if (lesson.view === 'graph') {
      this.state = state;
      this.setUrl(state);
      this.page.load(lesson.program);
    } else {
      this.page.applyLesson({ full: state, changes: { ...structuredClone(lesson.state), lesson: id } });
    }
  }

  applyVariant(id) {
    const v = this.lesson?.variants?.find((x) => x.id === id);
    if (!v || !this.page) return;
    this.page.applyLesson({
      full: { ...this.openState(this.lesson.id), ...structuredClone(v.state) },
      changes: { ...structuredClone(v.state), lesson: this.lesson.id },
      variant: true,
    });
  }

  /** Closes the panel; the page keeps its settings, without the lesson. */
  leave() {
    this.show(null);
    if (this.state.view === 'graph' || !this.page?.set) {
      this.state = { ...this.state, lesson: '' };
      this.setUrl(this.state);
    } else {
      this.page.set({ lesson: '' });
    }
  }

  // ---- the panel ---------------------------------------------------------------------

  show(lesson) {
    this.lesson = lesson ?? null;
    this.select.value = lesson ? lesson.id : '';
    this.chart?.destroy();
    this.chart = null;
    this.metrics = null;
    this.run = -1;
    this.view.extra.replaceChildren();
    delete this.view.extra.dataset.points;
    if (!lesson || !this.shown) {
      this.view.reset();
      return;
    }
    const t = this.t;
    const i = LESSONS.indexOf(lesson);
    const prev = LESSONS[i - 1], next = LESSONS[i + 1];
    this.view.update({
      id: lesson.id,
      count: t('lesson.count', { i: i + 1, n: LESSONS.length }),
      title: t(`lesson.${lesson.id}.title`),
      text: t(`lesson.${lesson.id}.text`),
      tryText: t(`lesson.${lesson.id}.try`),
      variants: (lesson.variants ?? []).map((v) => ({ id: v.id, label: t(`lesson.${lesson.id}.variant.${v.id}`), title: t('lesson.variantTip') })),
      active: activeVariant(lesson, this.state),
      prev: prev ? { title: t('lesson.prevTitle', { title: t(`lesson.${prev.id}.title`) }) } : null,
      next: next ? { title: t('lesson.nextTitle', { title: t(`lesson.${next.id}.title`) }) } : null,
    });
    const extra = this.view.extra;
    if (lesson.compare && lesson.view === 'play') {
      const title = document.createElement('p');
      title.className = 'lesson-extra-title';
      title.textContent = t('lesson.compare.title');
      const hint = document.createElement('p');
      hint.className = 'hint';
      hint.textContent = t('lesson.compare.hint');
      const box = document.createElement('div');
      box.className = 'lesson-chart';
      extra.append(title, box, hint);
      const { metric, log = false } = lesson.compare;
      const percent = metric === 'accuracy' || metric === 'testAccuracy';
      this.chart = new SeriesChart(box, {
        series: [
          ...lesson.variants.map((v) => ({ label: t(`lesson.${lesson.id}.variant.${v.id}`) })),
          { label: t('lesson.compare.other'), dashed: true, hideEmpty: true },
        ],
        x: t('lesson.compare.epoch'), y: t(`lesson.compare.${metric}`), xMin: 0, log, percent,
        ...(percent ? { yMin: 0, yMax: 1 } : {}),
      });
    }
    if (lesson.panel === 'metrics') {
      const L = (k) => t(`lesson.metrics.${k}`);
      this.metrics = new MetricsView(extra, {
        labels: {
          title: L('title'), empty: L('empty'), caption: L('caption'), class: L('class'), precision: L('precision'),
          recall: L('recall'), f1: L('f1'), support: L('support'), confusion: L('confusion'), cell: L('cell'),
        },
      });
    }
  }
}
