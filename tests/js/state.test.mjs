// The playground's URL state, strings, presets and the lessons' states:
// pure modules, no WASM.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { SCHEMA, defaults, parseState, serializeState, shareUrl, embedSnippet, lessonState } from '../../web/js/state.js';
import { LANGS, STRINGS, t, applyStrings, addStrings } from '../../web/js/i18n.js';
import { TEACH_STRINGS } from '../../web/js/i18n_teach.js';
import CATALOG from '../../web/build/catalog.js';
import { PRESETS } from '../../web/js/presets.js';
import { LESSONS, lessonById } from '../../web/js/lessons.js';

addStrings(TEACH_STRINGS); // the instructors' page's strings, checked with the lab's
import { activeVariant } from '../../web/js/lesson_controller.js';

/** A small seeded RNG local to the test (mulberry32): uniform in [0, 1). */
function makeRng(seed) {
  let s = seed >>> 0;
  return () => {
    s = (s + 0x6d2b79f5) >>> 0;
    let x = Math.imul(s ^ (s >>> 15), 1 | s);
    x = (x + Math.imul(x ^ (x >>> 7), 61 | x)) ^ x;
    return ((x ^ (x >>> 14)) >>> 0) / 4294967296;
  };
}

/** A random valid value of entry e, already in the URL's precision. */
function randomValue(e, rnd) {
  const int = (lo, hi) => lo + Math.floor(rnd() * (hi - lo + 1));
  const pick = (xs) => xs[int(0, xs.length - 1)];
  const num = (lo, hi) => (rnd() < 0.1 ? pick([lo, hi]) : Number((lo + rnd() * (hi - lo)).toPrecision(6)));
  const list = (make) => Array.from({ length: int(e.minLen, e.maxLen) }, make);
  switch (e.kind) {
    case 'enum': return pick(e.values);
    case 'int': return int(e.min, e.max);
    case 'number': return num(e.min, e.max);
    case 'bool': return rnd() < 0.5;
    case 'enums': {
      const items = list(() => pick(e.values));
      return e.unique ? [...new Set(items)].slice(0, e.maxLen) : items;
    }
    case 'ints': return list(() => int(e.min, e.max));
    case 'points': {
      const coord = () => Math.round((rnd() * 12 - 6) * 100) / 100 || 0;
      const target = () => (rnd() < 0.5 ? int(0, 4) : num(-6, 6));
      return Array.from({ length: int(0, 30) }, () => [coord(), coord(), target()]);
    }
    case 'origin': return pick(['', 'https://course.example.org', 'http://127.0.0.1:8080', 'https://xn--bcher-kva.example']);
    default: throw new Error(`no generator for kind ${e.kind}`);
  }
}

/** Values of entry e that must be refused: out of range, not a number,
 * wrong enum, too many items, malformed points; plus markup and quotes. */
function badValues(e) {
  const common = ['<script>alert(1)</script>', '"quoted"', "it's", ' '];
  const tooMany = (item) => Array(e.maxLen + 1).fill(item).join(',');
  const byKind = {
    enum: () => ['nope', 'CIRCLES_'],
    int: () => [String(e.min - 1), String(e.max + 1), 'abc', '1.5', '1e2', '0x10'],
    number: () => [String(e.min - 1), String(e.max * 2 + 1), 'abc', 'NaN', 'Infinity', '1..2'],
    bool: () => ['yes', '2', 'constructor', 'toString'],
    enums: () => [e.values[0] + 'x', `${e.values[0]},,${e.values[0]}`, ...(e.unique ? [] : [tooMany(e.values[0])])],
    ints: () => [String(e.max + 1), `${e.min},abc`, tooMany(e.min), '1.5'],
    origin: () => ['https://x.example/', 'https://x.example/path', 'javascript:alert(1)', 'ftp://x.example', 'x.example', 'null', '*'],
    points: () => ['1:2', '1:2:3:4', '7:0:1', '0:0:x', '1:2:0;;3:4:1', Array(501).fill('0:0:0').join(';')],
  }[e.kind]();
  if (e.minLen > 0) byKind.push('');
  return [...common, ...byKind];
}

test('defaults serialize to nothing and parse back without notes', () => {
  assert.equal(serializeState(defaults()), '');
  for (const search of ['', '?', '?unknown=1&other=<b>']) {
    const { state, notes } = parseState(search);
    assert.deepEqual(state, defaults());
    assert.deepEqual(notes, []);
  }
  assert.deepEqual(parseState(new URLSearchParams('')).state, defaults());
  assert.deepEqual(Object.keys(defaults()), SCHEMA.map((e) => e.key));
});

