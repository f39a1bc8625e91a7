// The graph view in headless Chromium: a typed program is drawn, Forward
// reveals the values, Backward step visits every node and the grads shown
// equal the native engine's (mg expr --json, run here); a leaf edit
// recomputes; the numerical derivative matches the analytic one; errors
// show their place; the playground opens its network as a graph.
// Issue 13: the grads are dL/d(node) in every order of clicks (checked
// against a hand derivation and the engine's central difference), an
// edited program is never run as its old graph, the program stays in the
// URL and in Share, and the graph fits its view, follows the step and is
// laid out by layer.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { nativeExpr, assertClose } from '../js/helpers.mjs';
import { lessonById } from '../../web/js/lessons.js';
import { GRAPH_PRESETS } from '../../web/js/presets.js';
import { PROGRAM_URL_MAX } from '../../web/js/program_link.js';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

async function open(query, viewport = { width: 1400, height: 900 }) {
  const page = await newPage(env.browser, viewport);
  await page.goto(`${env.url}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  return page;
}

const shown = (page, which) =>
  page.$$eval(`#g-graph [data-node]`, (gs, w) => gs.map((g) => ({
    id: Number(g.dataset.node),
    value: g.querySelectorAll('.graph-num')[w === 'data' ? 0 : 1].getAttribute('data-value'),
  })), which);

/** The grad each named node shows (null: not shown), by name. */
const gradsByName = (page) =>
  page.$$eval('#g-graph [data-node]', (gs) => Object.fromEntries(gs.map((g) => {
    const v = g.querySelector('.graph-grad').getAttribute('data-value');
    return [g.querySelector('.graph-label').textContent, v === '' ? null : Number(v)];
  })));

/** The chain-rule lesson's L = (a·b + c)·f by hand: dL/da = b·f, dL/db = a·f,
 * dL/dc = dL/de = dL/dd = f, dL/df = a·b + c, dL/dL = 1. */
function chainByHand({ a = 2, b = -3, c = 10, f = -2 } = {}) {
  return { a: b * f, b: a * f, c: f, e: f, d: f, f: a * b + c, L: 1 };
}

async function forward(page) {
  await page.click('#g-forward');
  await page.waitForFunction(() => /Forward done|前向完成/.test(document.querySelector('#g-info').textContent));
}

async function steps(page, n) {
  for (let i = 0; i < n; i++) await page.click('#g-step');
}

