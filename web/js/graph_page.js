// The graph view: a program of the expression language (or the current
// playground network on one sample, written as such a program) drawn as a
// computation graph; Forward reveals the values in topological order,
// Backward steps one node at a time through the engine's backward_step and
// explains each chain-rule product; leaves can be edited and nudged to
// compare the engine's numerical derivative with the analytic one.
//
// The grads shown are dL/d(node) in every order of clicks: a backward pass
// is one pass whether it is stepped, run at once, or stepped and then
// finished with Backward all; every pass starts from grads set to 0 unless
// the learner turns on "accumulate", and then the words say how many
// passes the leaf grads hold (the engine's backward is PyTorch's: leaf
// grads add up across passes until zero_grad).
import { loadEngine, DIFFERENCES } from './engine.js';
import { PRESETS, GRAPH_PRESETS } from './presets.js';
import { ErrorView } from './views/error_view.js';
import { GraphView } from './views/graph_view.js';
import { shortNumber } from './views/format.js';

import { GRAPH_MAX_NODES } from './graph_limits.js';

/** "(−1.2)" for negative factors. */
const factor = (x) => (x < 0 ? `(${shortNumber(x)})` : shortNumber(x));

/** Side by side with the editor, the graph's viewport reaches down to the
 * window's bottom, so that all of it shows without scrolling even under a
 * lesson's panel (at least 360 px; else the CSS height). */
function sizeViewport(root) {
  const vp = root.querySelector('.graph-viewport');
  const narrow = window.matchMedia('(max-width: 640px)');
  const size = () => {
    vp.style.height = '';
    if (narrow.matches) return;
    const below = window.innerHeight - (vp.getBoundingClientRect().top + window.scrollY) - 16;
    if (below >= 360) vp.style.height = `${Math.round(below)}px`;
  };
  size();
  window.addEventListener('resize', size);
  // the lesson panel above folds and unfolds
  let height = document.documentElement.scrollHeight;
  new ResizeObserver(() => {
    const h = document.documentElement.scrollHeight;
    if (h !== height) {
      height = h;
      size();
    }
  }).observe(document.body);
}

/** Starts the view on root; resolves to { load(program), program() } (a
 * lesson loads its program in place; program() is the editor's text).
 * fromLesson: the initial program is a lesson's. onProgram(src) is told each program that was built (for the URL); it
 * returns a note to show under the editor ('' for none). */
