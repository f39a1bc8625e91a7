// The postMessage schema of web/js/embed.js without a browser: validate()
// takes exactly the documented commands and refuses the rest with a
// reason; applySet() goes through the URL state and leaves refused values
// as they were.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { validate, applySet, ParentLink, INCOMING, MESSAGE_SOURCE, PROGRESS_EVERY_MS } from '../../web/js/embed.js';
import { defaults } from '../../web/js/state.js';

const TAG = { source: MESSAGE_SOURCE, version: 1 };

test('every documented command passes, with and without an id', () => {
  for (const type of Object.keys(INCOMING)) {
    const msg = { ...TAG, type, ...(type === 'set' ? { state: { lr: 0.1 } } : {}) };
    assert.deepEqual(validate(msg), { ok: true, message: msg }, type);
    assert.equal(validate({ ...msg, id: 'x1' }).ok, true);
    assert.equal(validate({ ...msg, id: 12 }).ok, true);
  }
});

test('anything else is refused with a reason; only tagged messages are ours', () => {
  const notOurs = [null, undefined, 'play', 3, [], [TAG], { type: 'play' }, { ...TAG, source: 'x', type: 'play' }, new Map(), Object.create(null)];
  for (const m of notOurs) {
    const v = validate(m);
    assert.equal(v.ok, false);
    assert.equal(v.ours, false);
  }
  const ours = [
    [{ ...TAG, version: 2, type: 'play' }, /^version must be 1$/],
    [{ ...TAG, type: 'constructor' }, /^type must be one of/],
    [{ ...TAG, type: 'play', speed: 2 }, /^unknown field 'speed'/],
    [{ ...TAG, type: 'play', id: -1 }, /^id must be/],
    [{ ...TAG, type: 'play', id: 'x'.repeat(65) }, /^id must be/],
    [{ ...TAG, type: 'set' }, /needs state/],
    [{ ...TAG, type: 'set', state: [] }, /must be an object/],
    [{ ...TAG, type: 'set', state: { embed: 0 } }, /cannot change by message/],
    [{ ...TAG, type: 'set', state: { nope: 1 } }, /is not a URL parameter/],
    [{ ...TAG, type: 'set', state: { lr: NaN } }, /must be a string, a finite number/],
    [{ ...TAG, type: 'set', state: { feat: ['x1', true] } }, /must be a string, a finite number/],
    [{ ...TAG, type: 'set', state: { pts: 'x'.repeat(10001) } }, /must be a string, a finite number/],
  ];
  for (const [m, reason] of ours) {
    const v = validate(m);
    assert.equal(v.ok, false, JSON.stringify(m).slice(0, 80));
    assert.equal(v.ours, true);
    assert.match(v.reason, reason);
  }
});

test('set goes through the URL state: good values apply, refused ones stay as they were', () => {
  const current = { ...defaults('play'), lr: 0.3, hidden: [5] };
  const { state, notes } = applySet(current, { lr: 99, hidden: [3, 3], feat: ['x1', 'x1sq'], showtest: true, data: '<b>' });
  assert.equal(state.lr, 0.3);
  assert.equal(state.data, 'circles');
  assert.deepEqual(state.hidden, [3, 3]);
  assert.deepEqual(state.feat, ['x1', 'x1sq']);
  assert.equal(state.showtest, true);
  assert.deepEqual(notes.map((n) => n.key), ['data', 'lr']);
  for (const n of notes) assert.match(n.message, /; unchanged$/);
});

test('progress is throttled to one message per 250 ms, the latest numbers win, none is lost at the end', () => {
  // a fake frame and clock: the page calls progress() every 16 ms for 10 s
  const sent = [];
  const parent = { postMessage: (msg) => sent.push({ ...msg, at: clock }) };
  const timers = [];
  let clock = 0;
  const link = new ParentLink({
    win: { parent }, view: 'play', now: () => clock,
    later: (fn, ms) => {
      timers.push({ fn, at: clock + ms });
      return timers.length;
    },
  });
  const advance = (to) => {
    for (;;) {
      timers.sort((a, b) => a.at - b.at);
      if (!timers.length || timers[0].at > to) break;
      const t = timers.shift();
      clock = t.at;
      t.fn();
    }
    clock = to;
  };
  for (let step = 1; step <= 625; step++) {
    advance(step * 16);
    link.progress({ running: true, step, loss: 1 / step });
  }
  advance(20000);
  assert.ok(sent.length >= 39 && sent.length <= 41, `${sent.length} messages for 10 s of frames`);
  for (let i = 1; i < sent.length; i++) {
    assert.ok(sent[i].at - sent[i - 1].at >= PROGRESS_EVERY_MS, `messages ${i - 1} and ${i} are ${sent[i].at - sent[i - 1].at} ms apart`);
  }
  // the last message holds the last numbers; each message the latest at its time
  assert.equal(sent.at(-1).step, 625);
  // (a timer due at the same time as a frame fires first: the frame before)
  for (const m of sent) assert.ok(m.step === Math.floor(m.at / 16) || m.step === Math.floor(m.at / 16) - 1, `step ${m.step} sent at ${m.at}`);
  assert.equal(sent[0].step, 1, 'the first goes at once');
});
