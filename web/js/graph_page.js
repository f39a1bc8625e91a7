// The graph view: a program of the expression language (or the current
// playground network on one sample, written as such a program) drawn as
// micrograd's graph; Forward reveals the values in topological order,
// Backward steps one node at a time through the engine's backward_step and
// explains each chain-rule product; leaves can be edited and nudged to
// compare the engine's numerical derivative with the analytic one.
import { loadEngine } from './engine.js';
import { PRESETS, GRAPH_PRESETS } from './presets.js';
import { ErrorView } from './views/error_view.js';
import { GraphView } from './views/graph_view.js';
import { shortNumber } from './views/format.js';

import { GRAPH_MAX_NODES } from './graph_limits.js';

/** "(−1.2)" for negative factors. */
const factor = (x) => (x < 0 ? `(${shortNumber(x)})` : shortNumber(x));

/** Starts the view on root; resolves to { load(program) } (a lesson loads
 * its program in place). fromLesson: the initial program is a lesson's. */
export async function startGraphPage(root, { program: initial, fromLesson = false, t }) {
  const $ = (sel) => root.querySelector(sel);
  const editor = $('#g-program');
  const info = $('#g-info');
  const errors = new ErrorView($('#g-error'));
  const selPanel = $('#g-selected');
  const graphBox = $('#g-graph');
  const presets = [...GRAPH_PRESETS, ...PRESETS.filter((p) => !GRAPH_PRESETS.some((g) => g.id === p.id))];
  if (initial) $('#g-preset').append(new Option(t(fromLesson ? 'lesson.programOption' : 'graph.fromLink'), ''));
  for (const p of presets) $('#g-preset').append(new Option(p.title, p.id));
  editor.value = initial ?? presets[0].program;
  let own = initial;

  const engine = await loadEngine();
  const program = engine.createProgram();
  let result = null;   // the latest result from the engine
  let known = new Set();
  let revealed = 0;
  let current = null;
  let targets = new Set();
  let selected = null;
  let stepping = false;
  let timer = null;
  const view = new GraphView(graphBox, { onSelect: (id) => select(id) });

  function draw() {
    if (!result || !result.nodes) return;
    if (result.nodes.length > GRAPH_MAX_NODES) return;
    view.update({ nodes: result.nodes, revealed, known, current, targets, selected });
  }

  function say(text) {
    info.textContent = text;
  }

  function build() {
    clearInterval(timer);
    const src = editor.value;
    try {
      result = program.eval(src);
      errors.reset();
    } catch (err) {
      result = null;
      view.reset();
      errors.update(err, src);
      say('');
      return;
    }
    known = new Set();
    revealed = 0;
    current = null;
    targets = new Set();
    selected = null;
    stepping = false;
    selPanel.hidden = true;
    if (result.nodes.length > GRAPH_MAX_NODES) {
      view.reset();
      say(t('graph.tooBig', { n: result.nodes.length, max: GRAPH_MAX_NODES }));
      return;
    }
    say(t('graph.built', { n: result.nodes.length, output: result.output }));
    draw();
  }

  function forward() {
    if (!result) build();
    if (!result || result.nodes.length > GRAPH_MAX_NODES) return;
    clearInterval(timer);
    revealed = 0;
    const total = result.nodes.length;
    const perTick = Math.max(1, Math.ceil(total / 40));
    timer = setInterval(() => {
      revealed = Math.min(total, revealed + perTick);
      draw();
      if (revealed >= total) {
        clearInterval(timer);
        say(t('graph.forwardDone', { output: result.output, value: shortNumber(result.data) }));
      }
    }, 40);
  }

  const label = (id) => result.nodes[id].label || `#${id}`;

  function backwardStep() {
    if (!result || result.nodes.length > GRAPH_MAX_NODES) return;
    revealed = result.nodes.length;
    try {
      if (!stepping) {
        program.backwardBegin();
        stepping = true;
        known = new Set();
      }
      const step = program.backwardStep();
      result = program.result();
      if (!step) {
        stepping = false;
        current = null;
        targets = new Set();
        say(t('graph.backwardDone'));
        draw();
        return;
      }
      current = step.node;
      targets = new Set(step.children.map((c) => c.id));
      known.add(step.node);
      for (const c of step.children) known.add(c.id);
      const n = result.nodes[step.node];
      const parts = step.children.map((c) =>
        t('graph.contribution', {
          child: label(c.id), op: n.op, local: shortNumber(c.local), grad: factor(step.grad),
          contrib: shortNumber(c.contrib), total: shortNumber(c.grad),
        }));
      say(
        step.children.length
          ? `${t('graph.stepAt', { node: label(step.node), grad: shortNumber(step.grad), left: step.remaining })}\n${parts.join('\n')}`
          : t('graph.stepLeaf', { node: label(step.node), grad: shortNumber(step.grad), left: step.remaining }),
      );
    } catch (err) {
      stepping = false;
      errors.update(err, editor.value);
    }
    draw();
  }

  function backwardAll() {
    if (!result || result.nodes.length > GRAPH_MAX_NODES) return;
    try {
      result = program.backward();
    } catch (err) {
      errors.update(err, editor.value);
      return;
    }
    stepping = false;
    revealed = result.nodes.length;
    known = new Set(result.nodes.map((n) => n.id));
    current = null;
    targets = new Set();
    say(t('graph.backwardDone'));
    draw();
    if (selected !== null) select(selected);
  }

  function zeroGrad() {
    if (!result) return;
    program.zeroGrad();
    result = program.result();
    stepping = false;
    known = new Set();
    current = null;
    targets = new Set();
    say(t('graph.zeroed'));
    draw();
  }

  function select(id) {
    selected = id;
    const n = result.nodes[id];
    selPanel.hidden = false;
    $('#g-sel-name').textContent = `${label(id)} (${n.op === 'leaf' ? t('graph.leaf') : n.op})`;
    $('#g-sel-value').value = String(n.data);
    const leaf = n.op === 'leaf';
    $('#g-leaf-tools').hidden = !leaf;
    $('#g-numeric').textContent = '';
    draw();
  }

  function setLeaf() {
    const value = Number($('#g-sel-value').value);
    try {
      result = program.setLeaf(selected, value);
      errors.reset();
      known = new Set();
      stepping = false;
      revealed = result.nodes.length;
      say(t('graph.recomputed', { output: result.output, value: shortNumber(result.data) }));
    } catch (err) {
      errors.update(err, editor.value);
    }
    draw();
  }

  function nudge() {
    const h = Number($('#g-h').value);
    try {
      const numeric = program.numericGrad(selected, h);
      const analytic = known.has(selected) ? result.nodes[selected].grad : null;
      $('#g-numeric').textContent = analytic === null
        ? t('graph.numericOnly', { h: shortNumber(h), numeric: shortNumber(numeric) })
        : t('graph.numeric', { h: shortNumber(h), numeric: shortNumber(numeric), analytic: shortNumber(analytic), diff: shortNumber(Math.abs(numeric - analytic)) });
      $('#g-numeric').dataset.numeric = String(numeric);
    } catch (err) {
      $('#g-numeric').textContent = err.message;
    }
  }

  $('#g-preset').addEventListener('change', (e) => {
    // '' is the program the page opened with (the link's or the lesson's)
    editor.value = e.target.value === '' ? own : presets.find((p) => p.id === e.target.value).program;
    build();
  });
  $('#g-build').addEventListener('click', build);
  $('#g-forward').addEventListener('click', forward);
  $('#g-step').addEventListener('click', backwardStep);
  $('#g-all').addEventListener('click', backwardAll);
  $('#g-zero').addEventListener('click', zeroGrad);
  $('#g-set').addEventListener('click', setLeaf);
  $('#g-nudge').addEventListener('click', nudge);
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      build();
    }
  });
  build();
  return {
    load(src) {
      own = src;
      editor.value = src;
      const select = $('#g-preset');
      if (![...select.options].some((o) => o.value === '')) select.prepend(new Option(t('lesson.programOption'), ''));
      select.value = '';
      build();
    },
  };
}
