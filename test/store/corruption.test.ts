import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { cpSync, existsSync, readdirSync, readFileSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { readRange, writeWholeFile } from '../../engine/fs/pathOps.js';
import { resolvePath } from '../../engine/fs/paths.js';
import { ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { fsck } from '../../engine/store/fsck.js';
import { CONFIG_FILE, DB_FILE, LOCK_FILE, PID_FILE, VECTOR_XATTR, WAL_FILE } from '../../engine/store/layout.js';
import { recoverStore } from '../../engine/store/maintenance.js';
import { Store } from '../../engine/store/Store.js';
import type { Manifest, TrialResult } from './damageChild.js';
import { flipBit, randomBytes } from './damage.js';
import { bundleHelper, LONG, prng, removeBundles, runHelper, spawnHelper, tempRoot, vexctl } from './helpers.js';

const { root, cleanup } = tempRoot('corrupt');
const closedGolden = join(root, 'golden-closed');
const crashedGolden = join(root, 'golden-crashed');
const manifests: Record<string, Manifest> = {};
const MARKER = Buffer.from('VEXFS-CORRUPTION-MARKER-');
let copies = 0;

function copyOf(golden: string): string {
  const dir = join(root, `copy-${copies++}`);
  cpSync(golden, dir, { recursive: true });
  return dir;
}

async function manifestOf(vfs: Vfs, paths: string[]): Promise<Manifest['files']> {
  const files: Manifest['files'] = [];
  for (const path of paths) {
    const content = await readRange(vfs, path, ROOT_CRED, 0, 1 << 24);
    let vector: string | null;
    try {
      const ino = resolvePath(vfs, path, ROOT_CRED).ino;
      vector = Buffer.from(vfs.xattr.get(ino, VECTOR_XATTR, ROOT_CRED)).toString('hex');
    } catch {
      vector = null; // ENODATA: the file has no vector.
    }
    files.push({
      path,
      sha256: createHash('sha256').update(content).digest('hex'),
      content: content.toString('base64'),
      vector,
    });
  }
  return files;
}

before(async () => {
  await Promise.all([bundleHelper('damageChild.ts'), bundleHelper('holderChild.ts')]);
  // A cleanly closed store: everything checkpointed into store.db.
  const store = await Store.create(closedGolden, { dim: 4, metric: 'l2' });
  const vfs = new Vfs(store);
  const random = prng(42);
  await vfs.mkdir(1, 'docs', 0o755, ROOT_CRED);
  await writeWholeFile(vfs, '/docs/a.txt', Buffer.from('a small text file\n'), 0o644, ROOT_CRED);
  await writeWholeFile(vfs, '/docs/big.bin', randomBytes(200_000, random), 0o644, ROOT_CRED);
  await writeWholeFile(vfs, '/marked', Buffer.concat([MARKER, Buffer.alloc(4000, 0x51)]), 0o644, ROOT_CRED);
  for (let i = 0; i < 6; i++) {
    const attr = await writeWholeFile(vfs, `/docs/v${i}`, Buffer.from(`vector file ${i}`), 0o644, ROOT_CRED);
    await vfs.xattr.set(
      attr.ino,
      VECTOR_XATTR,
      Buffer.from(new Float32Array([i, i + 1, i + 2, i + 3]).buffer),
      0,
      ROOT_CRED,
    );
  }
  await vfs.symlink('docs/a.txt', 1, 'link', ROOT_CRED);
  const paths = ['/docs/a.txt', '/docs/big.bin', '/marked', ...Array.from({ length: 6 }, (_, i) => `/docs/v${i}`)];
  manifests.closed = {
    files: await manifestOf(vfs, paths),
    targets: [DB_FILE, DB_FILE, DB_FILE, LOCK_FILE, PID_FILE, CONFIG_FILE],
  };
  await store.close();
  writeFileSync(join(closedGolden, CONFIG_FILE), '[general]\nsync_on_close = true\n');

  // A store whose writer was killed: its last commits live only in the WAL.
  await (await Store.create(crashedGolden, { dim: 4 })).close();
  const holder = spawnHelper('holderChild.ts', [crashedGolden]);
  const committed: string[] = [];
  await new Promise<void>((resolve) => {
    let buffered = '';
    holder.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) if (line.startsWith('C ')) committed.push(`/${line.slice(2)}`);
      if (committed.length >= 8) holder.kill('SIGKILL');
    });
    holder.on('close', () => resolve());
  });
  const reader = await Store.open(crashedGolden, { readOnly: true });
  manifests.crashed = {
    files: await manifestOf(new Vfs(reader), ['/hello', ...committed]),
    targets: [DB_FILE, WAL_FILE, WAL_FILE, LOCK_FILE, PID_FILE],
  };
  await reader.close();
  assert.ok(statSync(join(crashedGolden, WAL_FILE)).size > 0, 'the crashed golden store has a WAL');
});
after(() => {
  cleanup();
  removeBundles();
});

