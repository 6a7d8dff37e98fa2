import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { runCli } from '../../engine/cli/main.js';
import type { CliIo } from '../../engine/cli/command.js';
import { O_RDWR, ROOT_CRED } from '../../engine/fs/types.js';
import { openSession } from '../../engine/session.js';
import { Store } from '../../engine/store/Store.js';
import { isVexError } from '../../engine/errors.js';

function capture(): CliIo & { text: () => string } {
  let out = '';
  return {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (out += `${t}\n`),
    outBytes: (b) => void (out += Buffer.from(b).toString()),
    isTty: false,
    text: () => out,
  };
}

describe('openSession', () => {
  const root = mkdtempSync(join(tmpdir(), 'vexfs-session-'));
  after(() => rmSync(root, { recursive: true, force: true }));

  it('applies the store config: noatime keeps atime, and the content cache is attached', async () => {
    const dir = join(root, 'cfg');
    const created = await openSession(dir, { create: { dim: 4 }, env: { HOME: root, VEXFS_SYSTEM_CONFIG_DIR: root } });
    await created.close();
    const { writeFileSync } = await import('node:fs');
    writeFileSync(join(dir, 'vexfs.toml'), '[general]\natime = "noatime"\n');
    const session = await openSession(dir, { env: { HOME: root, VEXFS_SYSTEM_CONFIG_DIR: root } });
    try {
      assert.equal(session.vfs.atimePolicy, 'noatime');
      assert.equal(session.config.config.general.atime, 'noatime');
      const { attr, fh } = await session.vfs.create(1, 'f', 0o644, O_RDWR, ROOT_CRED);
      await session.vfs.write(fh, 0, Buffer.from('x'), ROOT_CRED);
      const before = session.vfs.getattr(attr.ino).atime;
      session.vfs.read(fh, 0, 1);
      await new Promise((resolve) => setImmediate(resolve));
      assert.deepEqual(session.vfs.getattr(attr.ino).atime, before);
      await session.vfs.release(fh);
    } finally {
      await session.close();
    }
  });

  it('shares a store this process holds, so a CLI command can write to it; Store.open still refuses a second writer', async () => {
    const dir = join(root, 'shared');
    const holder = await openSession(dir, { create: { dim: 4 }, env: {} });
    try {
      await assert.rejects(Store.open(dir), (e: unknown) => isVexError(e, 'E_LOCKED'));
      const io = capture();
      const local = join(root, 'hello.txt');
      (await import('node:fs')).writeFileSync(local, 'hello');
      assert.equal(await runCli(['fs', dir, 'put', local, '/hello.txt'], io, { env: {} }), 0, io.text());
      // The command's close only returned its borrow: the holder still works and sees the file.
      assert.equal(holder.store.isClosed, false);
      assert.equal(holder.vfs.getattr(holder.vfs.childIno(1, 'hello.txt')).size, 5);
    } finally {
      await holder.close();
    }
    assert.equal(holder.store.isClosed, true);
  });

  it("vexctl --config FILE applies FILE to the store a command opens, above the store's own file", async () => {
    const { writeFileSync } = await import('node:fs');
    const dir = join(root, 'flag');
    const created = await openSession(dir, { create: { dim: 4 }, env: {} });
    await created.close();
    writeFileSync(join(dir, 'vexfs.toml'), '[general]\natime = "relatime"\n');
    const file = join(root, 'flag.toml');
    writeFileSync(file, '[general]\natime = "noatime"\n');
    const local = join(root, 'flag.txt');
    writeFileSync(local, 'x');
    const io = capture();
    const env = { HOME: root, VEXFS_SYSTEM_CONFIG_DIR: root };
    assert.equal(await runCli(['--config', file, 'fs', dir, 'put', local, '/f'], io, { env }), 0, io.text());
    const bad = capture();
    assert.equal(await runCli(['--config', join(root, 'missing.toml'), 'fs', dir, 'ls', '/'], bad, { env }), 1);
    assert.match(bad.text(), /E_CONFIG/);
    assert.equal(await runCli(['--config'], capture(), { env }), 2);
    const session = await openSession(dir, { configFile: file, env });
    try {
      assert.equal(session.vfs.atimePolicy, 'noatime');
    } finally {
      await session.close();
    }
  });
});
