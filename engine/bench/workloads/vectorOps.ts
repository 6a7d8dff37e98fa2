import { randomBytes } from 'node:crypto';
import { join } from 'node:path';
import { VexError } from '../../errors.js';
import { Store } from '../../store/Store.js';
import type { Collection } from '../../vector/Collection.js';
import { Collections } from '../../vector/Collections.js';
import type { WorkloadContext, WorkloadModule, WorkloadSession } from './types.js';
import { checksumOf, loadDatasetFile, randomVectors, seededStream } from './vectorData.js';

const POOL = 1024;
const COLLECTION = 'bench';

/**
 * The seed guide's "vector operations", concrete: a collection of `dataset.size` points (seeded
 * random vectors of `dataset.dim`, or an imported dataset) in a real store; `upsert` replaces a
 * random point's vector and payload and resolves once committed (group commit), `get` reads a
 * random point, `search` is an exact top-k with the vector of a random pool query. The mix and the
 * closed-loop concurrency come from the profile.
 */
export const vectorOpsWorkload: WorkloadModule = {
  open: async (context: WorkloadContext): Promise<WorkloadSession> => {
    if (context.subject !== 'vexfs')
      throw new VexError('E_PROFILE', `vector-ops has no subject '${context.subject}' (known: vexfs)`);
    const k = Number(context.params.k ?? 10);
    const metric = String(context.params.metric ?? 'cosine');
    let base: Float32Array;
    let size: number;
    let dim: number;
    let checksum: string;
    if (context.dataset.file !== null) {
      const loaded = loadDatasetFile(context.dataset.file);
      ({ data: base, count: size, dim, checksum } = loaded);
    } else {
      size = Math.max(1, context.dataset.size);
      dim = context.dataset.dim || 384;
      base = randomVectors(size, dim, context.dataset.seed);
      checksum = checksumOf(base);
    }
    const pool = randomVectors(POOL, dim, context.dataset.seed + 1);
    const dir = context.storeDir ?? join(context.scratchDir, `vector-ops-${randomBytes(4).toString('hex')}`);
    const commitWindowUs = Number(context.storeConfig.commit_window_us ?? 0);
    let store = await Store.create(dir, { dim, metric: 'l2', commitWindowUs });
    let collections = await Collections.open(store);
    await collections.create(COLLECTION, { dim, metric });
    const chunk = 2000;
    for (let start = 0; start < size; start += chunk) {
      const end = Math.min(size, start + chunk);
      await collections.collection(COLLECTION).upsertBatch(
        Array.from({ length: end - start }, (_, j) => {
          const i = start + j;
          return { id: `p${i}`, vector: base.subarray(i * dim, (i + 1) * dim), payload: { n: i, group: i % 10 } };
        }),
      );
    }
    let collection: Collection = collections.collection(COLLECTION);
    const next = seededStream(context.dataset.seed + 7);
    let written = 0;
    const ops = [
      (): Promise<void> => {
        const i = next() % size;
        const v = next() % POOL;
        written += 1;
        return collection.upsert(`p${i}`, pool.subarray(v * dim, (v + 1) * dim), { n: i, group: i % 10, w: written });
      },
      (): void => {
        const id = `p${next() % size}`;
        if (collection.get(id) === null) throw new VexError('E_INTERNAL', `point ${id} is missing`);
      },
      async (): Promise<void> => {
        const v = next() % POOL;
        const hits = await collection.search(pool.subarray(v * dim, (v + 1) * dim), { k });
        if (hits.length !== Math.min(k, size))
          throw new VexError('E_INTERNAL', `search returned ${hits.length} of ${k}`);
      },
    ];
    return {
      run: (opIndex: number) => (ops[opIndex] as () => void | Promise<void>)(),
      reopen: async () => {
        await store.close();
        store = await Store.open(dir, { commitWindowUs });
        collections = await Collections.open(store);
        collection = collections.collection(COLLECTION);
      },
      datasetChecksum: checksum,
      close: async () => store.close(),
    };
  },
};
