// Wires the page: reads the state from the URL, applies the language and
// embed options, shows notes about settings it could not read, and starts
// the view asked for (the playground, the graph, the expression page or
// MNIST), with the lesson picker and panel (lesson_controller.js).
import { parseState, serializeState, shareUrl, embedSnippet } from './state.js';
import { lessonById } from './lessons.js';
import { LessonController } from './lesson_controller.js';
import { t as translate, applyStrings } from './i18n.js';
import { startExprPage } from './expr_page.js';
import { startGraphPage } from './graph_page.js';
import { Playground } from './playground.js';
import { MnistPage } from './mnist_page.js';

const PANELS = ['data', 'network', 'train', 'charts', 'step', 'share', 'header', 'lesson'];

function showNotes(notes) {
  const box = document.getElementById('notes');
  if (!notes.length) return;
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
  document.getElementById(`nav-${view}`).setAttribute('aria-current', 'page');
  const setUrl = (s) => {
    const query = serializeState(s);
    history.replaceState(null, '', query ? `?${query}` : location.pathname);
  };
  const lessons = new LessonController({
    panel: document.getElementById('lesson'),
    select: document.getElementById('lesson-select'),
    state,
    t,
    setUrl,
    navigate: (query) => {
      location.search = query ? `?${query}` : '';
    },
  });
  const lesson = lessonById(state.lesson);
  // the state in force (the controller follows every change), with a
  // program from the link
  const query = (s) => {
    const program = params.get('program');
    return [serializeState(s), program === null ? '' : `program=${encodeURIComponent(program)}`].filter(Boolean).join('&');
  };
  document.getElementById('lang').addEventListener('change', (e) => {
    const q = query({ ...lessons.state, lang: e.target.value });
    location.search = q ? `?${q}` : '';
  });
  let page = null; // the playground and MNIST pages make their own links
  const dialog = document.getElementById('share-dialog');
  document.getElementById('share-btn').addEventListener('click', () => {
    let links = page?.shareLinks();
    if (!links) {
      const q = query(lessons.state);
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

  if (view === 'graph') {
    const program = params.get('program') ?? lesson?.program ?? null;
    const fromLesson = params.get('program') === null && Boolean(lesson?.program);
    lessons.attach(await startGraphPage(document.getElementById('graph'), { program, fromLesson, t }));
    document.body.dataset.ready = 'true';
    return;
  }
  if (view === 'expr') {
    await startExprPage(document.getElementById('expr'), { program: params.get('program'), t });
    lessons.attach({});
    document.body.dataset.ready = 'true';
    return;
  }

  const options = {
    state,
    t,
    onStateChange: (s) => {
      setUrl(s);
      lessons.onState(s);
    },
    onProgress: (p) => lessons.onProgress(p),
    onRebuild: () => lessons.onRebuild(),
  };
  // both have shareLinks() and start from the state they were given
  page = view === 'mnist' ? new MnistPage(document.getElementById('mnist'), options) : new Playground(document.getElementById('play'), options);
  lessons.attach(page);
  await (view === 'mnist' ? page.start() : page.rebuild());
  document.body.dataset.ready = 'true';
}

main();
