// What a learner meets in the first minute (issue 13): the default run
// learns its own data, ↺ draws new weights and the seed is shown, the
// picture is in view in a course page's frame and on a phone, the data
// controls do what they say (an empty plane, every class, a test split),
// and regression data get their own pictures and labels.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { EMBED_SIZE } from '../../web/js/state.js';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

async function open(query = '', viewport = { width: 1440, height: 900 }) {
  const page = await newPage(env.browser, viewport);
  await page.goto(`${env.url}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  return page;
}

const query = (page) => new URL(page.url()).searchParams;
const percent = (text) => Number(text.replace('%', ''));

test('the default run learns circles: 95% train and test accuracy within 100 epochs', async () => {
  const page = await open('?stopepochs=100');
  await page.click('#play-btn');
  await page.waitForSelector('#play[data-state=idle] #play-btn[aria-pressed=false]', { timeout: 60000 });
  assert.equal(await page.textContent('#epoch-count'), '000,100');
  const train = percent(await page.textContent('#train-acc'));
  const test = percent(await page.textContent('#test-acc'));
  assert.ok(train >= 95 && test >= 95, `train ${train}%, test ${test}%`);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('↺ draws new first weights (kept in the URL, shown); a link with a seed restarts the same run', async () => {
  const page = await open();
  assert.equal(await page.textContent('#seed-shown'), '1');
  const loss0 = await page.textContent('#train-loss');
  await page.click('#reset-btn');
  await page.waitForFunction(() => new URLSearchParams(location.search).has('wseed'));
  const wseed = query(page).get('wseed');
  await page.waitForFunction((l) => document.querySelector('#train-loss').textContent !== l, loss0);
  assert.equal(await page.textContent('#seed-shown'), `1 · ${wseed}`);
  assert.equal(query(page).get('seed'), null, 'the data stay');
  const loss1 = await page.textContent('#train-loss');
  // the link repeats the run: the same weights, the same loss
  const again = await open(`?wseed=${wseed}`);
  assert.equal(await again.textContent('#train-loss'), loss1);
  // pinned by the link: ↺ starts again from the same weights
  const builds = await again.getAttribute('#play', 'data-builds');
  await again.click('#reset-btn');
  await again.waitForFunction((b) => document.querySelector('#play').dataset.builds !== b, builds);
  assert.equal(await again.textContent('#train-loss'), loss1);
  assert.equal(query(again).get('wseed'), wseed);
  assert.match(await again.getAttribute('#reset-btn', 'title'), /same first weights/);
  assert.deepEqual([...page.problems, ...again.problems], []);
  await page.close();
  await again.close();
});

/** The element's box lies inside the viewport (visible without scrolling). */
async function inView(page, sel) {
  const box = await page.locator(sel).first().boundingBox();
  const vp = page.viewportSize();
  return box && box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width + 1 && box.y + box.height <= vp.height + 1;
}

test('in a course page frame and on a phone: play, the picture and the loss in view without scrolling', async () => {
  const sizes = [
    { ...EMBED_SIZE, query: '?embed=1' },
    { ...EMBED_SIZE, query: '?lesson=vanishing&embed=1&hide=settings,data' },
    { ...EMBED_SIZE, query: '?lesson=xor-hidden&embed=1' },
    { width: 390, height: 844, query: '' },
    { width: 390, height: 844, query: '?lesson=overfitting' },
  ];
  for (const { width, height, query: q } of sizes) {
    const page = await open(q, { width, height });
    for (const sel of ['#play-btn', '#boundary canvas', '#train-loss', '#test-loss']) {
      assert.ok(await inView(page, sel), `${sel} in view at ${width}x${height} ${q}`);
    }
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${width}x${height} ${q} (${overflow} px)`);
    await page.screenshot({ path: `${OUT_DIR}/compact_${width}x${height}${q.replace(/[^a-z0-9]+/g, '_')}.png` });
    // the settings behind a button, the data panel folded: both open
    if (!q.includes('hide=settings')) {
      assert.equal(await page.isVisible('#lr'), false);
      await page.click('#settings-toggle');
      assert.equal(await page.isVisible('#lr'), true);
      assert.equal(await page.getAttribute('#settings-toggle', 'aria-expanded'), 'true');
    }
    if (!q.includes('data')) {
      assert.equal(await page.isVisible('#data'), false);
      await page.click('.data-panel .collapse-toggle');
      assert.equal(await page.isVisible('#data'), true);
    }
    assert.deepEqual(page.problems, []);
    await page.close();
  }
  // one size everywhere: Share's snippet and teach.html's default
  const page = await open();
  await page.click('#share-btn');
  assert.match(await page.inputValue('#share-iframe'), new RegExp(`width="${EMBED_SIZE.width}" height="${EMBED_SIZE.height}"`));
  await page.goto(`${env.url}teach.html`);
  await page.waitForSelector('body[data-ready=true]');
  assert.deepEqual([await page.inputValue('#teach-width'), await page.inputValue('#teach-height')], [String(EMBED_SIZE.width), String(EMBED_SIZE.height)]);
  await page.close();
});

