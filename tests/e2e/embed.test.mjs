// The page in a course site's iframe talks to the course page with
// postMessage (web/js/embed.js): a parent page on another origin hears
// 'ready' and throttled 'progress' with finite numbers while training,
// drives play, pause, step and set, and its malformed messages are ignored
// (counted, and answered with 'rejected' when they carry our source tag)
// without errors. parent=ORIGIN pins both directions to that origin.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { startServer } from '../../scripts/serve.mjs';

let env, host, hostDir;
before(async () => {
  env = await openBrowser();
  hostDir = mkdtempSync(join(tmpdir(), 'mg-course-'));
  host = await startServer(hostDir, 0);
});
after(async () => {
  await new Promise((ok) => host?.server.close(ok));
  await env?.close();
});

const TAG = { source: 'micrograd-lab', version: 1 };

/** A course page (another origin: 127.0.0.1 against the lab's localhost)
 * with the lab in an iframe; window.log collects the lab's messages. */
async function course(name, query, viewport = { width: 1100, height: 900 }) {
  const lab = env.url.replace('localhost', '127.0.0.1');
  writeFileSync(join(hostDir, `${name}.html`), `<!doctype html><title>course</title><link rel="icon" href="data:,">
<h1>A course page</h1>
<iframe id="lab" src="${lab}?${query}" width="1000" height="760"></iframe>
<script>
  window.log = [];
  const frame = document.getElementById('lab');
  addEventListener('message', (e) => {
    if (e.source === frame.contentWindow) log.push({ origin: e.origin, data: e.data, t: performance.now() });
  });
  window.send = (m) => frame.contentWindow.postMessage(m, '*');
</script>`);
  const page = await newPage(env.browser, viewport);
  await page.goto(`${host.url}${name}.html`);
  page.lab = page.frameLocator('#lab');
  page.labOrigin = new URL(lab).origin;
  return page;
}

const messages = (page, type) => page.evaluate((t) => log.filter((m) => !t || m.data.type === t).map((m) => ({ ...m.data, origin: m.origin, t: m.t })), type);
const waitFor = (page, fn, arg, timeout = 30000) => page.waitForFunction(fn, arg, { timeout });
const send = (page, msg) => page.evaluate((m) => send(m), msg);

function checkNumbers(p) {
  for (const k of ['step', 'epoch', 'loss', 'testLoss', 'accuracy', 'testAccuracy', 'rmse', 'testRmse', 'examplesPerSec']) {
    if (k in p) assert.ok(p[k] === null || Number.isFinite(p[k]), `${k} = ${p[k]}`);
  }
  assert.equal(typeof p.running, 'boolean');
}

