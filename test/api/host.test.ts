import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, symlinkSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineHost } from '../../engine/api/EngineHost.js';
import { requestNames } from '../../engine/api/contract/index.js';

describe('EngineHost', () => {
  let root: string;
  let host: EngineHost;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'vexfs-host-'));
    host = new EngineHost({ workspaceRoot: root, checkOutputs: true });
  });
  after(async () => {
    await host.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('has a handler for every contract entry', async () => {
    for (const name of requestNames) {
      const outcome = await host.call(name, { definitely: 'not valid' });
      // Every entry is wired: bad input is refused by validation, never by a missing handler.
      assert.equal(outcome.ok, false, name);
      if (!outcome.ok) assert.notEqual(outcome.error.code, 'E_INTERNAL', `${name}: ${outcome.error.message}`);
    }
  });

  it('refuses unknown requests and invalid input with a sentence naming the field', async () => {
    const unknown = await host.call('store/explode', {});
    assert.deepEqual(unknown.ok ? null : unknown.error.code, 'E_USAGE');
    const bad = await host.call('store/create', { dir: 'x', dim: -3 });
    assert.equal(bad.ok, false);
    if (!bad.ok) {
      assert.equal(bad.error.code, 'E_INVALID');
      assert.match(bad.error.message, /dim/);
    }
  });

  it('creates a store, writes, lists, reads, and reads a vector back', async () => {
    const created = await host.call('store/create', { dir: 'demo', dim: 4, metric: 'l2' });
    assert.ok(created.ok, JSON.stringify(created));
    const storeId = (created.result as { storeId: string }).storeId;
    const mkdir = await host.call('fs/mkdir', { storeId, path: '/a/b', parents: true });
    assert.ok(mkdir.ok, JSON.stringify(mkdir));
    const write = await host.call('fs/write-file', {
      storeId,
      path: '/a/b/hello.txt',
      dataBase64: Buffer.from('hello').toString('base64'),
    });
    assert.ok(write.ok, JSON.stringify(write));
    const vector = Buffer.from(new Float32Array([1, 2, 3, 4]).buffer).toString('base64');
    assert.ok(
      (
        await host.call('fs/setxattr', {
          storeId,
          path: '/a/b/hello.txt',
          name: 'user.vexfs.vector',
          valueBase64: vector,
        })
      ).ok,
    );
    const listing = await host.call('fs/readdir', { storeId, path: '/a/b' });
    assert.ok(listing.ok);
    assert.deepEqual(
      (listing.result as { entries: { name: string; size: number }[] }).entries.map((e) => [e.name, e.size]),
      [['hello.txt', 5]],
    );
    const read = await host.call('fs/read', { storeId, path: '/a/b/hello.txt' });
    assert.ok(read.ok);
    assert.equal(Buffer.from((read.result as { dataBase64: string }).dataBase64, 'base64').toString(), 'hello');
    const got = await host.call('fs/vector', { storeId, path: '/a/b/hello.txt' });
    assert.deepEqual(got.ok ? got.result : got.error, { vector: [1, 2, 3, 4] });
    const wrong = await host.call('fs/setxattr', {
      storeId,
      path: '/a/b/hello.txt',
      name: 'user.vexfs.vector',
      valueBase64: 'AAAA',
    });
    assert.equal(wrong.ok ? null : wrong.error.code, 'EINVAL');
    const missing = await host.call('fs/stat', { storeId, path: '/nope' });
    assert.equal(missing.ok ? null : missing.error.code, 'ENOENT');
    assert.ok((await host.call('store/close', { storeId })).ok);
    const closed = await host.call('fs/stat', { storeId, path: '/' });
    assert.equal(closed.ok ? null : closed.error.code, 'E_NOT_FOUND');
    const reopened = await host.call('store/open', { dir: join(root, 'demo'), readOnly: true });
    assert.ok(reopened.ok, JSON.stringify(reopened));
  });

  it('confines paths to the workspace root, symlinks included', async () => {
    const outside = mkdtempSync(join(tmpdir(), 'vexfs-outside-'));
    try {
      const escape = await host.call('store/create', { dir: join(outside, 's') });
      assert.equal(escape.ok ? null : escape.error.code, 'EACCES');
      const dotdot = await host.call('store/create', { dir: '../elsewhere' });
      assert.equal(dotdot.ok ? null : dotdot.error.code, 'EACCES');
      mkdirSync(join(root, 'links'));
      symlinkSync(outside, join(root, 'links', 'out'));
      const viaLink = await host.call('store/create', { dir: 'links/out/s' });
      assert.equal(viaLink.ok ? null : viaLink.error.code, 'EACCES');
    } finally {
      rmSync(outside, { recursive: true, force: true });
    }
  });
});
