// The dist bundle (scripts/dist.mjs) and the instructors' page. The bundle
// is built here into a temporary folder, then: served under a sub-path,
// every view loads and works with no failed request and nothing from
// another origin; opened from disk (file://), the playground, the graph
// and the expressions work and MNIST says how to serve the folder. The
// instructors' page lists every URL parameter, lesson, preset and graph
// program from the tables the lab runs on, its snippets parse without
// notes, its demo drives the lab by postMessage, and it fits a phone.
// Screenshots go to tests/out/.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { startServer } from '../../scripts/serve.mjs';
import { ROOT } from '../js/helpers.mjs';
import { SCHEMA, parseState, lessonState } from '../../web/js/state.js';
import { PRESETS, GRAPH_PRESETS } from '../../web/js/presets.js';
import { LESSONS } from '../../web/js/lessons.js';
import { LANGS } from '../../web/js/i18n.js';
import { TEACH_STRINGS as STRINGS } from '../../web/js/i18n_teach.js';
import { OUTGOING, INCOMING, messageFields } from '../../web/js/embed.js';

const SUB_PATH = '/courses/ml/lab/';
let env, dist, sub;
before(async () => {
  dist = join(mkdtempSync(join(tmpdir(), 'mg-dist-')), 'lab');
  const r = spawnSync(process.execPath, [`${ROOT}scripts/dist.mjs`, dist], { encoding: 'utf8' });
  assert.equal(r.status, 0, `scripts/dist.mjs failed:\n${r.stdout}\n${r.stderr}`);
  assert.match(r.stdout, /JS \+ WASM, gzipped: [\d.]+ kB of the 400 kB budget/);
  env = await openBrowser();
  sub = await startServer(dist, 0, '127.0.0.1', { base: SUB_PATH });
});
after(async () => {
  await new Promise((ok) => sub?.server.close(ok));
  await env?.close();
});

/** A page that records every request and every failed response. */
async function open(url, viewport = { width: 1280, height: 860 }) {
  const page = await newPage(env.browser, viewport);
  page.requests = [];
  page.on('request', (r) => page.requests.push(r.url()));
  page.on('response', (r) => {
    if (r.status() >= 400) page.problems.push(`${r.status()} ${r.url()}`);
  });
  await page.goto(url);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  return page;
}

const count = (text) => Number(text.replace(/,/g, ''));

async function trainPlayground(page) {
  const before = Number(await page.textContent('#train-loss'));
  await page.click('#play-btn');
  await page.waitForFunction(() => Number(document.querySelector('#epoch-count').textContent.replace(/,/g, '')) >= 40, null, { timeout: 30000 });
  await page.click('#play-btn');
  const after = Number(await page.textContent('#train-loss'));
  assert.ok(after < before, `the loss falls: ${before} -> ${after}`);
}

async function graphWorks(page) {
  await page.click('#g-forward');
  await page.waitForFunction(() => document.querySelectorAll('#g-graph [data-node]').length > 5);
  await page.click('#g-all');
  await page.waitForFunction(() => /\S/.test(document.querySelector('#g-info').textContent));
}

async function exprWorks(page) {
  await page.waitForFunction(() => document.querySelectorAll('#values tbody tr').length > 3);
}

test('dist/ under a sub-path: every view works, no failed request, nothing from another origin', async () => {
  const base = sub.url;
  assert.ok(base.endsWith(SUB_PATH));
  const pages = [];
  const play = await open(`${base}?data=xor&hidden=4&lr=0.1&opt=adam&seed=2`);
  await trainPlayground(play);
  pages.push(play);
  const graph = await open(`${base}?view=graph`);
  await graphWorks(graph);
  pages.push(graph);
  const expr = await open(`${base}?view=expr`);
  await exprWorks(expr);
  pages.push(expr);
  const mnist = await open(`${base}?view=mnist`);
  await mnist.waitForSelector('#mnist[data-ready=true]', { timeout: 30000 });
  await mnist.click('#mnist-train');
  await mnist.waitForFunction(() => Number(document.querySelector('#mnist-epoch').dataset.value) >= 0.6, null, { timeout: 30000 });
  await mnist.click('#mnist-train');
  await mnist.waitForFunction(() => Number(document.querySelector('#mnist-test-acc').dataset.value) > 0.5, null, { timeout: 30000 });
  pages.push(mnist);
  const teach = await open(`${base}teach.html`);
  assert.ok((await teach.$$eval('#teach-params tbody tr', (r) => r.length)) >= SCHEMA.length);
  pages.push(teach);
  // the footer link reaches the instructors' page
  assert.equal(await play.getAttribute('#teach-link', 'href'), 'teach.html');
  for (const page of pages) {
    const origins = new Set(page.requests.filter((u) => !/^(blob|data):/.test(u)).map((u) => new URL(u).origin));
    assert.deepEqual([...origins], [new URL(base).origin], `${page.url()}: nothing from another origin`);
    const outside = page.requests.filter((u) => /^http/.test(u) && !new URL(u).pathname.startsWith(SUB_PATH));
    assert.deepEqual(outside, [], `${page.url()}: every request stays under ${SUB_PATH}`);
    assert.deepEqual(page.problems, [], page.url());
    await page.close();
  }
});

