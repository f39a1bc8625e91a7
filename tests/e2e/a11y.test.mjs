// Accessibility (issue 13, item 16): axe-core 4 (npm, run in Chromium)
// finds no violation on any view, lesson or the instructors' page, in the
// states learners reach (a step-through with its update, the share dialog,
// a phone's width, Chinese). axe's script is added to the page, which the
// page's Content-Security-Policy forbids; the test's browser context
// bypasses the CSP for that (bypassCSP), nothing else changes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { openBrowser } from './browser.mjs';
import { LESSONS } from '../../web/js/lessons.js';

const AXE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

async function open(query, viewport = { width: 1440, height: 900 }, path = '') {
  const context = await env.browser.newContext({ bypassCSP: true, viewport });
  const page = await context.newPage();
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.problems = problems;
  await page.goto(`${env.url}${path}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 60000 });
  return page;
}

/** axe's violations on the page as it is now: one line per rule and node. */
async function violations(page) {
  await page.addScriptTag({ content: AXE });
  const result = await page.evaluate(async () => globalThis.axe.run(document, { resultTypes: ['violations'] }));
  return result.violations.flatMap((v) => v.nodes.map((n) => `${v.id} (${v.impact}): ${n.target.join(' ')}: ${n.failureSummary.split('\n').slice(1, 2).join('').trim()}`));
}

/** Collects what axe finds, per page state; the test fails at its end
 * with every violation listed. */
const found = [];
async function check(page, what) {
  for (const v of await violations(page)) found.push(`${what}: ${v}`);
}
function assertNone() {
  const all = found.splice(0);
  assert.deepEqual(all, [], `${all.length} violations:\n${all.join('\n')}`);
}

test('no axe violations on the views, in the states learners reach', async () => {
  const play = await open('');
  await check(play, 'playground');
  for (let i = 0; i < 4; i++) await play.click('#fwd-btn');
  for (let i = 0; i < 3; i++) await play.click('#bwd-btn');
  await play.click('#upd-btn');
  await play.waitForSelector('#step-view td[data-after]');
  await play.click('#step-view td.step-edge >> nth=0');
  await play.click('details.more summary');
  await check(play, 'playground after a step-through and its update');
  await play.click('#share-btn');
  await check(play, 'the share dialog');
  await play.context().close();

  for (const [query, what] of [['?view=graph', 'graph'], ['?view=expr', 'expressions'], ['?view=mnist', 'MNIST'], ['?lang=zh', 'playground in Chinese'], ['?data=sine', 'regression']]) {
    const page = await open(query);
    await check(page, what);
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
  const phone = await open('', { width: 390, height: 844 });
  await check(phone, 'playground on a phone');
  await phone.context().close();
  const teach = await open('', { width: 1440, height: 900 }, 'teach.html');
  await check(teach, "the instructors' page");
  await teach.context().close();
  assertNone();
});

test('a skip link takes the keyboard past the header to the view', async () => {
  for (const view of ['play', 'graph', 'expr', 'mnist']) {
    const page = await open(`?view=${view}`);
    await page.keyboard.press('Tab');
    assert.equal(await page.evaluate(() => document.activeElement.id), 'skip-link');
    assert.ok(await page.isVisible('#skip-link'), 'shown when focused');
    await page.keyboard.press('Enter');
    assert.equal(await page.evaluate(() => document.activeElement.id), view);
    await page.context().close();
  }
});

test('no axe violations in any lesson', async () => {
  for (const lesson of LESSONS) {
    const page = await open(`?lesson=${lesson.id}`);
    await check(page, `lesson ${lesson.id}`);
    if (lesson.view === 'play') {
      // and after a few epochs: the lesson's curves, tables and metrics filled in
      await page.click('#play-btn');
      await page.waitForFunction(() => Number(document.querySelector('#epoch-count').textContent.replace(/,/g, '')) >= 5);
      if ((await page.getAttribute('#play-btn', 'aria-pressed')) === 'true') await page.click('#play-btn');
      await page.waitForSelector('#play[data-state=idle]');
      await check(page, `lesson ${lesson.id} after training`);
    }
    assert.deepEqual(page.problems, []);
    await page.context().close();
  }
  assertNone();
});