test('a course page hears ready and progress, and plays, pauses, steps and sets', async () => {
  const page = await course('play', 'embed=1&data=xor&hidden=4&lr=0.1&opt=adam&seed=2');
  await waitFor(page, () => log.some((m) => m.data.type === 'ready'));
  const [ready] = await messages(page, 'ready');
  assert.deepEqual({ ...ready, t: 0 }, { ...TAG, type: 'ready', view: 'play', query: 'data=xor&seed=2&hidden=4&opt=adam&lr=0.1&embed=1', lang: 'en', origin: page.labOrigin, t: 0 });

  await send(page, { ...TAG, type: 'play' });
  await waitFor(page, () => log.filter((m) => m.data.type === 'progress' && m.data.running && m.data.step > 0).length >= 6);
  await send(page, { ...TAG, type: 'pause' });
  await waitFor(page, () => log.at(-1).data.type === 'progress' && !log.at(-1).data.running);
  const progress = await messages(page, 'progress');
  progress.forEach(checkNumbers);
  const training = progress.filter((p) => p.running && p.step > 0);
  for (const p of training) {
    assert.ok(p.loss > 0 && p.accuracy >= 0 && p.accuracy <= 1 && p.testAccuracy >= 0 && p.testAccuracy <= 1, JSON.stringify(p));
    assert.equal(p.rmse, null);
  }
  assert.ok(training.at(-1).step > training[0].step, 'the step count grows');
  assert.ok(training.at(-1).loss < training[0].loss, `the loss falls: ${training[0].loss} -> ${training.at(-1).loss}`);
  // (the throttle, at most 4 a second, is checked with a clock of its own in
  // tests/js/embed.test.mjs: arrival times here depend on the machine's load)
  // paused: the numbers stay put
  const last = progress.at(-1);
  const shown = await page.lab.locator('#step-count').textContent();
  await page.waitForTimeout(600);
  assert.equal(await page.lab.locator('#step-count').textContent(), shown);
  assert.equal((await messages(page, 'progress')).length, progress.length);

  // one step: one more update
  await send(page, { ...TAG, type: 'step' });
  await waitFor(page, (s) => log.some((m) => m.data.type === 'progress' && m.data.step === s + 1), last.step);

  // set goes through the URL state: good values apply, a bad one is refused with a note
  await send(page, { ...TAG, type: 'set', id: 'a1', state: { lr: 1, opt: 'sgd' } });
  await waitFor(page, () => log.some((m) => m.data.type === 'state' && m.data.id === 'a1'));
  const [set] = (await messages(page, 'state')).filter((m) => m.id === 'a1');
  assert.deepEqual(set.notes, []);
  assert.match(set.query, /(^|&)lr=1(&|$)/);
  assert.doesNotMatch(set.query, /opt=/);
  assert.equal(await page.lab.locator('#lr').inputValue(), '1');
  assert.equal(await page.lab.locator('#opt').inputValue(), 'sgd');

  await send(page, { ...TAG, type: 'set', id: 2, state: { lr: 99, hidden: [3, 3], data: '<img src=x onerror=alert(1)>' } });
  await waitFor(page, () => log.some((m) => m.data.type === 'state' && m.data.id === 2));
  const [bad] = (await messages(page, 'state')).filter((m) => m.id === 2);
  assert.equal(bad.notes.length, 2, bad.notes.join('\n'));
  assert.ok(bad.notes.some((n) => n.startsWith("lr: '99' is not a number from 0.00001 to 10; unchanged")), bad.notes.join('\n'));
  assert.match(bad.query, /hidden=3,3/);
  assert.match(bad.query, /(^|&)lr=1(&|$)/);
  await page.lab.locator('#notes:not([hidden])').waitFor();
  assert.match(await page.lab.locator('#notes p').textContent(), /sent by the course page .* left as they were/);
  assert.equal(await page.lab.locator('#notes img').count(), 0);
  assert.equal(await page.lab.locator('#lr').inputValue(), '1');
  await page.lab.locator('#layer-controls .layer-col >> nth=1').waitFor();
  await page.screenshot({ path: `${OUT_DIR}/embed_course_page.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('malformed messages from the course page are ignored without errors', async () => {
  const page = await course('bad', 'embed=1&data=circles&seed=4');
  await waitFor(page, () => log.some((m) => m.data.type === 'ready'));
  const junk = [
    'play', null, 42, [TAG], { type: 'play' }, { source: 'someone-else', version: 1, type: 'play' },
  ];
  const tagged = [
    { ...TAG, version: 2, type: 'play' },
    { ...TAG, version: '1', type: 'play' },
    { ...TAG, type: 'explode' },
    { ...TAG, type: 'toString' },
    { ...TAG, type: 'play', extra: 1 },
    { ...TAG, type: 'play', id: { nested: true } },
    { ...TAG, type: 'set' },
    { ...TAG, type: 'set', state: 'lr=1' },
    { ...TAG, type: 'set', state: {} },
    { ...TAG, type: 'set', state: { embed: false } },
    { ...TAG, type: 'set', state: { parent: 'https://evil.example' } },
    { ...TAG, type: 'set', state: { nope: 1 } },
    { ...TAG, type: 'set', state: { lr: { valueOf: 1 } } },
    { ...TAG, type: 'set', state: { lr: Infinity } },
    { ...TAG, type: 'set', state: { pts: 'x'.repeat(20000) } },
    { ...TAG, type: 'set', state: { hidden: [[1], [2]] } },
  ];
  for (const m of [...junk, ...tagged]) await send(page, m);
  // a map and a date are not plain objects
  await page.evaluate(() => send(new Map([['type', 'play']])));
  await page.evaluate(() => send(new Date()));
  const total = junk.length + tagged.length + 2;
  await page.lab.locator(`body[data-ignored-messages="${total}"]`).waitFor({ timeout: 10000 });
  await waitFor(page, (n) => log.filter((m) => m.data.type === 'rejected').length === n, tagged.length);
  const rejected = await messages(page, 'rejected');
  for (const r of rejected) assert.ok(typeof r.reason === 'string' && r.reason.length > 0 && r.reason.length < 200, r.reason);
  assert.ok(rejected.some((r) => r.reason === 'version must be 1'));
  assert.ok(rejected.some((r) => /state\.embed is set by the iframe's URL/.test(r.reason)));
  // nothing happened: not training, no notes, no error
  assert.equal(await page.lab.locator('#play-btn').getAttribute('aria-pressed'), 'false');
  assert.equal(await page.lab.locator('#notes').isHidden(), true);
  assert.equal(await page.lab.locator('#play-error').isHidden(), true);
  assert.equal((await messages(page, 'progress')).filter((p) => p.running).length, 0);
  // and it still works
  await send(page, { ...TAG, type: 'hello', id: 7 });
  await waitFor(page, () => log.filter((m) => m.data.type === 'ready').length === 2);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('parent=ORIGIN pins the messages to the course page origin', async () => {
  const wrong = await course('pinned-wrong', 'embed=1&parent=https://elsewhere.example');
  await wrong.lab.locator('body[data-ready=true]').waitFor({ timeout: 30000 });
  await send(wrong, { ...TAG, type: 'play' });
  await wrong.lab.locator('body[data-ignored-messages="1"]').waitFor({ timeout: 10000 });
  await wrong.waitForTimeout(500);
  assert.deepEqual(await messages(wrong), [], 'nothing is posted to another origin');
  assert.equal(await wrong.lab.locator('#play-btn').getAttribute('aria-pressed'), 'false');
  await wrong.close();

  const origin = new URL(host.url).origin; // the course page's
  const right = await course('pinned-right', `embed=1&parent=${encodeURIComponent(origin)}`);
  await waitFor(right, () => log.some((m) => m.data.type === 'ready'));
  await right.close();
});

test('the MNIST view reports its accuracy while training', async () => {
  const page = await course('mnist', 'embed=1&view=mnist&batch=64');
  await waitFor(page, () => log.some((m) => m.data.type === 'ready'));
  await send(page, { ...TAG, type: 'play' });
  await waitFor(page, () => log.some((m) => m.data.type === 'progress' && m.data.running && m.data.testAccuracy > 0.5), null, 60000);
  await send(page, { ...TAG, type: 'pause' });
  await waitFor(page, () => log.at(-1).data.type === 'progress' && !log.at(-1).data.running);
  const progress = await messages(page, 'progress');
  progress.forEach(checkNumbers);
  const p = progress.filter((x) => x.step > 0).at(-1);
  assert.equal(p.view, 'mnist');
  assert.ok(p.epoch > 0 && p.loss > 0 && p.examplesPerSec > 0, JSON.stringify(p));
  await send(page, { ...TAG, type: 'step' });
  await waitFor(page, () => log.at(-1).data.type === 'rejected');
  assert.equal((await messages(page, 'rejected'))[0].reason, 'the mnist view has no step');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('classroom mode: hide=settings,data keeps play, the network and the output, and nothing else to change', async () => {
  const page = await newPage(env.browser, { width: 1000, height: 800 });
  await page.goto(`${env.url}?embed=1&lesson=vanishing&hide=settings,data`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  for (const sel of ['#play-btn', '#reset-btn', '#step-btn', '#epoch-count', '#network svg', '#boundary', '#train-loss']) {
    assert.equal(await page.isVisible(sel), true, `${sel} is visible`);
  }
  for (const sel of ['#lr', '#opt', '#batch', '#reg', '#rate', 'details.more', '#lesson-select', '#layer-controls', '#data', '#share-btn', 'nav.views-nav']) {
    assert.equal(await page.isVisible(sel), false, `${sel} is hidden`);
  }
  await page.screenshot({ path: `${OUT_DIR}/embed_classroom.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
  const mnist = await newPage(env.browser, { width: 1000, height: 800 });
  await mnist.goto(`${env.url}?embed=1&view=mnist&hide=settings`);
  await mnist.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  assert.equal(await mnist.isVisible('#mnist-train'), true);
  for (const sel of ['#mnist-model', '#mnist-opt', '#mnist-lr', '#mnist-batch', '#mnist-stopepochs']) assert.equal(await mnist.isVisible(sel), false, `${sel} is hidden`);
  assert.deepEqual(mnist.problems, []);
  await mnist.close();
});