test('dist/ from disk (file://): the playground, graph and expressions work; MNIST says how to serve it', async () => {
  const index = pathToFileURL(join(dist, 'index.html')).href;
  const play = await open(`${index}?data=moons&hidden=5&act=relu&lr=0.1&opt=adam&seed=3`);
  await trainPlayground(play);
  // the state still goes to the URL, and the step-through runs in the worker
  await play.selectOption('#opt', 'sgd');
  assert.match(play.url(), /^file:.*index\.html\?data=moons/);
  await play.click('#fwd-btn');
  await play.waitForSelector('#step-view td[data-value]');
  await play.screenshot({ path: `${OUT_DIR}/dist_file_playground.png` });
  const graph = await open(`${index}?view=graph`);
  await graphWorks(graph);
  const expr = await open(`${index}?view=expr`);
  await exprWorks(expr);
  const mnist = await open(`${index}?view=mnist`);
  await mnist.waitForSelector('#mnist-error:not([hidden])');
  const note = await mnist.textContent('#mnist-error .error-message');
  assert.ok(note.includes(`python3 -m http.server 8000 --directory "${dist}/"`), note);
  assert.equal(await mnist.isDisabled('#mnist-files'), false, 'your own IDX files can still be chosen');
  await mnist.screenshot({ path: `${OUT_DIR}/dist_file_mnist.png` });
  const teach = await open(pathToFileURL(join(dist, 'teach.html')).href);
  assert.match(await teach.inputValue('#teach-base'), /^file:.*\/index\.html$/);
  for (const page of [play, graph, expr, mnist, teach]) {
    const schemes = new Set(page.requests.map((u) => new URL(u).protocol));
    for (const s of schemes) assert.ok(['file:', 'blob:', 'data:'].includes(s), `${page.url()} requested a ${s} URL`);
    assert.deepEqual(page.problems, [], page.url());
    await page.close();
  }
});

test('every URL parameter, panel and message field has its words in every language', () => {
  for (const lang of LANGS) {
    for (const e of SCHEMA) assert.ok(STRINGS[lang][`teach.param.${e.key}`], `${lang}: teach.param.${e.key}`);
    for (const p of SCHEMA.find((e) => e.key === 'hide').values) assert.ok(STRINGS[lang][`teach.panel.${p}`], `${lang}: teach.panel.${p}`);
    for (const type of Object.keys(OUTGOING)) assert.ok(STRINGS[lang][`teach.out.${type}`], `${lang}: teach.out.${type}`);
    for (const type of Object.keys(INCOMING)) assert.ok(STRINGS[lang][`teach.in.${type}`], `${lang}: teach.in.${type}`);
    for (const f of messageFields()) assert.ok(STRINGS[lang][`teach.field.${f}`], `${lang}: teach.field.${f}`);
  }
});

/** The src of an iframe snippet, its &amp; undone. */
const srcOf = (snippet) => snippet.match(/src="([^"]+)"/)[1].replace(/&amp;/g, '&');

