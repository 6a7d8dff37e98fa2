import { performance } from 'node:perf_hooks';
import { VexError } from '../../errors.js';
import type { CollectionInfo, ReadableCollection } from '../../vector/Collection.js';
import { collectionsOf } from '../../vector/Collections.js';
import type { ScanExplain } from '../../vector/FlatIndex.js';
import { capabilities } from '../../vector/kernels/index.js';
import { vectorByteLength } from '../../vector/vectors.js';
import type { Handlers } from '../EngineHost.js';
import type { OpenStores } from '../OpenStores.js';

type VectorHandlerNames = Extract<keyof Handlers, `collection/${string}` | `vector/${string}`>;

/** The listing's figures plus the size of the arrays a search scans. */
function withStats(info: CollectionInfo) {
  return { ...info, arrayBytes: info.count * vectorByteLength(info) };
}

function queryVector(collection: ReadableCollection, query: { vector: number[] } | { id: string }): number[] {
  if ('vector' in query) return query.vector;
  const point = collection.get(query.id);
  if (point === null) {
    throw new VexError(
      'E_NOT_FOUND',
      collection.name === '_files'
        ? `no file at '${query.id}' has a vector (set its user.vexfs.vector xattr)`
        : `collection '${collection.name}' has no point '${query.id}'`,
    );
  }
  return point.vector;
}

/** Collections and searches, as `vexctl collection|vector` does them, for the workbench. */
export function vectorHandlers(stores: OpenStores): Pick<Handlers, VectorHandlerNames> {
  const collections = (storeId: string) => collectionsOf(stores.get(storeId).store);
  return {
    'collection/list': async ({ storeId }) => ({ collections: (await collections(storeId)).list().map(withStats) }),
    'collection/info': async ({ storeId, name }) => withStats((await collections(storeId)).info(name)),
    'collection/create': async ({ storeId, name, dim, metric, index }) =>
      withStats(await (await collections(storeId)).create(name, { dim, metric, index })),
    'collection/drop': async ({ storeId, name }) => {
      await (await collections(storeId)).drop(name);
      return {};
    },
    'collection/points': async ({ storeId, name, offset, limit }) => {
      const collection = (await collections(storeId)).get(name);
      // Sorted so that pages are stable while nothing changes.
      const ids = collection.ids().sort();
      const page = ids.slice(offset, offset + limit);
      return {
        points: page.map((id) => ({ id, payload: collection.get(id)?.payload ?? null })),
        total: ids.length,
        nextOffset: offset + limit < ids.length ? offset + limit : null,
      };
    },
    'vector/upsert': async ({ storeId, collection, points }) => ({
      upserted: await (await collections(storeId)).collection(collection).upsertBatch(points),
    }),
    'vector/get': async ({ storeId, collection, id }) => ({
      point: (await collections(storeId)).get(collection).get(id),
    }),
    'vector/delete': async ({ storeId, collection, ids }) => {
      const target = (await collections(storeId)).collection(collection);
      // Issued together, so that the group commit takes them in one transaction.
      const existed = await Promise.all(ids.map((id) => target.delete(id)));
      return { deleted: existed.filter(Boolean).length };
    },
    'vector/search': async ({ storeId, collection, query, k, filter, pathPrefix, exclude }) => {
      const target = (await collections(storeId)).get(collection);
      const vector = queryVector(target, query);
      const info = target.info();
      const scan: ScanExplain = { points: 0, candidates: 0, offThread: false, threads: 1, sharedScan: 1 };
      const started = performance.now();
      const found = await target.search(vector, {
        k: k + exclude.length,
        ...(filter === undefined ? {} : { filter }),
        ...(pathPrefix === undefined ? {} : { pathPrefix }),
        explain: scan,
      });
      const elapsedMs = performance.now() - started;
      const left = new Set(exclude);
      return {
        hits: found.filter((hit) => !left.has(hit.id)).slice(0, k),
        explain: {
          index: info.index,
          exact: true,
          metric: info.metric,
          dim: info.dim,
          query: 'vector' in query ? ('vector' as const) : ('point' as const),
          ...scan,
          k,
          filter: filter !== undefined,
          pathPrefix: pathPrefix ?? null,
          kernelBackend: capabilities().backend,
          elapsedMs,
          derived: info.derived,
        },
      };
    },
  };
}
