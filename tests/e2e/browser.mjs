// Headless Chromium for the browser tests: Debian's /usr/bin/chromium driven
// by playwright-core (never a downloaded browser), and the page served by
// scripts/serve.mjs on a free port.
import { mkdirSync } from 'node:fs';
import { chromium } from 'playwright-core';
import { startServer } from '../../scripts/serve.mjs';
import { ROOT } from '../js/helpers.mjs';

export const OUT_DIR = `${ROOT}tests/out`;

const FLAGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--no-first-run',
];

/** Starts the server and the browser (with extra command-line flags, if
 * any); returns { url, browser, close }. */
export async function openBrowser(extraFlags = []) {
  mkdirSync(OUT_DIR, { recursive: true });
  const { server, url } = await startServer(`${ROOT}web`, 0);
  const browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [...FLAGS, ...extraFlags],
  });
  return {
    url,
    browser,
    async close() {
      await browser.close();
      await new Promise((ok) => server.close(ok));
    },
  };
}

/** A new page that fails the test on any page error or failed request. */
export async function newPage(browser, viewport = { width: 1280, height: 800 }) {
  const page = await browser.newPage({ viewport });
  const problems = [];
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
  page.on('requestfailed', (req) => problems.push(`request failed: ${req.url()}`));
  page.problems = problems;
  return page;
}
