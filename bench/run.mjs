// npm run bench: our engines (native `mg bench`, the WASM build in Node)
// next to TF.js (wasm and cpu backends), ConvNetJS, OpenBLAS and PyTorch,
// measured in one run on this machine, one thread each; one table with the
// ratios against the targets of issues 7, 18 and 21, and all figures as
// JSON in bench/results/<date>-<commit>.json.
//
//   bash build.sh bench [--quick]     builds what it needs, then runs this
//   node bench/run.mjs [--quick] [--no-save] [--only PARTS]
//
// --quick shrinks every measurement to a few hundredths of a second (to
// check that it all runs; figures are rough and not saved). --only takes
// parts from: native, wasm, tfjs-wasm, tfjs-cpu, convnetjs, openblas,
// pytorch.
// Each part runs in its own process, one after the other, and prints one
// JSON line; its progress goes to stderr.
import { spawnSync, execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, renameSync } from 'node:fs';
import os from 'node:os';
import { CNN_SPEC, DATA_DIR, MLP_SPEC, MNIST_SHAPE, OPT_RUNS, PLAY, ROOT, TRAIN, trainFlops } from './config.mjs';

const args = process.argv.slice(2);
const quick = args.includes('--quick');
const save = !quick && !args.includes('--no-save');
const PARTS = ['native', 'wasm', 'tfjs-wasm', 'tfjs-cpu', 'convnetjs', 'openblas', 'pytorch'];
const only = args.includes('--only') ? String(args[args.indexOf('--only') + 1] ?? '').split(',') : PARTS;
for (const a of args) {
  if (a.startsWith('--') && !['--quick', '--no-save', '--only'].includes(a)) {
    console.error(`bench/run.mjs: unknown option '${a}' (--quick, --no-save, --only PARTS)`);
    process.exit(2);
  }
}
for (const p of only) {
  if (!PARTS.includes(p)) {
    console.error(`bench/run.mjs: unknown part '${p}' (${PARTS.join(', ')})`);
    process.exit(2);
  }
}

/** micrograd (Python) cannot be installed here (PyPI is out of reach): its
 * figure is quoted from issue 7 and labelled so, never shown as measured. */
const QUOTED = {
  source: 'issue 7, measured elsewhere (AMD EPYC, 1 thread); not measured in this run',
  micrograd_step_ms: 1700,
  micrograd_step_ms_gc_off: 100,
};

/** Flops of one training example (see trainFlops in config.mjs). */
const FLOPS = { mlp: trainFlops(MLP_SPEC, MNIST_SHAPE), cnn: trainFlops(CNN_SPEC, MNIST_SHAPE) };

// ---- running the parts ------------------------------------------------------------

const MG = `${ROOT}build/native/mg`;
const SGEMM = `${ROOT}build/bench/sgemm_openblas`;
const q = quick ? ['--quick'] : [];
const COMMANDS = {
  native: [MG, ['bench', '--json', '--data-dir', DATA_DIR, ...q]],
  wasm: [process.execPath, [`${ROOT}bench/wasm.mjs`, ...q]],
  'tfjs-wasm': [process.execPath, [`${ROOT}bench/peers/tfjs.mjs`, '--backend', 'wasm', ...q]],
  'tfjs-cpu': [process.execPath, [`${ROOT}bench/peers/tfjs.mjs`, '--backend', 'cpu', ...q]],
  convnetjs: [process.execPath, [`${ROOT}bench/peers/convnetjs.mjs`, ...q]],
  openblas: [SGEMM, q],
  pytorch: [process.execPath, [`${ROOT}bench/peers/torch.mjs`, ...q]],
};

/** OpenBLAS's best kernel for this CPU: on AVX-512 machines the bench asks
 * for SkylakeX (the AVX-512 kernel) and checks the core OpenBLAS reports,
 * whatever OPENBLAS_CORETYPE the environment sets (this machine's sets
 * Haswell, the AVX2 kernel, which made OpenBLAS look half as fast);
 * MG_BENCH_OPENBLAS_CORETYPE overrides. The OpenBLAS row also shows, in
 * brackets, the kernel the library picks by itself (no OPENBLAS_CORETYPE). */