const STORE_FILES = /store\.db|writer\.lock|writer\.pid|vexfs\.toml/;

test('garbage in the database header: E_CORRUPT naming store.db on open, an error in fsck', async () => {
  const dir = copyOf(closedGolden);
  const bytes = readFileSync(join(dir, DB_FILE));
  randomBytes(100, prng(1)).copy(bytes, 0);
  writeFileSync(join(dir, DB_FILE), bytes);
  await assert.rejects(Store.open(dir), { code: 'E_CORRUPT', message: /store\.db/ });
  await assert.rejects(Store.open(dir, { readOnly: true }), { code: 'E_CORRUPT', details: { file: DB_FILE } });
  const report = await fsck(dir);
  assert.ok(report.problems.some((p) => p.file === DB_FILE && p.severity === 'error'));
  const cli = await vexctl(['fsck', dir, '--json']);
  assert.equal(cli.code, 1);
  assert.equal(JSON.parse(cli.out).clean, false);
});

test('a truncated database is E_CORRUPT naming store.db: below the header, mid-page, and short of its page count', async () => {
  const size = statSync(join(closedGolden, DB_FILE)).size;
  for (const length of [0, 60, 4096 * 3 + 100, 4096 * 3]) {
    const dir = copyOf(closedGolden);
    truncateSync(join(dir, DB_FILE), length);
    assert.ok(length < size);
    await assert.rejects(
      Store.open(dir),
      { code: 'E_CORRUPT', message: /store\.db.*truncated|truncated/ },
      `length ${length}`,
    );
    const report = await fsck(dir);
    assert.ok(
      report.problems.some((p) => p.file === DB_FILE && p.severity === 'error' && /truncated/.test(p.message)),
      `length ${length}`,
    );
  }
});

test('a flipped bit inside file content is caught by the row checksum on read, never returned', async () => {
  const dir = copyOf(closedGolden);
  const bytes = readFileSync(join(dir, DB_FILE));
  const at = bytes.indexOf(MARKER);
  assert.ok(at > 0, 'the marked content is in store.db');
  flipBit(join(dir, DB_FILE), at + MARKER.length + 100, 3);
  const store = await Store.open(dir, { readOnly: true });
  const vfs = new Vfs(store);
  await assert.rejects(readRange(vfs, '/marked', ROOT_CRED, 0, 10_000), (error: { code?: string; message: string }) => {
    assert.equal(error.code, 'E_CORRUPT');
    assert.match(error.message, /store\.db: block 0 of inode \d+ fails its checksum/);
    return true;
  });
  // Other files are unaffected.
  assert.equal((await readRange(vfs, '/docs/a.txt', ROOT_CRED, 0, 100)).toString(), 'a small text file\n');
  await store.close();
  const report = await fsck(dir);
  assert.ok(
    report.problems.some((p) => p.file === DB_FILE && /block 0 of inode \d+ fails its checksum/.test(p.message)),
  );
  assert.equal((await vexctl(['fsck', dir])).code, 1);
});

