import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { writeWholeFile } from '../../engine/fs/pathOps.js';
import { ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { VECTOR_XATTR } from '../../engine/store/layout.js';
import { Store } from '../../engine/store/Store.js';
import { randomBytes } from './damage.js';
import { bundleHelper, LONG, prng, removeBundles, spawnHelper, tempRoot } from './helpers.js';

const INPUTS = LONG ? 100_000 : 3000;
const CHILDREN = 2;
/** A generous bound on one child's run: a hang fails the test instead of stalling it. */
const CHILD_TIMEOUT_MS = LONG ? 4 * 3600_000 : 300_000;
const { root, cleanup } = tempRoot('fuzz', true);
const closedGolden = join(root, 'closed');
const crashedGolden = join(root, 'crashed');

before(async () => {
  await Promise.all([bundleHelper('fuzzChild.ts'), bundleHelper('holderChild.ts')]);
  const store = await Store.create(closedGolden, { dim: 4 });
  const vfs = new Vfs(store);
  const random = prng(7);
  for (let i = 0; i < 5; i++) {
    const attr = await writeWholeFile(vfs, `/f${i}`, randomBytes(3000 + i * 6000, random), 0o644, ROOT_CRED);
    await vfs.xattr.set(attr.ino, VECTOR_XATTR, Buffer.from(new Float32Array([i, 1, 2, 3]).buffer), 0, ROOT_CRED);
  }
  await store.close();
  await (await Store.create(crashedGolden, { dim: 4 })).close();
  const holder = spawnHelper('holderChild.ts', [crashedGolden]);
  let commits = 0;
  await new Promise<void>((resolve) => {
    holder.stdout!.on('data', (chunk: Buffer) => {
      commits += chunk
        .toString()
        .split('\n')
        .filter((line) => line.startsWith('C ')).length;
      if (commits >= 4) holder.kill('SIGKILL');
    });
    holder.on('close', () => resolve());
  });
});
after(() => {
  cleanup();
  removeBundles();
});

function runFuzzChild(
  seed: number,
  inputs: number,
): Promise<{ code: number | null; signal: string | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawnHelper('fuzzChild.ts', [closedGolden, crashedGolden, root, String(seed), String(inputs)]);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const timer = setTimeout(() => child.kill('SIGKILL'), CHILD_TIMEOUT_MS);
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

test(`random bytes as store.db and its WAL (${INPUTS} inputs): a typed error or a working store, never a crash or hang`, async () => {
  const perChild = Math.ceil(INPUTS / CHILDREN);
  const runs = await Promise.all(Array.from({ length: CHILDREN }, (_, i) => runFuzzChild(100 + i, perChild)));
  const totals: Record<string, number> = {};
  for (const run of runs) {
    assert.equal(
      run.signal,
      null,
      `a fuzz child died by ${run.signal} (a crash, or a hang past the time bound): ${run.stderr}`,
    );
    assert.equal(run.code, 0, run.stderr);
    const bad = run.stdout.split('\n').filter((line) => line.startsWith('BAD '));
    assert.deepEqual(bad, [], 'untyped failures');
    const done = run.stdout.split('\n').find((line) => line.startsWith('DONE '));
    assert.ok(done !== undefined, 'the fuzz child did not finish');
    const summary = JSON.parse(done.slice(5)) as { inputs: number; outcomes: Record<string, number> };
    assert.equal(summary.inputs, perChild);
    for (const [key, n] of Object.entries(summary.outcomes)) totals[key] = (totals[key] ?? 0) + n;
  }
  // The inputs reached past the header checks: some stores opened, some were refused as damaged.
  assert.ok((totals['read:ok'] ?? 0) > 0, JSON.stringify(totals));
  assert.ok((totals['read:E_CORRUPT'] ?? 0) > 0, JSON.stringify(totals));
  console.log(`fuzz outcomes over ${perChild * CHILDREN} inputs: ${JSON.stringify(totals)}`);
});
