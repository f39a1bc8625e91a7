// The playground in headless Chromium: it trains and the loss falls, the
// step-through shows the engine's own numbers (checked against the engine
// run here in Node with the same seed), the URL state is restored, bad URL
// parameters fall back with a note, embed mode works in a cross-origin
// iframe, and nothing is requested from another origin. Screenshots go to
// tests/out/ for review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { loadEngine, FEATURES } from '../../web/js/engine.js';
import { CATALOG } from '../../web/js/catalog.js';
import { assertClose } from '../js/helpers.mjs';

let env, engine;
before(async () => {
  env = await openBrowser();
  engine = await loadEngine();
});
after(async () => env?.close());

async function open(query = '', viewport) {
  const page = await newPage(env.browser, viewport);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.requests = requests;
  await page.goto(`${env.url}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  return page;
}

const number = (text) => Number(text.replace(/[−–]/g, '-').replace(/,/g, ''));

test("every optimizer, loss, activation and dataset of the engine's catalog is on the page's menus, labelled", async () => {
  const page = await open('?lang=zh');
  const options = (sel) => page.locator(sel).first().locator('option').evaluateAll((os) => os.map((o) => [o.value, o.textContent]));
  const names = (table) => CATALOG[table].map((r) => r.name);
  const check = async (sel, table, extra = []) => {
    const got = await options(sel);
    assert.deepEqual(got.map(([v]) => v), [...names(table), ...extra], sel);
    // labelled from i18n.js (a missing string would show its key, e.g. opt.adagrad)
    for (const [v, label] of got) assert.ok(label && !label.includes(`.${v}`), `${sel} ${v}: label '${label}'`);
  };
  await check('#opt', 'optimizers');
  await check('#loss', 'losses');
  await check('#data', 'datasets', ['custom', 'custom1d']);
  await check('#layer-controls select', 'activations'); // the first hidden layer's
  await page.goto(`${env.url}?view=mnist&lang=zh`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  await check('#mnist-opt', 'optimizers');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the playground loads, trains, and the loss falls', async () => {
  const page = await open('?data=xor&feat=x1,x2&hidden=6&act=tanh&lr=0.1&opt=adam&seed=3');
  const before = number(await page.textContent('#train-loss'));
  assert.ok(before > 0.5, `initial loss ${before}`);
  await page.click('#play-btn');
  await page.waitForFunction(() => Number(document.querySelector('#epoch-count').textContent.replace(/,/g, '')) >= 60, null, { timeout: 30000 });
  await page.click('#play-btn');
  const afterLoss = number(await page.textContent('#train-loss'));
  assert.ok(afterLoss < before / 2, `loss fell from ${before} to ${afterLoss}`);
  assert.match(await page.textContent('#train-acc'), /^(9\d|100)\.\d%$/);
  // the gradients view shows the latest update's gradient, not zeros
  await page.check('input[name="net-mode"][value="grads"]');
  const titles = await page.$$eval('#network g[data-from] title', (t) => t.map((x) => x.textContent));
  const grads = titles.map((x) => Number((x.match(/dL\/dw = (\S+)/) ?? [])[1]));
  assert.ok(grads.length > 0 && grads.every(Number.isFinite) && grads.some((g) => g !== 0), titles.slice(0, 3).join(' | '));
  await page.screenshot({ path: `${OUT_DIR}/playground_trained.png`, fullPage: true });
  const origins = new Set(page.requests.map((u) => new URL(u).origin));
  assert.deepEqual([...origins].filter((o) => o !== new URL(env.url).origin && o !== 'null'), [], 'no other origin');
  assert.deepEqual(page.problems, []);
  await page.close();
});

/** The engine, in Node, set up as web/js/worker.js does for this state. */
function nodeSetup({ data, n = 200, noise = 0.1, ratio = 0.5, seed, hidden, act, lr }) {
  const raw = engine.createDataset().generate({ name: data, n, noise, k: 0, trainRatio: ratio, seed });
  const feat = engine.createDataset().features(raw, FEATURES.x1 | FEATURES.x2);
  const spec = [...hidden.map((u) => `dense ${u} ${act}`), 'dense 1'].join(', ');
  const model = engine.createModel().build(spec, [2, 1, 1], { maxBatch: 1024, init: 'xavier_uniform', seed });
  model.configure({ loss: 'bce', opt: 'sgd', lr, nclasses: 2 });
  return { raw, feat, model };
}

test('step-through shows the engine trace, and Update equals a real training step', async () => {
  const page = await open('?data=moons&hidden=3&act=tanh&lr=0.3&seed=5');
  await page.fill('#sample-index', '4');
  await page.press('#sample-index', 'Enter');
  for (let i = 0; i < 3; i++) await page.click('#fwd-btn'); // 2 layers, then the loss
  for (let i = 0; i < 2; i++) await page.click('#bwd-btn');
  const cells = await page.$$eval('#step-view td[data-value]', (tds) => tds.map((td) => ({ k: td.dataset.key, v: Number(td.dataset.value) })));
  const shown = Object.fromEntries(cells.map((c) => [c.k, c.v]));
  const { raw, feat, model } = nodeSetup({ data: 'moons', seed: 5, hidden: [3], act: 'tanh', lr: 0.3 });
  const t = model.trace(feat, 3);
  for (const [l, L] of t.layers.entries()) {
    L.out.forEach((a, j) => assertClose(shown[`${l}.a.${j}`], a, 1e-6, `layer ${l + 1} a${j + 1}`));
    L.pre.forEach((z, j) => assertClose(shown[`${l}.z.${j}`], z, 1e-6, `layer ${l + 1} z${j + 1}`));
    L.dpre.forEach((g, j) => assertClose(shown[`${l}.dz.${j}`], g, 1e-6, `layer ${l + 1} dL/dz${j + 1}`));
    L.dw.forEach((g, k) => assertClose(shown[`${l}.dw.${k}`], g, 1e-6, `layer ${l + 1} dL/dw ${k}`));
  }
  assertClose(number(await page.getAttribute('#step-view .step-loss [data-value]', 'data-value')), t.loss, 1e-6, 'loss');
  // the chain rule for one weight, filled in with the numbers
  await page.click('#step-view td.step-edge >> nth=0');
  assert.match(await page.textContent('#step-view .step-explain'), /^dL\/dw = dL\/dz · x = .+ × .+ = .+/);

  // Update = one SGD step on this sample
  await page.click('#upd-btn');
  await page.waitForSelector('#step-view td[data-after]');
  const updated = await page.$$eval('#step-view td[data-after]', (tds) => tds.map((td) => Number(td.dataset.after)));
  const one = engine.createDataset();
  const train = feat.split('train');
  one.setPoints('train', { x: train.x.slice(6, 8), y: [train.y[3]], n: 1, d: 2, nclasses: 2 });
  model.train(one, { batch: 1, steps: 1 });
  const params = model.params();
  const info = model.info();
  const weights = info.layers.flatMap((L) => [...params.slice(L.w_off, L.w_off + L.w_count)]);
  assert.equal(updated.length, weights.length);
  updated.forEach((w, i) => assertClose(w, weights[i], 1e-6, `weight ${i} after the update`));
  await page.screenshot({ path: `${OUT_DIR}/playground_step.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  for (const h of [raw, feat, model, one]) h.free();
  await page.close();
});

