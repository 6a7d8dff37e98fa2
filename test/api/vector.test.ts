import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineHost } from '../../engine/api/EngineHost.js';
import type { RequestName, RequestOutput } from '../../engine/api/contract/index.js';

describe('collections and search through the API contract', () => {
  let root: string;
  let host: EngineHost;
  let storeId: string;

  /** The result of a request that must succeed. */
  async function ok<N extends RequestName>(name: N, input: unknown): Promise<RequestOutput<N>> {
    const outcome = await host.call(name, input);
    assert.ok(outcome.ok, `${name}: ${JSON.stringify(outcome)}`);
    return outcome.result as RequestOutput<N>;
  }

  /** The error code of a request that must fail. */
  async function refused(name: RequestName, input: unknown): Promise<{ code: string; message: string }> {
    const outcome = await host.call(name, input);
    assert.equal(outcome.ok, false, `${name} should have failed: ${JSON.stringify(outcome)}`);
    return outcome.ok ? { code: '', message: '' } : outcome.error;
  }

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'vexfs-api-vector-'));
    host = new EngineHost({ workspaceRoot: root, checkOutputs: true });
    storeId = (await ok('store/create', { dir: 'vec', dim: 3, metric: 'l2' })).storeId;
  });
  after(async () => {
    await host.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('creates a collection, lists it after _files, and reports its statistics', async () => {
    const created = await ok('collection/create', { storeId, name: 'docs', dim: 2, metric: 'l2' });
    assert.deepEqual(
      [created.name, created.dim, created.metric, created.index, created.count],
      ['docs', 2, 'l2', 'flat', 0],
    );
    const points = Array.from({ length: 12 }, (_, i) => ({
      id: `p${String(i).padStart(2, '0')}`,
      vector: [i, 0],
      payload: { even: i % 2 === 0, i },
    }));
    assert.equal((await ok('vector/upsert', { storeId, collection: 'docs', points })).upserted, 12);
    const info = await ok('collection/info', { storeId, name: 'docs' });
    assert.equal(info.count, 12);
    assert.equal(info.arrayBytes, 12 * 2 * 4);
    assert.ok(info.derived !== null && info.version >= 1);
    const listed = await ok('collection/list', { storeId });
    assert.deepEqual(
      listed.collections.map((c) => c.name),
      ['_files', 'docs'],
    );
    assert.equal(listed.collections[0]?.fileBacked, true);
  });

  it('pages through point ids in order', async () => {
    const first = await ok('collection/points', { storeId, name: 'docs', limit: 5 });
    assert.deepEqual(
      first.points.map((p) => p.id),
      ['p00', 'p01', 'p02', 'p03', 'p04'],
    );
    assert.equal(first.total, 12);
    assert.equal(first.nextOffset, 5);
    const last = await ok('collection/points', { storeId, name: 'docs', offset: 10, limit: 5 });
    assert.deepEqual(
      last.points.map((p) => [p.id, p.payload]),
      [
        ['p10', { even: true, i: 10 }],
        ['p11', { even: false, i: 11 }],
      ],
    );
    assert.equal(last.nextOffset, null);
  });

  it('searches by vector with a filter, and explains the scan', async () => {
    const result = await ok('vector/search', {
      storeId,
      collection: 'docs',
      query: { vector: [4.2, 0] },
      k: 3,
      filter: { even: true },
    });
    assert.deepEqual(
      result.hits.map((h) => h.id),
      ['p04', 'p06', 'p02'],
    );
    assert.ok(Math.abs((result.hits[0]?.distance ?? 0) - 0.04) < 1e-5);
    const { explain } = result;
    assert.deepEqual(
      [explain.index, explain.exact, explain.points, explain.candidates, explain.k, explain.filter, explain.query],
      ['flat', true, 12, 6, 3, true, 'vector'],
    );
    assert.ok(explain.elapsedMs >= 0 && explain.kernelBackend.length > 0);
  });

  it("finds a point's neighbours by its id, leaving the point itself out", async () => {
    const result = await ok('vector/search', {
      storeId,
      collection: 'docs',
      query: { id: 'p05' },
      k: 2,
      exclude: ['p05'],
    });
    assert.deepEqual(result.hits.map((h) => h.id).sort(), ['p04', 'p06']);
    assert.equal(result.explain.query, 'point');
  });

  it('gets and deletes points', async () => {
    const got = await ok('vector/get', { storeId, collection: 'docs', id: 'p03' });
    assert.deepEqual(got.point, { id: 'p03', vector: [3, 0], payload: { even: false, i: 3 } });
    assert.equal((await ok('vector/get', { storeId, collection: 'docs', id: 'nope' })).point, null);
    assert.equal((await ok('vector/delete', { storeId, collection: 'docs', ids: ['p03', 'nope'] })).deleted, 1);
    assert.equal((await ok('collection/info', { storeId, name: 'docs' })).count, 11);
  });

  it("searches the store's files by path, under a directory", async () => {
    const vector = (values: number[]): string => Buffer.from(new Float32Array(values).buffer).toString('base64');
    await ok('fs/mkdir', { storeId, path: '/a', parents: true });
    await ok('fs/mkdir', { storeId, path: '/b', parents: true });
    for (const [path, values] of [
      ['/a/one', [1, 0, 0]],
      ['/a/two', [2, 0, 0]],
      ['/b/three', [1.1, 0, 0]],
    ] as const) {
      await ok('fs/write-file', { storeId, path, dataBase64: '' });
      await ok('fs/setxattr', { storeId, path, name: 'user.vexfs.vector', valueBase64: vector([...values]) });
    }
    const near = await ok('vector/search', {
      storeId,
      collection: '_files',
      query: { id: '/a/one' },
      k: 5,
      exclude: ['/a/one'],
    });
    assert.deepEqual(
      near.hits.map((h) => h.id),
      ['/b/three', '/a/two'],
    );
    assert.deepEqual(near.hits[0]?.payload, { path: '/b/three', ino: (near.hits[0]?.payload as { ino: number }).ino });
    const under = await ok('vector/search', {
      storeId,
      collection: '_files',
      query: { vector: [1, 0, 0] },
      pathPrefix: '/a',
    });
    assert.deepEqual(
      under.hits.map((h) => h.id),
      ['/a/one', '/a/two'],
    );
    assert.equal(under.explain.candidates, 2);
    assert.equal(under.explain.pathPrefix, '/a');
  });

  it('refuses bad input with a sentence naming what was wrong', async () => {
    const wrongDim = await refused('vector/upsert', {
      storeId,
      collection: 'docs',
      points: [{ id: 'x', vector: [1, 2, 3] }],
    });
    assert.equal(wrongDim.code, 'E_DIM_MISMATCH');
    assert.match(wrongDim.message, /dimension|2/);
    assert.equal((await refused('vector/upsert', { storeId, collection: 'docs', points: [] })).code, 'E_INVALID');
    assert.equal(
      (await refused('vector/upsert', { storeId, collection: '_files', points: [{ id: 'x', vector: [1, 2, 3] }] }))
        .code,
      'E_INVALID',
    );
    const filter = await refused('vector/search', {
      storeId,
      collection: 'docs',
      query: { vector: [1, 0] },
      filter: { i: { $near: 3 } },
    });
    assert.equal(filter.code, 'E_INVALID');
    assert.match(filter.message, /\$near|operator/);
    const prefix = await refused('vector/search', {
      storeId,
      collection: 'docs',
      query: { vector: [1, 0] },
      pathPrefix: '/a',
    });
    assert.match(prefix.message, /_files/);
    const missingPoint = await refused('vector/search', { storeId, collection: 'docs', query: { id: 'ghost' } });
    assert.deepEqual([missingPoint.code, /ghost/.test(missingPoint.message)], ['E_NOT_FOUND', true]);
    const noFile = await refused('vector/search', { storeId, collection: '_files', query: { id: '/missing' } });
    assert.match(noFile.message, /no file at '\/missing'/);
    assert.equal(
      (await refused('vector/search', { storeId, collection: 'docs', query: { vector: [1, 0] }, k: 0 })).code,
      'E_INVALID',
    );
    assert.equal((await refused('vector/search', { storeId, collection: 'docs', query: {} })).code, 'E_INVALID');
    assert.equal((await refused('collection/info', { storeId, name: 'nothing' })).code, 'E_NOT_FOUND');
    assert.equal(
      (await refused('collection/create', { storeId, name: 'bad name!', dim: 2, metric: 'l2' })).code,
      'E_INVALID',
    );
    assert.equal((await refused('collection/create', { storeId, name: 'c', dim: 0, metric: 'l2' })).code, 'E_INVALID');
    assert.equal(
      (await refused('collection/create', { storeId, name: 'c', dim: 2, metric: 'euclid' })).code,
      'E_INVALID',
    );
    const hnsw = await refused('collection/create', { storeId, name: 'c', dim: 2, metric: 'l2', index: 'hnsw' });
    assert.deepEqual([hnsw.code, /HNSW/.test(hnsw.message)], ['E_UNAVAILABLE', true]);
    assert.equal(
      (await refused('collection/create', { storeId, name: 'docs', dim: 2, metric: 'l2' })).code,
      'E_EXISTS',
    );
    assert.equal((await refused('collection/drop', { storeId, name: '_files' })).code, 'E_INVALID');
  });

  it('drops a collection, and refuses writes on a read-only store', async () => {
    await ok('collection/drop', { storeId, name: 'docs' });
    assert.deepEqual(
      (await ok('collection/list', { storeId })).collections.map((c) => c.name),
      ['_files'],
    );
    await ok('collection/create', { storeId, name: 'kept', dim: 2, metric: 'cosine' });
    await ok('store/close', { storeId });
    const readOnly = await ok('store/open', { dir: 'vec', readOnly: true });
    const write = await refused('collection/create', { storeId: readOnly.storeId, name: 'more', dim: 2, metric: 'l2' });
    assert.equal(write.code, 'EROFS');
    assert.deepEqual(
      (await ok('collection/list', { storeId: readOnly.storeId })).collections.map((c) => c.name),
      ['_files', 'kept'],
    );
  });
});
