// The MNIST view in headless Chromium: the built-in digits load, the MLP
// trains in the worker for one epoch (125 steps of 64) and passes 85% test
// accuracy, the page reports examples/s (read here, no threshold: speed is
// for benchmarks), the confusion matrix and the digit grid agree with the
// accuracy, a drawn digit gets ten probabilities that sum to 1, the model
// file round-trips, bad IDX files and models get the engine's message,
// gzip files load, the CNN shows its filters and feature maps, and the URL
// state works. No main-thread task may take 500 ms or more while training
// (a freeze; a PerformanceObserver of long tasks, the longest printed: the
// 100 ms frame budget is the benchmark's to judge, see below).
// Screenshots go to tests/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { ROOT } from '../js/helpers.mjs';
import { loadEngine } from '../../web/js/engine.js';

const IMAGES = readFileSync(`${ROOT}web/build/data/mnist-10k-images.idx`);
const LABELS = readFileSync(`${ROOT}web/build/data/mnist-10k-labels.idx`);

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

test('MNIST: the MLP trains in the worker past 85% and the page reports examples/s', async () => {
  const page = await open('?view=mnist');
  assert.equal(await page.getAttribute('#mnist', 'data-state'), 'ready');
  assert.match(await page.textContent('#mnist-data-info'), /^8,000 training and 2,000 test digits/);
  assert.match(await page.textContent('#mnist-model-info'), /dense 128 relu, dense 10 · 101,770 parameters/);
  const untrained = await testAccuracy(page);
  assert.ok(untrained < 0.3, `untrained accuracy ${untrained}`);
  assert.equal(await page.$eval('#mnist-weights figure', (f) => f.dataset.tiles), '128');

  // the longest main-thread task while training
  await page.evaluate(() => {
    window.longTasks = [];
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.longTasks.push(e.duration);
    }).observe({ type: 'longtask' });
  });
  const started = Date.now();
  await page.click('#mnist-train');
  assert.equal(await page.getAttribute('#mnist-train', 'aria-pressed'), 'true');
  // one epoch (8,000 digits in batches of 64 is 125 steps), and an evaluation while training
  await page.waitForFunction(() => Number(document.querySelector('#mnist-epoch').dataset.value) >= 1 &&
    globalThis.Chart.getChart(document.querySelector('#mnist-acc-chart canvas')).data.datasets[1].data.length >= 2, null, { timeout: 90000 });
  await page.click('#mnist-train');
  await page.waitForSelector('#mnist[data-state=ready]', { timeout: 30000 });
  const seconds = (Date.now() - started) / 1000;
  const longTasks = await page.evaluate(() => window.longTasks);
  const steps = Number((await page.textContent('#mnist-steps')).replace(/,/g, ''));
  assert.ok(steps >= 125 && steps < 1000, `steps ${steps}`);
  const accuracy = await testAccuracy(page);
  const speed = Number(await page.getAttribute('#mnist-speed', 'data-examples-per-sec'));
  console.log(
    `MNIST e2e: ${steps} steps in ${seconds.toFixed(1)} s, test accuracy ${(100 * accuracy).toFixed(1)}%, ` +
      `${Math.round(speed)} examples/s (page), longest main-thread task while training ` +
      `${longTasks.length ? Math.round(Math.max(...longTasks)) : 0} ms (${longTasks.length} tasks over 50 ms)`,
  );
  assert.ok(accuracy > 0.85, `test accuracy ${accuracy}`);
  // the page stays responsive: training is in the worker, the main thread only draws
  // The 100 ms frame budget is the benchmark's to judge (the figure is
  // printed above: 0 ms here when the machine is quiet); the test fails a
  // page that freezes, not a slow frame on a busy 2-core CI machine.
  assert.ok(longTasks.every((ms) => ms < 500), `main-thread tasks of ${longTasks.map(Math.round).join(', ')} ms while training`);
  assert.equal(await page.textContent('#mnist-test-acc'), `${(100 * accuracy).toFixed(1)}%`);
  assert.ok(Number.isFinite(speed) && speed > 0, `examples/s ${speed}`);
  assert.equal((await page.textContent('#mnist-speed')).replace(/,/g, ''), String(Math.round(speed)));

  // the charts got every step's loss and the evaluations
  const series = await page.evaluate(() => {
    const data = (id) => globalThis.Chart.getChart(document.querySelector(`${id} canvas`)).data.datasets.map((d) => d.data.map((p) => p.y));
    return { loss: data('#mnist-loss-chart'), acc: data('#mnist-acc-chart') };
  });
  assert.equal(series.loss[0].length, steps);
  assert.ok(series.loss[0].at(-1) < series.loss[0][0] / 2, `batch loss ${series.loss[0][0]} -> ${series.loss[0].at(-1)}`);
  assert.ok(series.acc[1].length >= 3, 'evaluated at the start, every half epoch and on pause');
  assert.equal(series.acc[1].at(-1), accuracy);

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
  await page.click('#mnist-train');
  await page.waitForFunction(() => Number(document.querySelector('#mnist-steps').textContent.replace(/,/g, '')) > 0, null, { timeout: 30000 });
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
    ['cnn', 'sgd', '0.01', '32'],
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
  const bad = await open('?view=mnist&model=rnn&lr=abc&batch=9999');
  assert.deepEqual(await bad.$$eval('#notes li', (li) => li.map((x) => x.textContent)), [
    "model: 'rnn' is not one of mlp, cnn; using mlp",
    "lr: 'abc' is not a number from 0.00001 to 10; using 0.001",
    "batch: '9999' is not a whole number from 1 to 500; using 64",
  ]);
  assert.deepEqual(await bad.$$eval('#mnist [data-key]', (els) => els.map((e) => e.value)), ['mlp', 'adam', '0.001', '64']);
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
