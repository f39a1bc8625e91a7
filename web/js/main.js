// Wires the page: reads the state from the URL, applies the language and
// embed options, shows notes about settings it could not read, and starts
// the view asked for (the playground, the graph, the expression page or
// MNIST).
import { parseState, serializeState } from './state.js';
import { t as translate, applyStrings } from './i18n.js';
import { startExprPage } from './expr_page.js';
import { startGraphPage } from './graph_page.js';
import { Playground } from './playground.js';
import { MnistPage } from './mnist_page.js';

const PANELS = ['data', 'network', 'train', 'charts', 'step', 'share', 'header'];

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

  if (view === 'graph') {
    await startGraphPage(document.getElementById('graph'), { program: params.get('program'), t });
    document.body.dataset.ready = 'true';
    return;
  }
  if (view === 'expr') {
    await startExprPage(document.getElementById('expr'), { program: params.get('program'), t });
    document.body.dataset.ready = 'true';
    return;
  }

  let current = state;
  const options = {
    state,
    t,
    onStateChange: (s) => {
      current = s;
      const query = serializeState(s);
      history.replaceState(null, '', query ? `?${query}` : location.pathname);
    },
  };
  // both have shareLinks() and start from the state they were given
  const page = view === 'mnist' ? new MnistPage(document.getElementById('mnist'), options) : new Playground(document.getElementById('play'), options);
  document.getElementById('lang').addEventListener('change', (e) => {
    const query = serializeState({ ...current, lang: e.target.value });
    location.search = query ? `?${query}` : '';
  });
  const dialog = document.getElementById('share-dialog');
  document.getElementById('share-btn').addEventListener('click', () => {
    const { url, iframe } = page.shareLinks();
    document.getElementById('share-url').value = url;
    document.getElementById('share-iframe').value = iframe;
    document.getElementById('share-status').textContent = '';
    dialog.showModal();
  });
  for (const b of dialog.querySelectorAll('[data-copy]')) {
    b.addEventListener('click', () => copyText(document.getElementById(b.dataset.copy), document.getElementById('share-status'), t));
  }
  await (view === 'mnist' ? page.start() : page.rebuild());
  document.body.dataset.ready = 'true';
}

main();