test('garbage in a b-tree page is reported by fsck and never returned as data', async () => {
  const dir = copyOf(closedGolden);
  const path = join(dir, DB_FILE);
  const bytes = readFileSync(path);
  // Page 2 onwards holds tables and indexes; wreck the first 200 bytes of several pages in turn.
  for (const page of [2, 3, 4]) randomBytes(200, prng(page)).copy(bytes, (page - 1) * 4096);
  writeFileSync(path, bytes);
  const report = await fsck(dir);
  assert.ok(
    report.problems.some((p) => p.file === DB_FILE && p.severity === 'error'),
    JSON.stringify(report.problems),
  );
  try {
    const store = await Store.open(dir, { readOnly: true });
    const vfs = new Vfs(store);
    for (const entry of manifests.closed!.files) {
      try {
        const content = await readRange(vfs, entry.path, ROOT_CRED, 0, 1 << 24);
        assert.equal(createHash('sha256').update(content).digest('hex'), entry.sha256, `${entry.path} came back wrong`);
      } catch (error) {
        assert.ok(
          (error as { code?: string }).code !== undefined && !(error instanceof assert.AssertionError),
          String(error),
        );
      }
    }
    await store.close();
  } catch (error) {
    assert.equal((error as { code?: string }).code, 'E_CORRUPT');
    assert.match((error as Error).message, /store\.db/);
  }
});

test('damage inside the WAL is E_CORRUPT naming store.db-wal; recover keeps a copy and gives up the damaged part', async () => {
  const dir = copyOf(crashedGolden);
  const wal = join(dir, WAL_FILE);
  const frameBytes = 24 + 4096;
  const frames = Math.floor((statSync(wal).size - 32) / frameBytes);
  assert.ok(frames >= 3, `the WAL has ${frames} frames`);
  flipBit(wal, 32 + frameBytes + 24 + 500, 5); // inside the page of frame 2
  await assert.rejects(Store.open(dir), {
    code: 'E_CORRUPT',
    details: { file: WAL_FILE },
    message: /store\.db-wal frame 2/,
  });
  await assert.rejects(Store.open(dir, { readOnly: true }), { code: 'E_CORRUPT', details: { file: WAL_FILE } });
  const report = await fsck(dir);
  assert.ok(report.problems.some((p) => p.file === WAL_FILE && p.severity === 'error'));
  const result = await recoverStore(dir);
  assert.ok(result.walCopy !== null && existsSync(result.walCopy));
  const after = await fsck(dir);
  assert.ok(after.clean, JSON.stringify(after.problems));
  assert.ok(after.problems.some((p) => p.severity === 'warning' && p.file.startsWith(`${WAL_FILE}.damaged-`)));
  // What was committed before the damaged frame is there; the store takes new writes.
  const store = await Store.open(dir);
  const vfs = new Vfs(store);
  await writeWholeFile(vfs, '/after-recover', Buffer.from('ok'), 0o644, ROOT_CRED);
  assert.equal((await readRange(vfs, '/after-recover', ROOT_CRED, 0, 10)).toString(), 'ok');
  await store.close();
  assert.ok((await fsck(dir)).clean);
});

test('a garbage WAL header, and a WAL cut inside a frame, are reported naming store.db-wal', async () => {
  const garbage = copyOf(crashedGolden);
  const bytes = readFileSync(join(garbage, WAL_FILE));
  randomBytes(32, prng(9)).copy(bytes, 0);
  writeFileSync(join(garbage, WAL_FILE), bytes);
  await assert.rejects(Store.open(garbage), { code: 'E_CORRUPT', details: { file: WAL_FILE } });
  assert.ok((await fsck(garbage)).problems.some((p) => p.file === WAL_FILE && p.severity === 'error'));

  const cut = copyOf(crashedGolden);
  truncateSync(join(cut, WAL_FILE), statSync(join(cut, WAL_FILE)).size - 1000);
  const report = await fsck(cut);
  assert.ok(
    report.problems.some((p) => p.file === WAL_FILE),
    'fsck reports the cut',
  );
  const store = await Store.open(cut);
  assert.ok(
    store.recovery.warnings.some((w) => w.includes(WAL_FILE)),
    'open reports the cut',
  );
  await store.close();
  assert.deepEqual((await fsck(cut)).problems, []);
});

