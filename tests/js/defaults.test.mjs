// The playground's defaults learn their own data on every seed (issue 13:
// the old default, 2 hidden layers of 4 and 2 at lr 0.03, reached 88% on
// circles after 300 epochs with seed 1). Through the playground's own
// session (web/js/play_session.js, what its worker runs; one frame is one
// epoch), seeds 1 to 20 for the data and the first weights.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadEngine } from '../../web/js/engine.js';
import { createSession, setupArgs } from '../../web/js/play_session.js';
import { defaults } from '../../web/js/state.js';

test('the default playground reaches 95% train and test accuracy on circles within 60 epochs, seeds 1 to 20', async () => {
  const engine = await loadEngine();
  const reached = [];
  for (let seed = 1; seed <= 20; seed++) {
    const s = createSession(engine);
    const state = { ...defaults('play'), seed };
    const setup = s.setup(setupArgs(state)).result;
    assert.equal(setup.spec, 'dense 6 tanh, dense 6 tanh, dense 1');
    const perEpoch = Math.ceil(setup.train.n / state.batch);
    let epoch = 0;
    for (; epoch < 60; ) {
      const p = s.train({ steps: perEpoch }).result;
      epoch++;
      if (p.train.accuracy >= 0.95 && p.test.accuracy >= 0.95) break;
    }
    reached.push(epoch);
    s.free();
  }
  console.log(`epochs to 95% train and test accuracy, seeds 1-20: ${reached.join(' ')}`);
  assert.ok(reached.every((e) => e < 60), `every seed by epoch 60: ${reached.join(' ')}`);
});
