// A long session: the playground trains for two minutes in headless
// Chromium; the page keeps answering (a click changes the view within 2 s,
// no main-thread task freezes it for a second; the longest is printed),
// and memory stays flat: the engine's
// heap in use and the WASM memory size (reported by the worker after each
// chunk) are the same at the end as after the first 20 seconds, and the
// page's JS heap after garbage collection has not grown by more than 2 MB
// (the charts keep a bounded number of points).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';

const MINUTES = Number(process.env.LONG_SESSION_MINUTES ?? 2);

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

test(`the playground trains for ${MINUTES} minutes: responsive, memory flat`, { timeout: (MINUTES * 60 + 120) * 1000 }, async () => {
  const page = await newPage(env.browser);
  await page.goto(`${env.url}?data=spiral&classes=3&hidden=8,8&act=tanh&lr=0.03&opt=adam&seed=4`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  await page.evaluate(() => {
    window.__longest = 0;
    new PerformanceObserver((list) => {
      for (const e of list.getEntries()) window.__longest = Math.max(window.__longest, e.duration);
    }).observe({ type: 'longtask', buffered: false });
  });
  const cdp = await page.context().newCDPSession(page);
  const sample = async () => {
    await cdp.send('HeapProfiler.collectGarbage');
    const { usedSize } = await cdp.send('Runtime.getHeapUsage');
    const body = await page.evaluate(() => ({ ...document.body.dataset }));
    const step = Number((await page.textContent('#step-count')).replace(/,/g, ''));
    return { js: usedSize, heap: Number(body.wasmHeapUsed), memory: Number(body.wasmMemoryBytes), step };
  };

  await page.click('#play-btn');
  await page.waitForTimeout(20000);
  const first = await sample();
  const deadline = Date.now() + (MINUTES * 60 - 20) * 1000;
  let clicks = 0;
  const trend = [];
  while (Date.now() < deadline) {
    await page.waitForTimeout(Math.min(15000, Math.max(0, deadline - Date.now())));
    // the page answers a click while training: the network view switches
    const mode = clicks++ % 2 ? 'weights' : 'grads';
    const t0 = Date.now();
    await page.check(`input[name="net-mode"][value="${mode}"]`);
    assert.ok(await page.isChecked(`input[name="net-mode"][value="${mode}"]`));
    assert.ok(Date.now() - t0 < 2000, `a click took ${Date.now() - t0} ms`);
    trend.push(await sample());
  }
  const last = await sample();
  const longest = await page.evaluate(() => window.__longest);
  await page.click('#play-btn');
  await page.screenshot({ path: `${OUT_DIR}/playground_long_session.png`, fullPage: true });
  console.log(
    `long session: ${last.step - first.step} steps in ${MINUTES * 60 - 20} s; engine heap ${first.heap} -> ${last.heap} bytes, ` +
      `WASM memory ${first.memory} -> ${last.memory}, JS heap ${first.js} -> ${last.js} bytes, longest main-thread task ${longest} ms`,
  );
  console.log(`JS heap trend: ${trend.map((t) => t.js).join(' ')}`);
  assert.ok(last.step > first.step + 1000, `training went on (${first.step} -> ${last.step})`);
  assert.ok(first.heap > 0 && Number.isFinite(first.memory));
  assert.equal(last.heap, first.heap, 'the engine heap in use changed');
  assert.equal(last.memory, first.memory, 'the WASM memory grew');
  // a forced collection does not always reclaim everything at once: judge
  // the smallest of the last samples
  const settled = Math.min(last.js, ...trend.slice(-3).map((t) => t.js));
  assert.ok(settled - first.js < 2 * 1024 * 1024, `the JS heap grew by ${settled - first.js} bytes`);
  // a frozen page, not a slow frame on a busy 2-core machine, fails this
  assert.ok(longest < 1000, `a main-thread task took ${longest} ms`);
  assert.deepEqual(page.problems, []);
  await page.close();
});
