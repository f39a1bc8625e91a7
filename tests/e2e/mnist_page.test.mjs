// The MNIST view in headless Chromium: the built-in digits load, the MLP
// trains in the worker and pauses by itself after exactly one epoch ("stop
// after N epochs": 8,000 digits in batches of 64 are ceil(8000 / 64) = 125
// steps), so its step count, its losses, its test accuracy and the answers
// to drawn digits are the same on every machine and are checked against the
// same session run here in Node. The page reports examples/s (read here, no
// threshold: speed is for benchmarks), the confusion matrix and the digit
// grid agree with the accuracy, a drawn digit gets ten probabilities that
// sum to 1, the model file round-trips, bad IDX files and models get the
// engine's message, gzip files load, the CNN shows its filters and feature
// maps, and the URL state works. After 5 epochs (625 steps) the loss chart
// draws every step's range with no gap. No main-thread task may freeze the
// page while training (a PerformanceObserver of long tasks; the longest is
// printed). Screenshots go to tests/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync, deflateSync, crc32 } from 'node:zlib';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { ROOT } from '../js/helpers.mjs';
import { loadEngine } from '../../web/js/engine.js';
import { createMnistSession } from '../../web/js/mnist_session.js';

const IMAGES = readFileSync(`${ROOT}web/build/data/mnist-10k-images.idx`);
const LABELS = readFileSync(`${ROOT}web/build/data/mnist-10k-labels.idx`);
const AXE = readFileSync(`${ROOT}node_modules/axe-core/axe.min.js`, 'utf8');

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

