import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { isVexError } from '../../engine/errors.js';
import { Store } from '../../engine/store/Store.js';
import { Collections } from '../../engine/vector/Collections.js';
import { pairwise } from '../../engine/vector/kernels/index.js';

const root = mkdtempSync(join(tmpdir(), 'vexfs-collections-'));
after(() => rmSync(root, { recursive: true, force: true }));

function rng(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    return s / 2 ** 32 - 0.5;
  };
}

function randomVector(next: () => number, dim: number): Float32Array {
  return Float32Array.from({ length: dim }, next);
}

const code = (c: string) => (error: unknown) => isVexError(error, c as never);

let counter = 0;
async function freshStore(): Promise<Store> {
  return Store.create(join(root, `store-${counter++}`), { dim: 4, metric: 'l2' });
}

describe('named collections', () => {
  let store: Store;
  let collections: Collections;
  before(async () => {
    store = await freshStore();
    collections = await Collections.open(store);
  });
  after(async () => store.close());

  test('create, list, info and drop; names, dims, metrics and index types are checked', async () => {
    const info = await collections.create('docs', { dim: 8, metric: 'cosine' });
    assert.equal(info.count, 0);
    assert.equal(info.index, 'flat');
    await assert.rejects(collections.create('docs', { dim: 8, metric: 'cosine' }), code('E_EXISTS'));
    await assert.rejects(collections.create('bad name', { dim: 8, metric: 'l2' }), code('E_INVALID'));
    await assert.rejects(collections.create('x', { dim: 0, metric: 'l2' }), code('E_INVALID'));
    await assert.rejects(collections.create('x', { dim: 8, metric: 'euclid' }), code('E_INVALID'));
    await assert.rejects(collections.create('x', { dim: 8, metric: 'l2', index: 'hnsw' }), (e: unknown) => {
      return isVexError(e, 'E_UNAVAILABLE') && /HNSW comes with its own capability/.test(e.message);
    });
    await assert.rejects(collections.create('x', { dim: 8, metric: 'l2', index: 'ivf' }), code('E_INVALID'));
    await collections.create('gone', { dim: 2, metric: 'dot' });
    assert.deepEqual(
      collections.list().map((c) => c.name),
      ['_files', 'docs', 'gone'],
    );
    await collections.drop('gone');
    await assert.rejects(collections.drop('gone'), code('E_NOT_FOUND'));
    assert.throws(() => collections.get('gone'), code('E_NOT_FOUND'));
    await assert.rejects(collections.drop('_files'), code('E_INVALID'));
  });

  test('upsert, get, delete, count; a committed upsert is seen by the next search', async () => {
    const c = await collections.create('points', { dim: 3, metric: 'l2' });
    const points = collections.collection(c.name);
    await points.upsert('a', [1, 0, 0], { lang: 'en', year: 2020 });
    assert.equal((await points.search([1, 0, 0], { k: 1 }))[0]?.id, 'a');
    await points.upsertBatch([
      { id: 'b', vector: [0, 1, 0], payload: { lang: 'fr', year: 2021 } },
      { id: 'c', vector: [0, 0, 1], payload: { lang: 'en', year: 2022, tags: { kind: 'x' } } },
    ]);
    assert.equal(points.count(), 3);
    assert.deepEqual(points.get('b'), { id: 'b', vector: [0, 1, 0], payload: { lang: 'fr', year: 2021 } });
    assert.equal(points.get('nope'), null);
    await points.upsert('a', [0, 0.9, 0], { lang: 'de' });
    assert.equal(points.count(), 3);
    const hits = await points.search([0, 1, 0], { k: 2 });
    assert.deepEqual(
      hits.map((h) => h.id),
      ['b', 'a'],
    );
    assert.ok(Math.abs((hits[1]?.distance ?? 0) - 0.01) < 1e-6);
    assert.equal(await points.delete('b'), true);
    assert.equal(await points.delete('b'), false);
    assert.equal(points.count(), 2);
    assert.deepEqual(
      (await points.search([0, 1, 0], { k: 10 })).map((h) => h.id),
      ['a', 'c'],
    );
  });

  test('payload filters: equality, range, in-list, nested fields; bad filters are E_INVALID', async () => {
    await collections.create('filtered', { dim: 2, metric: 'l2' });
    const c = collections.collection('filtered');
    await c.upsertBatch(
      Array.from({ length: 50 }, (_, i) => ({
        id: `p${i}`,
        vector: [i, 0],
        payload: { parity: i % 2 === 0 ? 'even' : 'odd', n: i, meta: { group: i % 5 } },
      })),
    );
    const ids = async (filter: unknown, k = 5) => (await c.search([0, 0], { k, filter })).map((h) => h.id);
    assert.deepEqual(await ids({ parity: 'odd' }), ['p1', 'p3', 'p5', 'p7', 'p9']);
    assert.deepEqual(await ids({ n: { $gte: 10, $lt: 13 } }), ['p10', 'p11', 'p12']);
    assert.deepEqual(await ids({ n: { $in: [40, 2, 7] } }), ['p2', 'p7', 'p40']);
    assert.deepEqual(await ids({ 'meta.group': 3, parity: 'even' }, 3), ['p8', 'p18', 'p28']);
    assert.deepEqual(await ids({ missing: 1 }), []);
    assert.deepEqual(await ids({ n: { $gt: 'a' } }), [], 'a string bound never matches a number');
    for (const bad of [
      [1],
      'x',
      { n: { $regex: 'a' } },
      { n: { $in: [] } },
      { n: {} },
      { '': 1 },
      { n: { $gt: [1] } },
    ]) {
      await assert.rejects(c.search([0, 0], { k: 1, filter: bad }), code('E_INVALID'), JSON.stringify(bad));
    }
    await assert.rejects(c.search([0, 0], { k: 1, pathPrefix: '/x' }), code('E_INVALID'));
  });

  test('wrong dims, NaN and Inf, bad ids and payloads are typed errors; a failed batch writes nothing', async () => {
    await collections.create('strict', { dim: 3, metric: 'cosine' });
    const c = collections.collection('strict');
    await c.upsert('keep', [1, 2, 3]);
    await assert.rejects(c.upsert('x', [1, 2]), code('E_DIM_MISMATCH'));
    await assert.rejects(c.upsert('x', [1, NaN, 2]), code('E_INVALID'));
    await assert.rejects(c.upsert('x', [1, Infinity, 2]), code('E_INVALID'));
    await assert.rejects(c.upsert('', [1, 2, 3]), code('E_INVALID'));
    await assert.rejects(c.upsert('x', [1, 2, 3], [1, 2] as unknown), code('E_INVALID'));
    await assert.rejects(c.upsert('x', [1, 2, 3], 'text' as unknown), code('E_INVALID'));
    await assert.rejects(c.search([1, 2], { k: 1 }), code('E_DIM_MISMATCH'));
    await assert.rejects(c.search([1, 2, 3], { k: 0 }), code('E_INVALID'));
    await assert.rejects(
      c.upsertBatch([
        { id: 'n1', vector: [1, 1, 1] },
        { id: 'n2', vector: [1, 1] },
      ]),
      code('E_DIM_MISMATCH'),
    );
    assert.equal(c.count(), 1);
    assert.equal(c.get('n1'), null);
    const stored = store.db.prepare("SELECT COUNT(*) FROM vector_points WHERE collection = 'strict'").pluck().get();
    assert.equal(stored, 1);
    assert.throws(() => collections.get('unknown'), code('E_NOT_FOUND'));
  });

  test('exact search matches a brute-force float64 ranking for every float metric', async () => {
    const next = rng(7);
    for (const metric of ['l2', 'cosine', 'dot', 'manhattan'] as const) {
      const name = `exact-${metric}`;
      await collections.create(name, { dim: 16, metric });
      const c = collections.collection(name);
      const vectors = Array.from({ length: 300 }, () => randomVector(next, 16));
      await c.upsertBatch(vectors.map((v, i) => ({ id: `v${i}`, vector: v })));
      const query = randomVector(next, 16);
      const expected = vectors
        .map((v, i) => ({ i, d: pairwise(metric, query, v) }))
        .sort((a, b) => a.d - b.d || a.i - b.i)
        .slice(0, 10)
        .map((x) => `v${x.i}`);
      assert.deepEqual(
        (await c.search(query, { k: 10 })).map((h) => h.id),
        expected,
        metric,
      );
    }
  });

  test('hamming collections take bits and rank by differing bits', async () => {
    await collections.create('bits', { dim: 10, metric: 'hamming' });
    const c = collections.collection('bits');
    await c.upsertBatch([
      { id: 'zero', vector: [0, 0, 0, 0, 0, 0, 0, 0, 0, 0] },
      { id: 'two', vector: [1, 0, 0, 0, 0, 0, 0, 0, 0, 1] },
    ]);
    const hits = await c.search([1, 0, 0, 0, 0, 0, 0, 0, 0, 0], { k: 2 });
    assert.deepEqual(
      hits.map((h) => [h.id, h.distance]),
      [
        ['zero', 1],
        ['two', 1],
      ],
    );
    assert.deepEqual(c.get('two')?.vector, [1, 0, 0, 0, 0, 0, 0, 0, 0, 1]);
    await assert.rejects(c.upsert('x', [2, 0, 0, 0, 0, 0, 0, 0, 0, 0]), code('E_INVALID'));
    await assert.rejects(c.upsert('x', [1, 0]), code('E_DIM_MISMATCH'));
  });

  test('large scans run off the event loop and still see changes committed during them', async () => {
    const dim = 256;
    const size = process.env.VEXFS_TEST_TIER === 'long' ? 40_000 : 5_000;
    await collections.create('big', { dim, metric: 'l2' });
    const c = collections.collection('big');
    const next = rng(3);
    const batch = Array.from({ length: size }, (_, i) => ({ id: `b${i}`, vector: randomVector(next, dim) }));
    await c.upsertBatch(batch);
    const target = randomVector(next, dim);
    const searches = [c.search(target, { k: 3, threads: 2 }), c.search(target, { k: 3, threads: 2 })];
    await c.upsert('target', target);
    const later = await c.search(target, { k: 1, threads: 2 });
    const earlier = await Promise.all(searches);
    assert.equal(later[0]?.id, 'target');
    assert.equal(later[0]?.distance, 0);
    for (const hits of earlier) assert.equal(hits.length, 3);
    // Concurrent searches, each with its own k, get the same answers as searches one at a time.
    const queries = Array.from({ length: 12 }, (_, i) =>
      i % 3 === 0 ? target : (batch[i * 7]?.vector as Float32Array),
    );
    const together = await Promise.all(queries.map((q, i) => c.search(q, { k: 1 + (i % 4) })));
    const alone: string[][] = [];
    for (const [i, q] of queries.entries())
      alone.push((await c.search(q, { k: 1 + (i % 4), threads: 1 })).map((h) => h.id));
    assert.deepEqual(
      together.map((hits) => hits.map((h) => h.id)),
      alone,
    );
    // Searches that wait share one pass over the arrays, and the explanation says so; a change committed
    // while they wait is seen by every search issued after it, never lost.
    const explains = queries.map(() => ({ points: 0, candidates: 0, offThread: false, threads: 0, sharedScan: 0 }));
    const shared = queries.map((q, i) => c.search(q, { k: 2, explain: explains[i] }));
    await c.upsert(
      'moved-target',
      target.map((x) => x + 1e-3),
    );
    const afterMove = await c.search(target, { k: 2 });
    await Promise.all(shared);
    assert.ok(
      explains.every((e) => e.offThread && e.sharedScan >= 1 && e.points === size + 1),
      JSON.stringify(explains[0]),
    );
    assert.ok(Math.max(...explains.map((e) => e.sharedScan)) > 1, 'concurrent searches shared a scan');
    assert.deepEqual(
      afterMove.map((h) => h.id),
      ['target', 'moved-target'],
    );
    const batched = await c.searchBatch([target, batch[5]?.vector as Float32Array], { k: 1 });
    assert.deepEqual(
      batched.map((h) => h[0]?.id),
      ['target', 'b5'],
    );
  });
});

