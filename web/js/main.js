// Wires the page: reads the state from the URL, applies the language and
// embed options, shows notes about settings it could not read, and starts
// the view asked for (the playground, the graph, the expression page or
// MNIST), with the lesson picker and panel (lesson_controller.js). In a
// frame it reports to the course page and takes its commands
// (web/js/embed.js).
import { SCHEMA, parseState, serializeState, shareUrl, embedSnippet } from './state.js';
import { ParentLink, connectParent } from './embed.js';
import { lessonById } from './lessons.js';
import { LessonController } from './lesson_controller.js';
import { t as translate, applyStrings } from './i18n.js';
import { startExprPage } from './expr_page.js';
import { startGraphPage } from './graph_page.js';
import { Playground } from './playground.js';
import { MnistPage } from './mnist_page.js';

const PANELS = SCHEMA.find((e) => e.key === 'hide').values;

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
  const link = new ParentLink({ parentOrigin: state.parent, view, onIgnored: countIgnored });
  const navigate = (query) => {
    location.search = query ? `?${query}` : '';
  };
  /** The state in force, in the address bar and told to a course page. */
  const setUrl = (s) => {
    current = s;
    const query = serializeState(s);
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
    link.send('state', { query });
  };
  const lessons = new LessonController({
    panel: document.getElementById('lesson'),
    select: document.getElementById('lesson-select'),
    state,
    t,
    setUrl,
    navigate,
  });
  const lesson = lessonById(state.lesson);
  // a query with the program from the link kept (it is not in SCHEMA)
  const withProgram = (q) => {
    const program = params.get('program');
    return [q, program === null ? '' : `program=${encodeURIComponent(program)}`].filter(Boolean).join('&');
  };
  const query = (s) => withProgram(serializeState(s));
  document.getElementById('lang').addEventListener('change', (e) => navigate(query({ ...current, lang: e.target.value })));
  let page = null; // the playground and MNIST pages make their own links
  const dialog = document.getElementById('share-dialog');
  document.getElementById('share-btn').addEventListener('click', () => {
    let links = page?.shareLinks();
    if (!links) {
      const q = query(current);
      const url = `${shareUrl(location.href, {})}${q ? `?${q}` : ''}`;
      links = { url, iframe: embedSnippet(url) };
    }
    document.getElementById('share-url').value = links.url;
    document.getElementById('share-iframe').value = links.iframe;
    document.getElementById('share-status').textContent = '';
    dialog.showModal();
  });
  for (const b of dialog.querySelectorAll('[data-copy]')) {
    b.addEventListener('click', () => copyText(document.getElementById(b.dataset.copy), document.getElementById('share-status'), t));
  }
  const ready = (p) => {
    document.body.dataset.ready = 'true';
    link.send('ready', { query: serializeState(current), lang: current.lang });
    connectParent(link, {
      page: p,
      getState: () => current,
      showNotes: (n) => showNotes(n, t('embed.setNotes')),
      navigate: (q) => navigate(withProgram(q)),
    });
  };

  if (view === 'graph') {
    const program = params.get('program') ?? lesson?.program ?? null;
    const fromLesson = params.get('program') === null && Boolean(lesson?.program);
    lessons.attach(await startGraphPage(document.getElementById('graph'), { program, fromLesson, t }));
    ready(null);
    return;
  }
  if (view === 'expr') {
    await startExprPage(document.getElementById('expr'), { program: params.get('program'), t });
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
  // both have shareLinks() and start from the state they were given
  page = view === 'mnist' ? new MnistPage(document.getElementById('mnist'), options) : new Playground(document.getElementById('play'), options);
  lessons.attach(page);
  await (view === 'mnist' ? page.start() : page.rebuild());
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
