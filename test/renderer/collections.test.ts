import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineHost } from '../../engine/api/EngineHost.js';
import { formatBytes, formatDistance } from '../../renderer/src/charts/format.js';
import { EMPTY_SEARCH, parseVectorText, searchRequest } from '../../renderer/src/state/searchForm.js';
import { createWorkbench, type WorkbenchStore } from '../../renderer/src/state/workbench.js';
import { callerFor, memoryStorage } from './harness.js';

describe('the search form', () => {
  it('reads vectors as a JSON array or as numbers separated by commas or spaces', () => {
    assert.deepEqual(parseVectorText('[0.5, -1, 2e3]'), [0.5, -1, 2000]);
    assert.deepEqual(parseVectorText(' 1,2 ,3 '), [1, 2, 3]);
    assert.deepEqual(parseVectorText('1 2\n3'), [1, 2, 3]);
    assert.throws(() => parseVectorText('  '), /the vector is empty/);
    assert.throws(() => parseVectorText('1, two, 3'), /component 1 of the vector \('two'\) is not a number/);
    assert.throws(() => parseVectorText('[1, NaN]'), /component 1/);
  });

  it('builds the request, or says which field to fix', () => {
    const byVector = searchRequest('s', {
      ...EMPTY_SEARCH,
      query: '1, 2',
      filter: '{"lang": "en"}',
      pathPrefix: ' /docs ',
    });
    assert.deepEqual(byVector, {
      storeId: 's',
      collection: '_files',
      query: { vector: [1, 2] },
      k: 10,
      filter: { lang: 'en' },
      pathPrefix: '/docs',
      exclude: [],
    });
    const byPoint = searchRequest('s', {
      ...EMPTY_SEARCH,
      collection: 'docs',
      queryKind: 'point',
      query: ' p1 ',
      k: '3',
    });
    assert.deepEqual([byPoint.query, byPoint.exclude, byPoint.k], [{ id: 'p1' }, ['p1'], 3]);
    const keepSelf = searchRequest('s', { ...EMPTY_SEARCH, queryKind: 'point', query: '/a', excludeQuery: false });
    assert.deepEqual(keepSelf.exclude, []);
    assert.throws(() => searchRequest('s', { ...EMPTY_SEARCH, query: '1', k: '0' }), /k must be a whole number/);
    assert.throws(() => searchRequest('s', { ...EMPTY_SEARCH, query: '1', k: '2.5' }), /k must be a whole number/);
    assert.throws(() => searchRequest('s', { ...EMPTY_SEARCH, query: '1', filter: '{lang: en}' }), /not valid JSON/);
    assert.throws(() => searchRequest('s', { ...EMPTY_SEARCH, queryKind: 'point', query: ' ' }), /name a point id/);
  });

  it('formats distances and sizes for reading', () => {
    assert.equal(formatDistance(0), '0');
    assert.equal(formatDistance(0.123456789), '0.123457');
    assert.equal(formatDistance(3e-7), '3.0000e-7');
    assert.equal(formatBytes(512), '512 bytes');
    assert.equal(formatBytes(48 * 1024 * 1024), '48.0 MiB');
  });
});

