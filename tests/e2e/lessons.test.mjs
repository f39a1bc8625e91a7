// The guided lessons in headless Chromium, in English and in Chinese: one
// page opens ?lesson=<first> and walks the course with Next, in place when
// the next lesson is on the same view and by loading the page when not.
// For every lesson: the panel shows its title, text and thing to try in
// the page's language (the strings of i18n.js, CJK only in Chinese), the
// picker shows it, the view's main action runs for a moment (graph:
// forward and backward; playground: a few epochs, the curves or metrics
// fill in; MNIST: a few chunks, then int8 quantization) and the numbers
// move, with no page error. Then Previous, a variant button, the picker,
// leaving a lesson, and the panel at phone width. Screenshots go to
// tests/out/lesson_*.png.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { LESSONS } from '../../web/js/lessons.js';
import { STRINGS } from '../../web/js/i18n.js';

let env;
before(async () => {
  env = await openBrowser();
});
after(async () => env?.close());

const CJK = /[\u4e00-\u9fff]/;
const number = (text) => Number(String(text).replace(/[−–]/g, '-').replace(/,/g, ''));
const SHOTS = new Set(['derivative', 'gradient-descent', 'vanishing', 'evaluation', 'quantization']);

/** Waits until the page shows lesson id and has finished starting. */
async function atLesson(page, id) {
  await page.waitForFunction(
    (lesson) => document.querySelector('#lesson')?.dataset.lesson === lesson && document.body.dataset.ready === 'true',
    id, { timeout: 60000 },
  );
}

/** The panel's words and the picker, as the page shows them. */
async function shown(page) {
  return page.evaluate(() => ({
    count: document.querySelector('.lesson-count').textContent,
    title: document.querySelector('#lesson-title').textContent,
    text: document.querySelector('#lesson-text').textContent,
    tryText: document.querySelector('#lesson-try > span').textContent,
    picked: document.querySelector('#lesson-select').value,
    hidden: document.querySelector('#lesson').hidden,
    variants: [...document.querySelectorAll('.lesson-variant')].map((b) => b.dataset.variant),
  }));
}

async function graphAction(page, lang) {
  await page.click('#g-forward');
  await page.waitForFunction(() => /Forward done|前向完成/.test(document.querySelector('#g-info').textContent));
  await page.click('#g-step');
  const stepText = await page.textContent('#g-info');
  assert.match(stepText, lang === 'zh' ? /节点/ : /Node/, 'a backward step explains itself');
  await page.click('#g-all');
  const grads = await page.$$eval('#g-graph [data-node] .graph-num', (els) => els.map((e) => e.getAttribute('data-value')));
  assert.ok(grads.some((g) => g !== null && Number(g) !== 0), 'grads are shown after backward');
}

async function playAction(page, lesson) {
  const before = await page.evaluate(() => ({
    epoch: document.querySelector('#epoch-count').textContent, loss: document.querySelector('#train-loss').textContent,
  }));
  assert.equal(number(before.epoch), 0, 'a lesson starts from epoch 0');
  await page.click('#play-btn');
  await page.waitForFunction(() => Number(document.querySelector('#epoch-count').textContent.replace(/,/g, '')) >= 5, null, { timeout: 30000 });
  if (await page.$eval('#play-btn', (b) => b.getAttribute('aria-pressed') === 'true')) await page.click('#play-btn');
  const afterLoss = await page.textContent('#train-loss');
  if (lesson.id !== 'initialization') assert.notEqual(afterLoss, before.loss, `${lesson.id}: the loss moved`);
  if (lesson.compare) {
    await page.waitForFunction(() => Number(document.querySelector('.lesson-extra').dataset.points) >= 3);
  }
  if (lesson.panel === 'metrics') {
    const rows = await page.$$eval('.metrics-table tr[data-class]', (trs) => trs.length);
    assert.equal(rows, 3, 'one row per class');
    const cells = await page.$$eval('.metrics-confusion td', (tds) => tds.map((td) => Number(td.dataset.count)));
    assert.equal(cells.length, 9);
    assert.equal(cells.reduce((a, b) => a + b, 0), 150, 'the confusion matrix counts the 150 test points');
  }
}