test('a damaged writer.lock or writer.pid is reported by fsck and repaired, with a note, by the next writer', async () => {
  for (const [file, content] of [
    [LOCK_FILE, randomBytes(3000, prng(5))],
    [LOCK_FILE, readFileSync(join(closedGolden, LOCK_FILE)).subarray(0, 700)],
    [PID_FILE, Buffer.from('\u0000garbage\n')],
  ] as const) {
    const dir = copyOf(closedGolden);
    writeFileSync(join(dir, file), content);
    const report = await fsck(dir);
    assert.ok(
      report.problems.some((p) => p.file === file && p.severity === 'error'),
      `${file}: ${JSON.stringify(report.problems)}`,
    );
    const store = await Store.open(dir);
    assert.ok(
      store.recovery.warnings.some((w) => w.includes(file)),
      `${file}: ${JSON.stringify(store.recovery.warnings)}`,
    );
    await store.close();
    assert.deepEqual((await fsck(dir)).problems, [], file);
  }
});

test('a damaged vexfs.toml is reported by fsck naming the file and by store info', async () => {
  const dir = copyOf(closedGolden);
  writeFileSync(join(dir, CONFIG_FILE), '[general\nsync_on_close = maybe\n');
  const report = await fsck(dir);
  assert.ok(report.problems.some((p) => p.file === CONFIG_FILE && p.severity === 'error'));
  const info = await vexctl(['store', 'info', dir]);
  assert.equal(info.code, 0);
  assert.match(info.out, /sync-on-close unknown: .*vexfs\.toml/);
});

test('unknown files and a missing database are reported', async () => {
  const dir = copyOf(closedGolden);
  writeFileSync(join(dir, 'stray.bin'), 'x');
  const report = await fsck(dir);
  assert.ok(report.clean);
  assert.ok(report.problems.some((p) => p.file === 'stray.bin' && p.severity === 'warning'));
  const empty = copyOf(closedGolden);
  for (const name of readdirSync(empty)) if (name.startsWith(DB_FILE)) truncateSync(join(empty, name), 0);
  assert.ok((await fsck(empty)).problems.some((p) => p.file === DB_FILE && p.severity === 'error'));
});

const RANDOM_TRIALS = LONG ? 400 : 40;

for (const variant of ['closed', 'crashed'] as const) {
  test(`random damage to the ${variant} store's files (${RANDOM_TRIALS} trials in a child process): typed errors, never wrong data`, async () => {
    const golden = variant === 'closed' ? closedGolden : crashedGolden;
    const manifestPath = join(root, `manifest-${variant}.json`);
    writeFileSync(manifestPath, JSON.stringify(manifests[variant]));
    const run = await runHelper('damageChild.ts', [
      golden,
      manifestPath,
      root,
      variant === 'closed' ? '11' : '23',
      String(RANDOM_TRIALS),
    ]);
    assert.equal(run.signal, null, `the damage child died by ${run.signal}: ${run.stderr}`);
    assert.equal(run.code, 0, run.stderr);
    const results = run.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as TrialResult);
    assert.equal(results.length, RANDOM_TRIALS);
    let detected = 0;
    for (const r of results) {
      const what = `trial ${r.trial} (${r.target}, ${r.damage})`;
      assert.deepEqual(r.untyped, [], `${what}: untyped errors`);
      assert.equal(r.fsckThrew, null, `${what}: fsck threw`);
      assert.deepEqual(r.wrong, [], `${what}: wrong data returned`);
      // A WAL that lost its last commits leaves the store as it was before them: files read back as their
      // earlier (empty) state. That is the one loss no check can see when the cut falls on a commit boundary.
      if (r.target !== WAL_FILE) assert.deepEqual(r.older, [], `${what}: old data returned`);
      if (r.openError !== null) {
        assert.ok(
          ['E_CORRUPT', 'E_FORMAT', 'EIO'].includes(r.openError.code),
          `${what}: open failed with ${r.openError.code}`,
        );
        assert.match(r.openError.message, STORE_FILES, `${what}: the error names no file`);
      }
      const reported =
        r.fsckErrorFiles.length + r.fsckWarningFiles.length + r.openWarnings.length > 0 || r.openError !== null;
      if ((r.missing.length > 0 && r.target !== WAL_FILE) || r.readErrors.length > 0) {
        assert.ok(reported, `${what}: data was lost or unreadable but nothing reported it`);
      }
      if (reported) detected += 1;
    }
    // Most random damage lands somewhere that matters; if none was detected the trials were not damaging anything.
    assert.ok(detected > RANDOM_TRIALS / 4, `only ${detected} of ${RANDOM_TRIALS} damaged stores were reported`);
  });
}
