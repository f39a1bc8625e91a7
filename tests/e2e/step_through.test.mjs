// The playground's step-through in every order of clicks a learner tries
// (issue 13): a setting changed halfway through a step, training between
// the trace and the update, a button pressed twice. Each number the panel
// shows is checked against an independent computation in this test: the
// update by the optimizer's formula (SGD's w − lr·g, Adam's first step
// w − lr·g/(|g| + ε)) from the gradient the panel showed, z as Σ w·x + b from
// the model's exported weights, dL/da and the loss from the loss's formula.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { openBrowser, newPage, OUT_DIR } from './browser.mjs';
import { loadEngine, FEATURES } from '../../web/js/engine.js';
import { assertClose } from '../js/helpers.mjs';

let env, engine;
before(async () => {
  env = await openBrowser();
  engine = await loadEngine();
});
after(async () => env?.close());

async function open(query) {
  const page = await newPage(env.browser, { width: 1440, height: 900 });
  await page.goto(`${env.url}${query}`);
  await page.waitForSelector('body[data-ready=true]', { timeout: 30000 });
  return page;
}

/** Every number cell of the panel: key -> value (data-value), and the
 * update table's key -> { before, after }. */
async function cells(page) {
  return page.$$eval('#step-view td[data-key]', (tds) => {
    const out = {};
    for (const td of tds) {
      out[td.dataset.key] = td.dataset.after !== undefined
        ? { before: Number(td.dataset.before), after: Number(td.dataset.after) }
        : Number(td.dataset.value);
    }
    return out;
  });
}

const click = async (page, sel, times = 1) => {
  for (let i = 0; i < times; i++) await page.click(sel);
};

/** Float32 rounding of one update: a few ulps of the weight. */
const f32 = (x) => Math.max(1e-7, 4 * Math.abs(x) * 2 ** -23);