test('step backward through every node: the grads shown are the engine\'s', async () => {
  const src = 'a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f\nM = L*a + relu(e)';
  const page = await open(`?view=graph&program=${encodeURIComponent(src)}`);
  const native = nativeExpr(src).json;
  await forward(page);
  const data = await shown(page, 'data');
  data.forEach((d) => assertClose(Number(d.value), native.nodes[d.id].data, 1e-12, `node ${d.id} data`));
  let clicks = 0;
  for (;;) {
    await page.click('#g-step');
    clicks += 1;
    const text = await page.textContent('#g-info');
    if (/Backward done/.test(text)) break;
    assert.ok(clicks < native.nodes.length, 'one step per node');
  }
  assert.equal(clicks, native.nodes.length, 'the last node\'s step ends the pass');
  const grads = await shown(page, 'grad');
  assert.equal(grads.length, native.nodes.length);
  grads.forEach((g) => assertClose(Number(g.value), native.nodes[g.id].grad, 1e-12, `node ${g.id} grad`));
  // a is used twice (by e and by M): it carries the accumulation badge
  assert.equal(await page.$$eval('[data-badge-for="0"]', (b) => b.length), 1);
  await page.screenshot({ path: `${OUT_DIR}/graph_backward.png`, fullPage: true });

  // the numerical derivative next to the analytic one
  await page.click('[data-node="0"]');
  await page.click('#g-nudge');
  const numeric = Number(await page.getAttribute('#g-numeric', 'data-numeric'));
  assertClose(numeric, native.leaves.a.grad, 1e-6, 'numerical dM/da');
  assert.match(await page.textContent('#g-numeric'), /analytic grad/);
  // edit a leaf: everything recomputes
  await page.fill('#g-sel-value', '3');
  await page.click('#g-set');
  const edited = nativeExpr(src.replace('a = 2', 'a = 3')).json;
  const after = await shown(page, 'data');
  after.forEach((d) => assertClose(Number(d.value), edited.nodes[d.id].data, 1e-12, `node ${d.id} after the edit`));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the grads are dL/d(node) in every order of clicks (chain-rule lesson, by hand)', async () => {
  const page = await open('?lesson=chain-rule');
  const hand = chainByHand();
  const expect = async (want, what) => {
    const got = await gradsByName(page);
    for (const [name, g] of Object.entries(want)) assert.equal(got[name], g, `${what}: ${name}.grad`);
  };
  // the order: Forward, one step, then Backward all (f.grad was 8)
  await forward(page);
  await steps(page, 1);
  await page.click('#g-all');
  await expect(hand, 'one step then all');
  assert.match(await page.textContent('#g-info'), /finished the pass that the steps began \(6 more nodes\)/);
  // all twice: no doubling
  await page.click('#g-all');
  await expect(hand, 'all twice');
  assert.match(await page.textContent('#g-info'), /every grad set to 0, then the whole pass/);
  // all, then a new stepped pass: it starts from zeroed grads
  await steps(page, 3);
  const mid = await gradsByName(page);
  assert.equal(mid.a, null, 'a has not been reached after 3 steps');
  assert.equal(mid.L, 1);
  assert.equal(mid.e, hand.e, 'e received its whole grad');
  await steps(page, 4);
  await expect(hand, 'all then seven steps');
  // steps past the end start a new pass, and Backward all finishes it
  await steps(page, 1);
  assert.match(await page.textContent('#g-info'), /^Backward pass from L: every grad set to 0 first \(zero_grad\), then L\.grad = 1\.\nNode L /);
  await steps(page, 1);
  assert.equal((await gradsByName(page)).a, null, 'a new pass: a not reached yet');
  await page.click('#g-all');
  await expect(hand, 'steps past the end, then all');
  // Zero grad in the middle of a pass, then all
  await steps(page, 2);
  await page.click('#g-zero');
  assert.match(await page.textContent('#g-info'), /All grads set to 0\.\nThe backward pass in progress is dropped/);
  await expect({ a: 0, b: 0, c: 0, f: 0, L: 0 }, 'zeroed');
  await page.click('#g-all');
  await expect(hand, 'zero mid-pass, then all');
  // Forward in the middle of a pass drops it
  await steps(page, 3);
  await forward(page);
  assert.match(await page.textContent('#g-info'), /was dropped and every grad set to 0/);
  await page.click('#g-all');
  await expect(hand, 'forward mid-pass, then all');
  // a leaf edited in the middle of a pass: the grads of the new values
  await steps(page, 3);
  await page.click('[data-node="0"]'); // a
  await page.fill('#g-sel-value', '3');
  await page.click('#g-set');
  await steps(page, 2);
  await page.click('#g-all');
  await expect(chainByHand({ a: 3 }), 'a = 3 set mid-pass, then steps and all');
  // the engine's central difference agrees with every leaf's grad
  for (const [id, name] of [[0, 'a'], [1, 'b'], [2, 'c'], [5, 'f']]) {
    await page.click(`[data-node="${id}"]`);
    await page.click('#g-nudge');
    const numeric = Number(await page.getAttribute('#g-numeric', 'data-numeric'));
    assertClose(numeric, chainByHand({ a: 3 })[name], 1e-8, `numerical dL/d${name}`);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('accumulating across passes is asked for, and then the words teach zero_grad', async () => {
  const page = await open('?lesson=chain-rule');
  const hand = chainByHand();
  await page.check('#g-accumulate');
  assert.match(await page.textContent('#g-info'), /Accumulate is on.*zero_grad\(\)/);
  await page.click('#g-all');
  await page.click('#g-all');
  const twice = await gradsByName(page);
  for (const leaf of ['a', 'b', 'c', 'f']) assert.equal(twice[leaf], 2 * hand[leaf], `${leaf}: two passes add up`);
  for (const inner of ['e', 'd', 'L']) assert.equal(twice[inner], hand[inner], `${inner}: a non-leaf grad is this pass's`);
  assert.match(await page.textContent('#g-info'), /Backward pass 2 done, with accumulate on: each leaf grad is the sum of 2 passes.*zero_grad\(\)/);
  // the nudge compares with one pass and says so
  await page.click('[data-node="0"]');
  await page.click('#g-nudge');
  assert.match(await page.textContent('#g-numeric'), /accumulated over 2 passes: 12 = 2 × 6/);
  // a third pass stepped: leaves keep their grads, the step adds
  await steps(page, 7);
  assert.equal((await gradsByName(page)).a, 3 * hand.a);
  // Zero grad starts over
  await page.click('#g-zero');
  await page.click('#g-all');
  assert.equal((await gradsByName(page)).a, hand.a);
  // off again: every pass from 0
  await page.uncheck('#g-accumulate');
  await page.click('#g-all');
  await page.click('#g-all');
  const off = await gradsByName(page);
  for (const [name, g] of Object.entries(hand)) assert.equal(off[name], g, `accumulate off: ${name}`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the default network: four steps then Backward all agree with the central difference', async () => {
  const page = await open('?view=graph');
  const nodes = nativeExpr(GRAPH_PRESETS[0].program).json.nodes;
  await forward(page);
  await steps(page, 4);
  await page.click('#g-all');
  const grads = await gradsByName(page);
  // every leaf against the engine's (f(x+h) - f(x-h)) / 2h on the page
  for (const n of nodes.filter((x) => x.op === 'leaf')) {
    await page.click(`[data-node="${n.id}"]`);
    await page.click('#g-nudge');
    const numeric = Number(await page.getAttribute('#g-numeric', 'data-numeric'));
    assertClose(grads[n.label], numeric, 1e-6, `${n.label}.grad against the central difference`);
  }
  assertClose(grads.b2_1, 1.26069, 1e-5, 'b2_1.grad (the issue\'s number)');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('an edited program is built again before it runs; the program lives in the URL, Share and the nav', async () => {
  const page = await open('?lesson=chain-rule');
  await forward(page);
  const src = lessonById('chain-rule').program.replace('f = -2', 'f = -3');
  await page.fill('#g-program', src);
  assert.equal(await page.isVisible('#g-stale'), true, 'the edit is noticed');
  await page.click('#g-all');
  const got = await gradsByName(page);
  const hand = chainByHand({ f: -3 });
  for (const [name, g] of Object.entries(hand)) assert.equal(got[name], g, `${name}.grad of the edited program`);
  assert.match(await page.textContent('#g-info'), /^The program was edited since the graph was built: built it again first\./);
  assert.equal(await page.isVisible('#g-stale'), false);
  // the built program is in the address (with the lesson), and a reload keeps it
  assert.equal(new URL(page.url()).searchParams.get('program'), src);
  assert.equal(new URL(page.url()).searchParams.get('lesson'), 'chain-rule');
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.inputValue('#g-program'), src);
  // Share: the editor's program as it is now, built or not
  const typed = `${src}\nM = L*2`;
  await page.fill('#g-program', typed);
  await page.click('#share-btn');
  const shared = new URL(await page.inputValue('#share-url'));
  assert.equal(shared.searchParams.get('program'), typed);
  assert.match(await page.inputValue('#share-iframe'), /program=/);
  await page.click('#share-dialog button[type=submit]');
  // Graph -> Expressions carries it, and back
  await page.click('#nav-expr');
  await page.waitForURL(/view=expr/);
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.inputValue('#program'), typed);
  assert.match(await page.textContent('#summary'), /^output M = -24 /);
  const exprSrc = `${typed}\nN = M + 1`;
  await page.fill('#program', exprSrc);
  await page.click('#run');
  assert.equal(new URL(page.url()).searchParams.get('program'), exprSrc);
  await page.click('#nav-graph');
  await page.waitForURL(/view=graph/);
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.inputValue('#g-program'), exprSrc);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a program too long for a link is left out of it, and the page says so', async () => {
  const lines = ['x = 0.5'];
  for (let i = 0; lines.join('\n').length < PROGRAM_URL_MAX; i++) lines.push(`y${i} = x*${i + 1} + 0.123456789`);
  const long = lines.join('\n');
  const page = await open('?view=graph');
  await page.fill('#g-program', long);
  await page.click('#g-build');
  assert.equal(new URL(page.url()).searchParams.get('program'), null);
  assert.match(await page.textContent('#g-link-note'), new RegExp(`links keep programs up to ${PROGRAM_URL_MAX}`));
  await page.click('#share-btn');
  assert.equal(new URL(await page.inputValue('#share-url')).searchParams.get('program'), null);
  assert.match(await page.textContent('#share-status'), /Copy the program text to share it/);
  await page.click('#share-dialog button[type=submit]');
  // a short one again: back in the link, the note gone
  await page.fill('#g-program', 'a = 1\nb = a*a');
  await page.click('#g-build');
  assert.equal(new URL(page.url()).searchParams.get('program'), 'a = 1\nb = a*a');
  assert.equal(await page.isVisible('#g-link-note'), false);
  assert.deepEqual(page.problems, []);
  await page.close();
});

/** The viewport's box and every record's box, on screen. */
const boxes = (page) => page.evaluate(() => {
  const r = (e) => {
    const b = e.getBoundingClientRect();
    return { left: b.left, right: b.right, top: b.top, bottom: b.bottom };
  };
  return {
    viewport: r(document.querySelector('.graph-viewport')),
    nodes: Object.fromEntries([...document.querySelectorAll('[data-node]')].map((g) => [g.dataset.node, r(g)])),
    fontPx: Number(document.querySelector('.graph-svg').dataset.fontPx),
    scale: Number(document.querySelector('.graph-svg').dataset.scale),
  };
});
const inside = (b, v) => b.left >= v.left - 1 && b.right <= v.right + 1 && b.top >= v.top - 1 && b.bottom <= v.bottom + 1;

test('the graph fits its view with readable text, shows the ids it names, zooms and pans', async () => {
  const page = await open('?view=graph', { width: 1440, height: 900 });
  const fit = await boxes(page);
  assert.ok(fit.fontPx >= 13, `text at fit: ${fit.fontPx}px`);
  for (const [id, b] of Object.entries(fit.nodes)) assert.ok(inside(b, fit.viewport), `node ${id} is in view`);
  assert.ok(fit.viewport.bottom <= 900, 'the whole viewport is on screen');
  // unnamed nodes carry the id the text calls them by
  await forward(page);
  await steps(page, 4);
  const info = await page.textContent('#g-info');
  const named = [...info.matchAll(/#(\d+)/g)].map((m) => m[1]);
  assert.ok(named.length > 0, info);
  for (const id of named) assert.equal(await page.textContent(`[data-node="${id}"] .graph-label`), `#${id}`);
  // zoom by keyboard, then Fit
  await page.focus('[data-zoom="in"]');
  await page.keyboard.press('Enter');
  const zoomed = await boxes(page);
  assertClose(zoomed.scale, fit.scale * 1.25, 1e-3, 'zoomed in by 1.25');
  await page.focus('[data-zoom="fit"]');
  await page.keyboard.press('Space');
  assertClose((await boxes(page)).scale, fit.scale, 1e-3, 'Fit again');
  // drag to pan: the picture moves with the pointer, and the drag selects nothing
  const before = (await boxes(page)).nodes['0'];
  const v = fit.viewport;
  await page.mouse.move(before.left + 10, before.top + 10);
  await page.mouse.down();
  await page.mouse.move(before.left + 60, before.top + 40, { steps: 5 });
  await page.mouse.up();
  const moved = (await boxes(page)).nodes['0'];
  assert.ok(Math.abs(moved.left - before.left - 50) < 2 && Math.abs(moved.top - before.top - 30) < 2, JSON.stringify({ before, moved }));
  assert.equal(await page.isVisible('#g-selected'), false, 'a drag is not a click');
  assert.ok(v.right > v.left);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a graph lesson at 1440x900: the whole graph above the fold', async () => {
  for (const id of ['derivative', 'chain-rule', 'neuron']) {
    const page = await open(`?lesson=${id}`, { width: 1440, height: 900 });
    const b = await boxes(page);
    for (const [n, box] of Object.entries(b.nodes)) {
      assert.ok(inside(box, b.viewport) && box.bottom <= 900, `${id}: node ${n} on screen (${JSON.stringify(box)})`);
    }
    assert.ok(b.fontPx >= 13, `${id}: ${b.fontPx}px`);
    if (id === 'chain-rule') await page.screenshot({ path: `${OUT_DIR}/graph_lesson_chain_rule.png` });
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

test('errors are shown at their place; too big a graph is explained', async () => {
  const page = await open('?view=graph&program=' + encodeURIComponent('a = 2\nb = a +* 3'));
  assert.match(await page.textContent('#g-error .error-message'), /^line 2, col 8: expected a number, a name or '\(', found '\*'/);
  const big = `x = 0.5\ny = x${'*x'.repeat(400)}`;
  await page.fill('#g-program', big);
  await page.click('#g-build');
  assert.match(await page.textContent('#g-info'), /has 401 nodes; the graph view draws up to 300/);
  // Backward all on it does not run an old graph
  await page.click('#g-all');
  assert.match(await page.textContent('#g-info'), /has 401 nodes/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("the book's d/dx sin(x²) at x = 1: forward, backward and central differences, their errors O(h) and O(h²) against 2 cos 1", async () => {
  const page = await open('?view=graph');
  await page.selectOption('#g-preset', 'sin_square');
  await forward(page);
  await page.click('#g-all');
  await page.click('[data-node="0"]'); // x
  const exact = 2 * Math.cos(1);
  const f2 = 2 * Math.cos(1) - 4 * Math.sin(1); // the second derivative of sin(x²) at 1
  const f3 = -12 * Math.sin(1) - 8 * Math.cos(1); // and the third
  await page.fill('#g-h', '0.001');
  for (const [kind, err] of [['forward', (h) => (f2 / 2) * h + (f3 / 6) * h * h], ['backward', (h) => -(f2 / 2) * h + (f3 / 6) * h * h], ['central', (h) => (f3 / 6) * h * h]]) {
    await page.selectOption('#g-diff', kind);
    await page.click('#g-nudge');
    const numeric = Number(await page.getAttribute('#g-numeric', 'data-numeric'));
    assertClose(numeric - exact, err(0.001), 0.01, `${kind} difference's error at h = 0.001`);
    assert.ok((await page.textContent('#g-numeric')).includes({ forward: '(f(x+h) − f(x)) / h', backward: '(f(x) − f(x−h)) / h', central: '(f(x+h) − f(x−h)) / 2h' }[kind]));
  }
  // the table: every h from 0.1 to 1e-7; where rounding is small, the errors follow h and h²
  const cells = await page.$$eval('#g-errors td', (tds) => tds.map((td) => ({ kind: td.dataset.kind, h: Number(td.dataset.h), error: Number(td.dataset.error) })));
  assert.equal(cells.length, 21);
  for (const c of cells.filter((x) => x.h >= 1e-3 && x.h <= 1e-2)) {
    const want = Math.abs({ forward: (f2 / 2) * c.h, backward: (f2 / 2) * c.h, central: (f3 / 6) * c.h * c.h }[c.kind]);
    assertClose(c.error, want, 0.05, `${c.kind} at h = ${c.h}`);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the playground opens its network on a sample as a graph, by layer, following the step', async () => {
  const page = await open('?data=xor&hidden=2&act=tanh&seed=4');
  await page.click('#graph-btn');
  await page.waitForURL(/view=graph/);
  await page.waitForSelector('body[data-ready=true]');
  const src = await page.inputValue('#g-program');
  assert.match(src, /^# the playground network on one sample/);
  assert.match(src, /\nL = -\(y\*log\(p\) \+ \(1 - y\)\*log\(1 - p\)\)$/);
  const native = nativeExpr(src).json;
  assert.ok(native.nodes.length > 20 && native.nodes.length <= 300);
  await page.click('#g-all');
  const grads = await shown(page, 'grad');
  grads.forEach((g) => assertClose(Number(g.value), native.nodes[g.id].grad, 1e-12, `node ${g.id} grad`));
  await page.screenshot({ path: `${OUT_DIR}/graph_network.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();

  // the default playground network (2-4-2-1, 81 nodes): neurons side by side, layers one under another
  const net = await open('?view=play', { width: 1440, height: 900 });
  await net.click('#graph-btn');
  await net.waitForURL(/view=graph/);
  await net.waitForSelector('body[data-ready=true]');
  const at = (name) => net.$eval(`[aria-label^="${name} "]`, (g) => {
    const b = g.getBoundingClientRect();
    return { x: (b.left + b.right) / 2, y: (b.top + b.bottom) / 2 };
  });
  const z1 = [];
  for (let j = 1; j <= 4; j++) z1.push(await at(`z1_${j}`));
  for (let j = 1; j < 4; j++) assert.ok(z1[j].x > z1[j - 1].x, `z1_${j + 1} is right of z1_${j}`);
  const z2 = [await at('z2_1'), await at('z2_2')];
  assert.ok(z2[1].x > z2[0].x, 'z2_2 right of z2_1');
  assert.ok(Math.min(z2[0].y, z2[1].y) > Math.max(...z1.map((p) => p.y)), 'layer 2 below layer 1');
  assert.ok((await at('z3_1')).y > Math.max(z2[0].y, z2[1].y), 'the output below layer 2');
  assert.ok((await at('L')).y > (await at('z3_1')).y, 'the loss at the bottom');
  await net.screenshot({ path: `${OUT_DIR}/graph_network_fit.png` });
  // the view follows the backward step, zoomed in to readable text
  await forward(net);
  for (let i = 0; i < 4; i++) {
    await net.click('#g-step');
    const b = await boxes(net);
    const current = await net.$eval('.graph-current', (g) => g.dataset.node);
    assert.ok(inside(b.nodes[current], b.viewport), `step ${i + 1}: node ${current} is in view`);
    assert.ok(b.fontPx >= 9.7, `step ${i + 1}: text ${b.fontPx}px`);
  }
  await net.screenshot({ path: `${OUT_DIR}/graph_network_step.png` });
  assert.deepEqual(net.problems, []);
  await net.close();
});

test('accessibility: the graph is a labelled group of buttons whose names begin with what they show', async () => {
  const page = await open('?lesson=chain-rule');
  await forward(page);
  await steps(page, 2);
  const svg = await page.$eval('.graph-svg', (s) => ({ role: s.getAttribute('role'), label: s.getAttribute('aria-label') }));
  assert.deepEqual(svg, { role: 'group', label: 'Computation graph, 7 nodes' });
  const names = await page.$$eval('[data-node]', (gs) => gs.map((g) => ({
    label: g.getAttribute('aria-label'), text: g.querySelector('text').textContent, role: g.getAttribute('role'),
  })));
  for (const n of names) {
    assert.equal(n.role, 'button');
    assert.ok(n.label.startsWith(`${n.text},`), `"${n.label}" begins with "${n.text}"`);
  }
  assert.ok(names.some((n) => n.label === 'L data -8 grad 1, * of d, f (node 6)'), JSON.stringify(names.map((n) => n.label)));
  // by keyboard: Tab to a node, Enter selects it
  await page.focus('[data-node="1"]');
  await page.keyboard.press('Enter');
  assert.equal(await page.textContent('#g-sel-name'), 'b (leaf)');
  // the editor and the graph panel have names of their own
  assert.equal(await page.getByRole('textbox', { name: 'Program' }).count(), 1);
  assert.equal(await page.getByRole('region', { name: 'The graph' }).count(), 1);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('on a phone: no sideways scrolling, and the graph has its own Forward and Backward buttons', async () => {
  const page = await open('?lesson=chain-rule', { width: 390, height: 844 });
  assert.ok(await page.evaluate(() => document.documentElement.scrollWidth) <= 390, 'no horizontal scrolling');
  await page.$eval('#g-graph', (e) => e.scrollIntoView());
  await page.click('[data-action="forward"]');
  await page.waitForFunction(() => /Forward done/.test(document.querySelector('#g-info').textContent));
  await page.click('[data-action="step"]');
  await page.click('[data-action="all"]');
  const got = await gradsByName(page);
  for (const [name, g] of Object.entries(chainByHand())) assert.equal(got[name], g, `${name}.grad`);
  const vp = await page.$eval('.graph-viewport', (e) => e.getBoundingClientRect().toJSON());
  assert.ok(vp.top >= 0 && vp.bottom <= 844, `the graph is in view: ${JSON.stringify(vp)}`);
  await page.screenshot({ path: `${OUT_DIR}/graph_phone.png` });
  // on a wide screen the page's own buttons are beside the graph
  await page.setViewportSize({ width: 1440, height: 900 });
  assert.equal(await page.isVisible('[data-action="step"]'), false);
  assert.deepEqual(page.problems, []);
  await page.close();
});