test('the instructors\' page: parameters, snippets that parse, classroom mode, the demo', async () => {
  const page = await open(`${env.url}teach.html`);
  const keys = await page.$$eval('#teach-params tbody tr', (rows) => rows.map((r) => r.dataset.key));
  assert.deepEqual(keys, [...SCHEMA.map((e) => e.key), 'program']);
  const cells = await page.$$eval('#teach-params tbody td', (tds) => tds.map((td) => td.textContent));
  assert.ok(cells.every((c) => c.trim() && !c.startsWith('teach.')), 'every cell is filled in');

  const cards = await page.$$eval('.teach-card', (cs) => cs.map((c) => ({ id: c.dataset.id, snippet: c.querySelector('.snippet').textContent })));
  const variants = LESSONS.flatMap((l) => (l.variants ?? []).map((v) => `${l.id}/${v.id}`));
  const ids = [...LESSONS.map((l) => l.id), ...variants, ...GRAPH_PRESETS.map((p) => p.id), ...PRESETS.map((p) => p.id)];
  assert.deepEqual(cards.map((c) => c.id), ids);
  for (const c of cards) {
    assert.match(c.snippet, /^<iframe src="http:\/\/localhost:\d+\/\?[^"]*embed=1" width="720" height="560" title="Micrograd Lab"/, c.snippet);
    const { notes } = parseState(new URL(srcOf(c.snippet)).searchParams);
    assert.deepEqual(notes, [], `${c.id}: ${srcOf(c.snippet)}`);
  }
  // a lesson's snippet opens the lesson with its settings; a variant's, the lesson with that setting
  for (const lesson of LESSONS) {
    const src = new URL(srcOf(cards.find((c) => c.id === lesson.id).snippet));
    assert.equal(src.searchParams.get('lesson'), lesson.id);
    assert.deepEqual(parseState(src.searchParams).state, { ...lessonState(lesson.id), embed: true }, lesson.id);
    for (const v of lesson.variants ?? []) {
      const shown = parseState(new URL(srcOf(cards.find((c) => c.id === `${lesson.id}/${v.id}`).snippet)).searchParams).state;
      assert.deepEqual(shown, { ...lessonState(lesson.id), ...v.state, embed: true }, `${lesson.id}/${v.id}`);
    }
  }
  const vanishing = parseState(new URL(srcOf(cards.find((c) => c.id === 'vanishing').snippet)).searchParams).state;
  assert.deepEqual({ hidden: vanishing.hidden, act: vanishing.act }, { hidden: [8, 8, 8, 8, 8, 8], act: ['sigmoid'] });
  const program = cards.find((c) => c.id === GRAPH_PRESETS[0].id);
  assert.equal(new URL(srcOf(program.snippet)).searchParams.get('program'), GRAPH_PRESETS[0].program);

  // classroom mode and the frame size go into every snippet
  await page.check('#teach-hide input[value="settings"]');
  await page.check('#teach-hide input[value="data"]');
  await page.fill('#teach-width', '720');
  await page.fill('#teach-base', 'https://uni.example.edu/ml/lab/');
  const first = await page.textContent('#teach-variants .teach-card .snippet');
  assert.match(first, /^<iframe src="https:\/\/uni\.example\.edu\/ml\/lab\/\?[^"]*hide=data,settings[^"]*embed=1" width="720"/, first);
  await page.fill('#teach-base', 'not a url');
  assert.match(await page.textContent('#teach-base-hint'), /not a web address/);
  assert.equal(await page.textContent('#teach-variants .teach-card .snippet'), first, 'a bad address keeps the last good one');
  assert.match(await page.textContent('#teach-example'), /const LAB = 'https:\/\/uni\.example\.edu';/);
  await page.screenshot({ path: `${OUT_DIR}/teach_desktop.png`, fullPage: true });

  // the demo: the lab in a frame, driven by messages
  await page.click('#demo-load');
  await page.waitForFunction(() => /"type":"ready"/.test(document.querySelector('#demo-log').textContent), null, { timeout: 30000 });
  await page.click('[data-send="play"]');
  await page.waitForFunction(() => /"type":"progress","view":"play","running":true,"step":[1-9]/.test(document.querySelector('#demo-log').textContent), null, { timeout: 30000 });
  await page.click('[data-send="pause"]');
  await page.waitForFunction(() => /"running":false/.test(document.querySelector('#demo-log').textContent.split('\n').at(-1)));
  await page.locator('#demo-frame').screenshot({ path: `${OUT_DIR}/teach_demo.png` });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the instructors\' page in Chinese and on a phone', async () => {
  const page = await open(`${env.url}teach.html?lang=zh`, { width: 390, height: 844 });
  assert.equal(await page.textContent('h1'), 'Micrograd Lab 教师指南');
  assert.equal(await page.getAttribute('html', 'lang'), 'zh-CN');
  assert.match(await page.textContent('#teach-variants .teach-card .snippet'), /lang=zh/);
  const width = await page.evaluate(() => document.documentElement.scrollWidth);
  assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
  await page.screenshot({ path: `${OUT_DIR}/teach_phone_zh.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
  const html = readFileSync(`${ROOT}web/teach.html`, 'utf8');
  assert.doesNotMatch(html, /<script>|\son\w+="/, 'no inline script: the CSP allows none');
});