function bestCoretype() {
  if (process.env.MG_BENCH_OPENBLAS_CORETYPE) return process.env.MG_BENCH_OPENBLAS_CORETYPE;
  try {
    const flags = /^flags\s*:\s*(.*)$/m.exec(readFileSync('/proc/cpuinfo', 'utf8'))?.[1]?.split(/\s+/) ?? [];
    return flags.includes('avx512f') ? 'SkylakeX' : null;
  } catch {
    return null;
  }
}
const CORETYPE = bestCoretype();

function spawnPart(name, cmd, argv, extraEnv = {}) {
  const env = { ...process.env, MG_DATA_DIR: DATA_DIR, OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1', ...extraEnv };
  for (const k of Object.keys(env)) if (env[k] === undefined) delete env[k];
  const t0 = Date.now();
  const r = spawnSync(cmd, argv, { cwd: ROOT, env, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  const seconds = (Date.now() - t0) / 1000;
  const lines = (r.stdout ?? '').trim().split('\n');
  if (r.status !== 0) return { error: `${name} exited with ${r.status ?? r.signal}${r.error ? `: ${r.error.message}` : ''}`, seconds };
  try {
    return { ...JSON.parse(lines.at(-1)), seconds };
  } catch {
    return { error: `${name} printed no JSON result`, seconds };
  }
}

function runPart(name) {
  if (name === 'native' && !existsSync(MG)) return { error: `${MG} is missing: run bash build.sh bench` };
  if (name === 'wasm' && !existsSync(`${ROOT}web/build/mg.wasm`)) return { error: 'web/build/mg.wasm is missing: run bash build.sh bench' };
  if (name === 'openblas' && !existsSync(SGEMM)) {
    return { skipped: 'OpenBLAS is not installed (libopenblas-dev; bash build.sh bench installs it when run as root)' };
  }
  const [cmd, argv] = COMMANDS[name];
  console.error(`\n== ${name}`);
  const coretype = CORETYPE ? { OPENBLAS_CORETYPE: CORETYPE } : {};
  if (name === 'openblas') {
    // the best kernel (the limit), then the one the library picks by itself
    const best = spawnPart(name, cmd, argv, coretype);
    if (best.error) return best;
    console.error('== openblas, the kernel OpenBLAS picks by itself (no OPENBLAS_CORETYPE)');
    const auto = spawnPart(name, cmd, argv, { OPENBLAS_CORETYPE: undefined });
    return { ...best, coretype_requested: CORETYPE, coretype_environment: process.env.OPENBLAS_CORETYPE ?? null, auto };
  }
  return spawnPart(name, cmd, argv, name === 'pytorch' ? coretype : {});
}

function sh(cmd, argv, env = process.env) {
  try {
    return execFileSync(cmd, argv, { cwd: ROOT, encoding: 'utf8', env, stdio: ['ignore', 'pipe', 'ignore'] }).trim();
  } catch {
    return null;
  }
}

/** Share of all cores that other processes kept busy over `seconds`
 * (from /proc/stat; null elsewhere): the benchmark runs one thread, so a
 * busy machine shows in its figures. */
function cpuBusy(seconds = 1) {
  const sample = () => {
    const f = readFileSync('/proc/stat', 'utf8').split('\n')[0].trim().split(/\s+/).slice(1).map(Number);
    const idle = f[3] + (f[4] ?? 0);
    return { idle, total: f.reduce((a, b) => a + b, 0) };
  };
  try {
    const a = sample();
    Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, seconds * 1000);
    const b = sample();
    return Math.round((1 - (b.idle - a.idle) / (b.total - a.total)) * 100) / 100;
  } catch {
    return null;
  }
}

function machine() {
  let cpu = null;
  let simd = null;
  try {
    const info = readFileSync('/proc/cpuinfo', 'utf8');
    cpu = /^model name\s*:\s*(.*)$/m.exec(info)?.[1] ?? null;
    const flags = new Set((/^flags\s*:\s*(.*)$/m.exec(info)?.[1] ?? '').split(/\s+/));
    simd = ['sse4_2', 'avx', 'avx2', 'fma', 'avx512f', 'avx512vl', 'avx512_vnni'].filter((f) => flags.has(f));
  } catch {
    // not Linux
  }
  return {
    cpu: cpu ?? os.cpus()[0]?.model ?? null,
    cpu_simd: simd,
    cores: os.cpus().length,
    memory_gib: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()}`,
    node: process.version,
    emcc: sh('emcc', ['--version'], { ...process.env, NODE_PATH: '/usr/share/nodejs' })?.split('\n')[0] ?? null,
    load_average_before: os.loadavg().map((x) => Math.round(x * 100) / 100),
    cpu_busy_before: cpuBusy(),
  };
}

/** The native build's settings from CMake's cache (build type, -march=native). */
function nativeBuild() {
  try {
    const cache = readFileSync(`${ROOT}build/native/CMakeCache.txt`, 'utf8');
    const get = (k) => new RegExp(`^${k}:[A-Z]+=(.*)$`, 'm').exec(cache)?.[1] ?? null;
    return { build_type: get('CMAKE_BUILD_TYPE'), native_arch: get('MG_NATIVE_ARCH') };
  } catch {
    return null;
  }
}

function git() {
  const sha = sh('git', ['rev-parse', 'HEAD']);
  // results files do not make the tree count as changed
  const status = sh('git', ['status', '--porcelain', '--', '.', ':(exclude)bench/results']);
  return { commit: sha, short: sha ? sha.slice(0, 7) : 'nogit', dirty: status === null ? null : status.length > 0 };
}

// ---- the table ------------------------------------------------------------------

const fmt = {
  gflops: (x) => (x == null ? '' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)),
  rate: (x) => (x == null ? '' : Math.round(x).toLocaleString('en-US')),
  ms: (x) => (x == null ? '' : x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)),
  ratio: (x) => (x == null || !Number.isFinite(x) ? 'n/a' : `${x >= 100 ? x.toFixed(0) : x >= 10 ? x.toFixed(1) : x.toFixed(2)}x`),
};

function matmulAt(part, n, key = 'matmul') {
  return part?.[key]?.find((m) => m.n === n)?.best_gflops ?? null;
}

const rate = (p, k) => p?.[k]?.examples_per_sec ?? null;
/** a / b, or null when either was not measured. */
const div = (a, b) => (a == null || b == null ? null : a / b);
const torchOk = (R) => R.pytorch && !R.pytorch.unavailable && !R.pytorch.error;

/** Rows: { what, cells: {native, wasm, tfjsWasm, tfjsCpu, convnetjs,
 * pytorch, ref}, checks: [{ ratio (text), target (text), met, value: the
 * figure the target judges }] }; a check whose value was not measured gets
 * no verdict. Targets: issue 7 (matmul, MLP, CNN and scalar speeds), 18
 * (the CNN against our own matmul, the playground frame, native matmul
 * against OpenBLAS's best kernel) and 21 (Adam against SGD and PyTorch). */
function buildRows(R) {
  const rows = [];
  const T = torchOk(R) ? R.pytorch : null;
  const blasAuto = R.openblas?.auto;
  const sizes = [...new Set([R.native, R.wasm, R['tfjs-wasm'], R.openblas].flatMap((p) => p?.matmul?.map((m) => m.n) ?? []))].sort((a, b) => a - b);
  for (const n of sizes) {
    const nat = matmulAt(R.native, n), was = matmulAt(R.wasm, n), tfw = matmulAt(R['tfjs-wasm'], n), blas = matmulAt(R.openblas, n);
    const auto = matmulAt(blasAuto, n);
    const targeted = n >= 512;
    rows.push({
      what: `matmul ${n}^3, GFLOP/s (best)`,
      cells: {
        native: fmt.gflops(nat), wasm: fmt.gflops(was), tfjsWasm: fmt.gflops(tfw),
        ref: blas == null ? '' : `OpenBLAS ${fmt.gflops(blas)}${auto == null ? '' : ` (${fmt.gflops(auto)})`}`,
      },
      checks: [
        { ratio: `WASM/TF.js WASM ${fmt.ratio(div(was, tfw))}`, target: targeted ? 'WASM >= 25 GFLOP/s' : '', met: targeted ? was >= 25 : null, value: was },
        { ratio: `native/OpenBLAS ${fmt.ratio(div(nat, blas))}`, target: targeted ? 'native/OpenBLAS >= 0.8x' : '', met: targeted ? div(nat, blas) >= 0.8 : null, value: div(nat, blas) },
      ],
    });
  }
  {
    const nat = rate(R.native, 'mlp'), was = rate(R.wasm, 'mlp'), tfw = rate(R['tfjs-wasm'], 'mlp'), pt = rate(T, 'mlp');
    rows.push({
      what: 'MLP 784-128-10 train, ex/s',
      cells: {
        native: fmt.rate(nat), wasm: fmt.rate(was), tfjsWasm: fmt.rate(tfw), tfjsCpu: fmt.rate(rate(R['tfjs-cpu'], 'mlp')),
        convnetjs: fmt.rate(rate(R.convnetjs, 'mlp')), pytorch: fmt.rate(pt),
      },
      checks: [
        { ratio: `WASM/TF.js WASM ${fmt.ratio(div(was, tfw))}`, target: '>= 2x (aim 4x)', met: div(was, tfw) >= 2, value: div(was, tfw) },
        { ratio: '', target: 'WASM >= 20,000 ex/s', met: was >= 20000, value: was },
        { ratio: `native/PyTorch ${fmt.ratio(div(nat, pt))}`, target: 'native/PyTorch >= 0.7x', met: div(nat, pt) >= 0.7, value: div(nat, pt) },
      ],
    });
  }
  {
    const nat = rate(R.native, 'cnn'), was = rate(R.wasm, 'cnn'), pt = rate(T, 'cnn');
    const tfw = R['tfjs-wasm']?.cnn?.unsupported ? 'cannot (1)' : fmt.rate(rate(R['tfjs-wasm'], 'cnn'));
    const peers = [rate(R['tfjs-wasm'], 'cnn'), rate(R['tfjs-cpu'], 'cnn'), rate(R.convnetjs, 'cnn')].filter((x) => x != null);
    const best = peers.length ? Math.max(...peers) : null;
    rows.push({
      what: 'CNN train, ex/s',
      cells: {
        native: fmt.rate(nat), wasm: fmt.rate(was), tfjsWasm: tfw,
        tfjsCpu: R['tfjs-cpu']?.cnn?.steps ? `${fmt.rate(rate(R['tfjs-cpu'], 'cnn'))} (2)` : '',
        convnetjs: fmt.rate(rate(R.convnetjs, 'cnn')), pytorch: fmt.rate(pt),
      },
      checks: [
        { ratio: `WASM/best JS peer ${fmt.ratio(div(was, best))}`, target: 'WASM >= 2,000 ex/s', met: was >= 2000, value: was },
        { ratio: `native/PyTorch ${fmt.ratio(div(nat, pt))}`, target: '', met: null, value: div(nat, pt) },
      ],
    });
    // effective speed: examples/s x the flops of an example, against our
    // own matmul at 256 in the same build
    const gf = (x) => (x == null ? null : (x * FLOPS.cnn) / 1e9);
    const mm = (p) => matmulAt(p, 256);
    rows.push({
      what: `  GFLOP/s (${(FLOPS.cnn / 1e6).toFixed(2)} MFLOP/ex)`,
      cells: { native: fmt.gflops(gf(nat)), wasm: fmt.gflops(gf(was)), pytorch: fmt.gflops(gf(pt)), ref: 'of matmul 256:' },
      checks: [
        { ratio: `native ${fmt.ratio(div(gf(nat), mm(R.native)))}`, target: 'native >= 0.5x', met: div(gf(nat), mm(R.native)) >= 0.5, value: div(gf(nat), mm(R.native)) },
        { ratio: `WASM ${fmt.ratio(div(gf(was), mm(R.wasm)))}`, target: 'WASM >= 0.5x', met: div(gf(was), mm(R.wasm)) >= 0.5, value: div(gf(was), mm(R.wasm)) },
      ],
    });
  }
  {
    // the MNIST page's optimizers (its default: Adam, batch 64)
    const [sgd, adam, rms] = OPT_RUNS.map((o) => o.key);
    const labels = { [sgd]: 'SGD lr 0.1', [adam]: 'Adam (page default)', [rms]: 'RMSprop' };
    for (const k of [sgd, adam, rms]) {
      const nat = rate(R.native, k), was = rate(R.wasm, k), pt = rate(T, k);
      const checks = [];
      if (k !== sgd) {
        const ns = rate(R.native, sgd), ws = rate(R.wasm, sgd);
        if (k === adam) {
          checks.push({ ratio: `native Adam/SGD ${fmt.ratio(div(nat, ns))}`, target: 'native >= 0.85x SGD', met: div(nat, ns) >= 0.85, value: div(nat, ns) });
          checks.push({ ratio: `WASM Adam/SGD ${fmt.ratio(div(was, ws))}`, target: 'WASM >= 0.85x SGD', met: div(was, ws) >= 0.85, value: div(was, ws) });
          checks.push({ ratio: `native/PyTorch ${fmt.ratio(div(nat, pt))}`, target: 'native/PyTorch >= 1.0x', met: div(nat, pt) >= 1, value: div(nat, pt) });
        } else {
          checks.push({ ratio: `native RMSprop/SGD ${fmt.ratio(div(nat, ns))}`, target: '', met: null, value: div(nat, ns) });
          checks.push({ ratio: `native/PyTorch ${fmt.ratio(div(nat, pt))}`, target: '', met: null, value: div(nat, pt) });
        }
      } else {
        checks.push({ ratio: `native/PyTorch ${fmt.ratio(div(nat, pt))}`, target: '', met: null, value: div(nat, pt) });
      }
      rows.push({
        what: `MLP batch 64, ${labels[k]}`,
        cells: { native: fmt.rate(nat), wasm: fmt.rate(was), pytorch: fmt.rate(pt) },
        checks,
      });
    }
  }
  {
    const pg = (p, k) => p?.playground?.[k]?.median ?? null;
    const was = pg(R.wasm, 'total_ms');
    rows.push({
      what: 'playground step+grid, ms',
      cells: { native: fmt.ms(pg(R.native, 'total_ms')), wasm: fmt.ms(was) },
      // a 60 Hz frame (16.7 ms) holds one grid and this many steps
      checks: [{ ratio: was ? `frame: 1 grid + ${Math.floor((16.7 - pg(R.wasm, 'grid_ms')) / pg(R.wasm, 'train_ms'))} steps` : '', target: 'WASM <= 0.5 ms', met: was <= 0.5, value: was }],
    });
    rows.push({ what: '  train step, batch 500', cells: { native: fmt.ms(pg(R.native, 'train_ms')), wasm: fmt.ms(pg(R.wasm, 'train_ms')) }, checks: [] });
    rows.push({ what: '  100x100 grid', cells: { native: fmt.ms(pg(R.native, 'grid_ms')), wasm: fmt.ms(pg(R.wasm, 'grid_ms')) }, checks: [] });
  }
  {
    const st = (p) => p?.scalar?.step_ms?.median ?? null;
    const nat = st(R.native), was = st(R.wasm);
    const nodes = R.wasm?.scalar?.nodes_per_step ?? R.native?.scalar?.nodes_per_step;
    const t64 = T?.moons?.f64?.step_ms?.median ?? null, t32 = T?.moons?.f32?.step_ms?.median ?? null;
    rows.push({
      what: `moons step, ms${nodes ? ` (${Math.round(nodes / 1000)}k nodes)` : ''}`,
      cells: {
        native: fmt.ms(nat), wasm: fmt.ms(was), pytorch: t64 == null ? '' : `${fmt.ms(t64)} / ${fmt.ms(t32)}`,
        ref: `micrograd ${QUOTED.micrograd_step_ms} (*)`,
      },
      checks: [
        { ratio: `micrograd/WASM ${fmt.ratio(div(QUOTED.micrograd_step_ms, was))} (*)`, target: 'WASM >= 100x: <= 17 ms', met: was <= 17, value: div(QUOTED.micrograd_step_ms, was) },
        { ratio: `PyTorch f64/native ${fmt.ratio(div(t64, nat))}`, target: 'aim: WASM <= 2 ms', met: was <= 2, value: was },
        { ratio: `PyTorch f64/WASM ${fmt.ratio(div(t64, was))}`, target: '', met: null, value: div(t64, was) },
      ],
    });
  }
  // no figure, no verdict
  for (const c of rows.flatMap((r) => r.checks)) if (!Number.isFinite(c.value)) c.met = null;
  return rows;
}

const COLUMNS = [
  ['what', 'measurement', 30, 'l'],
  ['native', 'ours nat', 9, 'r'],
  ['wasm', 'ours WASM', 9, 'r'],
  ['tfjsWasm', 'TF.js WASM', 10, 'r'],
  ['tfjsCpu', 'TF.js CPU', 9, 'r'],
  ['convnetjs', 'ConvNetJS', 9, 'r'],
  ['pytorch', 'PyTorch', 11, 'r'],
  ['ref', 'limit / ref', 20, 'l'],
  ['ratio', 'ratio', 27, 'l'],
  ['target', 'target', 23, 'l'],
  ['status', 'met', 3, 'l'],
];

function renderTable(rows) {
  const pad = (s, w, a) => (a === 'r' ? String(s).padStart(w) : String(s).padEnd(w));
  const line = (cells) => COLUMNS.map(([k, , w, a]) => pad(cells[k] ?? '', w, a)).join('  ').trimEnd();
  const out = [line(Object.fromEntries(COLUMNS.map(([k, h]) => [k, h]))), COLUMNS.map(([, , w]) => '-'.repeat(w)).join('  ')];
  for (const row of rows) {
    const checks = row.checks.length ? row.checks : [{}];
    checks.forEach((c, i) => {
      const status = c.met == null || !c.target ? '' : c.met ? 'yes' : 'NO';
      out.push(line({ ...(i === 0 ? { what: row.what, ...row.cells } : {}), ratio: c.ratio ?? '', target: c.target ?? '', status }));
    });
  }
  return out.join('\n');
}

// ---- checks across the parts ------------------------------------------------------

/** The same workload everywhere: settings echoed by each part, and our
 * native and WASM builds' losses after the fixed warm-up. */
function consistency(R) {
  const notes = [];
  for (const [name, part] of Object.entries(R)) {
    for (const k of ['mlp', 'cnn']) {
      const t = part?.[k];
      if (!t || t.unsupported) continue;
      if (t.batch !== TRAIN.batch || t.lr !== TRAIN.lr || t.train_samples !== TRAIN.samples)
        notes.push(`${name} ${k}: ran with batch ${t.batch}, lr ${t.lr}, ${t.train_samples} samples`);
    }
    for (const o of OPT_RUNS) {
      const t = part?.[o.key];
      if (t && (t.batch !== o.batch || t.lr !== o.lr || t.opt !== o.opt || t.train_samples !== TRAIN.samples))
        notes.push(`${name} ${o.key}: ran ${t.opt} with batch ${t.batch}, lr ${t.lr}, ${t.train_samples} samples`);
    }
  }
  if (R.openblas?.coretype_requested && R.openblas.core !== R.openblas.coretype_requested)
    notes.push(`OpenBLAS was asked for the ${R.openblas.coretype_requested} kernel and reports ${R.openblas.core}: its figures are not the best kernel's`);
  if (torchOk(R) && R.openblas?.core && R.pytorch.blas?.core && R.pytorch.blas.core !== R.openblas.core)
    notes.push(`PyTorch's OpenBLAS runs the ${R.pytorch.blas.core} kernel, the OpenBLAS row ${R.openblas.core}`);
  if (R.native?.mlp && R.native.mlp.spec !== MLP_SPEC) notes.push(`native mlp spec '${R.native.mlp.spec}'`);
  if (R.native?.cnn && R.native.cnn.spec !== CNN_SPEC) notes.push(`native cnn spec '${R.native.cnn.spec}'`);
  if (R.native?.playground && R.native.playground.spec !== PLAY.spec) notes.push(`native playground spec '${R.native.playground.spec}'`);
  const parity = {};
  const close = (a, b, rel) => Math.abs(a - b) <= rel * Math.max(Math.abs(a), Math.abs(b));
  for (const [k, rel] of [['mlp', 1e-5], ['cnn', 1e-5], ...OPT_RUNS.map((o) => [o.key, 1e-5]), ['playground', 1e-5], ['scalar', 1e-12]]) {
    const a = R.native?.[k]?.warmup_loss, b = R.wasm?.[k]?.warmup_loss;
    if (a == null || b == null) continue;
    parity[k] = { native: a, wasm: b, agree: close(a, b, rel), tolerance: rel };
    if (!parity[k].agree) notes.push(`${k}: native and WASM losses after the warm-up differ (${a} vs ${b})`);
  }
  return { notes, parity };
}

// ---- main -------------------------------------------------------------------------

const started = new Date();
const info = { ...machine(), ...git() };
console.error(`bench: ${info.cpu}, ${info.cores} cores, node ${info.node}; commit ${info.short}${info.dirty ? ' (uncommitted changes)' : ''}${quick ? '; --quick: rough figures' : ''}`);
const R = {};
for (const p of only) R[p] = runPart(p);
info.load_average_after = os.loadavg().map((x) => Math.round(x * 100) / 100);
info.cpu_busy_after = cpuBusy();
info.compiler = R.native?.compiler ?? null;
info.native_build = nativeBuild();
info.openblas = R.openblas?.config ?? null;
info.pytorch = torchOk(R) ? { version: R.pytorch.version, blas: R.pytorch.blas } : R.pytorch?.unavailable ?? null;

const rows = buildRows(R);
const { notes, parity } = consistency(R);
const failures = Object.entries(R).filter(([, p]) => p.error).map(([n, p]) => `${n}: ${p.error}`);

console.log(`\nMicrograd Lab benchmarks, ${started.toISOString().slice(0, 10)}, commit ${info.short}${info.dirty ? '+changes' : ''}${quick ? ' (--quick: rough)' : ''}`);
console.log(`${info.cpu}${info.cpu_simd?.includes('avx512f') ? ' (AVX-512)' : info.cpu_simd?.includes('avx2') ? ' (AVX2)' : ''}, ${info.cores} cores; node ${info.node}; ${info.compiler ?? 'native compiler unknown'}; ${info.emcc ?? 'emcc unknown'}`);
console.log('one thread everywhere; best of repetitions for matmul, medians for the ms rows\n');
console.log(renderTable(rows));
const tw = R['tfjs-wasm'];
const blasLine = (b) => (b?.config ? `${b.config}, core ${b.core}` : null);
const tp = R.pytorch;
console.log(`
TF.js ${tw?.version ?? '4.22'}: wasm backend ${tw?.wasm_binary ? `binary ${tw.wasm_binary}` : ''}${tw?.threads ? `, ${tw.threads} thread` : ''}${tw?.simd ? ', SIMD' : ''}; matmul as tf.matMul(a, b)${tw?.matmul_transpose_b ? ` (with b transposed, our layout: ${fmt.gflops(tw.matmul_transpose_b[0].best_gflops)} GFLOP/s at ${tw.matmul_transpose_b[0].n})` : ''}.
${R.openblas?.config ? `OpenBLAS: ${blasLine(R.openblas)}${R.openblas.coretype_requested ? ` (OPENBLAS_CORETYPE=${R.openblas.coretype_requested})` : ''}, ${R.openblas.threads} thread; in brackets: the kernel it picks by itself, ${R.openblas.auto?.core ?? '?'}${R.openblas.coretype_environment ? ` (this environment sets OPENBLAS_CORETYPE=${R.openblas.coretype_environment}, the bench does not use it)` : ''}.` : `OpenBLAS: ${R.openblas?.skipped ?? R.openblas?.error ?? 'not run'}.`}
${torchOk(R) ? `PyTorch ${tp.version} (Python ${tp.python}), ${tp.threads} thread, BLAS ${blasLine(tp.blas) ?? tp.blas?.library ?? 'unknown'}; moons: float64 / float32.` : `PyTorch: ${tp?.unavailable ?? tp?.error ?? 'not run'}: no PyTorch figure in this run.`}
(*) quoted from issue 7, not measured here: micrograd (Python) ${QUOTED.micrograd_step_ms} ms a step (${QUOTED.micrograd_step_ms_gc_off} ms with the garbage collector off).${tw?.cnn?.unsupported ? `
(1) TF.js's wasm backend cannot train the CNN: ${tw.cnn.unsupported}.` : ''}${R['tfjs-cpu']?.cnn?.steps ? `
(2) TF.js CPU's CNN: ${R['tfjs-cpu'].cnn.steps} timed steps only; its pure-JS Conv2DBackpropFilter takes seconds a batch.` : ''}
MLP/CNN: MNIST, the first ${TRAIN.samples} packed digits, softmax CE, SGD lr ${TRAIN.lr}, batch ${TRAIN.batch}; ${quick ? 'a few steps (--quick)' : 'the MLP over >= 1 epoch, the CNN >= 2 s'}. Flops of a training example: MLP ${(FLOPS.mlp / 1e6).toFixed(2)} M, CNN ${(FLOPS.cnn / 1e6).toFixed(2)} M (forward, dweight and dinp products).
MLP batch 64: the MNIST page's optimizers, ${OPT_RUNS.map((o) => `${o.opt} lr ${o.lr}`).join(', ')} (Adam and RMSprop eps 1e-8, RMSprop rho 0.9).
Playground: ${PLAY.spec} on ${PLAY.points} circles points, one step of batch ${PLAY.points} + a ${PLAY.res}x${PLAY.res} grid.
Moons: micrograd's demo (MLP 2-16-16-1, 100 points, SVM loss + L2, full batch); ours on the scalar Value graph (double), PyTorch on tensors.`);
if (Object.keys(parity).length) {
  console.log(`Same workload natively and in WASM (loss after the warm-up): ${Object.entries(parity).map(([k, v]) => `${k} ${v.agree ? 'agrees' : 'DIFFERS'}`).join(', ')}.`);
}
const busyShare = Math.max(info.cpu_busy_before ?? 0, info.cpu_busy_after ?? 0);
const busy = busyShare > 0.2;
if (busy) {
  console.log(`Note: other processes kept ${Math.round(busyShare * 100)}% of the ${info.cores} cores busy (sampled before and after): figures may be low.`);
}
for (const n of notes) console.log(`Note: ${n}`);
for (const f of failures) console.log(`FAILED ${f}`);

if (save) {
  const dir = `${ROOT}bench/results`;
  mkdirSync(dir, { recursive: true });
  const file = `${dir}/${started.toISOString().slice(0, 10)}-${info.short}${info.dirty ? '-dirty' : ''}.json`;
  const doc = {
    schema: 2,
    date: started.toISOString(),
    commit: info.commit,
    dirty: info.dirty,
    machine: info,
    settings: { train: TRAIN, mlp: MLP_SPEC, cnn: CNN_SPEC, opt_runs: OPT_RUNS, playground: PLAY, flops_per_example: FLOPS },
    quoted: QUOTED,
    results: R,
    parity,
    targets: rows.flatMap((r) => r.checks.filter((c) => c.target).map((c) => ({ measurement: r.what.trim(), target: c.target, value: c.value ?? null, met: c.met }))),
    notes: [...notes, ...failures, ...(busy ? [`other processes kept ${Math.round(busyShare * 100)}% of the cores busy`] : [])],
  };
  writeFileSync(`${file}.tmp`, `${JSON.stringify(doc, null, 2)}\n`);
  renameSync(`${file}.tmp`, file);
  console.log(`\nResults: ${file.slice(ROOT.length)}`);
}
process.exit(failures.length ? 1 : 0);
