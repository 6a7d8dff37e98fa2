import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readRange } from '../../engine/fs/pathOps.js';
import { ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { fsck } from '../../engine/store/fsck.js';
import { storeInfo } from '../../engine/store/info.js';
import { PID_FILE } from '../../engine/store/layout.js';
import { Store } from '../../engine/store/Store.js';
import { bundleHelper, removeBundles, spawnHelper, tempRoot, vexctl } from './helpers.js';

const { root, cleanup } = tempRoot('lock');
before(() => bundleHelper('holderChild.ts'));
after(() => {
  cleanup();
  removeBundles();
});

/** Starts a writer in another process; resolves once it holds the store, with the names it commits. */
async function startHolder(
  dir: string,
): Promise<{ child: ChildProcess; pid: number; committed: string[]; next: (name: string) => Promise<void> }> {
  const child = spawnHelper('holderChild.ts', [dir]);
  const committed: string[] = [];
  const waiting = new Map<string, () => void>();
  let buffered = '';
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const pid = await new Promise<number>((resolve, reject) => {
    child.on('close', (code) => reject(new Error(`holder exited (${code}): ${stderr}`)));
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        if (line.startsWith('R ')) resolve(Number(line.slice(2)));
        if (line.startsWith('C ')) {
          const name = line.slice(2);
          committed.push(name);
          waiting.get(name)?.();
        }
      }
    });
  });
  const next = (name: string): Promise<void> =>
    committed.includes(name) ? Promise.resolve() : new Promise((resolve) => waiting.set(name, resolve));
  return { child, pid, committed, next };
}

function kill(child: ChildProcess): Promise<void> {
  return new Promise((resolve) => {
    if (child.exitCode !== null || child.signalCode !== null) return resolve();
    child.on('close', () => resolve());
    child.kill('SIGKILL');
  });
}

test('a second writer in another process gets E_LOCKED naming the holder; read-only opens see its commits', async () => {
  const dir = join(root, 'shared');
  await (await Store.create(dir, { dim: 4 })).close();
  const holder = await startHolder(dir);
  try {
    await assert.rejects(
      Store.open(dir),
      (error: { code?: string; message: string; details?: { holderPid?: number } }) => {
        assert.equal(error.code, 'E_LOCKED');
        assert.match(error.message, new RegExp(`pid ${holder.pid}\\b`));
        assert.equal(error.details?.holderPid, holder.pid);
        return true;
      },
    );
    const cli = await vexctl(['store', 'compact', dir]);
    assert.equal(cli.code, 1);
    assert.match(cli.err, new RegExp(`^E_LOCKED: .*pid ${holder.pid}`));

    // Read-only beside the writer: what it has committed is visible, and more as it commits.
    const reader = await Store.open(dir, { readOnly: true });
    const vfs = new Vfs(reader);
    assert.equal((await readRange(vfs, '/hello', ROOT_CRED, 0, 100)).toString(), 'hello from the writer');
    await holder.next('tick-3');
    assert.equal((await readRange(vfs, '/tick-3', ROOT_CRED, 0, 100)).toString(), 'tick 3');
    await holder.next('tick-6');
    assert.equal((await readRange(vfs, '/tick-6', ROOT_CRED, 0, 100)).toString(), 'tick 6');
    await assert.rejects(
      reader.write(() => 1),
      { code: 'EROFS' },
    );
    await reader.close();

    // A damaged writer.pid does not hide the holder: the kernel's lock table names it.
    writeFileSync(join(dir, PID_FILE), 'not a pid');
    await assert.rejects(Store.open(dir), { code: 'E_LOCKED', message: new RegExp(`pid ${holder.pid}\\b`) });

    const info = await storeInfo(dir);
    assert.equal(info.writer.pid, holder.pid);
    assert.equal(info.writer.pidFileAgrees, false);
    const report = await fsck(dir);
    assert.equal(report.writerPid, holder.pid);
    assert.ok(report.problems.some((p) => p.file === PID_FILE && p.severity === 'error'));
    writeFileSync(join(dir, PID_FILE), `${holder.pid}\n`);
    const beside = await fsck(dir);
    assert.ok(beside.clean, `fsck beside a running writer: ${JSON.stringify(beside.problems)}`);
    assert.ok((beside.counts?.inodes ?? 0) >= 7);
  } finally {
    await kill(holder.child);
  }
});

test('a SIGKILLed holder frees the lock; the next writer reports the stale pid file and keeps every commit', async () => {
  const dir = join(root, 'killed');
  await (await Store.create(dir, { dim: 4 })).close();
  const holder = await startHolder(dir);
  await holder.next('tick-2');
  await kill(holder.child);
  const committed = [...holder.committed];
  const store = await Store.open(dir);
  try {
    assert.ok(store.recovery.warnings.some((w) => w.includes(PID_FILE) && w.includes(String(holder.pid))));
    const vfs = new Vfs(store);
    for (const name of committed) {
      assert.equal((await readRange(vfs, `/${name}`, ROOT_CRED, 0, 100)).toString(), name.replace('-', ' '));
    }
  } finally {
    await store.close();
  }
  assert.deepEqual((await fsck(dir)).problems, []);
});

test('within one process a second writer is refused too, naming this process', async () => {
  const dir = join(root, 'same-process');
  const first = await Store.create(dir, { dim: 4 });
  try {
    await assert.rejects(Store.open(dir), { code: 'E_LOCKED', message: new RegExp(`pid ${process.pid}\\b`) });
    // fsck and info in the same process leave the writer's lock in place.
    assert.ok((await fsck(dir)).clean);
    assert.equal((await storeInfo(dir)).writer.pid, process.pid);
    await assert.rejects(Store.open(dir), { code: 'E_LOCKED' });
  } finally {
    await first.close();
  }
  const again = await Store.open(dir);
  await again.close();
});
