import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { LONG } from './helpers.js';
import { runModel, type ModelResult } from './model/runModel.js';

/**
 * The op-sequence model test: random filesystem operations on a store and on a
 * directory on tmpfs (the oracle), compared after every step (worlds.ts lists what is
 * compared and each normalisation). Default tier: 2,000 operations as root and 2,000
 * as an unprivileged user; long tier: 100,000 of each (20 seeds of 5,000).
 * VEXFS_MODEL_SEED=N replays one seed.
 */
const OPS_PER_SEED = LONG ? 5_000 : 2_000;
const fixedSeed = process.env.VEXFS_MODEL_SEED === undefined ? undefined : Number(process.env.VEXFS_MODEL_SEED);
const SEEDS =
  fixedSeed !== undefined ? [fixedSeed] : LONG ? Array.from({ length: 20 }, (_, i) => 1000 + 2 * i) : [20261124];
const NOBODY = 65534;
const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const isRoot = process.getuid?.() === 0;

function checkCoverage(result: ModelResult): void {
  assert.equal(result.ops, OPS_PER_SEED);
  // The run must exercise both successes and failures of the main operations, or it proves little.
  for (const name of ['mkdir', 'createExcl', 'writeAt', 'rename', 'unlink', 'rmdir', 'link', 'symlink', 'chmod']) {
    const stats = result.byOp[name];
    assert.ok(stats !== undefined && stats.ok > 0, `${name} never succeeded`);
    assert.ok(Object.keys(stats.errors).length > 0, `${name} never failed`);
  }
}

/** Runs the model in a child process as uid/gid 65534, so the oracle side meets real permission checks. */
function runAsNobody(seed: number): Promise<ModelResult & { uid: number }> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', join(here, 'model', 'runModel.ts'), String(seed), String(OPS_PER_SEED)],
      {
        cwd: root,
        uid: NOBODY,
        gid: NOBODY,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`the unprivileged model run (seed ${seed}) failed:\n${err}`));
      else resolve(JSON.parse(out) as ModelResult & { uid: number });
    });
  });
}

describe('op-sequence model: the store against tmpfs', () => {
  it('the oracle is tmpfs', () => {
    assert.ok(existsSync('/dev/shm'), 'the model test needs /dev/shm (tmpfs) for its oracle');
  });

  for (const seed of SEEDS) {
    // Both halves at once: the unprivileged one runs in its own process.
    it(`${OPS_PER_SEED} operations as ${isRoot ? 'root' : 'this user'} (seed ${seed}) and as uid ${NOBODY} (seed ${seed + 1})`, async () => {
      const unprivileged = isRoot ? runAsNobody(seed + 1) : null;
      const own = runModel(seed, OPS_PER_SEED);
      const [ownResult, nobodyResult] = await Promise.all([own, unprivileged]);
      checkCoverage(ownResult);
      if (nobodyResult === null) return; // Not root: the run above was already unprivileged.
      assert.equal(nobodyResult.uid, NOBODY);
      checkCoverage(nobodyResult);
      const count = (code: string) =>
        Object.values(nobodyResult.byOp).reduce((sum, s) => sum + (s.errors[code] ?? 0), 0);
      assert.ok(count('EACCES') > 0, 'an unprivileged run must meet EACCES');
      assert.ok(count('EPERM') > 0, 'an unprivileged run must meet EPERM');
    });
  }
});
