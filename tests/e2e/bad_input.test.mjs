// Bad input that reaches the page (issue 8), beyond playground.test.mjs:
// URL parameters with quotes, attribute-breaking markup and out-of-range
// numbers fall back to the defaults with notes shown as text, nothing
// runs; and a model file saved from another network is refused with a
// message that says so.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, newPage } from './browser.mjs';
import { loadEngine } from '../../web/js/engine.js';
import { parseState } from '../../web/js/state.js';

let env, engine;
before(async () => {
  env = await openBrowser();
  engine = await loadEngine();
});
after(async () => env?.close());

async function open(query) {
  const page = await newPage(env.browser);
  const dialogs = [];
  page.on('dialog', (d) => {
    dialogs.push(d.message());
    d.dismiss();
  });
  page.dialogs = dialogs;
  await page.goto(`${env.url}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  return page;
}

test('quotes, markup and out-of-range numbers in the URL: defaults, notes as text, nothing runs', async () => {
  const params = new URLSearchParams({
    data: '"><img src=x onerror="window.pwned=1">',
    act: "tanh'><script>window.pwned=2</script>",
    lr: '1e9',
    n: '-5',
    seed: '99999999999',
    hidden: '4,99',
    noise: 'NaN',
  });
  const page = await open(`?${params}`);
  const want = parseState(params).notes.map((n) => n.message);
  assert.equal(want.length, 7);
  assert.ok(want.includes("lr: '1e9' is not a number from 0.00001 to 10; using 0.3"), want.join('\n'));
  // each note exactly, as text: the markup is shown, not parsed
  assert.equal(await page.isVisible('#notes'), true);
  assert.deepEqual(await page.$$eval('#notes li', (li) => li.map((x) => x.textContent)), want);
  assert.deepEqual(await page.$$eval('#notes li', (li) => li.map((x) => x.children.length)), want.map(() => 0));
  assert.equal(await page.$$eval('img, script:not([src])', (els) => els.length), 0);
  assert.equal(await page.evaluate(() => window.pwned), undefined);
  assert.deepEqual(page.dialogs, []);
  // the defaults are in force
  assert.equal(await page.inputValue('#data'), 'circles');
  assert.equal(await page.inputValue('#lr'), '0.3');
  // the page forbids inline script
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert.match(csp, /script-src 'self' 'wasm-unsafe-eval';/);
  assert.doesNotMatch(csp, /unsafe-inline/);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a model file saved from another network is refused and says which networks differ', async () => {
  const m = engine.createModel();
  m.build('dense 3 tanh, dense 1', [2, 1, 1]);
  m.configure({ nclasses: 2 });
  const file = Buffer.from(m.save());
  m.free();
  const page = await open('?data=xor&hidden=4');
  await page.setInputFiles('#import-file', { name: 'other.mgm', mimeType: 'application/octet-stream', buffer: file });
  await page.waitForSelector('#play-error:not([hidden])');
  assert.equal(
    await page.textContent('#play-error .error-message'),
    "Cannot import this model file: the file holds the network 'dense 3 tanh, dense 1'; the playground's is " +
      "'dense 4 tanh, dense 1': build the same network first",
  );
  // the playground's own network is still there and trains
  await page.click('#play-btn');
  await page.waitForFunction(() => Number(document.querySelector('#epoch-count').textContent.replace(/,/g, '')) >= 2);
  await page.click('#play-btn');
  assert.deepEqual(page.problems, []);
  await page.close();
});