test('defaults() returns a fresh copy each time', () => {
  const a = defaults();
  a.hidden.push(8);
  a.feat.length = 0;
  assert.deepEqual(defaults().hidden, [6, 6]);
  assert.deepEqual(defaults().feat, ['x1', 'x2']);
});

test('every bad value falls back to the default with a note naming the key', () => {
  const def = defaults();
  let count = 0;
  for (const e of SCHEMA) {
    for (const bad of badValues(e)) {
      const { state, notes } = parseState(new URLSearchParams({ [e.key]: bad }));
      const where = `${e.key}=${JSON.stringify(bad.slice(0, 60))}`;
      assert.deepEqual(state, def, `${where}: state should stay at the defaults`);
      assert.equal(notes.length, 1, `${where}: one note expected, got ${JSON.stringify(notes)}`);
      assert.equal(notes[0].key, e.key, where);
      assert.equal(notes[0].value, bad.slice(0, 40), where);
      assert.ok(notes[0].message.startsWith(`${e.key}: `), `${where}: message ${notes[0].message}`);
      assert.match(notes[0].message, /; using \S/, where);
      count++;
    }
  }
  assert.ok(count > 150, `only ${count} bad values tried`);
});

test('notes read as plain English and say what was expected', () => {
  const { notes } = parseState('?lr=abc&n=5000&data=<script>alert(1)</script>&pts=1:1:0;2:2:1;9:0:0');
  const byKey = Object.fromEntries(notes.map((n) => [n.key, n.message]));
  assert.equal(byKey.lr, "lr: 'abc' is not a number from 0.00001 to 10; using 0.3");
  assert.equal(byKey.n, "n: '5000' is not a whole number from 10 to 1000; using 200");
  assert.match(byKey.data, /^data: '<script>alert\(1\)<\/script>' is not one of moons, circles, xor, /);
  assert.match(byKey.pts, /^pts: point 3, '9:0:0', is not x1:x2:c/);
  const long = parseState(`?view=${'x'.repeat(100)}`).notes[0];
  assert.equal(long.value.length, 40);
});

test('valid values parse, lists keep order, duplicates drop only where unique', () => {
  const { state, notes } = parseState(
    '?hidden=8,8,8&act=relu,relu,tanh&feat=x2,x1,x2&showtest=true&embed=1&hide=charts,share,charts' +
    '&hidden_extra=9&lr=1e-4&noise=0.123456789&pts=1.234:-6:2;0:0:-0.5',
  );
  assert.deepEqual(notes, []);
  assert.deepEqual(state.hidden, [8, 8, 8]);
  assert.deepEqual(state.act, ['relu', 'relu', 'tanh']);
  assert.deepEqual(state.feat, ['x2', 'x1']);
  assert.deepEqual(state.hide, ['charts', 'share']);
  assert.equal(state.showtest, true);
  assert.equal(state.embed, true);
  assert.equal(state.lr, 0.0001);
  assert.equal(state.noise, 0.123457);
  assert.deepEqual(state.pts, [[1.23, -6, 2], [0, 0, -0.5]]);
  assert.equal(state.lesson, '');
  assert.deepEqual(parseState('?hidden=&act=').state.hidden, []);
  // -0 would print as 0 and so not survive a round trip
  const zero = parseState('?seed=-0&clip=-0&pts=-0.001:-0:-0').state;
  assert.deepEqual([zero.seed, zero.clip, zero.pts], [0, 0, [[0, 0, 0]]]);
});

test('serialize writes only non-defaults, in schema order, with plain numbers', () => {
  const s = { ...defaults(), lr: 0.00001, seed: 42, data: 'xor', hidden: [] };
  assert.equal(serializeState(s), 'data=xor&seed=42&hidden=&lr=0.00001');
  assert.equal(serializeState({ ...defaults(), hidden: [6, 6], lr: 0.3 }), '');
  assert.equal(serializeState({ data: 'moons' }), 'data=moons');
  assert.equal(serializeState({ ...defaults(), pts: [[1, -2.5, 0], [0.25, 3, 1]] }), 'pts=1:-2.5:0%3B0.25:3:1');
  assert.equal(serializeState({ ...defaults(), clip: 100, n: 1000 }), 'n=1000&clip=100');
});