export async function startGraphPage(root, { program: initial, fromLesson = false, t, onProgram = () => '' }) {
  const $ = (sel) => root.querySelector(sel);
  const editor = $('#g-program');
  const info = $('#g-info');
  const errors = new ErrorView($('#g-error'));
  const selPanel = $('#g-selected');
  const stale = $('#g-stale');
  const linkNote = $('#g-link-note');
  const accumulateBox = $('#g-accumulate');
  const presets = [...GRAPH_PRESETS, ...PRESETS.filter((p) => !GRAPH_PRESETS.some((g) => g.id === p.id))];
  if (initial) $('#g-preset').append(new Option(t(fromLesson ? 'lesson.programOption' : 'graph.fromLink'), ''));
  for (const p of presets) $('#g-preset').append(new Option(p.title, p.id));
  editor.value = initial ?? presets[0].program;
  let own = initial;

  const engine = await loadEngine();
  const program = engine.createProgram();
  let result = null;   // the latest result from the engine
  let builtSrc = null; // the program text the graph was built from
  let revealed = 0;
  let known = new Set(); // nodes whose grad is shown
  let current = null;
  let targets = new Set();
  let selected = null;
  let timer = null;
  // a backward pass is being stepped (begun, not finished)
  let stepping = false;
  // complete passes the grads hold since they were last set to 0 (more
  // than 1 only when accumulating); 0: the grads are not a finished pass's
  let passes = 0;
  const view = new GraphView($('#g-graph'), {
    onSelect: (id) => select(id),
    labels: {
      graph: (n) => t('graph.a11y.graph', { n }),
      zoomIn: t('graph.zoomIn'), zoomOut: t('graph.zoomOut'), fit: t('graph.fit'), fitTip: t('graph.fitTip'),
      follow: t('graph.follow'), followTip: t('graph.followTip'), hint: t('graph.panHint'), tools: t('graph.tools'),
      usedTimes: (n) => t('graph.usedTimes', { n }), node: (id) => t('graph.a11y.node', { id }),
    },
    actions: [
      { id: 'forward', text: '▶', label: t('graph.forward'), run: () => forward() },
      { id: 'step', text: '◀', label: t('graph.step'), run: () => backwardStep() },
      { id: 'all', text: '◀◀', label: t('graph.all'), run: () => backwardAll() },
    ],
  });
  root.dataset.passes = '0';
  sizeViewport(root);

  const big = () => result.nodes.length > GRAPH_MAX_NODES;
  const label = (id) => result.nodes[id].label || `#${id}`;
  const everyNode = () => new Set(result.nodes.map((n) => n.id));
  const leavesOf = (set) => new Set([...set].filter((id) => result.nodes[id].op === 'leaf'));

  function draw() {
    root.dataset.pass = stepping ? 'stepping' : 'idle';
    root.dataset.passes = String(passes);
    if (!result || big()) return;
    view.update({ nodes: result.nodes, revealed, known, current, targets, selected });
  }

  function say(...lines) {
    info.textContent = lines.filter(Boolean).join('\n');
  }

  /** Parses and evaluates the editor's program; false on an error. */
  function build() {
    clearInterval(timer);
    const src = editor.value;
    stale.hidden = true;
    try {
      result = program.eval(src);
      errors.reset();
    } catch (err) {
      result = null;
      builtSrc = null;
      view.reset();
      errors.update(err, src);
      say('');
      return false;
    }
    builtSrc = src;
    known = new Set();
    revealed = 0;
    current = null;
    targets = new Set();
    selected = null;
    stepping = false;
    passes = 0;
    selPanel.hidden = true;
    const note = onProgram(src);
    linkNote.textContent = note;
    linkNote.hidden = !note;
    if (big()) {
      view.reset();
      say(t('graph.tooBig', { n: result.nodes.length, max: GRAPH_MAX_NODES }));
      return true;
    }
    say(t('graph.built', { n: result.nodes.length, output: result.output }));
    draw();
    view.fit();
    return true;
  }

  /** The graph of the program in the editor: built again when the text
   * changed since (said in the returned line), null when it cannot be drawn. */
  function ensureBuilt() {
    if (result && editor.value === builtSrc) return big() ? null : '';
    if (!build() || big()) return null;
    return t('graph.rebuilt');
  }

  /** Drops a pass that was stepped only part of the way: its grads are
   * not dL/d(node), so every grad goes back to 0. Returns the line that says so. */
  function dropPartialPass() {
    if (!stepping) return '';
    program.zeroGrad();
    result = program.result();
    stepping = false;
    passes = 0;
    return t('graph.dropped');
  }

  function forward() {
    const rebuilt = ensureBuilt();
    if (rebuilt === null) return;
    clearInterval(timer);
    const dropped = dropPartialPass();
    known = new Set();
    current = null;
    targets = new Set();
    revealed = 0;
    const total = result.nodes.length;
    const perTick = Math.max(1, Math.ceil(total / 40));
    say(rebuilt, dropped);
    timer = setInterval(() => {
      revealed = Math.min(total, revealed + perTick);
      draw();
      if (revealed >= total) {
        clearInterval(timer);
        say(rebuilt, dropped, t('graph.forwardDone', { output: result.output, value: shortNumber(result.data) }));
      }
    }, 40);
  }

  /** Starts a backward pass from the output; returns the line that says how. */
  function beginPass() {
    const accumulate = accumulateBox.checked;
    if (!accumulate) {
      program.zeroGrad();
      passes = 0;
    }
    program.backwardBegin();
    stepping = true;
    // accumulating: the leaf grads of earlier passes stay on screen
    known = accumulate && passes > 0 ? leavesOf(everyNode()) : new Set();
    return accumulate && passes > 0
      ? t('graph.passStartAcc', { output: result.output, k: passes + 1 })
      : t('graph.passStart', { output: result.output });
  }

  /** The words at the end of a complete pass. */
  function doneText() {
    return passes > 1 ? t('graph.backwardDoneAcc', { k: passes }) : t('graph.backwardDone');
  }

  /** A pass that stopped on an inf or nan: its message stays, its
   * partial grads go (set to 0). */
  function fail(err) {
    program.zeroGrad();
    result = program.result();
    stepping = false;
    passes = 0;
    known = new Set();
    current = null;
    targets = new Set();
    errors.update(err, editor.value);
    draw();
  }

  function backwardStep() {
    const rebuilt = ensureBuilt();
    if (rebuilt === null) return;
    clearInterval(timer);
    revealed = result.nodes.length;
    let step;
    let start = '';
    try {
      if (!stepping) start = beginPass();
      step = program.backwardStep();
      result = program.result();
    } catch (err) {
      fail(err);
      return;
    }
    errors.reset();
    current = step.node;
    targets = new Set(step.children.map((c) => c.id));
    known.add(step.node);
    for (const c of step.children) known.add(c.id);
    const n = result.nodes[step.node];
    const lines = step.children.length
      ? [t('graph.stepAt', { node: label(step.node), grad: shortNumber(step.grad), left: step.remaining }),
        ...step.children.map((c) => t('graph.contribution', {
          child: label(c.id), op: n.op, local: shortNumber(c.local), grad: factor(step.grad),
          contrib: shortNumber(c.contrib), total: shortNumber(c.grad),
        }))]
      : [t('graph.stepLeaf', { node: label(step.node), grad: shortNumber(step.grad), left: step.remaining })];
    let end = '';
    if (step.remaining === 0) {
      stepping = false;
      passes += 1;
      end = doneText();
    }
    say(rebuilt, start, ...lines, end);
    draw();
    if (selected !== null) showSelected();
  }

  function backwardAll() {
    const rebuilt = ensureBuilt();
    if (rebuilt === null) return;
    clearInterval(timer);
    revealed = result.nodes.length;
    let how;
    try {
      if (stepping) {
        // finish the pass the steps began: the same steps, without a report each
        let left = 0;
        while (program.backwardStep()) left += 1;
        how = t('graph.finished', { n: left });
      } else if (accumulateBox.checked) {
        program.backward();
        how = passes > 0 ? t('graph.allAcc', { output: result.output }) : t('graph.allFresh', { output: result.output });
      } else {
        program.zeroGrad();
        passes = 0;
        program.backward();
        how = t('graph.allFresh', { output: result.output });
      }
      result = program.result();
    } catch (err) {
      fail(err);
      return;
    }
    errors.reset();
    stepping = false;
    passes += 1;
    known = everyNode();
    current = null;
    targets = new Set();
    say(rebuilt, how, doneText());
    draw();
    if (selected !== null) showSelected();
  }

  function zeroGrad() {
    const rebuilt = ensureBuilt();
    if (rebuilt === null) return;
    clearInterval(timer);
    const wasStepping = stepping;
    program.zeroGrad();
    result = program.result();
    stepping = false;
    passes = 0;
    known = everyNode();
    current = null;
    targets = new Set();
    say(rebuilt, t('graph.zeroed'), wasStepping ? t('graph.zeroedMidPass') : '');
    draw();
    if (selected !== null) showSelected();
  }

  function setAccumulate() {
    say(accumulateBox.checked ? t('graph.accumulateOn') : t('graph.accumulateOff'));
  }

  function select(id) {
    selected = id;
    showSelected();
    draw();
  }

  function showSelected() {
    const n = result.nodes[selected];
    selPanel.hidden = false;
    $('#g-sel-name').textContent = `${label(selected)} (${n.op === 'leaf' ? t('graph.leaf') : n.op})`;
    $('#g-sel-value').value = String(n.data);
    $('#g-leaf-tools').hidden = n.op !== 'leaf';
    $('#g-numeric').textContent = '';
  }

  /** The leaf tools act on the graph on screen: after an edit of the
   * program, its graph is built again first (and the leaf chosen again). */
  function leafReady() {
    if (editor.value === builtSrc) return true;
    const rebuilt = ensureBuilt();
    if (rebuilt !== null) say(rebuilt, t('graph.chooseAgain'));
    return false;
  }

  function setLeaf() {
    if (!leafReady()) return;
    const value = Number($('#g-sel-value').value);
    try {
      // the engine recomputes every value and sets every grad to 0
      result = program.setLeaf(selected, value);
      errors.reset();
      known = new Set();
      stepping = false;
      passes = 0;
      current = null;
      targets = new Set();
      revealed = result.nodes.length;
      say(t('graph.recomputed', { output: result.output, value: shortNumber(result.data) }));
    } catch (err) {
      errors.update(err, editor.value);
    }
    draw();
  }

  function nudge() {
    if (!leafReady()) return;
    const h = Number($('#g-h').value);
    const kind = $('#g-diff').value;
    const out = $('#g-numeric');
    $('#g-errors').replaceChildren();
    try {
      const numeric = program.numericGrad(selected, h, kind);
      // the analytic grad is comparable only after a whole pass
      const analytic = passes > 0 && !stepping ? result.nodes[selected].grad : null;
      const p = { h: shortNumber(h), numeric: shortNumber(numeric), formula: t(`graph.formula.${kind}`) };
      if (analytic === null) {
        out.textContent = t(stepping ? 'graph.numericMidPass' : 'graph.numericOnly', p);
      } else {
        const one = analytic / passes;
        out.textContent = passes > 1
          ? t('graph.numericAcc', { ...p, analytic: shortNumber(analytic), k: passes, one: shortNumber(one), diff: shortNumber(Math.abs(numeric - one)) })
          : t('graph.numeric', { ...p, analytic: shortNumber(analytic), diff: shortNumber(Math.abs(numeric - analytic)) });
        showErrors(analytic / passes);
      }
      out.dataset.numeric = String(numeric);
    } catch (err) {
      out.textContent = err.message;
      delete out.dataset.numeric;
    }
  }

  /** Every difference quotient's error against the analytic grad, for h
   * from 0.1 down to 1e-7: O(h) against O(h²), then rounding. */
  function showErrors(analytic) {
    const table = document.createElement('table');
    table.className = 'graph-errors-table';
    const caption = document.createElement('caption');
    caption.textContent = t('graph.errorsCaption');
    const head = table.createTHead().insertRow();
    for (const text of ['h', ...DIFFERENCES.map((k) => t(`graph.diff.${k}`))]) {
      const th = document.createElement('th');
      th.scope = 'col';
      th.textContent = text;
      head.append(th);
    }
    const body = table.createTBody();
    for (let e = 1; e <= 7; e++) {
      const h = 10 ** -e;
      const row = body.insertRow();
      const th = document.createElement('th');
      th.scope = 'row';
      th.textContent = `1e-${e}`;
      row.append(th);
      for (const kind of DIFFERENCES) {
        const err = Math.abs(program.numericGrad(selected, h, kind) - analytic);
        const cell = row.insertCell();
        cell.textContent = err.toExponential(1);
        cell.dataset.kind = kind;
        cell.dataset.h = String(h);
        cell.dataset.error = String(err);
      }
    }
    table.prepend(caption);
    $('#g-errors').append(table);
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
  accumulateBox.addEventListener('change', setAccumulate);
  editor.addEventListener('input', () => {
    stale.hidden = editor.value === builtSrc;
  });
  editor.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
      e.preventDefault();
      build();
    }
  });
  build();
  return {
    /** The program in the editor now. */
    program: () => editor.value,
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
