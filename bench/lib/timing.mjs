// Clocks and summaries shared by the JS parts of the benchmark. Every part
// sets up outside the timed region, warms up, then times; it prints one
// JSON object on stdout (progress goes to stderr) for bench/run.mjs.
import { performance } from 'node:perf_hooks';

export const now = () => performance.now() / 1000;

/** { reps, best, median } of an array of seconds (sorted in place). */
export function summarize(times) {
  times.sort((a, b) => a - b);
  const n = times.length;
  const median = n % 2 ? times[(n - 1) / 2] : (times[n / 2 - 1] + times[n / 2]) / 2;
  return { reps: n, best: times[0], median };
}

/** Times fn() once per repetition until at least minReps repetitions and
 * minTime seconds; returns the times in seconds. */
export function repeat(fn, { minTime, minReps = 2, maxReps = 1 << 16 }) {
  const times = [];
  let total = 0;
  while ((times.length < minReps || total < minTime) && times.length < maxReps) {
    const t0 = now();
    fn();
    const t = now() - t0;
    times.push(t);
    total += t;
  }
  return times;
}

/** Matmul GFLOP/s of repeated N x N x N products: fn runs one product. */
export function matmulFigures(n, fn, minTime) {
  fn(); // warm-up
  const t = summarize(repeat(fn, { minTime }));
  const flops = 2 * n * n * n;
  return { n, reps: t.reps, best_gflops: (flops / t.best) * 1e-9, median_gflops: (flops / t.median) * 1e-9 };
}

/** Training throughput: step(k) runs k mini-batches of `batch`; warm-up,
 * then chunks until minSteps and minTime. Returns the timed figures. */
export function trainFigures(step, { warmup, minSteps, minTime, batch, chunk = Math.max(1, Math.min(5, minSteps)) }) {
  step(warmup);
  let steps = 0;
  const t0 = now();
  let elapsed = 0;
  while (steps < minSteps || elapsed < minTime) {
    step(chunk);
    steps += chunk;
    elapsed = now() - t0;
  }
  return { steps, examples: steps * batch, seconds: elapsed, examples_per_sec: (steps * batch) / elapsed };
}

export function log(...args) {
  console.error(...args);
}

/** The one line bench/run.mjs reads. */
export function output(obj) {
  process.stdout.write(`${JSON.stringify(obj)}\n`);
}

export const isQuick = () => process.argv.includes('--quick');
