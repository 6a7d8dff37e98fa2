import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../engine/cli/command.js';
import { runCli } from '../../engine/cli/main.js';
import { Store } from '../../engine/store/Store.js';

interface Captured extends CliIo {
  stdout: string;
  stderr: string;
  bytes: Buffer;
}

function capture(): Captured {
  const io: Captured = {
    stdout: '',
    stderr: '',
    bytes: Buffer.alloc(0),
    isTty: false,
    out: (text) => void (io.stdout += text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void (io.stderr += text.endsWith('\n') ? text : `${text}\n`),
    outBytes: (chunk) => void (io.bytes = Buffer.concat([io.bytes, chunk])),
  };
  return io;
}

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');

describe('vexctl fs', () => {
  let work: string;
  let store: string;
  const fs = async (...args: string[]) => {
    const io = capture();
    const code = await runCli(['fs', store, ...args], io, { cwd: work });
    return { code, ...io };
  };

  before(async () => {
    work = mkdtempSync(join(tmpdir(), 'vexfs-cli-'));
    store = join(work, 'store');
    await (await Store.create(store, { dim: 4 })).close();
  });
  after(() => rmSync(work, { recursive: true, force: true }));

  it('put, cat, get copy bytes exactly, in chunks', async () => {
    const content = Buffer.alloc(2 * 1024 * 1024 + 12_345);
    for (let i = 0; i < content.length; i++) content[i] = (i * 31) & 0xff;
    writeFileSync(join(work, 'local.bin'), content);
    assert.equal((await fs('mkdir', '/docs')).code, 0);
    assert.equal((await fs('put', 'local.bin', '/docs/big.bin')).code, 0);
    const cat = await fs('cat', '/docs/big.bin');
    assert.equal(cat.code, 0);
    assert.ok(cat.bytes.equals(content));
    assert.equal((await fs('get', '/docs/big.bin', 'back.bin')).code, 0);
    assert.ok(readFileSync(join(work, 'back.bin')).equals(content));
    // put over an existing file replaces its content.
    writeFileSync(join(work, 'small.txt'), 'small');
    assert.equal((await fs('put', 'small.txt', '/docs/big.bin')).code, 0);
    assert.equal((await fs('cat', '/docs/big.bin')).bytes.toString(), 'small');
  });

  it('ls and stat, as text and JSON', async () => {
    await fs('mkdir', '-p', '/a/b/c');
    writeFileSync(join(work, 'f.txt'), 'hello');
    await fs('put', 'f.txt', '/a/f.txt');
    const ls = await fs('ls', '/a');
    assert.equal(ls.code, 0);
    assert.match(ls.stdout, /^d.* b$/m);
    assert.match(ls.stdout, /^-.* 5 f\.txt$/m);
    const json = JSON.parse((await fs('ls', '/a', '--json')).stdout) as {
      name: string;
      kind: string;
      sizeBytes: number;
    }[];
    assert.deepEqual(json.map((e) => [e.name, e.kind]).sort(), [
      ['b', 'dir'],
      ['f.txt', 'file'],
    ]);
    const stat = JSON.parse((await fs('stat', '/a/f.txt', '--json')).stdout) as { sizeBytes: number; kind: string };
    assert.equal(stat.sizeBytes, 5);
    assert.equal(stat.kind, 'file');
    assert.match((await fs('stat', '/a')).stdout, /kind: dir/);
    assert.equal((await fs('ls')).code, 0); // the root by default
  });

  it('mkdir -p, rm -r, mv, ln and ln -s', async () => {
    assert.equal((await fs('mkdir', '-p', '/t/u/v')).code, 0);
    assert.equal((await fs('mkdir', '-p', '/t/u/v')).code, 0);
    const again = await fs('mkdir', '/t/u');
    assert.equal(again.code, 1);
    assert.match(again.stderr, /^EEXIST: /);
    writeFileSync(join(work, 'x.txt'), 'x');
    await fs('put', 'x.txt', '/t/x.txt');
    assert.equal((await fs('mv', '/t/x.txt', '/t/y.txt')).code, 0);
    assert.equal((await fs('ln', '/t/y.txt', '/t/hard')).code, 0);
    assert.equal((await fs('ln', '-s', 'y.txt', '/t/soft')).code, 0);
    assert.equal((await fs('cat', '/t/soft')).bytes.toString(), 'x');
    assert.match((await fs('stat', '/t/soft')).stdout, /target: y\.txt/);
    assert.match((await fs('stat', '/t/hard')).stdout, /nlink: 2/);
    const notEmpty = await fs('rm', '/t');
    assert.equal(notEmpty.code, 1);
    assert.match(notEmpty.stderr, /^ENOTEMPTY: /);
    assert.equal((await fs('rm', '-r', '/t')).code, 0);
    assert.match((await fs('stat', '/t')).stderr, /^ENOENT: /);
    assert.match((await fs('rm', '-r', '/')).stderr, /^EBUSY: /);
  });

  it('xattr set, get, ls, rm; the vector attribute checks its size', async () => {
    writeFileSync(join(work, 'doc.txt'), 'doc');
    await fs('put', 'doc.txt', '/doc.txt');
    writeFileSync(join(work, 'value.bin'), Buffer.from([0, 1, 2, 255]));
    assert.equal((await fs('xattr', 'set', '/doc.txt', 'user.tag', 'value.bin')).code, 0);
    assert.deepEqual([...(await fs('xattr', 'get', '/doc.txt', 'user.tag')).bytes], [0, 1, 2, 255]);
    assert.equal((await fs('xattr', 'ls', '/doc.txt')).stdout, 'user.tag\n');
    assert.deepEqual(JSON.parse((await fs('xattr', 'ls', '/doc.txt', '--json')).stdout), ['user.tag']);
    const wrong = await fs('xattr', 'set', '/doc.txt', 'user.vexfs.vector', 'value.bin');
    assert.equal(wrong.code, 1);
    assert.match(wrong.stderr, /^EINVAL: .*must be 16 bytes/);
    writeFileSync(join(work, 'vec.bin'), Buffer.from(new Float32Array([1, 2, 3, 4]).buffer));
    assert.equal((await fs('xattr', 'set', '/doc.txt', 'user.vexfs.vector', 'vec.bin')).code, 0);
    assert.equal((await fs('xattr', 'rm', '/doc.txt', 'user.tag')).code, 0);
    assert.match((await fs('xattr', 'get', '/doc.txt', 'user.tag')).stderr, /^ENODATA: /);
    assert.match((await fs('xattr', 'set', '/doc.txt', 'trusted.x', 'value.bin')).stderr, /^ENOTSUP: /);
  });

  it('failures exit 1 with CODE: message; bad usage exits 2', async () => {
    assert.match((await fs('cat', '/missing')).stderr, /^ENOENT: /);
    assert.match((await fs('cat', '/')).stderr, /^EISDIR: /);
    const local = await fs('put', 'no-such-local-file', '/x');
    assert.equal(local.code, 1);
    assert.match(local.stderr, /^ENOENT: cannot read/);
    assert.equal(existsSync(join(work, 'out.bin')), false);
    assert.equal((await fs('get', '/missing', 'out.bin')).code, 1);
    assert.equal(existsSync(join(work, 'out.bin')), false, 'a failed get leaves no local file');
    for (const args of [
      [],
      ['bogus'],
      ['cat'],
      ['cat', 'a', 'b'],
      ['ls', '-r'],
      ['mkdir', '--nope', 'x'],
      ['xattr', 'frob', 'x'],
    ]) {
      const result = await fs(...args);
      assert.equal(result.code, 2, `fs ${args.join(' ')} should be a usage error`);
      assert.match(result.stderr, /^E_USAGE: /);
    }
    const noStore = capture();
    assert.equal(await runCli(['fs', join(work, 'nowhere'), 'ls'], noStore), 1);
    assert.match(noStore.stderr, /^E_NOT_FOUND: /);
  });

  it('--read-only opens beside a writer; changes then fail with EROFS', async () => {
    const writer = await Store.open(store);
    try {
      const locked = await fs('ls', '/');
      assert.equal(locked.code, 1);
      assert.match(locked.stderr, /^E_LOCKED: /);
      const ls = await fs('--read-only', 'ls', '/');
      assert.equal(ls.code, 0);
      assert.match(ls.stdout, /doc\.txt/);
      const change = await fs('--read-only', 'mkdir', '/nope');
      assert.equal(change.code, 1);
      assert.match(change.stderr, /^EROFS: /);
    } finally {
      await writer.close();
    }
  });

  it(
    'the built bin works end to end (node bin/vexctl.mjs)',
    { skip: !existsSync(join(root, 'dist', 'vexctl.mjs')) && 'run npm run build first' },
    () => {
      writeFileSync(join(work, 'spawned.txt'), 'from a real process');
      const run = (...args: string[]) =>
        spawnSync(process.execPath, [join(root, 'bin', 'vexctl.mjs'), 'fs', store, ...args], {
          cwd: work,
          encoding: 'buffer',
        });
      assert.equal(run('put', 'spawned.txt', '/spawned.txt').status, 0);
      const cat = run('cat', '/spawned.txt');
      assert.equal(cat.status, 0, cat.stderr.toString());
      assert.equal(cat.stdout.toString(), 'from a real process');
      const missing = run('cat', '/nope');
      assert.equal(missing.status, 1);
      assert.match(missing.stderr.toString(), /^ENOENT: /);
      assert.equal(run('frobnicate').status, 2);
    },
  );
});
