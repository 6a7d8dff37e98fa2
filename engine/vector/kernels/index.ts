// The kernels facade: validates every argument, then calls the backend chosen once (native or fallback).
// Metrics and their edge cases (zero vectors, NaN, Inf) are defined in types.ts.
import { VexError, isVexError, type ErrorCode } from '../../errors.js';
import { activeKernels } from './backend.js';
import { metricIds, type Metric, type StoredArray, type TopKResult, type VectorArray } from './types.js';
import {
  checkAllow,
  checkDim,
  checkK,
  checkMetric,
  checkPair,
  checkQueries,
  checkQuery,
  checkRange,
  checkThreads,
  type ScanRange,
} from './validate.js';

export { backendSummary, capabilities, logBackendOnce, setBackend, setSimdEnabled } from './backend.js';
export type { KernelCapabilities, SelectedBy } from './backend.js';
export type { BackendName, BackendRequest, Metric, Storage, StoredArray, TopKResult, VectorArray } from './types.js';
export { metrics } from './types.js';
export type { ScanRange } from './validate.js';

export interface TopKOptions extends ScanRange {
  /** Filter: only vectors whose bit is set are candidates (bit i & 7 of byte i >> 3 for vector i). */
  allow?: Uint8Array;
}
export interface AsyncOptions {
  /** Native threads the scan is split across (1 to 256, default 1); the fallback ignores it. */
  threads?: number;
}

/** Errors from the addon carry a code; anything else is an internal failure. */
function rethrow(cause: unknown): never {
  if (isVexError(cause)) throw cause;
  const code = (cause as { code?: unknown } | null)?.code;
  const message = cause instanceof Error ? cause.message : String(cause);
  throw new VexError(typeof code === 'string' && code.startsWith('E_') ? (code as ErrorCode) : 'E_INTERNAL', message);
}

/** Distance between two vectors of equal length; `b` may be f16 or i8 storage (with `scale`) for l2, dot, cosine. */
export function pairwise(metric: Metric, a: VectorArray, b: StoredArray, scale?: number): number {
  const m = checkMetric(metric);
  // The common case checked inline (this call's fixed cost is what a pairwise benchmark measures).
  const plain =
    scale === undefined &&
    m !== metricIds.hamming &&
    a instanceof Float32Array &&
    b instanceof Float32Array &&
    a.length === b.length &&
    a.length > 0;
  const s = plain ? 1 : checkPair(m, a, b, scale);
  try {
    return scale === undefined ? activeKernels().pairwise(m, a, b) : activeKernels().pairwise(m, a, b, s);
  } catch (cause) {
    rethrow(cause);
  }
}

interface Prepared {
  m: number;
  dim: number;
  queries: VectorArray;
  queryCount: number;
  base: StoredArray;
  offset: number;
  count: number;
  scale: number;
}

function prepare(
  metric: Metric,
  queries: VectorArray,
  single: boolean,
  base: StoredArray,
  dim: number,
  range: ScanRange,
): Prepared {
  const m = checkMetric(metric);
  const d = checkDim(m, dim);
  const [q, queryCount] = single ? [checkQuery(m, queries, d), 1] : checkQueries(m, queries, d);
  const [b, offset, count, scale] = checkRange(m, base, d, range ?? {});
  return { m, dim: d, queries: q, queryCount, base: b, offset, count, scale };
}

/** Distances from one query to `count` vectors stored back to back in `base` from `offset`. */
export function distances(
  metric: Metric,
  query: VectorArray,
  base: StoredArray,
  dim: number,
  range: ScanRange = {},
): Float32Array {
  return distancesImpl(prepare(metric, query, true, base, dim, range));
}

/** Distances from every query (packed back to back) to every vector: row-major, out[q * count + i]. */
export function batchDistances(
  metric: Metric,
  queries: VectorArray,
  base: StoredArray,
  dim: number,
  range: ScanRange = {},
): Float32Array {
  return distancesImpl(prepare(metric, queries, false, base, dim, range));
}

function distancesImpl(p: Prepared): Float32Array {
  const out = new Float32Array(p.queryCount * p.count);
  if (out.length === 0) return out;
  try {
    activeKernels().distances(p.m, p.queries, p.queryCount, p.base, p.offset, p.count, p.dim, p.scale, out);
  } catch (cause) {
    rethrow(cause);
  }
  return out;
}

function topKBuffers(p: Prepared, k: number): { kk: number; indices: Uint32Array; dists: Float32Array } {
  const kk = Math.min(k, p.count);
  return { kk, indices: new Uint32Array(p.queryCount * kk), dists: new Float32Array(p.queryCount * kk) };
}

function split(
  indices: Uint32Array,
  dists: Float32Array,
  queryCount: number,
  kk: number,
  results: number,
): TopKResult[] {
  return Array.from({ length: queryCount }, (_, q) => ({
    indices: indices.subarray(q * kk, q * kk + results),
    distances: dists.subarray(q * kk, q * kk + results),
  }));
}

