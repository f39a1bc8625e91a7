// The settings of issue 7, shared by every JS part of the benchmark. The
// native side (src/cli/cmd_bench.c) holds the same numbers; bench/run.mjs
// checks that every part reports the settings it ran with.
import { fileURLToPath } from 'node:url';

export const ROOT = fileURLToPath(new URL('../', import.meta.url));
export const DATA_DIR = process.env.MG_DATA_DIR ?? `${ROOT}web/build/data`;

export const SEED = 1;
export const MATMUL_SIZES = [128, 256, 512, 1024];

/** MNIST training: the first 8,000 packed digits, softmax CE, plain SGD. */
export const TRAIN = { samples: 8000, batch: 32, lr: 0.1 };
export const MLP_SPEC = 'dense 128 relu, dense 10';
export const CNN_SPEC = 'conv 5 8 relu, maxpool 2, conv 5 16 relu, maxpool 2, flatten, dense 10';

/** The MNIST page's optimizers on its MLP at its batch (64): SGD, Adam (the
 * page's default, lr 0.001) and RMSprop (rho 0.9, eps 1e-8), as the keys of
 * each part's results. src/cli/cmd_bench.c holds the same. */
export const OPT_BATCH = 64;
export const OPT_RUNS = [
  { key: 'mlp_sgd_b64', opt: 'sgd', lr: 0.1, batch: OPT_BATCH },
  { key: 'mlp_adam_b64', opt: 'adam', lr: 0.001, batch: OPT_BATCH },
  { key: 'mlp_rmsprop_b64', opt: 'rmsprop', lr: 0.001, batch: OPT_BATCH },
];

/** Multiply-adds of one training example of a model of dense and conv
 * layers (stride 1, no padding) on a (C,H,W) input, counted as 2 flops
 * each: the forward product, and backward's dweight and dinp products (no
 * dinp for the first layer). Pooling, activations, the loss and the
 * update are left out (a few percent). */
export function trainFlops(spec, [C, H, W]) {
  let shape = [C, H, W];
  let macs = 0;
  let first = true;
  for (const layer of spec.split(',').map((l) => l.trim().split(/\s+/))) {
    const [kind, a, b] = layer;
    let m = 0;
    if (kind === 'dense') {
      const n = shape[0] * shape[1] * shape[2];
      m = n * Number(a);
      shape = [Number(a), 1, 1];
    } else if (kind === 'conv') {
      const K = Number(a), OC = Number(b), OH = shape[1] - K + 1, OW = shape[2] - K + 1;
      m = OC * OH * OW * shape[0] * K * K;
      shape = [OC, OH, OW];
    } else if (kind === 'maxpool' || kind === 'avgpool') {
      const K = Number(a);
      shape = [shape[0], Math.floor(shape[1] / K), Math.floor(shape[2] / K)];
    } else if (kind === 'flatten') {
      shape = [shape[0] * shape[1] * shape[2], 1, 1];
    }
    if (m) {
      macs += m * (first ? 2 : 3);
      first = false;
    }
  }
  return 2 * macs;
}
export const MNIST_SHAPE = [1, 28, 28];

/** The playground: 2-8-8-1 tanh on 500 circles points, the page's
 * defaults (xavier, bce, sgd, lr 0.03), one step of batch 500 + the grid. */
export const PLAY = { spec: 'dense 8 tanh, dense 8 tanh, dense 1', points: 500, res: 100, extent: [-1.6, 1.6, -1.6, 1.6] };
export const SCALAR_POINTS = 100;

/** Minimum times (seconds) and step counts; --quick shrinks them to check
 * that everything runs. Matmul: >= 0.5 s per size, best of the repetitions. */
export function limits(quick) {
  return quick
    ? { matmul: 0.05, mlpWarmup: 2, mlpSteps: 5, optSteps: 5, mlpTime: 0.05, cnnWarmup: 1, cnnSteps: 5, cnnTime: 0.05, play: 0.05, scalar: 0.05 }
    : { matmul: 0.5, mlpWarmup: 20, mlpSteps: TRAIN.samples / TRAIN.batch, optSteps: TRAIN.samples / OPT_BATCH, mlpTime: 1, cnnWarmup: 5, cnnSteps: 20, cnnTime: 2, play: 1, scalar: 1 };
}
