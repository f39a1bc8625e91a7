// PyTorch on the benchmark's workloads, one thread, in the same run as
// ours: runs bench/peers/torch_bench.py with Debian's python3-torch
// (/usr/bin/python3, or $MG_BENCH_PYTHON) on the same digits, the same
// settings (bench/config.mjs, handed over as JSON) and micrograd's moons
// points from `mg bench --moons-points`. Prints one JSON object: the
// script's, or { unavailable: why } when torch cannot be imported (then
// the table shows no PyTorch figure at all).
//
//   node bench/peers/torch.mjs [--quick]
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DATA_DIR, OPT_RUNS, ROOT, SEED, TRAIN, limits } from '../config.mjs';
import { isQuick, log, output } from '../lib/timing.mjs';

const quick = isQuick();
const PYTHON = process.env.MG_BENCH_PYTHON ?? '/usr/bin/python3';
const MG = `${ROOT}build/native/mg`;

function unavailable(why) {
  log(`PyTorch: ${why}`);
  output({ peer: 'pytorch', unavailable: why });
  process.exit(0);
}

if (!existsSync(PYTHON)) unavailable(`${PYTHON} is missing (Debian: apt-get install python3-torch)`);
const probe = spawnSync(PYTHON, ['-c', 'import torch, numpy; print(torch.__version__)'], { encoding: 'utf8' });
if (probe.status !== 0) {
  const why = (probe.stderr || probe.error?.message || '').trim().split('\n').at(-1);
  unavailable(`${PYTHON} cannot import torch (${why}); bash build.sh bench installs python3-torch when run as root`);
}

const dir = mkdtempSync(join(tmpdir(), 'mg-bench-torch-'));
try {
  const args = [`${ROOT}bench/peers/torch_bench.py`, '--data-dir', DATA_DIR,
    '--limits', JSON.stringify({ limits: limits(quick), train: TRAIN, opt_runs: OPT_RUNS, seed: SEED })];
  const pts = existsSync(MG) ? spawnSync(MG, ['bench', '--moons-points'], { encoding: 'utf8' }) : null;
  if (pts?.status === 0) {
    writeFileSync(join(dir, 'moons.json'), pts.stdout);
    args.push('--moons', join(dir, 'moons.json'));
  } else {
    log(`PyTorch: no moons points (${MG} is missing or failed): the moons step is skipped`);
  }
  if (quick) args.push('--quick');
  const r = spawnSync(PYTHON, args, { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], maxBuffer: 1 << 24 });
  if (r.status !== 0) {
    log(`PyTorch: torch_bench.py exited with ${r.status ?? r.signal}`);
    process.exit(1);
  }
  process.stdout.write(r.stdout);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