function prepareTopK(
  metric: Metric,
  queries: VectorArray,
  single: boolean,
  base: StoredArray,
  dim: number,
  k: number,
  options: TopKOptions,
): [Prepared, number, Uint8Array | null] {
  const p = prepare(metric, queries, single, base, dim, options);
  return [p, checkK(k), checkAllow(options.allow, p.count)];
}

/** The k nearest of `count` vectors to one query, sorted ascending by distance (NaN last), ties by index. */
export function topK(
  metric: Metric,
  query: VectorArray,
  base: StoredArray,
  dim: number,
  k: number,
  options: TopKOptions = {},
): TopKResult {
  return batchTopKImpl(metric, query, true, base, dim, k, options)[0] as TopKResult;
}

/** topK for every query packed back to back in `queries`; one pass over `base` serves them all. */
export function batchTopK(
  metric: Metric,
  queries: VectorArray,
  base: StoredArray,
  dim: number,
  k: number,
  options: TopKOptions = {},
): TopKResult[] {
  return batchTopKImpl(metric, queries, false, base, dim, k, options);
}

function batchTopKImpl(
  metric: Metric,
  queries: VectorArray,
  single: boolean,
  base: StoredArray,
  dim: number,
  k: number,
  options: TopKOptions,
): TopKResult[] {
  const [p, kChecked, allow] = prepareTopK(metric, queries, single, base, dim, k, options);
  const { kk, indices, dists } = topKBuffers(p, kChecked);
  if (p.queryCount === 0 || kk === 0) return split(indices, dists, p.queryCount, kk, 0);
  try {
    const results = activeKernels().topK(
      p.m,
      p.queries,
      p.queryCount,
      p.base,
      p.offset,
      p.count,
      p.dim,
      p.scale,
      kk,
      allow,
      indices,
      dists,
    );
    return split(indices, dists, p.queryCount, kk, results);
  } catch (cause) {
    rethrow(cause);
  }
}

/**
 * batchDistances off the event loop: native threads do the scan. Do not write into the arrays (or transfer
 * their buffers) until the promise settles.
 */
export async function batchDistancesAsync(
  metric: Metric,
  queries: VectorArray,
  base: StoredArray,
  dim: number,
  options: ScanRange & AsyncOptions = {},
): Promise<Float32Array> {
  const p = prepare(metric, queries, false, base, dim, options);
  const threads = checkThreads(options.threads);
  const out = new Float32Array(p.queryCount * p.count);
  if (out.length === 0) return out;
  try {
    await activeKernels().distancesAsync(
      p.m,
      p.queries,
      p.queryCount,
      p.base,
      p.offset,
      p.count,
      p.dim,
      p.scale,
      out,
      threads,
    );
  } catch (cause) {
    rethrow(cause);
  }
  return out;
}

/** batchTopK off the event loop, split across `threads` native threads. Same buffer rule as batchDistancesAsync. */
export async function batchTopKAsync(
  metric: Metric,
  queries: VectorArray,
  base: StoredArray,
  dim: number,
  k: number,
  options: TopKOptions & AsyncOptions = {},
): Promise<TopKResult[]> {
  return batchTopKAsyncImpl(metric, queries, false, base, dim, k, options);
}

/** topK off the event loop, split across `threads` native threads. */
export async function topKAsync(
  metric: Metric,
  query: VectorArray,
  base: StoredArray,
  dim: number,
  k: number,
  options: TopKOptions & AsyncOptions = {},
): Promise<TopKResult> {
  return (await batchTopKAsyncImpl(metric, query, true, base, dim, k, options))[0] as TopKResult;
}

async function batchTopKAsyncImpl(
  metric: Metric,
  queries: VectorArray,
  single: boolean,
  base: StoredArray,
  dim: number,
  k: number,
  options: TopKOptions & AsyncOptions,
): Promise<TopKResult[]> {
  const [p, kChecked, allow] = prepareTopK(metric, queries, single, base, dim, k, options);
  const threads = checkThreads(options.threads);
  const { kk, indices, dists } = topKBuffers(p, kChecked);
  if (p.queryCount === 0 || kk === 0) return split(indices, dists, p.queryCount, kk, 0);
  try {
    const results = await activeKernels().topKAsync(
      p.m,
      p.queries,
      p.queryCount,
      p.base,
      p.offset,
      p.count,
      p.dim,
      p.scale,
      kk,
      allow,
      indices,
      dists,
      threads,
    );
    return split(indices, dists, p.queryCount, kk, results);
  } catch (cause) {
    rethrow(cause);
  }
}

export { bindingRoof, flopsPerDimension, measureRoofline, rooflineFraction } from './roofline.js';
export type { BindingRoof, RoofName, Roofline, RooflineOptions } from './roofline.js';
