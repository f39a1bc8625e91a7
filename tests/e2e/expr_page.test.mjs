// The expression page in headless Chromium: it loads the WASM engine, shows
// the same numbers as the native CLI, reports errors at their place, and
// works on a phone-sized screen. Screenshots go to tests/out/ for review.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { nativeExpr, assertClose } from '../js/helpers.mjs';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

async function tableRows(page) {
  return page.$$eval('#values tbody tr', (rows) =>
    rows.map((tr) => {
      const [line, name, data, grad, kind] = [...tr.cells];
      return {
        line: Number(line.textContent),
        name: name.textContent,
        data: Number(data.title),
        grad: Number(grad.title),
        kind: kind.textContent,
      };
    }),
  );
}

async function runProgram(page, src) {
  await page.fill('#program', src);
  await page.click('#run');
}

test('the default example shows the values and grads the native engine computes', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.url}?view=expr`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 20000 });
  const src = await page.inputValue('#program');
  const native = nativeExpr(src).json;
  const rows = await tableRows(page);
  assert.equal(rows.length, native.values.length);
  rows.forEach((row, i) => {
    const want = native.values[i];
    assert.equal(row.name, want.name);
    assert.equal(row.line, want.line);
    assertClose(row.data, want.data, 1e-12, `${row.name}.data`);
    assertClose(row.grad, want.grad, 1e-12, `${row.name}.grad`);
    assert.equal(row.kind, want.leaf ? 'leaf' : i === rows.length - 1 ? 'output' : '');
  });
  assert.match(await page.textContent('#summary'), /^output L = -8 · 7 nodes/);
  await page.screenshot({ path: `${OUT_DIR}/expr_default.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('a typed program runs with Ctrl+Enter; presets load and run', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.url}?view=expr`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 20000 });
  const src = 'x = 0.5\nw = -1.5\nb = 0.25\ny = tanh(w*x + b)\nL = (y - 1)**2';
  await page.fill('#program', src);
  await page.press('#program', 'Control+Enter');
  const rows = await tableRows(page);
  const native = nativeExpr(src).json;
  assert.deepEqual(rows.map((r) => r.name), ['x', 'w', 'b', 'y', 'L']);
  assertClose(rows[1].grad, native.leaves.w.grad, 1e-12, 'dL/dw');

  await page.selectOption('#expr-preset', 'more_ops');
  const more = await tableRows(page);
  assertClose(more[0].grad, 138.8338192419825, 1e-12, 'a.grad (micrograd more ops)');
  assertClose(more[1].grad, 645.5772594752186, 1e-12, 'b.grad (micrograd more ops)');
  assertClose(more.at(-1).data, 24.70408163265306, 1e-12, 'g');
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('errors are shown with their line and column, never as an empty success', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.url}?view=expr`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 20000 });
  await runProgram(page, 'a = 2\nb = a*q');
  assert.equal(await page.isVisible('#error'), true);
  assert.equal(
    await page.textContent('#error .error-message'),
    "line 2, col 7: unknown name 'q' (a name must be assigned before it is used)",
  );
  assert.equal(await page.textContent('#error .error-place'), '2 | b = a*q\n          ^');
  assert.equal((await tableRows(page)).length, 0);
  // the editor selects the offending character
  const selection = await page.$eval('#program', (t) => [t.selectionStart, t.selectionEnd]);
  assert.deepEqual(selection, [12, 13]);
  await page.screenshot({ path: `${OUT_DIR}/expr_error.png`, fullPage: true });

  await runProgram(page, 'a = 0\nb = log(a)');
  assert.match(await page.textContent('#error .error-message'), /^line 2, col 5: log of a non-positive number/);
  await runProgram(page, 'a = 1\nb = a + 1');
  assert.equal(await page.isVisible('#error'), false);
  assert.equal((await tableRows(page)).length, 2);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('markup in a program is shown as text, not injected', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.url}?view=expr&program=${encodeURIComponent('a = <img src=x onerror=alert(1)>')}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 20000 });
  assert.equal(await page.$$eval('#error img', (imgs) => imgs.length), 0);
  assert.match(await page.textContent('#error .error-message'), /unexpected character '<'/);
  await page.close();
});

test('the page works on a phone-sized screen', async () => {
  const page = await newPage(env.browser, { width: 390, height: 844 });
  await page.goto(`${env.url}?view=expr`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 20000 });
  await page.selectOption('#expr-preset', 'neuron');
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
  await page.screenshot({ path: `${OUT_DIR}/expr_phone.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the editor has a name; the program stays in the URL and in Share, and goes to the graph view', async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.url}?view=expr`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 20000 });
  assert.equal(await page.getByRole('textbox', { name: 'Program' }).count(), 1);
  // the view's own example is not written into the link
  assert.equal(new URL(page.url()).searchParams.get('program'), null);
  const src = 'x = 3\ny = x*x + 1';
  await runProgram(page, src);
  assert.equal(new URL(page.url()).searchParams.get('program'), src);
  // Share gives what the editor holds, run or not
  const typed = `${src}\nz = y/2`;
  await page.fill('#program', typed);
  await page.click('#share-btn');
  assert.equal(new URL(await page.inputValue('#share-url')).searchParams.get('program'), typed);
  await page.click('#share-dialog button[type=submit]');
  // a reload of the address keeps the program that ran
  await page.reload();
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.inputValue('#program'), src);
  // to the graph view with the program, in the page's language
  await page.selectOption('#lang', 'zh');
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.getByRole('textbox', { name: '程序' }).count(), 1);
  await page.click('#nav-graph');
  await page.waitForURL(/view=graph/);
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.inputValue('#g-program'), src);
  assert.equal(new URL(page.url()).searchParams.get('lang'), 'zh');
  assert.deepEqual(page.problems, []);
  await page.close();
});
