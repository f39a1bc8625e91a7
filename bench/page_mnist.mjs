// The MNIST page's training speed as the page reports it: Debian's
// Chromium (headless, through playwright-core) opens ?view=mnist with the
// defaults (MLP 784-128-10, Adam lr 0.001, batch 64), presses Train, and
// reads #mnist-speed[data-examples-per-sec] (the page's moving figure over
// its last chunks) every second for --seconds. Prints one JSON object.
//
//   node bench/page_mnist.mjs [--seconds S] [--root WEBROOT] [--query Q]
//
// --root serves another build of web/ (e.g. an older commit's, for a before
// and after in one sitting); default this checkout's web/.
import { chromium } from 'playwright-core';
import { startServer } from '../scripts/serve.mjs';
import { ROOT } from './config.mjs';
import { log, output } from './lib/timing.mjs';

const args = process.argv.slice(2);
const opt = (name, def) => (args.includes(name) ? args[args.indexOf(name) + 1] : def);
const seconds = Number(opt('--seconds', '8'));
const root = opt('--root', `${ROOT}web`);
const query = opt('--query', '?view=mnist');
if (!(seconds > 0)) {
  console.error('usage: node bench/page_mnist.mjs [--seconds S] [--root WEBROOT] [--query Q]');
  process.exit(2);
}

const { server, url } = await startServer(root, 0);
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
  await page.goto(`${url}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 120000 });
  await page.waitForSelector('#mnist[data-state=ready]', { timeout: 120000 });
  const model = await page.textContent('#mnist-model-info');
  await page.click('#mnist-train');
  const samples = [];
  for (let s = 0; s < seconds; s++) {
    await page.waitForTimeout(1000);
    const v = Number(await page.getAttribute('#mnist-speed', 'data-examples-per-sec'));
    if (Number.isFinite(v) && v > 0) samples.push(Math.round(v));
  }
  await page.click('#mnist-train');
  const version = browser.version();
  const last = samples.slice(-Math.max(1, Math.floor(samples.length / 2)));
  const median = [...last].sort((a, b) => a - b)[last.length >> 1];
  log(`MNIST page (${model}), Chromium ${version}: ${samples.join(', ')} examples/s`);
  output({ page: 'mnist', query, chromium: version, model, seconds, samples, examples_per_sec: median ?? null });
} finally {
  await browser.close();
  await new Promise((ok) => server.close(ok));
}