test('Update after a learning-rate change applies the traced gradient at the new rate (SGD, by hand)', async () => {
  const page = await open('?data=circles&hidden=4,2&lr=0.03&seed=1');
  await click(page, '#fwd-btn', 4); // two hidden layers, the output, then the loss
  await click(page, '#bwd-btn', 3);
  const grads = await cells(page);
  await page.selectOption('#lr', '1');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('lr') === '1');
  await page.click('#upd-btn');
  await page.waitForSelector('#step-view td[data-after]');
  const c = await cells(page);
  const weights = Object.keys(c).filter((k) => /^\d+\.w\.\d+$/.test(k));
  assert.equal(weights.length, 2 * 4 + 4 * 2 + 2 * 1, 'every weight of the 2-4-2-1 network');
  let moved = 0;
  for (const k of weights) {
    const g = grads[k.replace('.w.', '.dw.')];
    assert.ok(Number.isFinite(g), `the gradient of ${k} was shown`);
    const { before: w, after: w2 } = c[k];
    const want = w - 1 * g;
    assert.ok(Math.abs(w2 - want) <= f32(want), `${k}: ${w} − 1 × ${g} = ${want}, the page says ${w2}`);
    if (w2 !== w) moved++;
  }
  assert.ok(moved >= weights.length - 2, `${moved} of ${weights.length} weights moved`);
  // the dL/dW table stays beside old -> new, and a weight's rule shows its numbers
  assert.ok(await page.$('#step-view td[data-key="0.dw.0"]'), 'dL/dW still shown after Update');
  await page.click('#step-view td[data-key="0.w.0"]');
  const text = await page.textContent('#step-view .step-explain');
  assert.match(text, /SGD: w_new = w − lr · g = \S+ − 1 × \S+ = \S+/, text);
  // the clicked weight is the highlighted edge of the diagram
  assert.equal(await page.$$eval('#network .network-edge-selected', (e) => e.map((g) => `${g.dataset.layer}:${g.dataset.from}:${g.dataset.to}`).join()), '0:0:0');
  // pressed twice: one update only
  const steps = await page.textContent('#step-count');
  await page.click('#upd-btn');
  await page.waitForTimeout(300);
  assert.equal(await page.textContent('#step-count'), steps);
  await page.screenshot({ path: `${OUT_DIR}/step_update_after_lr.png`, fullPage: true });
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('Adam switched on mid-step: the first update is w − lr·g/(|g| + ε), by hand', async () => {
  const page = await open('?data=xor&hidden=3&lr=0.03&seed=2');
  await click(page, '#fwd-btn', 3);
  await click(page, '#bwd-btn', 2);
  const grads = await cells(page);
  await page.selectOption('#opt', 'adam');
  await page.selectOption('#lr', '0.1');
  await page.waitForFunction(() => new URLSearchParams(location.search).get('lr') === '0.1');
  await page.click('#upd-btn');
  await page.waitForSelector('#step-view td[data-after]');
  const c = await cells(page);
  for (const k of Object.keys(c).filter((key) => key.includes('.w.'))) {
    const g = grads[k.replace('.w.', '.dw.')];
    const want = c[k].before - (0.1 * g) / (Math.abs(g) + 1e-8);
    assert.ok(Math.abs(c[k].after - want) <= f32(want) + 1e-6, `${k}: want ${want}, got ${c[k].after}`);
  }
  await page.click('#step-view td[data-key="1.w.1"]');
  assert.match(await page.textContent('#step-view .step-explain'), /^dL\/dw = [\s\S]*\nAdam, update 1: m = β₁·m_prev \+ \(1 − β₁\)·g = 0\.9 × 0 \+ 0\.1 × /);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test("Adagrad, new in the engine's table, is on the menu; its first update by hand, its rule with numbers", async () => {
  const page = await open('?data=xor&hidden=3&lr=0.03&seed=2&opt=adagrad');
  assert.equal(await page.inputValue('#opt'), 'adagrad');
  assert.equal(await page.textContent('#opt option[value=adagrad]'), 'Adagrad');
  await click(page, '#fwd-btn', 3);
  await click(page, '#bwd-btn', 2);
  const grads = await cells(page);
  await page.click('#upd-btn');
  await page.waitForSelector('#step-view td[data-after]');
  const c = await cells(page);
  // s = 0 + g², so w − lr·g/(√s + ε) = w − lr·g/(|g| + ε)
  for (const k of Object.keys(c).filter((key) => key.includes('.w.'))) {
    const g = grads[k.replace('.w.', '.dw.')];
    const want = c[k].before - (0.03 * g) / (Math.abs(g) + 1e-8);
    assert.ok(Math.abs(c[k].after - want) <= f32(want) + 1e-6, `${k}: want ${want}, got ${c[k].after}`);
  }
  await page.click('#step-view td[data-key="1.w.1"]');
  assert.match(await page.textContent('#step-view .step-explain'), /\nAdagrad: s = s_prev \+ g² = 0 \+ [\s\S]*w_new = w − lr · g \/ \(√s \+ ε\) = /);
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the step-through follows the weights: stale while training, traced again on pause', async () => {
  const page = await open('?data=moons&hidden=3&act=tanh&lr=0.3&seed=5');
  await page.fill('#sample-index', '7');
  await page.press('#sample-index', 'Enter');
  await click(page, '#fwd-btn', 3);
  const z0 = (await cells(page))['0.z.0'];
  await page.click('#play-btn');
  await page.waitForSelector('#step-view.step-stale');
  await page.waitForFunction(() => Number(document.querySelector('#step-count').textContent.replace(/,/g, '')) >= 200);
  await page.click('#play-btn');
  // traced again with the weights training stopped at
  await page.waitForFunction(() => {
    const h = document.querySelector('#step-view .step-header');
    return !document.querySelector('#step-view').classList.contains('step-stale') &&
      h.dataset.weightsStep === document.querySelector('#step-count').textContent.replace(/,/g, '').replace(/^0+(?=\d)/, '');
  });
  const c = await cells(page);
  assert.notEqual(c['0.z.0'], z0, 'z changed with the weights');
  // z = Σ w·x + b from the model's exported weights (not the page's trace)
  const [download] = await Promise.all([page.waitForEvent('download'), page.click('#export-btn')]);
  const model = engine.createModel();
  model.load(new Uint8Array(readFileSync(await download.path())), { maxBatch: 8, seed: 5 });
  const raw = engine.createDataset().generate({ name: 'moons', n: 200, noise: 0.1, k: 0, trainRatio: 0.5, seed: 5 });
  const feat = engine.createDataset().features(raw, FEATURES.x1 | FEATURES.x2);
  const x = feat.split('train').x.slice(12, 14); // sample 7
  const info = model.info();
  const p = model.params();
  const L0 = info.layers[0];
  for (let j = 0; j < 3; j++) {
    const z = p[L0.b_off + j] + p[L0.w_off + 2 * j] * x[0] + p[L0.w_off + 2 * j + 1] * x[1];
    assertClose(c[`0.z.${j}`], z, 1e-5, `z${j + 1} of layer 1`);
  }
  // the neuron's rule with its numbers
  await page.click('#step-view tr[data-layer="0"][data-unit="0"]');
  const text = await page.textContent('#step-view .step-explain');
  assert.match(text, /^z = Σ_i w_i · x_i \+ b = \S+ × \S+ \+ \S+ × \S+ \+ \S+ = \S+\na = tanh\(z\) = tanh\(\S+\) = \S+$/, text);
  for (const h of [model, raw, feat]) h.free();
  assert.deepEqual(page.problems, []);
  await page.close();
});

test('the loss and the output gradient come with their formulas, checked by hand', async () => {
  for (const [query, kind] of [['?data=xor&hidden=3&seed=3', 'bce'], ['?data=spiral&classes=3&hidden=4&seed=3', 'ce'], ['?data=line&hidden=3&seed=3', 'mse']]) {
    const page = await open(query);
    await click(page, '#fwd-btn', 3);
    await click(page, '#bwd-btn', 2);
    const c = await cells(page);
    const loss = Number(await page.getAttribute('#step-view .step-loss [data-value]', 'data-value'));
    const formula = await page.textContent('#step-view .step-formula');
    const header = await page.textContent('#step-view .step-header');
    const target = Number(header.match(/target (\S+)/)[1]);
    const outs = Object.keys(c).filter((k) => k.startsWith('1.a.')).map((k) => c[k]);
    const douts = Object.keys(c).filter((k) => k.startsWith('1.da.')).map((k) => c[k]);
    let wantLoss, wantDout;
    if (kind === 'bce') {
      const p = 1 / (1 + Math.exp(-outs[0]));
      wantLoss = target ? -Math.log(p) : -Math.log(1 - p);
      wantDout = [p - target];
      assert.match(formula, target ? /^L = −log σ\(a\)/ : /^L = −log\(1 − σ\(a\)\)/, formula);
    } else if (kind === 'ce') {
      const e = outs.map((a) => Math.exp(a - Math.max(...outs)));
      const sum = e.reduce((a, b) => a + b, 0);
      wantLoss = -Math.log(e[target] / sum);
      wantDout = e.map((v, k) => v / sum - (k === target ? 1 : 0));
      assert.match(formula, /^L = −log softmax\(a\)_/, formula);
    } else {
      wantLoss = (outs[0] - target) ** 2;
      wantDout = [2 * (outs[0] - target)];
      assert.match(formula, /^L = \(a − t\)²/, formula);
    }
    assertClose(loss, wantLoss, 1e-5, `${kind} loss`);
    wantDout.forEach((d, k) => assertClose(douts[k], d, 1e-5, `${kind} dL/da${k + 1}`));
    await page.click('#step-view tr[data-layer="1"][data-unit="0"]');
    const why = await page.textContent('#step-view .step-explain');
    assert.match(why, { bce: /dL\/da = σ\(a\) − y = /, ce: /dL\/da_1 = softmax\(a\)_1 − /, mse: /dL\/da = 2·\(a − t\) = / }[kind], why);
    await page.screenshot({ path: `${OUT_DIR}/step_formulas_${kind}.png`, fullPage: true });
    assert.deepEqual(page.problems, []);
    await page.close();
  }
});

test('"As a graph" on a network too big to draw says so beside the button, in view', async () => {
  const page = await open('?hidden=8,8,8,8&seed=2');
  await page.click('#graph-btn');
  await page.waitForSelector('#step-message:not([hidden])');
  assert.match(await page.textContent('#step-message'), /^This network on one sample is a graph of about \d+ nodes; the graph view draws up to 300/);
  const box = await page.locator('#step-message').boundingBox();
  assert.ok(box.y >= 0 && box.y + box.height <= 900, `the message is in view (y ${box.y})`);
  assert.equal(await page.isVisible('#play-error'), false, 'not at the top of the page');
  assert.equal(new URL(page.url()).searchParams.get('view'), null, 'still on the playground');
  assert.deepEqual(page.problems, []);
  await page.close();
});