async function mnistAction(page, lesson) {
  await page.waitForSelector('#mnist[data-ready=true][data-state=ready]', { timeout: 60000 });
  if (lesson.id === 'mnist') {
    // ▶ pauses by itself at epoch 1 (the lesson's stopepochs): 125 steps of
    // 64, the accuracy the lesson quotes (tests/js/lessons.test.mjs)
    assert.equal(await page.inputValue('#mnist-stopepochs'), '1');
    await page.click('#mnist-train');
    await page.waitForFunction(() => document.querySelector('#mnist').dataset.state === 'ready' &&
      document.querySelector('#mnist-train').getAttribute('aria-pressed') === 'false', null, { timeout: 120000 });
    assert.equal(await page.textContent('#mnist-steps'), '125');
    assert.equal(await page.$eval('#mnist-test-acc', (el) => Number(el.dataset.value)), 0.8965);
    return;
  }
  // quantization of the model trained in the lesson before (one epoch)
  await page.click('#mnist-quantize');
  await page.waitForSelector('#mnist-quant[data-int8-bytes]', { timeout: 30000 });
  const q = await page.$eval('#mnist-quant', (el) => ({ ...el.dataset, rows: el.querySelectorAll('th[data-model]').length }));
  assert.equal(q.rows, 2);
  assert.deepEqual([Number(q.floatBytes), Number(q.int8Bytes)], [407080, 102736]);
  assert.deepEqual([Number(q.steps), Number(q.floatAcc), Number(q.int8Acc)], [125, 0.8965, 0.897]);
}

for (const lang of ['en', 'zh']) {
  test(`every lesson in ${lang === 'en' ? 'English' : 'Chinese'}: words, picker, a few steps, Next`, async () => {
    const page = await newPage(env.browser, { width: 1280, height: 900 });
    const q = lang === 'zh' ? '&lang=zh' : '';
    await page.goto(`${env.url}?lesson=${LESSONS[0].id}${q}`);
    for (const [i, lesson] of LESSONS.entries()) {
      await atLesson(page, lesson.id);
      const s = await shown(page);
      const words = (part) => STRINGS[lang][`lesson.${lesson.id}.${part}`];
      assert.equal(s.hidden, false);
      assert.equal(s.title, words('title'));
      assert.equal(s.text, words('text'));
      assert.equal(s.tryText, words('try'));
      for (const w of [s.title, s.text, s.tryText]) assert.equal(CJK.test(w), lang === 'zh', `${lesson.id}: ${w.slice(0, 40)}`);
      assert.match(s.count, new RegExp(`${i + 1}\\D+${LESSONS.length}`));
      assert.equal(s.picked, lesson.id);
      assert.deepEqual(s.variants, (lesson.variants ?? []).map((v) => v.id));
      assert.equal(await page.evaluate(() => document.documentElement.lang), lang === 'zh' ? 'zh-CN' : 'en');
      assert.equal(new URL(page.url()).searchParams.get('lesson'), lesson.id);
      if (lesson.view === 'graph') await graphAction(page, lang);
      else if (lesson.view === 'play') await playAction(page, lesson);
      else await mnistAction(page, lesson);
      if (lang === 'en' ? SHOTS.has(lesson.id) : lesson.id === 'vanishing') {
        await page.screenshot({ path: `${OUT_DIR}/lesson_${lesson.id}_${lang}.png` });
      }
      assert.deepEqual(page.problems, [], lesson.id);
      const next = LESSONS[i + 1];
      if (!next) {
        assert.equal(await page.$eval('#lesson-next', (b) => b.disabled), true);
        break;
      }
      const builds = await page.$eval('#play', (el) => Number(el.dataset.builds) || 0);
      await page.click('#lesson-next');
      await atLesson(page, next.id);
      // in place on the playground: wait for the network of the next lesson
      if (next.view === 'play' && lesson.view === 'play') {
        await page.waitForFunction((n) => Number(document.querySelector('#play').dataset.builds) > n, builds);
      }
    }
    // Previous, in place on MNIST: the trained model stays
    await page.click('#lesson-prev');
    await atLesson(page, 'mnist');
    assert.ok(number(await page.textContent('#mnist-steps')) > 0, 'the trained model is still there');
    assert.equal(await page.$eval('#mnist-quant', (el) => el.dataset.int8Bytes), '102736', 'the same model, its comparison kept');
    assert.deepEqual(page.problems, []);
    await page.close();
  });
}

