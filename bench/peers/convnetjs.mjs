// ConvNetJS 0.3 (Karpathy's JS library, pure JavaScript), on the MNIST MLP
// and CNN of the issue with plain SGD (momentum 0, no weight decay):
// ConvNetJS trains sample by sample and updates every batch_size samples
// with the mean gradient. The digits become ConvNetJS Vols before timing
// (its own MNIST demo builds one per sample as it goes). Its weights come
// from Math.random: ConvNetJS has no seed.
//
//   node bench/peers/convnetjs.mjs [--quick]
import { createRequire } from 'node:module';
import { SEED, TRAIN, limits } from '../config.mjs';
import { batcher, loadDigits } from '../lib/mnist.mjs';
import { isQuick, log, output, trainFigures } from '../lib/timing.mjs';

const require = createRequire(import.meta.url);
const convnetjs = require('convnetjs');
const version = require('convnetjs/package.json').version;
const quick = isQuick();
const L = limits(quick);
const result = { peer: 'convnetjs', version, quick, threads: 1 };
log(`ConvNetJS ${version}`);

const digits = loadDigits();

function train(name, layers, inShape, warmup, minSteps, minTime) {
  const net = new convnetjs.Net();
  net.makeLayers(layers);
  const trainer = new convnetjs.Trainer(net, {
    method: 'sgd', learning_rate: TRAIN.lr, momentum: 0, l2_decay: 0, batch_size: TRAIN.batch,
  });
  const [sx, sy, depth] = inShape;
  const vols = Array.from({ length: digits.n }, (_, i) => {
    const v = new convnetjs.Vol(sx, sy, depth, 0);
    v.w.set(digits.x.subarray(i * 784, (i + 1) * 784));
    return v;
  });
  const order = batcher(TRAIN.samples, SEED);
  let warmupLoss = null;
  let lastLoss = null;
  const fig = trainFigures(
    (k) => {
      for (let s = 0; s < k; s++) {
        let sum = 0;
        const idx = order.next(TRAIN.batch);
        for (const i of idx) sum += trainer.train(vols[i], digits.y[i]).cost_loss;
        lastLoss = sum / idx.length;
      }
      warmupLoss ??= lastLoss;
    },
    { warmup, minSteps, minTime, batch: TRAIN.batch },
  );
  log(`  ${name}: ${fig.examples_per_sec.toFixed(0)} examples/s (loss ${lastLoss.toFixed(3)})`);
  return { batch: TRAIN.batch, lr: TRAIN.lr, train_samples: TRAIN.samples, ...fig, warmup_loss: warmupLoss, last_loss: lastLoss };
}

result.mlp = {
  model: '784-128-10 relu, softmax CE',
  ...train(
    'MLP',
    [
      { type: 'input', out_sx: 1, out_sy: 1, out_depth: 784 },
      { type: 'fc', num_neurons: 128, activation: 'relu' },
      { type: 'softmax', num_classes: 10 },
    ],
    [1, 1, 784],
    L.mlpWarmup, L.mlpSteps, L.mlpTime,
  ),
};
result.cnn = {
  model: 'conv 5x5x8 relu, pool 2, conv 5x5x16 relu, pool 2, dense 10, softmax CE',
  ...train(
    'CNN',
    [
      { type: 'input', out_sx: 28, out_sy: 28, out_depth: 1 },
      { type: 'conv', sx: 5, filters: 8, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'conv', sx: 5, filters: 16, stride: 1, pad: 0, activation: 'relu' },
      { type: 'pool', sx: 2, stride: 2 },
      { type: 'softmax', num_classes: 10 },
    ],
    [28, 28, 1],
    L.cnnWarmup, L.cnnSteps, L.cnnTime,
  ),
};
output(result);
