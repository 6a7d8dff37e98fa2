import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';
import { VexError } from '../../errors.js';
import { FlatIndex } from '../../vector/FlatIndex.js';
import { FLAT_SEARCH_DIMS, FLAT_SEARCH_OPS } from './vectorDescriptors.js';
import type { UnitFigureContext, WorkloadContext, WorkloadFigure, WorkloadModule, WorkloadSession } from './types.js';
import { checksumOf, randomVectors, refuseDatasetFile } from './vectorData.js';

const QUERY_POOL = 256;

interface Usearch {
  exactSearch(
    dataset: Float32Array,
    queries: Float32Array,
    dim: number,
    k: number,
    metric: string,
    threads: number,
  ): unknown;
  MetricKind: { L2sq: string };
}

/** One dimension's data: the base vectors and a pool of queries (seed + 1, so queries are not base vectors). */
interface DimData {
  dim: number;
  base: Float32Array;
  queries: Float32Array;
}

type Search = (data: DimData, queryIndex: number, batch: number, threads: number) => void | Promise<void>;

function vexfsSearch(indexes: Map<number, FlatIndex>, k: number): Search {
  return (data, q, batch, threads) => {
    const index = indexes.get(data.dim) as FlatIndex;
    const start = (q % (QUERY_POOL - batch + 1)) * data.dim;
    const queries = data.queries.subarray(start, start + batch * data.dim);
    if (batch === 1) {
      return index.search(queries, { k, threads }).then((hits) => {
        if (hits.length !== k) throw new VexError('E_INTERNAL', `flat search returned ${hits.length} of ${k} results`);
      });
    }
    return index.searchBatch(queries, { k, threads }).then((results) => {
      if (results.length !== batch)
        throw new VexError('E_INTERNAL', `batch search answered ${results.length} of ${batch}`);
    });
  };
}

function usearchSearch(k: number): Search {
  const usearch = createRequire(import.meta.url)('usearch') as Usearch;
  return (data, q, batch, threads) => {
    const start = (q % (QUERY_POOL - batch + 1)) * data.dim;
    usearch.exactSearch(
      data.base,
      data.queries.subarray(start, start + batch * data.dim),
      data.dim,
      k,
      usearch.MetricKind.L2sq,
      threads,
    );
  };
}

/**
 * Exact top-k (squared L2) over `dataset.size` seeded random vectors at 128 and 768 dimensions.
 * `vexfs` scans engine/vector's FlatIndex (the derived contiguous arrays a collection searches) with
 * the native threaded kernels; `usearch` runs its exactSearch on the same arrays, same k, float32,
 * same batch and threads. Single ops are one query on one thread; batch ops are `batch` queries in
 * one call (an op is the whole batch: queries per second = batch × ops per second) on one thread
 * (`_t1`) and on every core (`_tall`).
 */
export const flatSearchWorkload: WorkloadModule = {
  open: async (context: WorkloadContext): Promise<WorkloadSession> => {
    refuseDatasetFile(context.dataset, 'flat-search');
    const size = Math.max(16, context.dataset.size);
    const k = Math.min(Number(context.params.k ?? 10), size);
    const batch = Number(context.params.batch ?? 16);
    const allThreads = Number(context.params.threads_all ?? 0) || availableParallelism();
    const data = FLAT_SEARCH_DIMS.map((dim, i): DimData => ({
      dim,
      base: randomVectors(size, dim, context.dataset.seed + i * 1000),
      queries: randomVectors(QUERY_POOL, dim, context.dataset.seed + i * 1000 + 1),
    }));
    let search: Search;
    if (context.subject === 'vexfs') {
      const indexes = new Map<number, FlatIndex>();
      for (const d of data) {
        const index = new FlatIndex({ dim: d.dim, metric: 'l2' }, size);
        for (let i = 0; i < size; i++) index.set(`v${i}`, d.base.subarray(i * d.dim, (i + 1) * d.dim), null);
        indexes.set(d.dim, index);
      }
      search = vexfsSearch(indexes, k);
    } else if (context.subject === 'usearch') {
      search = usearchSearch(k);
    } else {
      throw new VexError('E_PROFILE', `flat-search has no subject '${context.subject}' (known: vexfs, usearch)`);
    }
    let counter = 0;
    return {
      run: (opIndex: number) => {
        const dimIndex = Math.floor(opIndex / 3);
        const kind = opIndex % 3;
        const d = data[dimIndex] as DimData;
        counter += 1;
        return search(d, counter, kind === 0 ? 1 : batch, kind === 2 ? allThreads : 1);
      },
      datasetChecksum: checksumOf(data[0]?.base as Float32Array) + checksumOf(data[1]?.base as Float32Array),
      // Queries per second: an op answers 1 (single) or `batch` queries; one figure per op of a single-op workload.
      unitFigures: (unit: UnitFigureContext): WorkloadFigure[] => {
        const ops = Object.keys(unit.mix);
        const opIndex = FLAT_SEARCH_OPS.indexOf(ops[0] ?? '');
        if (ops.length !== 1 || opIndex < 0) return [];
        const kind = opIndex % 3;
        const queriesPerOp = kind === 0 ? 1 : batch;
        return [
          {
            name: `qps.d${FLAT_SEARCH_DIMS[Math.floor(opIndex / 3)] as number}`,
            labels: { batch: String(queriesPerOp), threads: String(kind === 2 ? allThreads : 1) },
            unit: 'queries/s',
            higherIsBetter: true,
            value: queriesPerOp * unit.opsPerSec,
          },
        ];
      },
      close: async () => {},
    };
  },
};