describe('the collections slice over a real engine host', () => {
  let root: string;
  let host: EngineHost;
  let store: WorkbenchStore;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'vexfs-collections-slice-'));
    host = new EngineHost({ workspaceRoot: root, checkOutputs: true });
    store = createWorkbench({ client: callerFor(host), storage: memoryStorage() });
    await store.getState().createStore('vectors', 2);
  });
  after(async () => {
    await host.close();
    rmSync(root, { recursive: true, force: true });
  });

  const storeId = (): string => store.getState().currentStoreId as string;

  it('lists _files first, creates a collection, adds points and shows its statistics and points', async () => {
    await store.getState().loadCollections();
    assert.deepEqual(
      store.getState().collections.map((c) => c.name),
      ['_files'],
    );
    assert.equal(await store.getState().createCollection('docs', 2, 'l2'), true);
    for (const [id, vector] of [
      ['a', [0, 0]],
      ['b', [1, 0]],
      ['c', [5, 5]],
    ] as const) {
      assert.equal(
        await store.getState().upsertPoint('docs', id, [...vector], { group: id === 'c' ? 'far' : 'near' }),
        true,
      );
    }
    const state = store.getState();
    assert.equal(state.collectionInfo?.name, 'docs');
    assert.equal(state.collectionInfo?.count, 3);
    assert.deepEqual(
      state.points?.points.map((p) => p.id),
      ['a', 'b', 'c'],
    );
    assert.equal(state.collections.find((c) => c.name === 'docs')?.arrayBytes, 24);
  });

  it('says what went wrong, and keeps the last good state', async () => {
    assert.equal(await store.getState().upsertPoint('docs', 'd', [1, 2, 3], {}), false);
    assert.match(store.getState().collectionsError ?? '', /^E_DIM_MISMATCH: /);
    assert.equal(store.getState().collectionInfo?.count, 3);
    assert.equal(await store.getState().createCollection('docs', 2, 'l2'), false);
    assert.match(store.getState().collectionsError ?? '', /^E_EXISTS: /);
  });

  it('searches from the playground form, with a filter, and explains the scan', async () => {
    store
      .getState()
      .setSearchForm({ collection: 'docs', queryKind: 'vector', query: '0.9, 0', k: '2', filter: '{"group": "near"}' });
    await store.getState().runSearch();
    const { searchResult, searchError } = store.getState();
    assert.equal(searchError, null);
    assert.deepEqual(
      searchResult?.hits.map((h) => h.id),
      ['b', 'a'],
    );
    assert.deepEqual([searchResult?.explain.points, searchResult?.explain.candidates], [3, 2]);
    store.getState().setSearchForm({ filter: '{"group": {"$like": "n"}}' });
    await store.getState().runSearch();
    assert.match(store.getState().searchError ?? '', /^E_INVALID: .*\$like/);
    assert.equal(store.getState().searchResult, null);
    store.getState().setSearchForm({ query: '0.9' });
    store.getState().setSearchForm({ filter: '' });
    await store.getState().runSearch();
    assert.match(store.getState().searchError ?? '', /^E_DIM_MISMATCH: /);
  });

  it("opens the playground on a point's neighbours", async () => {
    await store.getState().searchFrom('docs', 'a');
    const state = store.getState();
    assert.equal(state.page, 'search');
    assert.deepEqual(
      state.searchResult?.hits.map((h) => h.id),
      ['b', 'c'],
    );
  });

  it("shows a file's nearest neighbours in its details, itself left out", async () => {
    const put = async (path: string, values: number[]): Promise<void> => {
      const valueBase64 = Buffer.from(new Float32Array(values).buffer).toString('base64');
      assert.ok((await host.call('fs/write-file', { storeId: storeId(), path, dataBase64: '' })).ok);
      assert.ok(
        (await host.call('fs/setxattr', { storeId: storeId(), path, name: 'user.vexfs.vector', valueBase64 })).ok,
      );
    };
    await put('/x', [1, 0]);
    await put('/y', [1, 0.1]);
    await put('/z', [0, 1]);
    await store.getState().selectPath('/x');
    const details = store.getState().details;
    // The store's metric is cosine: /y is nearly parallel to /x, /z is orthogonal (distance 1).
    assert.deepEqual(
      details?.neighbours?.map((h) => h.id),
      ['/y', '/z'],
    );
    assert.ok(Math.abs((details?.neighbours?.[1]?.distance ?? 0) - 1) < 1e-6);
    assert.equal(details?.neighboursError, null);
    assert.ok((await host.call('fs/write-file', { storeId: storeId(), path: '/plain', dataBase64: '' })).ok);
    await store.getState().selectPath('/plain');
    assert.equal(store.getState().details?.neighbours, null, 'a file without a vector has no neighbours to look up');
  });

  it("forgets the last store's collections when another store is opened", async () => {
    await store.getState().createStore('other', 3);
    const state = store.getState();
    assert.deepEqual(
      [state.collections, state.collectionInfo, state.points, state.searchResult],
      [[], null, null, null],
    );
    await store.getState().loadCollections();
    assert.deepEqual(
      store.getState().collections.map((c) => c.name),
      ['_files'],
    );
  });
});
