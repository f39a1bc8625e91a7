// A learner's own data, end to end in Chromium: points loaded from a CSV
// file and points added by clicking on the plane reach the engine with
// their positions and classes, the network trains on them, and the
// engine's decision grid puts each point on its own class's side.
//
// What the engine holds is read from the training worker's own replies:
// an init script wraps window.Worker so that the test sees every message
// the worker posts (the setup reply carries the engine's training set as
// copied from the WASM heap, the snapshot reply the grid the page draws)
// and every request the page posts (the extent the grid was asked for).
// No change to the page is needed for it.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

function spyOnWorkers() {
  const Original = window.Worker;
  window.__mg = { setups: [], snapshot: null, snapshotExtent: null };
  window.Worker = class extends Original {
    constructor(...args) {
      super(...args);
      this.addEventListener('message', ({ data }) => {
        const r = data && data.ok ? data.result : null;
        if (r && r.train && r.extent) window.__mg.setups.push(r);
        if (r && r.grid) window.__mg.snapshot = { grid: Array.from(r.grid), res: r.res, extent: window.__mg.pendingExtent };
      });
    }

    postMessage(message, transfer) {
      if (message && message.type === 'snapshot') window.__mg.pendingExtent = message.args.extent;
      return super.postMessage(message, transfer);
    }
  };
}

/** The engine's training set of the latest setup with n points. */
async function engineData(page, n) {
  await page.waitForFunction((k) => window.__mg.setups.some((s) => s.train.n === k), n, { timeout: 30000 });
  return page.evaluate((k) => {
    const s = window.__mg.setups.filter((r) => r.train.n === k).at(-1);
    return { n: s.train.n, d: s.d, nclasses: s.nclasses, x: Array.from(s.train.x), y: Array.from(s.train.y), test: s.test.n, extent: s.extent };
  }, n);
}

/** The points of engineData as sorted [x1, x2, class] rows (the engine
 * shuffles its own points into train and test, so order is not kept). */
function rows(data) {
  const out = [];
  for (let i = 0; i < data.n; i++) out.push([data.x[2 * i], data.x[2 * i + 1], data.y[i]]);
  return out.sort((a, b) => a[0] - b[0] || a[1] - b[1] || a[2] - b[2]);
}

// class 1 where x1 - 0.6 x2 > 0: a boundary that no flip or swap of the
// axes maps onto itself, so a transposed or flipped grid misplaces points
const CSV = [
  [1.2, 0.5, 1], [0.6, -1.2, 1], [1.4, 1.3, 1], [0.3, -0.9, 1],
  [-1.2, -0.5, 0], [-0.6, 1.2, 0], [-1.4, -1.3, 0], [-0.3, 0.9, 0],
];