async function open(query, viewport) {
  const page = await newPage(env.browser, viewport);
  const requests = [];
  page.on('request', (r) => requests.push(r.url()));
  page.requests = requests;
  await page.goto(`${env.url}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
  return page;
}

const testAccuracy = (page) => page.$eval('#mnist-test-acc', (el) => Number(el.dataset.value));

/** What the page's worker computes for the MLP (the view's defaults:
 * Adam, 0.001, batches of 64) trained to epoch n, run here in Node on the
 * same engine and session: every step's loss and epoch, and the test accuracy. */
async function reference(n) {
  const s = createMnistSession(await loadEngine());
  s.load({ images: IMAGES, labels: LABELS });
  s.build({ model: 'mlp', opt: 'adam', lr: 0.001 });
  const r = s.train({ batch: 64, budgetMs: Infinity, untilEpoch: n }).result;
  return { losses: r.losses, epochs: r.epochs, steps: r.steps, accuracy: s.evaluate().result.test.accuracy };
}

/** Clicks ▶ and waits until training pauses by itself (stop after N
 * epochs; not asserted to be running in between: a fast machine trains an
 * epoch in 0.15 s). */
async function trainToStop(page) {
  await page.click('#mnist-train');
  await page.waitForFunction(() => document.querySelector('#mnist').dataset.state === 'ready' &&
    document.querySelector('#mnist-train').getAttribute('aria-pressed') === 'false', null, { timeout: 300000 });
}

/** The points a chart draws, per dataset: [[{ x, y }]]. */
const chartPoints = (page, id) => page.evaluate((sel) => globalThis.Chart.getChart(document.querySelector(`${sel} canvas`))
  .data.datasets.map((d) => d.data.map((p) => ({ x: p.x, y: p.y }))), id);

/** Draws a polyline on the pad with the mouse (pointer events); points in 0..1 of the pad. */
async function draw(page, points) {
  const pad = await page.$('#mnist-pad canvas');
  await pad.scrollIntoViewIfNeeded();
  const b = await pad.boundingBox();
  const at = ([x, y]) => [b.x + x * b.width, b.y + y * b.height];
  await page.mouse.move(...at(points[0]));
  await page.mouse.down();
  for (const p of points.slice(1)) await page.mouse.move(...at(p), { steps: 3 });
  await page.mouse.up();
}

/** The bars: { pred, probs } once a prediction is shown. */
async function bars(page) {
  await page.waitForSelector('.mnist-draw[data-predicting=false] #mnist-probs[data-prediction]');
  return page.$eval('#mnist-probs', (el) => ({
    pred: Number(el.dataset.prediction),
    shown: el.querySelector('.prob-pred').textContent,
    probs: [...el.querySelectorAll('li')].map((li) => Number(li.dataset.p)),
  }));
}

/** IDX bytes of n packed digits from `from`. */
function digits(n, from = 0) {
  const head = (dims) => {
    const b = Buffer.alloc(4 + 4 * dims.length);
    b[2] = 8;
    b[3] = dims.length;
    dims.forEach((d, i) => b.writeUInt32BE(d, 4 + 4 * i));
    return b;
  };
  return {
    images: Buffer.concat([head([n, 28, 28]), IMAGES.subarray(16 + 784 * from, 16 + 784 * (from + n))]),
    labels: Buffer.concat([head([n]), LABELS.subarray(8 + from, 8 + from + n)]),
  };
}

test('MNIST: the MLP stops after exactly one epoch at the engine\'s numbers; the page reports examples/s', async () => {
  const want = await reference(1);
  const page = await open('?view=mnist');
  assert.equal(await page.getAttribute('#mnist', 'data-state'), 'ready');
  assert.match(await page.textContent('#mnist-data-info'), /^8,000 training and 2,000 test digits/);
  assert.match(await page.textContent('#mnist-model-info'), /dense 128 relu, dense 10 · 101,770 parameters/);
  const untrained = await testAccuracy(page);
  assert.ok(untrained < 0.3, `untrained accuracy ${untrained}`);
  assert.equal(await page.$eval('#mnist-weights figure', (f) => f.dataset.tiles), '128');
  // stop after 1 epoch, set as a learner does; it goes to the URL
  assert.equal(await page.inputValue('#mnist-stopepochs'), '0');
  await page.fill('#mnist-stopepochs', '1');
  await page.press('#mnist-stopepochs', 'Enter');
  await page.waitForFunction(() => location.search === '?view=mnist&stopepochs=1');

  // the longest main-thread task while training
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  const started = Date.now();
  await trainToStop(page);
  const seconds = (Date.now() - started) / 1000;
  const longTasks = await page.evaluate(() => window.longTasks);
  // exactly at the epoch boundary: 125 steps (ceil(8000 / 64)), evaluated there
  assert.equal(want.steps, 125);
  assert.equal(await page.textContent('#mnist-steps'), '125');
  assert.equal(await page.$eval('#mnist-epoch', (el) => el.dataset.value), '1');
  const accuracy = await testAccuracy(page);
  const speed = Number(await page.getAttribute('#mnist-speed', 'data-examples-per-sec'));
  console.log(
    `MNIST e2e: 125 steps in ${seconds.toFixed(1)} s, test accuracy ${(100 * accuracy).toFixed(2)}%, ` +
      `${Math.round(speed)} examples/s (page), longest main-thread task while training ` +
      `${longTasks.length ? Math.round(Math.max(...longTasks)) : 0} ms (${longTasks.length} tasks over 50 ms)`,
  );
  assert.equal(accuracy, want.accuracy, 'the test accuracy of the same 125 steps in Node');
  assert.ok(accuracy > 0.85, `test accuracy ${accuracy}`);
  // The page stays responsive: training is in the worker, the main thread
  // only draws. The 100 ms frame budget is the benchmark's to judge (the
  // figure is printed above: 0 ms when the machine is quiet). This bound
  // only catches a freeze (the page doing the worker's work, or a redraw
  // that grows with the run): on a 2-core machine shared with other jobs
  // the scheduler alone can hold a task for a few hundred ms, so it is 1 s.
  assert.ok(longTasks.every((ms) => ms < 1000), `main-thread tasks of ${longTasks.map(Math.round).join(', ')} ms while training`);
  assert.equal(await page.textContent('#mnist-test-acc'), `${(100 * accuracy).toFixed(1)}%`);
  assert.ok(Number.isFinite(speed) && speed > 0, `examples/s ${speed}`);
  assert.equal((await page.textContent('#mnist-speed')).replace(/,/g, ''), String(Math.round(speed)));

  // the charts: every step's loss (125 are under the 512 the loss chart
  // draws one by one; above, see the 5-epoch test), the worker's numbers;
  // evaluations at the start and where training stopped (and, depending on
  // the machine's speed, every half epoch in between)
  const loss = await chartPoints(page, '#mnist-loss-chart');
  const acc = await chartPoints(page, '#mnist-acc-chart');
  assert.deepEqual(loss[0].map((p) => p.y), want.losses);
  assert.deepEqual(loss[0].map((p) => p.x), want.epochs);
  assert.ok(loss[0].at(-1).y < loss[0][0].y / 2, `batch loss ${loss[0][0].y} -> ${loss[0].at(-1).y}`);
  assert.ok(acc[1].length >= 2, 'evaluated at the start and on pause');
  assert.deepEqual([acc[1][0].x, acc[1].at(-1).x, acc[1].at(-1).y], [0, 1, accuracy]);

  // the confusion matrix holds the 2,000 test digits, its diagonal the accuracy
  const cm = await page.$$eval('#mnist-confusion tbody tr', (rows) => rows.map((r) => [...r.querySelectorAll('td')].map((td) => Number(td.dataset.count))));
  assert.equal(cm.flat().reduce((a, b) => a + b, 0), 2000);
  assert.equal(cm.reduce((s, row, i) => s + row[i], 0), Math.round(accuracy * 2000));
  // the digit grid: 40 test digits, mistakes marked with the true label
  const cells = await page.$$eval('#mnist-samples .digit-cell', (cs) => cs.map((c) => ({
    pred: Number(c.dataset.pred), label: Number(c.dataset.label), wrong: c.classList.contains('wrong'),
    text: c.querySelector('.digit-true').textContent,
  })));
  assert.equal(cells.length, 40);
  assert.deepEqual(cells.map((c) => c.label), [...LABELS.subarray(8 + 8000, 8 + 8040)]);
  for (const c of cells) {
    assert.equal(c.wrong, c.pred !== c.label);
    assert.equal(c.text, c.wrong ? `true ${c.label}` : '');
  }
  assert.ok(cells.filter((c) => !c.wrong).length >= 30, 'most of the 40 are right');
  await page.click('#mnist-next');
  await page.waitForFunction(() => document.querySelector('#mnist-samples .digit-cell').dataset.index === '40');
  // the first layer's change since the start
  await page.check('#mnist-change');
  await page.waitForFunction(() => document.querySelector('#mnist-weights figcaption').textContent ===
    'the first 128 of 128 hidden neurons (change since the start)');
  await page.$eval('.mnist-weights-panel', (el) => el.scrollIntoView());
  await page.screenshot({ path: `${OUT_DIR}/mnist_weights_change.png` });

  // draw a 1: one stroke down; then a 0: a loop
  await draw(page, [[0.52, 0.12], [0.5, 0.5], [0.48, 0.88]]);
  const one = await bars(page);
  const sum = one.probs.reduce((a, b) => a + b, 0);
  assert.ok(Math.abs(sum - 1) < 1e-3, `probabilities sum to ${sum}`);
  assert.ok(one.probs.every((p) => p >= 0 && p <= 1));
  assert.equal(one.pred, one.probs.indexOf(Math.max(...one.probs)));
  assert.equal(one.shown, String(one.pred));
  assert.equal(one.pred, 1, `a vertical stroke read as ${one.pred}: ${one.probs.map((p) => p.toFixed(2))}`);
  const inked = await page.$eval('.draw-preview canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    let n = 0;
    for (let i = 0; i < d.length; i += 4) n += d[i] < 128 ? 1 : 0;
    return n;
  });
  assert.ok(inked >= 20 && inked < 200, `the 28 x 28 preview has ${inked} dark pixels`);
  await page.screenshot({ path: `${OUT_DIR}/mnist_trained.png`, fullPage: true });
  await page.click('.draw-side button');
  await page.waitForSelector('#mnist-probs:not([data-prediction])');
  const loop = [];
  for (let k = 0; k <= 24; k++) {
    const a = (2 * Math.PI * k) / 24 - Math.PI / 2;
    loop.push([0.5 + 0.25 * Math.cos(a), 0.5 + 0.36 * Math.sin(a)]);
  }
  await draw(page, loop);
  const zero = await bars(page);
  assert.equal(zero.pred, 0, `a loop read as ${zero.pred}: ${zero.probs.map((p) => p.toFixed(2))}`);

  // the model file: export, train on, import: the accuracy is the saved one
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#mnist-export')]);
  assert.equal(download.suggestedFilename(), 'micrograd-lab-mnist-mlp.mgm');
  const file = await download.path();
  // ▶ past the stop trains on (until paused)
  await page.click('#mnist-train');
  await page.waitForFunction(() => Number(document.querySelector('#mnist-steps').textContent.replace(/,/g, '')) > 130, null, { timeout: 60000 });
  assert.equal(await page.getAttribute('#mnist-train', 'aria-pressed'), 'true');
  await page.click('#mnist-train');
  await page.waitForSelector('#mnist[data-state=ready]');
  await page.setInputFiles('#mnist-import', file);
  await page.waitForFunction(() => document.querySelector('#mnist-steps').textContent === '0');
  await page.waitForFunction((a) => document.querySelector('#mnist-test-acc').dataset.value === String(a), accuracy);
  // a corrupted model file is refused with the engine's message; the loaded model stays
  const other = readFileSync(file);
  other[other.length - 1] ^= 0xff;
  await page.setInputFiles('#mnist-import', { name: 'broken.mgm', mimeType: 'application/octet-stream', buffer: other });
  await page.waitForSelector('#mnist-error:not([hidden])');
  assert.equal(
    await page.textContent('#mnist-error .error-message'),
    'Could not import this model: model file is corrupt or truncated: checksum mismatch',
  );
  assert.equal(await testAccuracy(page), accuracy);
  // so is a model for other inputs (a playground network on 2 features)
  const engine = await loadEngine();
  const small = engine.createModel().build('dense 4 tanh, dense 1', [2, 1, 1], { seed: 1 });
  small.configure({ loss: 'bce', opt: 'sgd', lr: 0.1, nclasses: 2 });
  const smallBytes = Buffer.from(small.save());
  small.free();
  await page.setInputFiles('#mnist-import', { name: 'xor.mgm', mimeType: 'application/octet-stream', buffer: smallBytes });
  await page.waitForFunction(() => document.querySelector('#mnist-error .error-message').textContent.includes('2×1×1'));
  assert.equal(
    await page.textContent('#mnist-error .error-message'),
    'Could not import this model: this model takes inputs of shape 2×1×1 (2 values) and gives 1 outputs; ' +
      'the MNIST view needs 28 × 28 images (784 values) and 10 outputs',
  );
  assert.equal(await testAccuracy(page), accuracy);

  const origins = new Set(page.requests.map((u) => new URL(u).origin));
  assert.deepEqual([...origins].filter((o) => o !== new URL(env.url).origin && o !== 'null'), [], 'no other origin');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('MNIST: after 5 epochs the loss chart draws every step\'s range, with no gap (issue 13)', async () => {
  const N = 5;
  const want = await reference(N);
  assert.equal(want.steps, 625);
  const page = await open(`?view=mnist&stopepochs=${N}`);
  assert.equal(await page.inputValue('#mnist-stopepochs'), String(N));
  await trainToStop(page);
  assert.equal(await page.textContent('#mnist-steps'), '625');
  const [drawn] = await chartPoints(page, '#mnist-loss-chart');
  // the rule (web/js/views/minmax_series.js), by brute force: 625 steps are
  // more than 512, so buckets of 2 consecutive steps (313 buckets, the last
  // of one step), each drawn as its min and its max in x order
  const size = 2;
  const expect = [];
  for (let from = 0; from < want.steps; from += size) {
    const own = want.losses.slice(from, from + size).map((y, k) => ({ x: want.epochs[from + k], y }));
    const lo = own.reduce((a, p) => (p.y < a.y ? p : a));
    const hi = own.reduce((a, p) => (p.y > a.y ? p : a));
    expect.push(...(lo === hi ? [lo] : [lo, hi].sort((a, b) => a.x - b.x)));
  }
  assert.deepEqual(drawn, expect);
  assert.ok(drawn.length <= 1024);
  // no gap: the drawn x values cover (0, N] without a jump over N / 200
  assert.ok(drawn[0].x <= N / 200 && drawn.at(-1).x === N, `x from ${drawn[0].x} to ${drawn.at(-1).x}`);
  const jumps = drawn.slice(1).map((p, i) => p.x - drawn[i].x);
  assert.ok(Math.max(...jumps) <= N / 200, `largest jump ${Math.max(...jumps)} epochs`);
  // and the plotted min and max are the worker's
  const ys = drawn.map((p) => p.y);
  assert.deepEqual([Math.min(...ys), Math.max(...ys)], [Math.min(...want.losses), Math.max(...want.losses)]);
  assert.equal(await testAccuracy(page), want.accuracy);
  assert.deepEqual(page.problems, []);
  await page.close();
});

/** axe-core's violations on the page: [{ id, nodes: [target] }]. (Injected
 * through the debugger, which the page's CSP does not cover.) */
async function axeViolations(page) {
  await page.evaluate(AXE);
  return page.evaluate(async () => (await globalThis.axe.run(document, { resultTypes: ['violations'] })).violations
    .map((v) => ({ id: v.id, nodes: v.nodes.map((n) => n.target.join(' ')) })));
}

/** A greyscale PNG file of w x h bytes. */
function png(w, h, grey) {
  const chunk = (type, data) => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([len, body, crc]);
  };
  const head = Buffer.alloc(13);
  head.writeUInt32BE(w, 0);
  head.writeUInt32BE(h, 4);
  head[8] = 8; // 8 bits, colour type 0 (grey)
  const rows = Buffer.alloc((w + 1) * h);
  for (let y = 0; y < h; y++) rows.set(grey.subarray(y * w, (y + 1) * w), y * (w + 1) + 1);
  return Buffer.concat([
    Buffer.from([137, 80, 78, 71, 13, 10, 26, 10]), chunk('IHDR', head), chunk('IDAT', deflateSync(rows)), chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** Packed digit i as a 28 x 28 PNG: MNIST's white on black, or printed (black on white). */
const digitPng = (i, printed = false) => png(28, 28, IMAGES.subarray(16 + 784 * i, 16 + 784 * (i + 1)).map((v) => (printed ? 255 - v : v)));

test('MNIST: axe-core finds nothing; the draw pad\'s keyboard alternative, an uploaded image, is read like a drawing', async () => {
  const page = await open('?view=mnist&stopepochs=1', { width: 1440, height: 900 });
  assert.deepEqual(await axeViolations(page), [], 'untrained');
  await trainToStop(page);
  assert.deepEqual(await axeViolations(page), [], 'trained for an epoch');
  // a digit cell's name is its own text: the visible prediction (and true
  // label) inside words for screen readers
  const cells = await page.$$eval('#mnist-samples .digit-cell', (cs) => cs.map((c) => ({
    label: Number(c.dataset.label), pred: Number(c.dataset.pred), text: c.textContent, aria: c.getAttribute('aria-label'),
    visible: [...c.querySelectorAll('span:not(.sr-only)')].map((s) => s.textContent).join(' ').trim(),
  })));
  for (const [k, c] of cells.entries()) {
    assert.equal(c.aria, null);
    if (c.pred === c.label) assert.match(c.text, new RegExp(`^test digit ${k + 1}, predicted ${c.pred}, right, \\d+% sure$`));
    else assert.match(c.text, new RegExp(`^test digit ${k + 1}, predicted ${c.pred}, true ${c.label}, \\d+% sure$`));
    assert.equal(c.visible, c.pred === c.label ? String(c.pred) : `${c.pred} true ${c.label}`);
  }

  // the pad says it takes no keyboard; Tab from Clear reaches the upload
  assert.match(await page.getAttribute('#mnist-pad canvas.draw-canvas', 'aria-label'), /no keyboard; upload an image instead/);
  await page.focus('#mnist-pad .draw-side button');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.matches('#mnist-pad input[type=file][accept="image/*"]')), true);
  const upload = async (name, buffer) => {
    await page.setInputFiles('#mnist-pad input[type=file]', { name, mimeType: 'image/png', buffer });
    return bars(page);
  };
  const preview = () => page.$eval('.draw-preview canvas', (c) => {
    const d = c.getContext('2d').getImageData(0, 0, 28, 28).data;
    return Array.from({ length: 784 }, (_, k) => (255 - d[4 * k]) / (255 - 29)); // ink, as DrawPad shows it
  });
  // right test digits, as 28 x 28 PNGs: the network sees them again (the
  // preview is the digit, up to the pad's scaling) and gives the grid's answer;
  // printed (black on white) they are the same picture
  for (const [k, c] of cells.filter((x) => x.pred === x.label).slice(0, 3).entries()) {
    const i = 8000 + cells.indexOf(c);
    const white = await upload(`digit-${i}.png`, digitPng(i));
    assert.equal(white.pred, c.label, `test digit ${i} (${k})`);
    const seen = await preview();
    const d = [...IMAGES.subarray(16 + 784 * i, 16 + 784 * (i + 1))].map((v) => v / 255);
    const dot = seen.reduce((s, v, j) => s + v * d[j], 0);
    const cosine = dot / Math.sqrt(seen.reduce((s, v) => s + v * v, 0) * d.reduce((s, v) => s + v * v, 0));
    assert.ok(cosine > 0.98, `the network sees digit ${i}: cosine ${cosine}`);
    await page.click('#mnist-pad .draw-side button'); // Clear
    await page.waitForSelector('#mnist-probs:not([data-prediction])');
    const printed = await upload(`printed-${i}.png`, digitPng(i, true));
    assert.equal(printed.pred, white.pred);
    printed.probs.forEach((p, j) => assert.ok(Math.abs(p - white.probs[j]) < 1e-3, `digit ${i}, p(${j}): ${p} vs ${white.probs[j]}`));
  }
  assert.equal(await page.isHidden('#mnist-error'), true);
  // not an image: said so, the digit on the pad stays; an image without a
  // digit: said so, and the pad is empty
  const shown = await page.getAttribute('#mnist-probs', 'data-prediction');
  await page.setInputFiles('#mnist-pad input[type=file]', { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('seven') });
  await page.waitForSelector('#mnist-error:not([hidden])');
  assert.match(await page.textContent('#mnist-error .error-message'), /^Could not read notes\.txt as an image: /);
  assert.equal(await page.getAttribute('#mnist-probs', 'data-prediction'), shown);
  await page.setInputFiles('#mnist-pad input[type=file]', { name: 'blank.png', mimeType: 'image/png', buffer: png(28, 28, new Uint8Array(784).fill(200)) });
  await page.waitForFunction(() => document.querySelector('#mnist-error .error-message').textContent.startsWith('blank.png'));
  assert.equal(await page.textContent('#mnist-error .error-message'), 'blank.png has no digit on it: every pixel is about the same shade');
  await page.waitForSelector('#mnist-probs:not([data-prediction])');
  await page.$eval('.mnist-draw', (el) => el.scrollIntoView());
  await page.screenshot({ path: `${OUT_DIR}/mnist_upload.png` });

  // Chinese on a phone: nothing either
  const zh = await open('?view=mnist&lang=zh', { width: 390, height: 844 });
  assert.deepEqual(await axeViolations(zh), [], 'zh, phone');
  assert.deepEqual(page.problems, []);
  assert.deepEqual(zh.problems, []);
  await zh.close();
  await page.close();
});

test('MNIST: IDX files from the picker; a bad file gets the engine message, gzip loads', async () => {
  const page = await open('?view=mnist');
  const info = await page.textContent('#mnist-data-info');
  const bad = Buffer.from(IMAGES.subarray(0, 64));
  bad[0] = 0x50;
  bad[1] = 0x4b;
  await page.setInputFiles('#mnist-files', [
    { name: 'bad-images-idx3-ubyte', mimeType: 'application/octet-stream', buffer: bad },
    { name: 'mnist-10k-labels.idx', mimeType: 'application/octet-stream', buffer: LABELS },
  ]);
  await page.waitForSelector('#mnist-error:not([hidden])');
  assert.equal(
    await page.textContent('#mnist-error .error-message'),
    'Could not load these files: images: bad magic: bytes 0-1 are 0x50 0x4b, an IDX file starts with 0x00 0x00',
  );
  assert.equal(await page.textContent('#mnist-data-info'), info, 'the digits in use stay');
  await page.waitForSelector('#mnist[data-state=ready]');
  await page.setInputFiles('#mnist-files', [{ name: 'one.idx', mimeType: 'application/octet-stream', buffer: LABELS }]);
  await page.waitForFunction(() => document.querySelector('#mnist-error .error-message').textContent.includes('not 1'));
  assert.equal(
    await page.textContent('#mnist-error .error-message'),
    'Could not load these files: choose 2 files (images and labels) or 4 (training and test images and labels), not 1',
  );
  // four gzip files: 3,000 training digits and 500 test digits
  const train = digits(3000);
  const test = digits(500, 9000);
  await page.setInputFiles('#mnist-files', [
    { name: 't10k-images-idx3-ubyte.gz', mimeType: 'application/gzip', buffer: gzipSync(test.images) },
    { name: 'train-images-idx3-ubyte.gz', mimeType: 'application/gzip', buffer: gzipSync(train.images) },
    { name: 'train-labels-idx1-ubyte.gz', mimeType: 'application/gzip', buffer: gzipSync(train.labels) },
    { name: 't10k-labels-idx1-ubyte.gz', mimeType: 'application/gzip', buffer: gzipSync(test.labels) },
  ]);
  await page.waitForFunction(() => document.querySelector('#mnist-data-info').textContent.startsWith('3,000'), null, { timeout: 30000 });
  await page.waitForSelector('#mnist[data-state=ready]');
  assert.equal(await page.isHidden('#mnist-error'), true);
  assert.equal(
    await page.textContent('#mnist-data-info'),
    '3,000 training and 500 test digits (train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, ' +
      't10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz)',
  );
  const labels = await page.$$eval('#mnist-samples .digit-cell', (cs) => cs.map((c) => Number(c.dataset.label)));
  assert.deepEqual(labels, [...LABELS.subarray(8 + 9000, 8 + 9040)]);
  assert.match(await page.textContent('#mnist-samples-info'), /^Test digits 1–40 of 500;/);
  const cm = await page.$$eval('#mnist-confusion td', (tds) => tds.reduce((s, td) => s + Number(td.dataset.count), 0));
  assert.equal(cm, 500);
  // back to the built-in digits
  await page.click('#mnist-builtin');
  await page.waitForFunction((text) => document.querySelector('#mnist-data-info').textContent === text, info, { timeout: 30000 });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('MNIST: the CNN shows filters and feature maps; URL state, notes, Chinese, phone width', async () => {
  const page = await open('?view=mnist&model=cnn&opt=sgd&lr=0.01&batch=32');
  assert.deepEqual(
    await page.$$eval('#mnist [data-key]', (els) => els.map((e) => e.value)),
    ['cnn', 'sgd', '0.01', '32', '0'],
  );
  assert.match(await page.textContent('#mnist-model-info'), /conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, flatten, dense 10/);
  assert.equal(await page.textContent('#mnist-weights-title'), 'Filters and feature maps');
  const groups = () => page.$$eval('#mnist-weights figure', (fs) => fs.map((f) => [f.querySelector('figcaption').textContent, Number(f.dataset.tiles)]));
  assert.deepEqual(await groups(), [
    ['conv 1 filters: 8 × 5×5', 8],
    [`test digit 1 (a ${LABELS[8 + 8000]})`, 1],
    ['conv 1: 8 × 24×24', 8],
    ['pool 1: 8 × 12×12', 8],
    ['conv 2: 16 × 8×8', 16],
    ['pool 2: 16 × 4×4', 16],
  ]);
  // a click on a test digit shows its feature maps
  await page.click('#mnist-samples .digit-cell:nth-child(6)');
  await page.waitForFunction((want) => document.querySelector('#mnist-weights figure:nth-child(2) figcaption').textContent === want,
    `test digit 6 (a ${LABELS[8 + 8005]})`);
  assert.equal(await page.$eval('#mnist-samples .digit-cell:nth-child(6)', (c) => c.classList.contains('selected')), true);
  await page.screenshot({ path: `${OUT_DIR}/mnist_cnn.png`, fullPage: true });
  // a setting change goes to the URL; the MLP back
  await page.selectOption('#mnist-model', 'mlp');
  await page.waitForFunction(() => document.querySelector('#mnist-weights figure')?.dataset.tiles === '128', null, { timeout: 30000 });
  assert.equal(new URL(page.url()).search, '?view=mnist&opt=sgd&lr=0.01&batch=32');
  await page.selectOption('#mnist-opt', 'adam');
  await page.fill('#mnist-batch', '128');
  await page.press('#mnist-batch', 'Enter');
  await page.waitForFunction(() => location.search === '?view=mnist&lr=0.01&batch=128');
  assert.deepEqual(page.problems, []);
  await page.close();

  // bad values fall back with a note
  const bad = await open('?view=mnist&model=rnn&lr=abc&batch=9999&stopepochs=1.5');
  assert.deepEqual(await bad.$$eval('#notes li', (li) => li.map((x) => x.textContent)), [
    "model: 'rnn' is not one of mlp, cnn; using mlp",
    "lr: 'abc' is not a number from 0.00001 to 10; using 0.001",
    "batch: '9999' is not a whole number from 1 to 500; using 64",
    "stopepochs: '1.5' is not a whole number from 0 to 100000; using 0",
  ]);
  assert.deepEqual(await bad.$$eval('#mnist [data-key]', (els) => els.map((e) => e.value)), ['mlp', 'adam', '0.001', '64', '0']);
  await bad.close();

  // Chinese, on a phone
  const zh = await open('?view=mnist&lang=zh', { width: 390, height: 844 });
  assert.equal(await zh.textContent('#mnist-draw-title'), '写一个数字');
  assert.match(await zh.textContent('#mnist-data-info'), /^8,000 个训练数字，2,000 个测试数字/);
  assert.equal(await zh.getAttribute('#nav-mnist', 'aria-current'), 'page');
  const overflow = await zh.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `the page is ${overflow} px wider than the phone`);
  await draw(zh, [[0.5, 0.15], [0.5, 0.85]]);
  await bars(zh);
  await zh.screenshot({ path: `${OUT_DIR}/mnist_phone_zh.png`, fullPage: true });
  assert.deepEqual(zh.problems, []);
  await zh.close();
});