test('a shared URL restores the state, in Chinese', async () => {
  const page = await open('?data=spiral&classes=3&hidden=5,3&act=relu,tanh&lr=0.1&opt=adam&lang=zh&showtest=1');
  assert.equal(await page.inputValue('#data'), 'spiral');
  assert.equal(await page.inputValue('#lr'), '0.1');
  assert.equal(await page.inputValue('#opt'), 'adam');
  assert.equal(await page.isChecked('#showtest'), true);
  assert.equal(await page.$$eval('#layer-controls .layer-col', (c) => c.length), 2);
  assert.equal(await page.textContent('#data-title'), '数据');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  // three classes: softmax over three outputs
  assert.equal(await page.$$eval('#network [data-layer="2"][data-unit]', (n) => n.length), 3);
  await page.selectOption('#opt', 'sgd');
  assert.match(page.url(), /lang=zh/);
  assert.doesNotMatch(page.url(), /opt=/, 'sgd is the default: not in the URL');
  await page.screenshot({ path: `${OUT_DIR}/playground_zh.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('bad URL parameters fall back with a visible note and no markup', async () => {
  const page = await open(`?lr=abc&data=${encodeURIComponent('<script>alert(1)</script>')}&hidden=99`);
  assert.equal(await page.isVisible('#notes'), true);
  const notes = await page.$$eval('#notes li', (li) => li.map((x) => x.textContent));
  assert.equal(notes.length, 3);
  assert.ok(notes.some((n) => n.startsWith('lr:')), notes.join('\n'));
  assert.equal(await page.$$eval('#notes script', (s) => s.length), 0);
  assert.equal(await page.inputValue('#data'), 'circles');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('embed mode works inside a cross-origin iframe', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mg-host-'));
  const frameUrl = env.url.replace('localhost', '127.0.0.1');
  writeFileSync(join(dir, 'index.html'),
    `<!doctype html><title>course</title><link rel="icon" href="data:,"><h1>A course page</h1>
     <iframe id="lab" src="${frameUrl}?embed=1&data=xor&hidden=4&lr=0.1&opt=adam" width="900" height="700"></iframe>`);
  const host = await startServer(dir, 0);
  const page = await newPage(env.browser, { width: 1000, height: 900 });
  await page.goto(host.url);
  const frame = page.frameLocator('#lab');
  await frame.locator('body[data-ready=true]').waitFor({ timeout: 30000 });
  assert.equal(await frame.locator('header.top').isHidden(), true);
  await frame.locator('#play-btn').click();
  await frame.locator('#epoch-count').filter({ hasText: /0,0[1-9]\d|0,[1-9]\d\d/ }).waitFor({ timeout: 30000 });
  await frame.locator('#play-btn').click();
  await page.screenshot({ path: `${OUT_DIR}/playground_embed.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
  await new Promise((ok) => host.server.close(ok));
});

test('custom points and CSV: clicks add points, a malformed file gets a clear message', async () => {
  const page = await open('?data=circles');
  await page.selectOption('#point-mode', '1');
  const box = await page.locator('#boundary canvas').boundingBox();
  await page.mouse.click(box.x + box.width * 0.5, box.y + box.height * 0.5);
  await page.waitForFunction(() => new URLSearchParams(location.search).get('data') === 'custom');
  assert.match(page.url(), /pts=/);
  await page.setInputFiles('#csv-file', { name: 'bad.csv', mimeType: 'text/csv', buffer: Buffer.from('x1,x2,label\n0.5,0.5,1\n0.1,oops,0\n') });
  await page.waitForSelector('#play-error:not([hidden])');
  assert.equal(await page.textContent('#play-error .error-message'), 'line 3: expected x1,x2,label or x,y, found 0.1,oops,0');
  await page.setInputFiles('#csv-file', { name: 'xy.csv', mimeType: 'text/csv', buffer: Buffer.from('x,y\n-1,0.5\n0,1\n1,1.5\n') });
  await page.waitForFunction(() => new URLSearchParams(location.search).get('data') === 'custom1d');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the page works on a phone in portrait', async () => {
  const page = await open('?data=moons', { width: 390, height: 844 });
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
  await page.screenshot({ path: `${OUT_DIR}/playground_phone.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a trained model exports to a file and imports back; a bad file gets a clear message', async () => {
  // stop after 20 epochs: the page stops itself at that epoch, on any machine
  const page = await open('?data=xor&hidden=4&lr=0.1&opt=adam&seed=2&stopepochs=20');
  await page.click('#play-btn');
  await page.waitForSelector('#play[data-state=idle] #play-btn[aria-pressed=false]');
  assert.equal(await page.textContent('#epoch-count'), '000,020');
  const loss = await page.textContent('#train-loss');
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-btn')]);
  const path = await download.path();
  await page.click('#reset-btn');
  await page.waitForFunction((l) => document.querySelector('#train-loss').textContent !== l, loss);
  await page.setInputFiles('#import-file', path);
  // the imported model is the trained one: the same loss on the same data
  await page.waitForFunction((l) => document.querySelector('#train-loss').textContent === l, loss);
  assert.equal(await page.isVisible('#play-error'), false);
  await page.setInputFiles('#import-file', { name: 'bad.mgm', mimeType: 'application/octet-stream', buffer: Buffer.from('not a model') });
  await page.waitForSelector('#play-error:not([hidden])');
  assert.match(await page.textContent('#play-error .error-message'), /^Cannot import this model file: not a Micrograd Lab model file/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('schedules and accumulation under More settings change what the engine does: the rate by its formula, updates per batch', async () => {
  // ⇥ trains one mini-batch; step decay: lr · γ^⌊t / stepsize⌋ with t the updates made
  const page = await open('?data=xor&batch=10&lr=0.1&schedule=step&stepsize=4&gamma=0.5&seed=3');
  assert.equal(await page.inputValue('#schedule'), 'step');
  const rate = async () => number(await page.textContent('#lr-now'));
  const stepTo = async (n) => {
    await page.click('#step-btn');
    await page.waitForFunction((k) => Number(document.querySelector('#step-count').textContent.replace(/\D/g, '')) === k, n);
  };
  const near = (got, want, what) => assert.ok(Math.abs(got - want) <= 1e-4 * Math.abs(want) + 1e-9, `${what}: ${got}, want ${want}`);
  for (let t = 1; t <= 9; t++) {
    await stepTo(t);
    near(await rate(), 0.1 * 0.5 ** Math.floor(t / 4), `step decay after ${t} updates`);
  }
  // cosine over 20 updates, the same optimizer (SGD) and its clock: at t, lr · (1 + cos(π t / 20)) / 2
  await page.click('.more summary');
  await page.selectOption('#schedule', 'cosine');
  assert.equal(await page.isVisible('#gamma'), false);
  await page.fill('#total', '20');
  await page.press('#total', 'Enter');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('total') === '20');
  for (const t of [10, 11]) {
    await stepTo(t);
    near(await rate(), 0.1 * (1 + Math.cos((Math.PI * t) / 20)) / 2, `cosine after ${t} updates`);
  }
  // ⇥ pressed three times at once: three steps, none dropped while the first runs
  await page.evaluate(() => {
    for (let k = 0; k < 3; k++) document.querySelector('#step-btn').click();
  });
  await page.waitForFunction(() => Number(document.querySelector('#step-count').textContent.replace(/\D/g, '')) === 14);
  await page.waitForFunction(() => document.querySelector('#play').dataset.state === 'idle');
  assert.equal(number(await page.textContent('#step-count')), 14);
  // accumulation over 2 mini-batches: an update every second one
  await page.goto(`${env.url}?data=xor&batch=10&accum=2&seed=3`);
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.isVisible('#lr-now'), false); // a constant rate: nothing to show
  for (let k = 1; k <= 4; k++) {
    await page.click('#step-btn');
    await page.waitForFunction(() => document.querySelector('#play').dataset.state === 'idle');
    assert.equal(number(await page.textContent('#step-count')), Math.floor(k / 2), `updates after ${k} mini-batches`);
  }
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a diverging run stops at its step, says why, and offers remedies that work', async () => {
  const page = await open('?data=line&hidden=8&act=relu&lr=10&batch=10&seed=1');
  await page.click('#play-btn');
  await page.waitForSelector('#play-error:not([hidden])', { timeout: 30000 });
  const message = await page.textContent('#play-error .error-message');
  assert.match(message, /^step \d+: the (loss became inf|output of layer \d \(dense\) became (inf|nan))/, message);
  assert.match(message, /try a lower learning rate or gradient clipping$/);
  // stopped: the play button is back to play and the step count stays put
  const steps = await page.textContent('#step-count');
  await page.waitForTimeout(300);
  assert.equal(await page.textContent('#step-count'), steps);
  const loss = await page.textContent('#train-loss');
  assert.ok(!/nan|inf/i.test(loss), `the loss shown is the last finite one (${loss})`);
  const remedies = await page.$$eval('#play-error .remedies button', (b) => b.map((x) => x.textContent));
  assert.deepEqual(remedies, ['Lower the learning rate to 1', 'Clip gradients at norm 1']);
  await page.screenshot({ path: `${OUT_DIR}/playground_diverged.png`, fullPage: true });
  await page.click('#play-error .remedies button >> nth=0');
  await page.waitForFunction(() => new URL(location.href).searchParams.get('lr') === '1', null, { timeout: 10000 });
  await page.waitForSelector('#play-error', { state: 'hidden', timeout: 10000 });
  assert.equal(await page.inputValue('#lr'), '1');
  assert.deepEqual(page.problems, []);
  await page.close();
});