test('CSV and clicked points reach the engine with their positions and classes, and train', async () => {
  const page = await newPage(env.browser);
  await page.addInitScript(spyOnWorkers);
  // training share 1: every point of one's own trains (else they split by it)
  await page.goto(`${env.url}?data=circles&hidden=4&act=tanh&lr=0.1&opt=adam&seed=5&feat=x1,x2&ratio=1`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });

  // the CSV file: the engine gets exactly its points (as float32) and classes
  const text = `x1,x2,label\n${CSV.map((r) => r.join(',')).join('\n')}\n`;
  await page.setInputFiles('#csv-file', { name: 'mine.csv', mimeType: 'text/csv', buffer: Buffer.from(text) });
  await page.waitForFunction(() => new URLSearchParams(location.search).get('data') === 'custom');
  const fromCsv = await engineData(page, CSV.length);
  assert.equal(fromCsv.d, 2);
  assert.equal(fromCsv.nclasses, 2);
  assert.equal(fromCsv.test, 0, 'custom points all train at a training share of 1');
  assert.deepEqual(rows(fromCsv), rows({ n: CSV.length, x: CSV.flatMap(([a, b]) => [Math.fround(a), Math.fround(b)]), y: CSV.map((r) => r[2]) }));

  // two clicks: class 1 up and to the right, class 0 down and to the left
  const box = await page.locator('#boundary canvas').boundingBox();
  const clicks = [
    { mode: '1', px: box.x + box.width * 0.8, py: box.y + box.height * 0.25 },
    { mode: '0', px: box.x + box.width * 0.3, py: box.y + box.height * 0.75 },
  ];
  const added = [];
  let before = rows(fromCsv);
  for (const [k, c] of clicks.entries()) {
    await page.selectOption('#point-mode', c.mode);
    await page.mouse.click(c.px, c.py);
    const now = rows(await engineData(page, CSV.length + k + 1));
    // the earlier points stay as they were, and one new one has come with its class
    const fresh = now.filter((r) => !before.some((q) => q.every((v, i) => v === r[i])));
    assert.equal(fresh.length, 1, `click ${k + 1}: one new point`);
    assert.equal(now.length, before.length + 1);
    before = now;
    const p = { x1: fresh[0][0], x2: fresh[0][1], y: fresh[0][2], ...c };
    assert.equal(p.y, Number(c.mode), `click ${k + 1}: class`);
    // inside the plane shown, on the side of its centre where it was clicked
    const [e0, e1, e2, e3] = fromCsv.extent;
    assert.ok(p.x1 >= e0 && p.x1 <= e1 && p.x2 >= e2 && p.x2 <= e3, `click ${k + 1} at (${p.x1}, ${p.x2}) inside ${fromCsv.extent}`);
    const right = p.x1 > (e0 + e1) / 2, up = p.x2 > (e2 + e3) / 2;
    assert.deepEqual([right, up], k === 0 ? [true, true] : [false, false], `click ${k + 1} at (${p.x1}, ${p.x2}) in ${fromCsv.extent}`);
    added.push(p);
  }
  // orientation and scale: right is +x1, up is +x2, and the plot is square
  // (the same plane units per pixel across and up)
  const [a, b] = added;
  const perPxX = (a.x1 - b.x1) / (a.px - b.px), perPxY = (a.x2 - b.x2) / (b.py - a.py);
  assert.ok(perPxX > 0 && perPxY > 0, `clicks map right to +x1 (${perPxX}) and up to +x2 (${perPxY})`);
  const [e0, e1] = fromCsv.extent;
  const pixel = (e1 - e0) / box.width; // plane units per CSS pixel, about
  assert.ok(Math.abs(perPxX - perPxY) < 0.05 * perPxX, `square scale: ${perPxX} vs ${perPxY} per pixel`);
  assert.ok(perPxX > pixel && perPxX < 1.5 * pixel, `scale ${perPxX} per pixel for an extent ${e1 - e0} wide on ${box.width} px`);

  // train until every point is classified right
  await page.click('#play-btn');
  await page.waitForFunction(() => document.querySelector('#train-acc').textContent.trim() === '100.0%', null, { timeout: 60000 });
  await page.click('#play-btn');
  // the latest grid the page drew, once no request is in flight (every point
  // was already right when it was asked for: the accuracy read 100%)
  await page.waitForSelector('#play[data-state=idle] #play-btn[aria-pressed=false]');
  const snap = await page.evaluate(() => window.__mg.snapshot);
  assert.ok(snap && snap.extent, 'the page asked for a grid');
  const data = await engineData(page, CSV.length + 2);
  const [x0, x1, y0, y1] = snap.extent;
  const r = snap.res;
  assert.equal(snap.grid.length, r * r, 'one probability per grid point (two classes)');
  const wrong = [];
  for (let i = 0; i < data.n; i++) {
    const px = data.x[2 * i], py = data.x[2 * i + 1];
    // the grid point nearest: column from x0 at the left, row from y1 at the top
    const col = Math.round(((px - x0) / (x1 - x0)) * (r - 1));
    const row = Math.round(((y1 - py) / (y1 - y0)) * (r - 1));
    const prob = snap.grid[row * r + col];
    if ((prob > 0.5 ? 1 : 0) !== data.y[i]) wrong.push(`point ${i} (${px}, ${py}) class ${data.y[i]}: grid ${prob}`);
  }
  assert.deepEqual(wrong, [], 'each point on its class\'s side of the drawn boundary');
  await page.screenshot({ path: `${OUT_DIR}/custom_data_trained.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});