test('variant buttons, the picker, leaving a lesson, and the phone-width panel', async () => {
  const page = await newPage(env.browser, { width: 1280, height: 900 });
  await page.goto(`${env.url}?lesson=gradient-descent`);
  await atLesson(page, 'gradient-descent');
  assert.equal(await page.$eval('[data-variant="small"]', (b) => b.getAttribute('aria-pressed')), 'true');
  const builds = await page.$eval('#play', (el) => Number(el.dataset.builds));
  await page.click('[data-variant="large"]');
  await page.waitForFunction((n) => Number(document.querySelector('#play').dataset.builds) > n, builds);
  assert.equal(await page.$eval('#lr', (s) => s.value), '1');
  assert.equal(await page.$eval('[data-variant="large"]', (b) => b.getAttribute('aria-pressed')), 'true');
  assert.equal(new URL(page.url()).search, '?lesson=gradient-descent&lr=1');
  // a setting changed by hand: no variant is pressed, the URL keeps the lesson
  await page.selectOption('#lr', '0.1');
  assert.equal(await page.$$eval('.lesson-variant[aria-pressed="true"]', (b) => b.length), 0);
  assert.equal(new URL(page.url()).search, '?lesson=gradient-descent&lr=0.1');
  // the words fold away and back
  await page.click('.lesson-fold');
  assert.equal(await page.$eval('#lesson-body', (el) => el.hidden), true);
  assert.equal(await page.$eval('#lesson-next', (el) => el.hidden || el.offsetParent === null), false);
  await page.click('.lesson-fold');
  assert.equal(await page.$eval('#lesson-body', (el) => el.hidden), false);
  // the picker goes to another view's lesson
  await page.selectOption('#lesson-select', 'chain-rule');
  await atLesson(page, 'chain-rule');
  assert.equal(await page.$eval('#graph', (el) => el.hidden), false);
  assert.match(await page.$eval('#g-program', (el) => el.value), /L = d\*f/);
  // Share links the lesson
  await page.click('#share-btn');
  assert.match(await page.$eval('#share-url', (el) => el.value), /\?lesson=chain-rule$/);
  assert.match(await page.$eval('#share-iframe', (el) => el.value), /\?lesson=chain-rule&amp;embed=1"/);
  await page.click('#share-dialog button[type=submit]');
  // leaving: the panel goes, the program stays
  await page.click('.lesson-close');
  assert.equal(await page.$eval('#lesson', (el) => el.hidden), true);
  assert.equal(await page.$eval('#lesson-select', (el) => el.value), '');
  assert.equal(new URL(page.url()).searchParams.get('lesson'), null);
  assert.match(await page.$eval('#g-program', (el) => el.value), /L = d\*f/);
  // an old preset link opens its lesson; a bad lesson gets a note
  await page.goto(`${env.url}?preset=vanishing`);
  await atLesson(page, 'vanishing');
  assert.equal(await page.$eval('#step-note', (el) => el.hidden), true);
  // with batch norm the step-through says why it is off
  await page.click('[data-variant="batchnorm"]');
  await page.waitForSelector('#step-note:not([hidden])');
  assert.equal(await page.$eval('#fwd-btn', (b) => b.disabled), true);
  assert.equal(await page.$eval('#bn', (b) => b.checked), true);
  await page.goto(`${env.url}?lesson=nope`);
  await page.waitForSelector('body[data-ready=true]');
  assert.equal(await page.$eval('#lesson', (el) => el.hidden), true);
  assert.match(await page.textContent('#notes'), /lesson: 'nope'/);
  assert.deepEqual(page.problems, []);
  await page.close();

  for (const [query, name] of [['lesson=evaluation', 'evaluation_phone'], ['lesson=exploding&lang=zh', 'exploding_zh_phone']]) {
    const phone = await newPage(env.browser, { width: 390, height: 844 });
    await phone.goto(`${env.url}?${query}`);
    await phone.waitForSelector('body[data-ready=true]');
    await phone.click('#play-btn');
    await phone.waitForFunction(() => Number(document.querySelector('#epoch-count').textContent.replace(/,/g, '')) >= 5);
    await phone.click('#play-btn');
    const width = await phone.evaluate(() => document.documentElement.scrollWidth);
    assert.ok(width <= 390, `no horizontal scrolling (page is ${width}px wide)`);
    await phone.screenshot({ path: `${OUT_DIR}/lesson_${name}.png`, fullPage: true });
    assert.deepEqual(phone.problems, []);
    await phone.close();
  }
});

test('the chain-rule lesson asks for the grads before it shows them (en and zh)', async () => {
  for (const lang of ['en', 'zh']) {
    const page = await newPage(env.browser, { width: 1440, height: 900 });
    await page.goto(`${env.url}?lesson=chain-rule${lang === 'zh' ? '&lang=zh' : ''}`);
    await atLesson(page, 'chain-rule');
    const s = await shown(page);
    // no gradient, no chain-rule product: the learner works them out before each step
    for (const w of [s.text, s.tryText]) {
      // (L's own grad, 1, is where backward starts: that may be said)
      assert.doesNotMatch(w, /dL\/d|∂|× \(−2\)|grad(?:ient)? (?:of \w )?(?:is|=) [−-]?(?!1\b)\d|梯度(?:是|为) *[−-]?(?!1\b)\d/, `${lang}: ${w}`);
      for (const g of ['= 6', '= −4', 'is 6', '是 6']) assert.ok(!w.includes(g), `${lang}: "${g}" gives an answer away: ${w}`);
    }
    // the graph shows no grad until the learner steps
    const grads = await page.$$eval('#g-graph [data-node] .graph-grad', (els) => els.map((e) => e.getAttribute('data-value')));
    assert.ok(grads.length === 7 && grads.every((g) => g === ''), JSON.stringify(grads));
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});