test('parse(serialize(state)) is the identity for 200 random valid states', () => {
  const rnd = makeRng(20240607);
  for (let i = 0; i < 200; i++) {
    const state = Object.fromEntries(SCHEMA.map((e) => [e.key, randomValue(e, rnd)]));
    if (state.lesson) state.view = lessonById(state.lesson).view; // a lesson opens its own view
    const query = serializeState(state);
    const { state: back, notes } = parseState(`?${query}`);
    assert.deepEqual(notes, [], `state ${i}: ${query}`);
    assert.deepEqual(back, state, `state ${i}: ${query}`);
    assert.doesNotMatch(query, /e[-+]\d/, `state ${i}: no exponents in ${query}`);
  }
});

test('the MNIST view has its own defaults for the optimizer, learning rate and batch', () => {
  const m = parseState('?view=mnist');
  assert.deepEqual(m.notes, []);
  assert.deepEqual([m.state.view, m.state.model, m.state.opt, m.state.lr, m.state.batch], ['mnist', 'mlp', 'adam', 0.001, 64]);
  assert.deepEqual(m.state, defaults('mnist'));
  assert.equal(serializeState(m.state), 'view=mnist');
  // the playground's defaults are written on the MNIST view, and the other way round
  assert.equal(serializeState({ ...defaults('mnist'), opt: 'sgd', lr: 0.03, batch: 10, model: 'cnn' }), 'view=mnist&model=cnn&opt=sgd&lr=0.03&batch=10');
  assert.equal(serializeState({ ...defaults(), opt: 'adam', lr: 0.001, batch: 64 }), 'opt=adam&lr=0.001&batch=64');
  const back = parseState('?view=mnist&model=cnn&opt=sgd&lr=0.03&batch=10').state;
  assert.deepEqual([back.model, back.opt, back.lr, back.batch], ['cnn', 'sgd', 0.03, 10]);
  // a bad value falls back to the view's default, and the note says which
  const bad = parseState('?view=mnist&lr=abc&model=rnn&batch=0');
  assert.deepEqual(bad.notes.map((n) => n.message), [
    "model: 'rnn' is not one of mlp, cnn; using mlp",
    "lr: 'abc' is not a number from 0.00001 to 10; using 0.001",
    "batch: '0' is not a whole number from 1 to 500; using 64",
  ]);
  assert.deepEqual(bad.state, defaults('mnist'));
  // a bad view falls back to the playground and its defaults
  const play = parseState('?view=mnistx&opt=rmsprop');
  assert.deepEqual([play.state.view, play.state.opt, play.state.lr], ['play', 'rmsprop', 0.3]);
  assert.equal(play.notes.length, 1);
});

test('shareUrl replaces the query; embedSnippet escapes the URL', () => {
  const s = { ...defaults(), data: 'spiral', hidden: [8, 8] };
  const base = 'https://lab.example/play.html';
  assert.equal(shareUrl(`${base}?old=1#x`, s), `${base}?data=spiral&hidden=8,8`);
  assert.equal(shareUrl(base, defaults()), base);
  assert.equal(
    embedSnippet(`${base}?data=spiral&hidden=8,8`),
    `<iframe src="${base}?data=spiral&amp;hidden=8,8&amp;embed=1" width="720" height="560" ` +
      'title="Micrograd Lab" loading="lazy" style="border:0"></iframe>',
  );
  const small = embedSnippet(base, { width: 400, height: 300 });
  assert.ok(small.includes(`src="${base}?embed=1" width="400" height="300"`), small);
  const evil = embedSnippet('https://x.example/?a="><script>alert(1)</script>');
  const escaped = 'a=&quot;&gt;&lt;script&gt;alert(1)&lt;/script&gt;&amp;embed=1"';
  assert.ok(evil.includes(escaped), evil);
  assert.doesNotMatch(evil, /<script/);
  assert.equal((embedSnippet('https://x.example/?embed=1').match(/embed=1/g) ?? []).length, 1);
});

