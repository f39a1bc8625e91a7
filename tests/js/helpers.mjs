// Shared by the node tests: paths, the native CLI, and number comparison.
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import assert from 'node:assert/strict';

export const ROOT = fileURLToPath(new URL('../../', import.meta.url));
export const MG = `${ROOT}build/native/mg`;

export const REF_CASES = JSON.parse(readFileSync(`${ROOT}tests/ref/scalar_cases.json`, 'utf8'));

/** Runs the native `mg expr --json PROGRAM`; returns { status, json, stderr }. */
export function nativeExpr(program) {
  const r = spawnSync(MG, ['expr', '--json', program], { encoding: 'utf8' });
  if (r.error) throw new Error(`cannot run ${MG}: ${r.error.message} (run ./build.sh native)`);
  return { status: r.status, json: r.status === 0 ? JSON.parse(r.stdout) : null, stderr: r.stderr };
}

/** Asserts |a - b| <= rel * max(|a|, |b|), naming the value when it fails. */
export function assertClose(actual, expected, rel, what) {
  const scale = Math.max(Math.abs(actual), Math.abs(expected));
  assert.ok(
    Number.isFinite(actual) && Math.abs(actual - expected) <= rel * scale,
    `${what}: got ${actual}, want ${expected} (relative tolerance ${rel})`,
  );
}
