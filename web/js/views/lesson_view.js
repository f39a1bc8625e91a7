// The lesson panel: where the lesson is in the course, its title, what to
// look at, the one thing to try, its variant buttons, and Previous/Next.
// A box on the right (`extra`) holds what the lesson shows besides: the
// curves of its runs or the per-class metrics (their own views). Text
// nodes only; the words come translated from the caller.

const el = (tag, className, text) => {
  const e = document.createElement(tag);
  if (className) e.className = className;
  if (text !== undefined) e.textContent = text;
  return e;
};

export class LessonView {
  /**
   * @param {HTMLElement} root  the panel (an empty <section>)
   * @param {{ labels: { tryLabel: string, prev: string, next: string, close: string, variants: string,
   *   collapse: string, expand: string, nav?: string },
   *   onVariant: (id: string) => void, onPrev: () => void, onNext: () => void, onClose: () => void }} options
   */
  constructor(root, { labels, onVariant, onPrev, onNext, onClose }) {
    this.root = root;
    this.labels = labels;
    this.onVariant = onVariant;
    const head = el('div', 'lesson-head');
    this.count = el('p', 'lesson-count');
    this.title = el('h2', 'lesson-title');
    this.title.id = 'lesson-title';
    const close = el('button', 'lesson-close secondary', '×');
    close.type = 'button';
    close.title = labels.close;
    close.setAttribute('aria-label', labels.close);
    close.addEventListener('click', () => onClose());
    // folding the words away leaves the title and Previous/Next (for small screens)
    this.fold = el('button', 'lesson-fold secondary', '−');
    this.fold.type = 'button';
    this.fold.setAttribute('aria-expanded', 'true');
    this.fold.addEventListener('click', () => this.setFolded(this.fold.getAttribute('aria-expanded') === 'true'));
    const heading = el('div', 'lesson-heading');
    heading.append(this.count, this.title);
    const tools = el('div', 'lesson-tools');
    tools.append(this.fold, close);
    head.append(heading, tools);

    this.text = el('p', 'lesson-text');
    this.text.id = 'lesson-text';
    this.tryBox = el('p', 'lesson-try');
    this.tryBox.id = 'lesson-try';
    this.tryLabel = el('strong', '', labels.tryLabel);
    this.tryText = el('span');
    this.tryBox.append(this.tryLabel, ' ', this.tryText);
    this.variants = el('div', 'lesson-variants');
    this.variants.setAttribute('role', 'group');
    this.variants.setAttribute('aria-label', labels.variants);
    const words = el('div', 'lesson-words');
    words.append(this.text, this.tryBox, this.variants);
    /** What the lesson shows besides its words (a chart, a table). */
    this.extra = el('div', 'lesson-extra');
    const body = el('div', 'lesson-body');
    body.id = 'lesson-body';
    body.append(words, this.extra);
    this.body = body;
    this.fold.setAttribute('aria-controls', body.id);

    const nav = el('nav', 'lesson-nav');
    nav.setAttribute('aria-label', labels.nav ?? 'Lessons');
    this.prev = el('button', 'secondary lesson-prev', labels.prev);
    this.prev.type = 'button';
    this.prev.id = 'lesson-prev';
    this.prev.addEventListener('click', () => onPrev());
    this.next = el('button', 'lesson-next', labels.next);
    this.next.type = 'button';
    this.next.id = 'lesson-next';
    this.next.addEventListener('click', () => onNext());
    nav.append(this.prev, this.next);
    root.append(head, body, nav);
    // in a compact layout (a course page's frame, a phone) the words start
    // folded, so the picture is in view; + unfolds them (web/css/playground.css)
    this.setFolded(globalThis.matchMedia?.('(max-width: 900px)').matches ?? false);
    this.reset();
  }

  /** Hides or shows the lesson's words and extra box. */
  setFolded(folded) {
    this.body.hidden = folded;
    this.root.classList.toggle('lesson-folded', folded);
    this.fold.textContent = folded ? '+' : '−';
    this.fold.setAttribute('aria-expanded', String(!folded));
    const label = folded ? this.labels.expand : this.labels.collapse;
    this.fold.title = label;
    this.fold.setAttribute('aria-label', label);
  }

  /**
   * @param {{ id: string, index: number, total: number, count: string, title: string, text: string, tryText: string,
   *   variants: { id: string, label: string, title?: string }[], active: string | null,
   *   prev: { title: string } | null, next: { title: string } | null }} lesson
   */
  update(lesson) {
    this.root.hidden = false;
    this.root.dataset.lesson = lesson.id;
    this.count.textContent = lesson.count;
    this.title.textContent = lesson.title;
    this.text.textContent = lesson.text;
    this.tryText.textContent = lesson.tryText;
    this.variants.replaceChildren();
    this.variants.hidden = !lesson.variants.length;
    if (lesson.variants.length) {
      this.variants.append(el('span', 'lesson-variants-label', this.labels.variants));
      for (const v of lesson.variants) {
        const b = el('button', 'secondary lesson-variant', v.label);
        b.type = 'button';
        b.dataset.variant = v.id;
        if (v.title) b.title = v.title;
        b.setAttribute('aria-pressed', String(v.id === lesson.active));
        b.addEventListener('click', () => this.onVariant(v.id));
        this.variants.append(b);
      }
    }
    this.prev.disabled = !lesson.prev;
    this.next.disabled = !lesson.next;
    this.prev.title = lesson.prev?.title ?? '';
    this.next.title = lesson.next?.title ?? '';
  }

  /** Marks the variant whose settings are in force (null: none). */
  setActive(id) {
    for (const b of this.variants.querySelectorAll('[data-variant]')) b.setAttribute('aria-pressed', String(b.dataset.variant === id));
  }

  reset() {
    this.root.hidden = true;
    delete this.root.dataset.lesson;
    for (const e of [this.count, this.title, this.text, this.tryText]) e.textContent = '';
    this.variants.replaceChildren();
    this.extra.replaceChildren();
  }
}
