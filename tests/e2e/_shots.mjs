// ad-hoc screenshots: node tests/e2e/_shots.mjs name 'query' WxH [fullPage]
import { openBrowser, newPage } from './browser.mjs';
const [,, name, query, size = '1440x900', full = ''] = process.argv;
const [width, height] = size.split('x').map(Number);
const env = await openBrowser();
const page = await newPage(env.browser, { width, height });
await page.goto(`${env.url}${query}`);
await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
if (process.env.ACTIONS) for (const a of process.env.ACTIONS.split(';')) { const [k, v] = a.split('='); if (k === 'click') await page.click(v); if (k === 'wait') await page.waitForTimeout(Number(v)); }
await page.screenshot({ path: `/tmp/shots/${name}.png`, fullPage: Boolean(full) });
console.log(page.problems);
await env.close();