test('every lesson: its state is schema keys, ?lesson=<id> opens exactly it, and its words exist', () => {
  const keys = new Set(SCHEMA.map((e) => e.key));
  assert.equal(LESSONS.length, 15);
  assert.equal(new Set(LESSONS.map((l) => l.id)).size, LESSONS.length, 'ids are unique');
  assert.ok(PRESETS.length >= 5, 'the expression presets are still there');
  for (const l of LESSONS) {
    assert.ok(['play', 'graph', 'mnist'].includes(l.view), l.id);
    for (const k of Object.keys(l.state)) assert.ok(keys.has(k) && k !== 'view' && k !== 'lesson', `${l.id}: key ${k}`);
    for (const v of l.variants ?? []) {
      for (const k of Object.keys(v.state)) assert.ok(keys.has(k), `${l.id}/${v.id}: key ${k}`);
    }
    assert.equal(Boolean(l.program), l.view === 'graph', `${l.id}: a program exactly for graph lessons`);
    const { state, notes } = parseState(`?lesson=${l.id}`);
    assert.deepEqual(notes, [], l.id);
    assert.deepEqual(state, lessonState(l.id), l.id);
    assert.equal(state.view, l.view);
    assert.equal(serializeState(state), `lesson=${l.id}`, `${l.id}: a lesson as it opens is its id`);
    // every variant's state survives the URL, as lesson + differences
    for (const v of l.variants ?? []) {
      const s = { ...lessonState(l.id), ...v.state };
      const back = parseState(`?${serializeState(s)}`);
      assert.deepEqual(back.notes, [], `${l.id}/${v.id}`);
      assert.deepEqual(back.state, s, `${l.id}/${v.id}`);
    }
    for (const lang of LANGS) {
      for (const part of ['title', 'text', 'try']) {
        const text = STRINGS[lang][`lesson.${l.id}.${part}`];
        assert.ok(text && text.length > (part === 'title' ? 5 : 60), `${lang}: lesson.${l.id}.${part}`);
        // each language in its own script (numbers and names aside)
        assert.equal(/[\u4e00-\u9fff]/.test(text), lang === 'zh', `${lang}: lesson.${l.id}.${part} is in ${lang}`);
      }
      for (const v of l.variants ?? []) assert.ok(STRINGS[lang][`lesson.${l.id}.variant.${v.id}`], `${lang}: ${l.id} variant ${v.id}`);
    }
  }
});

test('a lesson in the URL: what differs from it is kept, bad values keep the lesson\'s, old preset links open lessons', () => {
  const s = parseState('?lesson=gradient-descent&lr=1&lang=zh').state;
  assert.deepEqual([s.view, s.data, s.lr, s.batch, s.lang], ['play', 'line', 1, 50, 'zh']);
  assert.equal(serializeState(s), 'lesson=gradient-descent&lr=1&lang=zh');
  const bad = parseState('?lesson=gradient-descent&lr=abc&view=mnist');
  assert.equal(bad.state.lr, 0.01);
  assert.equal(bad.state.view, 'play');
  assert.deepEqual(bad.notes.map((n) => n.message), [
    "view: lesson gradient-descent opens the play view, not 'mnist'; using play",
    "lr: 'abc' is not a number from 0.00001 to 10; using 0.01",
  ]);
  // leaving a lesson keeps its settings, written out in full
  assert.equal(serializeState({ ...lessonState('derivative'), lesson: '' }), 'view=graph');
  assert.match(serializeState({ ...s, lesson: '' }), /^data=line&.*lr=1/);
  // the playground's presets became lessons
  assert.equal(parseState('?preset=vanishing').state.lesson, 'vanishing');
  assert.equal(parseState('?preset=lr-too-high').state.lesson, 'gradient-descent');
  const gone = parseState('?preset=spiral-depth');
  assert.deepEqual(gone.state, defaults());
  assert.match(gone.notes[0].message, /^preset: 'spiral-depth' is not a lesson/);
});

test('each variant is recognised from the state alone, and only while every setting is its own', () => {
  for (const l of LESSONS.filter((x) => x.variants)) {
    for (const v of l.variants) {
      const s = { ...lessonState(l.id), ...v.state };
      assert.equal(activeVariant(l, s), v.id, `${l.id}/${v.id}`);
      assert.equal(activeVariant(l, { ...s, lang: 'zh', showtest: !s.showtest }), v.id, `${l.id}/${v.id}: presentation keys do not matter`);
      assert.equal(activeVariant(l, { ...s, seed: s.seed + 1 }), null, `${l.id}/${v.id}: another seed is another run`);
    }
  }
  assert.equal(activeVariant(lessonById('optimizers'), { ...lessonState('optimizers'), lr: 0.3 }), null);
  assert.equal(activeVariant(lessonById('evaluation'), lessonState('evaluation')), null);
  assert.equal(activeVariant(null, {}), null);
});

test('lessons set what their words say', () => {
  const get = (id) => lessonState(id);
  assert.deepEqual([get('gradient-descent').data, get('gradient-descent').hidden, get('gradient-descent').batch], ['line', [], 50]);
  assert.deepEqual(get('xor-hidden').hidden, []);
  assert.equal(get('loss-functions').pts.length, 60);
  assert.equal(get('loss-functions').pts.filter((p) => p[0] > 4).length, 20, '20 far class-1 points');
  assert.deepEqual(get('vanishing').hidden, [8, 8, 8, 8, 8, 8]);
  assert.deepEqual(get('vanishing').act, ['sigmoid']);
  assert.deepEqual([get('overfitting').n, get('overfitting').ratio, get('overfitting').showtest], [60, 0.5, true]);
  assert.equal(get('evaluation').classes, 3);
  assert.equal(get('evaluation').stopepochs, 50);
  assert.equal(get('mnist').model, 'mlp');
});