describe('durability and derived state', () => {
  test('points survive close and reopen; the arrays are rebuilt and say so', async () => {
    const dir = join(root, 'reopen');
    let store = await Store.create(dir, { dim: 4, metric: 'l2' });
    let collections = await Collections.open(store);
    await collections.create('keep', { dim: 2, metric: 'l2' });
    await collections.collection('keep').upsertBatch([
      { id: 'a', vector: [1, 1], payload: { x: 1 } },
      { id: 'b', vector: [2, 2] },
    ]);
    await collections.collection('keep').delete('b');
    // The arrays were built empty on create and kept up to date in place: the report says where they are now.
    assert.deepEqual(collections.info('keep').derived, { version: 2, points: 1, reason: 'open', warnings: [] });
    await store.close();
    store = await Store.open(dir, { readOnly: true });
    collections = await Collections.open(store);
    const info = collections.info('keep');
    assert.equal(info.count, 1);
    assert.equal(info.version, 2);
    assert.deepEqual(info.derived, { version: 2, points: 1, reason: 'open', warnings: [] });
    assert.deepEqual(collections.get('keep').get('a'), { id: 'a', vector: [1, 1], payload: { x: 1 } });
    await assert.rejects(collections.create('new', { dim: 2, metric: 'l2' }), code('EROFS'));
    await store.close();
  });

  test('a flipped byte in a stored point is E_CORRUPT, never a wrong answer', async () => {
    const dir = join(root, 'corrupt');
    let store = await Store.create(dir, { dim: 4, metric: 'l2' });
    const collections = await Collections.open(store);
    await collections.create('c', { dim: 2, metric: 'l2' });
    await collections.collection('c').upsert('a', [1, 2]);
    store.db.prepare("UPDATE vector_points SET payload = '{\"x\":2}' WHERE id = 'a'").run();
    await store.close();
    store = await Store.open(dir);
    const reopened = await Collections.open(store);
    assert.throws(() => reopened.get('c'), code('E_CORRUPT'));
    await store.close();
  });

  test('a read-only reader sees commits made by the writer after it opened', async () => {
    const dir = join(root, 'two-connections');
    const writer = await Store.create(dir, { dim: 4, metric: 'l2' });
    const wc = await Collections.open(writer);
    await wc.create('shared', { dim: 2, metric: 'l2' });
    await wc.collection('shared').upsert('first', [0, 0]);
    const reader = await Store.open(dir, { readOnly: true });
    const rc = await Collections.open(reader);
    assert.equal(rc.get('shared').count(), 1);
    await wc.collection('shared').upsert('second', [5, 5]);
    assert.equal(rc.get('shared').count(), 2);
    assert.equal((await rc.get('shared').search([5, 5], { k: 1 }))[0]?.id, 'second');
    await reader.close();
    await writer.close();
  });
});
