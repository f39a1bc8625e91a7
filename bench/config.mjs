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

/** The playground: 2-8-8-1 tanh on 500 circles points, the page's
 * defaults (xavier, bce, sgd, lr 0.03), one step of batch 500 + the grid. */
export const PLAY = { spec: 'dense 8 tanh, dense 8 tanh, dense 1', points: 500, res: 100, extent: [-1.6, 1.6, -1.6, 1.6] };
export const SCALAR_POINTS = 100;

/** Minimum times (seconds) and step counts; --quick shrinks them to check
 * that everything runs. Matmul: >= 0.5 s per size, best of the repetitions. */
export function limits(quick) {
  return quick
    ? { matmul: 0.05, mlpWarmup: 2, mlpSteps: 5, mlpTime: 0.05, cnnWarmup: 1, cnnSteps: 5, cnnTime: 0.05, play: 0.05, scalar: 0.05 }
    : { matmul: 0.5, mlpWarmup: 20, mlpSteps: TRAIN.samples / TRAIN.batch, mlpTime: 1, cnnWarmup: 5, cnnSteps: 20, cnnTime: 2, play: 1, scalar: 1 };
}
