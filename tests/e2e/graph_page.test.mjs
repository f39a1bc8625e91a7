// The graph view in headless Chromium: a typed program is drawn, Forward
// reveals the values, Backward step visits every node and the grads shown
// equal the native engine's (mg expr --json, run here); a leaf edit
// recomputes; the numerical derivative matches the analytic one; errors
// show their place; the playground opens its network as a graph.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { nativeExpr, assertClose } from '../js/helpers.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

async function open(query) {
  const page = await newPage(env.browser, { width: 1400, height: 900 });
  await page.goto(`${env.url}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  return page;
}

const shown = (page, which) =>
  page.$$eval(`#g-graph [data-node]`, (gs, w) => gs.map((g) => ({
    id: Number(g.dataset.node),
    value: g.querySelectorAll('.graph-num')[w === 'data' ? 0 : 1].getAttribute('data-value'),
  })), which);

test('step backward through every node: the grads shown are the engine\'s', async () => {
  const src = 'a = 2\nb = -3\nc = 10\ne = a*b\nd = e + c\nf = -2\nL = d*f\nM = L*a + relu(e)';
  const page = await open(`?view=graph&program=${encodeURIComponent(src)}`);
  const native = nativeExpr(src).json;
  await page.click('#g-forward');
  await page.waitForFunction(() => /Forward done|前向完成/.test(document.querySelector('#g-info').textContent));
  const data = await shown(page, 'data');
  data.forEach((d) => assertClose(Number(d.value), native.nodes[d.id].data, 1e-12, `node ${d.id} data`));
  let steps = 0;
  for (;;) {
    await page.click('#g-step');
    const text = await page.textContent('#g-info');
    if (/Backward done/.test(text)) break;
    assert.ok(++steps <= native.nodes.length, 'one step per node');
  }
  assert.equal(steps, native.nodes.length);
  const grads = await shown(page, 'grad');
  assert.equal(grads.length, native.nodes.length);
  grads.forEach((g) => assertClose(Number(g.value), native.nodes[g.id].grad, 1e-12, `node ${g.id} grad`));
  // a is used twice (by e and by M): it carries the accumulation badge
  assert.equal(await page.$$eval('[data-node="0"] .graph-badge', (b) => b.length), 1);
  await page.screenshot({ path: `${OUT_DIR}/graph_backward.png`, fullPage: true });

  // the numerical derivative next to the analytic one
  await page.click('[data-node="0"]');
  await page.click('#g-nudge');
  const numeric = Number(await page.getAttribute('#g-numeric', 'data-numeric'));
  assertClose(numeric, native.leaves.a.grad, 1e-6, 'numerical dM/da');
  // edit a leaf: everything recomputes
  await page.fill('#g-sel-value', '3');
  await page.click('#g-set');
  const edited = nativeExpr(src.replace('a = 2', 'a = 3')).json;
  const after = await shown(page, 'data');
  after.forEach((d) => assertClose(Number(d.value), edited.nodes[d.id].data, 1e-12, `node ${d.id} after the edit`));
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('errors are shown at their place; too big a graph is explained', async () => {
  const page = await open('?view=graph&program=' + encodeURIComponent('a = 2\nb = a +* 3'));
  assert.match(await page.textContent('#g-error .error-message'), /^line 2, col 8: expected a number, a name or '\(', found '\*'/);
  const big = `x = 0.5\ny = x${'*x'.repeat(400)}`;
  await page.fill('#g-program', big);
  await page.click('#g-build');
  assert.match(await page.textContent('#g-info'), /has 401 nodes; the graph view draws up to 300/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the playground opens its network on a sample as a graph', async () => {
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
});
