// Wires the page: reads the state from the URL, applies the language and
// embed options, shows notes about settings it could not read, and starts
// the view asked for (the playground, the graph, the expression page or
// MNIST), with the lesson picker and panel (lesson_controller.js). In a
// frame it reports to the course page and takes its commands
// (web/js/embed.js).
import { SCHEMA, defaults, parseState, serializeState, shareUrl, embedSnippet, choicesOf } from './state.js';
import { ParentLink, connectParent } from './embed.js';
import { lessonById } from './lessons.js';
import { LessonController } from './lesson_controller.js';
import { t as translate, applyStrings } from './i18n.js';
import { startExprPage } from './expr_page.js';
import { startGraphPage } from './graph_page.js';
import { Playground } from './playground.js';
import { MnistPage } from './mnist_page.js';
import { PROGRAM_URL_MAX, programPart, joinQuery } from './program_link.js';

const PANELS = SCHEMA.find((e) => e.key === 'hide').values;
const TRAINING_PAGES = { play: Playground, mnist: MnistPage };

/** Fills every <select data-choices="PREFIX"> with the values of its
 * data-key (state.js, from the engine's tables), each labelled by the
 * string PREFIX.value, before the strings are applied. */
function fillChoices(root) {
  for (const select of root.querySelectorAll('select[data-choices]')) {
    select.replaceChildren(...choicesOf(select.dataset.key).map((v) => {
      const option = new Option(v, v);
      option.dataset.i18n = `${select.dataset.choices}.${v}`;
      return option;
    }));
  }
}

/** Lists notes under the box's heading, or under heading when given. */
function showNotes(notes, heading = null) {
  const box = document.getElementById('notes');
  if (!notes.length) return;
  if (heading) box.querySelector('p').textContent = heading;
  box.querySelector('ul').replaceChildren(
    ...notes.map((n) => {
      const li = document.createElement('li');
      li.textContent = n.message;
      return li;
    }),
  );
  box.hidden = false;
}

async function copyText(input, status, t) {
  input.select();
  try {
    await navigator.clipboard.writeText(input.value);
    status.textContent = t('share.copied');
  } catch {
    status.textContent = t('error.copy');
  }
}