test('your own points: Clear gives an empty plane, clicks add every class, a test split, no noise or count', async () => {
  const page = await open('?data=blobs&classes=5');
  // every class of the data, and one more up to 5
  assert.deepEqual(await page.$$eval('#point-mode option', (o) => o.map((x) => x.value)), ['select', '0', '1', '2', '3', '4', 'remove']);
  await page.click('#clear-points');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('data') === 'custom');
  await page.waitForSelector('#empty-hint:not([hidden])');
  assert.equal(await page.textContent('#train-loss'), '—');
  assert.equal(await page.isDisabled('#noise'), true);
  assert.equal(await page.isDisabled('#n'), true);
  assert.equal(await page.isDisabled('#ratio'), false);
  // play on an empty plane says what to do
  await page.click('#play-btn');
  await page.waitForSelector('#play-error:not([hidden])');
  assert.match(await page.textContent('#play-error .error-message'), /^No points to train on yet/);
  // ten points of classes 0 and 3: a test split by the training share
  const box = await page.locator('#boundary canvas').boundingBox();
  for (let i = 0; i < 10; i++) {
    await page.selectOption('#point-mode', i % 2 ? '3' : '0');
    const builds = await page.getAttribute('#play', 'data-builds');
    await page.mouse.click(box.x + box.width * (0.2 + 0.06 * i), box.y + box.height * (i % 2 ? 0.3 : 0.7));
    await page.waitForFunction((b) => document.querySelector('#play').dataset.builds !== b, builds);
  }
  const pts = query(page).get('pts').split(';').map((p) => p.split(':').map(Number));
  assert.equal(pts.length, 10);
  assert.deepEqual(pts.map((p) => p[2]), [0, 3, 0, 3, 0, 3, 0, 3, 0, 3]);
  // four classes now (0..3) and one more to add
  assert.deepEqual(await page.$$eval('#point-mode option', (o) => o.map((x) => x.value)), ['select', '0', '1', '2', '3', '4', 'remove']);
  assert.notEqual(await page.textContent('#test-acc'), '—', 'half of the points test');
  assert.equal(await page.isVisible('#empty-hint'), false);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('regression: neurons drawn as curves, only x-features, train and test named, charts name the output', async () => {
  const page = await open('?data=sine&feat=x1,x2,x1x2,x1sq&stopepochs=5');
  const visible = await page.$$eval('[data-feature]', (b) => b.filter((x) => x.closest('label').offsetParent !== null).map((x) => x.dataset.feature));
  assert.deepEqual(visible, ['x1', 'x1sq', 'sinx1']);
  // every neuron's picture is painted: not one colour
  const colours = await page.$$eval('#network .network-thumb canvas', (cs) => cs.map((c) => {
    const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
    const seen = new Set();
    for (let i = 0; i < d.length; i += 4) seen.add(`${d[i]},${d[i + 1]},${d[i + 2]}`);
    return c.hidden ? 0 : seen.size;
  }));
  assert.equal(colours.length, 6 + 6 + 1);
  assert.ok(colours.every((n) => n > 10), `colours per picture: ${colours}`);
  assert.equal(await page.textContent('#train-acc-label'), 'Train RMSE');
  assert.equal(await page.textContent('#test-acc-label'), 'Test RMSE');
  const lines = await page.$eval('#train-acc', (e) => e.getClientRects().length);
  assert.equal(lines, 1, 'the RMSE does not wrap');
  await page.click('#play-btn');
  await page.waitForSelector('#play[data-state=idle] #play-btn[aria-pressed=false]');
  const names = await page.evaluate(() => globalThis.Chart.getChart(document.querySelector('#gradnorm-chart canvas')).data.datasets.map((d) => d.label));
  assert.deepEqual(names, ['layer 1', 'layer 2', 'output']);
  const ticks = await page.evaluate(() => globalThis.Chart.getChart(document.querySelector('#hist-chart canvas')).scales.x.ticks.map((t) => t.label));
  assert.ok(ticks.every((t) => /^-?\d(\.\d)?(e-?\d+)?$|^-?0\.0*\d\d?$/.test(t)), `two significant digits: ${ticks}`);
  await page.screenshot({ path: `${OUT_DIR}/regression_curves.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the hard two-class spiral is on the menu', async () => {
  const page = await open();
  await page.selectOption('#data', 'twospirals');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('data') === 'twospirals');
  await page.waitForFunction(() => document.querySelector('#play').dataset.state === 'idle');
  assert.match(await page.textContent('#train-acc'), /%$/);
  assert.deepEqual(page.problems, []);
  await page.close();
});
