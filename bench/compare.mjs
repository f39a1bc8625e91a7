// Compares two results files of npm run bench, figure by figure:
//
//   node bench/compare.mjs bench/results/OLD.json bench/results/NEW.json
//
// Prints our native and WASM figures of both runs and the speed-up (above
// 1 is faster), and says when either run had a busy machine.
import { readFileSync } from 'node:fs';

const files = process.argv.slice(2);
if (files.length !== 2) {
  console.error('usage: node bench/compare.mjs OLD.json NEW.json');
  process.exit(2);
}
const [a, b] = files.map((f) => {
  try {
    return JSON.parse(readFileSync(f, 'utf8'));
  } catch (e) {
    console.error(`bench/compare.mjs: ${f}: ${e.message}`);
    process.exit(1);
  }
});

/** [label, higher is better, value] of one run's figures for one engine. */
function figures(doc, engine) {
  const p = doc.results?.[engine] ?? {};
  return [
    ...(p.matmul ?? []).map((m) => [`matmul ${m.n}^3 GFLOP/s`, true, m.best_gflops]),
    ['MLP ex/s', true, p.mlp?.examples_per_sec],
    ['CNN ex/s', true, p.cnn?.examples_per_sec],
    ['MLP b64 SGD ex/s', true, p.mlp_sgd_b64?.examples_per_sec],
    ['MLP b64 Adam ex/s', true, p.mlp_adam_b64?.examples_per_sec],
    ['MLP b64 RMSprop ex/s', true, p.mlp_rmsprop_b64?.examples_per_sec],
    ['playground step+grid ms', false, p.playground?.total_ms?.median],
    ['playground grid ms', false, p.playground?.grid_ms?.median],
    ['scalar step ms', false, p.scalar?.step_ms?.median],
  ];
}

const num = (x) => (x == null ? '-' : x >= 100 ? Math.round(x).toLocaleString('en-US') : x.toPrecision(3));
console.log(`${files[0]} (${a.commit?.slice(0, 7)}, ${a.date?.slice(0, 10)})  ->  ${files[1]} (${b.commit?.slice(0, 7)}, ${b.date?.slice(0, 10)})\n`);
console.log(`${'figure'.padEnd(36)}${'old'.padStart(10)}${'new'.padStart(10)}${'speed-up'.padStart(10)}`);
for (const engine of ['native', 'wasm']) {
  const old = new Map(figures(a, engine).map(([k, , v]) => [k, v]));
  for (const [label, higher, v] of figures(b, engine)) {
    const o = old.get(label);
    if (o == null && v == null) continue;
    const speedup = o != null && v != null ? (higher ? v / o : o / v) : null;
    console.log(`${`${engine} ${label}`.padEnd(36)}${num(o).padStart(10)}${num(v).padStart(10)}${(speedup == null ? '-' : `${speedup.toFixed(2)}x`).padStart(10)}`);
  }
}
for (const [name, doc] of [['old', a], ['new', b]]) {
  const busy = Math.max(doc.machine?.cpu_busy_before ?? 0, doc.machine?.cpu_busy_after ?? 0);
  if (busy > 0.2) console.log(`\nNote: in the ${name} run other processes kept ${Math.round(busy * 100)}% of the cores busy.`);
  if (doc.machine?.cpu !== a.machine?.cpu) console.log(`\nNote: different machines: ${a.machine?.cpu} vs ${doc.machine?.cpu}.`);
}