async function main() {
  const params = new URLSearchParams(location.search);
  const { state, notes } = parseState(params);
  const t = (key, p) => translate(state.lang, key, p);
  fillChoices(document);
  applyStrings(document.documentElement, state.lang);
  document.getElementById('lang').value = state.lang;
  showNotes(notes);
  document.body.classList.toggle('embed', state.embed);
  for (const panel of PANELS) {
    const hidden = state.hide.includes(panel) || (state.embed && (panel === 'header' || panel === 'share'));
    for (const el of document.querySelectorAll(`[data-panel="${panel}"]`)) el.hidden = hidden;
  }
  const view = state.view;
  document.getElementById(view).hidden = false;
  // the skip link goes to the view shown (focusable, so the keyboard lands there)
  document.getElementById('skip-link').href = `#${view}`;
  document.getElementById(view).tabIndex = -1;
  document.getElementById(`nav-${view}`).setAttribute('aria-current', 'page');

  let current = state;
  // the graph and expression views' program: the link's, then what their
  // page says it shows (program_link.js puts it in links)
  let program = params.get('program');
  let programPage = null; // { program() }: the editor's text, on those views
  const link = new ParentLink({ parentOrigin: state.parent, view, onIgnored: countIgnored });
  const navigate = (query) => {
    location.search = query ? `?${query}` : '';
  };
  const shownProgram = () => (programPage ? programPage.program() : program);
  /** s's query with the program kept (when it fits in a link). */
  const query = (s, text = shownProgram()) => joinQuery(serializeState(s), programPart(text, s.view, s.lesson).part);
  /** The state in force, in the address bar and told to a course page. */
  const setUrl = (s) => {
    current = s;
    const q = query(s);
    history.replaceState(null, '', q ? `?${q}` : location.pathname);
    link.send('state', { query: q });
  };
  /** A program built or run on the page: into the address; the note to
   * show when it is too long for a link. */
  const onProgram = (text) => {
    program = text;
    setUrl(current);
    const { tooLong, length } = programPart(text, current.view, current.lesson);
    return tooLong ? t('program.tooLongForLink', { n: length, max: PROGRAM_URL_MAX }) : '';
  };
  // Graph <-> Expressions carry the program in the editor
  for (const target of ['graph', 'expr']) {
    const a = document.getElementById(`nav-${target}`);
    const refresh = () => {
      if (!programPage) return;
      const q = joinQuery(serializeState({ ...defaults(target), lang: current.lang }), programPart(programPage.program(), target).part);
      a.href = `?${q}`;
    };
    for (const type of ['pointerdown', 'focus', 'click']) a.addEventListener(type, refresh);
  }
  const lessons = new LessonController({
    panel: document.getElementById('lesson'),
    select: document.getElementById('lesson-select'),
    state,
    t,
    setUrl,
    navigate,
  });
  const lesson = lessonById(state.lesson);
  const withProgram = (q) => joinQuery(q, programPart(shownProgram(), current.view, current.lesson).part);
  document.getElementById('lang').addEventListener('change', (e) => navigate(query({ ...current, lang: e.target.value })));
  let page = null; // the playground and MNIST pages make their own links
  const dialog = document.getElementById('share-dialog');
  document.getElementById('share-btn').addEventListener('click', () => {
    let links = page?.shareLinks();
    let note = '';
    if (!links) {
      // the program as the editor holds it now
      const text = shownProgram();
      const q = query(current, text);
      const url = `${shareUrl(location.href, {})}${q ? `?${q}` : ''}`;
      links = { url, iframe: embedSnippet(url) };
      const { tooLong, length } = programPart(text, current.view, current.lesson);
      if (tooLong) note = t('program.tooLongForLink', { n: length, max: PROGRAM_URL_MAX });
    }
    document.getElementById('share-url').value = links.url;
    document.getElementById('share-iframe').value = links.iframe;
    document.getElementById('share-status').textContent = note;
    dialog.showModal();
  });
  for (const b of dialog.querySelectorAll('[data-copy]')) {
    b.addEventListener('click', () => copyText(document.getElementById(b.dataset.copy), document.getElementById('share-status'), t));
  }
  const ready = (p) => {
    document.body.dataset.ready = 'true';
    link.send('ready', { query: query(current), lang: current.lang });
    connectParent(link, {
      page: p,
      getState: () => current,
      showNotes: (n) => showNotes(n, t('embed.setNotes')),
      navigate: (q) => navigate(withProgram(q)),
    });
  };

  if (view === 'graph') {
    const fromLesson = program === null && Boolean(lesson?.program);
    programPage = await startGraphPage(document.getElementById('graph'), { program: program ?? lesson?.program ?? null, fromLesson, t, onProgram });
    lessons.attach(programPage);
    ready(null);
    return;
  }
  if (view === 'expr') {
    programPage = await startExprPage(document.getElementById('expr'), { program, t, onProgram });
    lessons.attach({});
    ready(null);
    return;
  }

  const options = {
    state,
    t,
    onStateChange: (s) => {
      setUrl(s);
      lessons.onState(s);
    },
    onProgress: (numbers) => link.progress(numbers),
    onDiverged: (what) => link.send('diverged', what),
    onTrained: (p) => lessons.onTrained(p),
    onRebuild: () => lessons.onRebuild(),
    pinned: params.has('seed') || params.has('wseed'),
  };
  // the training pages: each has start(), set(), applyLesson() and
  // shareLinks(), and starts from the state it was given
  page = new TRAINING_PAGES[view](document.getElementById(view), options);
  lessons.attach(page);
  await page.start();
  ready(page);
}

/** Messages the page ignored (web/js/embed.js), counted in
 * body[data-ignored-messages]; the first few are logged. */
function countIgnored(reason) {
  const n = Number(document.body.dataset.ignoredMessages ?? 0) + 1;
  document.body.dataset.ignoredMessages = String(n);
  if (n <= 20) console.warn(`Micrograd Lab ignored a message: ${reason}`);
}

main();