test('en and zh have the same keys, none empty; every schema choice has a label', () => {
  assert.deepEqual(LANGS, ['en', 'zh']);
  const en = Object.keys(STRINGS.en);
  const zh = Object.keys(STRINGS.zh);
  assert.deepEqual(en.filter((k) => !zh.includes(k)), [], 'keys missing in zh');
  assert.deepEqual(zh.filter((k) => !en.includes(k)), [], 'keys missing in en');
  for (const lang of LANGS) {
    for (const [k, v] of Object.entries(STRINGS[lang])) assert.ok(v.trim(), `${lang}: ${k} is empty`);
  }
  const prefix = { data: 'data', feat: 'feat', act: 'act', init: 'init', loss: 'loss', opt: 'opt', reg: 'reg', schedule: 'schedule' };
  for (const e of SCHEMA.filter((x) => prefix[x.key])) {
    for (const v of e.values) assert.ok(STRINGS.en[`${prefix[e.key]}.${v}`], `no label ${prefix[e.key]}.${v}`);
  }
  // every optimizer of the engine's table has its rule with numbers for the step-through
  for (const { name } of CATALOG.optimizers) assert.ok(STRINGS.en[`explain.update.${name}`], `no explain.update.${name}`);
  // and the page offers every optimizer, activation, loss and dataset the engine has
  const values = (key) => SCHEMA.find((e) => e.key === key).values;
  for (const [key, table] of [['opt', 'optimizers'], ['act', 'activations'], ['loss', 'losses'], ['data', 'datasets']]) {
    for (const { name } of CATALOG[table]) assert.ok(values(key).includes(name), `${key} lacks ${name}`);
  }
});

test('placeholders match between languages and t() fills them', () => {
  const names = (s) => [...s.matchAll(/\{([\w-]+)\}/g)].map((m) => m[1]).sort();
  for (const k of Object.keys(STRINGS.en)) assert.deepEqual(names(STRINGS.zh[k]), names(STRINGS.en[k]), k);
  assert.equal(
    t('en', 'explain.dw', { dz: '0.31', x: '(−1.20)', result: '−0.372' }),
    'dL/dw = dL/dz · x = 0.31 × (−1.20) = −0.372',
  );
  const csv = t('zh', 'error.csvLine', { line: 3, text: 'a;b' });
  assert.equal(csv, '第 3 行：应为 x1,x2,标签 或 x,y，实际为 a;b');
  assert.equal(t('en', 'net.neurons', {}), '{n} neurons');
  assert.equal(t('fr', 'train.play'), 'Play');
  assert.equal(t('zh', 'no.such.key'), 'no.such.key');
  assert.equal(t('zh', 'train.lr'), '学习率');
});

test('applyStrings fills text, tooltips and placeholders and sets the language', () => {
  const el = (attrs) => ({
    attrs: { ...attrs },
    textContent: '',
    getAttribute(name) { return this.attrs[name] ?? null; },
    setAttribute(name, value) { this.attrs[name] = String(value); },
  });
  const label = el({ 'data-i18n': 'train.lr' });
  const button = el({ 'data-i18n-title': 'tip.lr' });
  button.tagName = 'SELECT';
  const icon = el({ 'data-i18n-title': 'tip.play' });
  icon.tagName = 'BUTTON';
  const input = el({ 'data-i18n-placeholder': 'data.n' });
  const all = [label, button, input, icon];
  const root = {
    lang: '',
    querySelectorAll: (sel) => all.filter((x) => x.getAttribute(sel.slice(1, -1)) !== null),
  };
  applyStrings(root, 'zh');
  assert.equal(label.textContent, '学习率');
  assert.equal(button.attrs.title, STRINGS.zh['tip.lr']);
  // a labelled control keeps its visible name; the tooltip describes it
  assert.equal(button.attrs['aria-label'], undefined);
  assert.equal(button.attrs['aria-description'], STRINGS.zh['tip.lr']);
  // an icon button is named by its tooltip
  assert.equal(icon.attrs['aria-label'], STRINGS.zh['tip.play']);
  assert.equal(input.attrs.placeholder, '样本数');
  assert.equal(root.lang, 'zh-CN');
  applyStrings(root, 'en');
  assert.equal(label.textContent, 'Learning rate');
  assert.equal(root.lang, 'en');
});
