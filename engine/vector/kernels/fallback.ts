// The TypeScript kernels: the same positional surface as the addon (RawKernels), used when the addon is
// missing or the `typescript` backend is chosen. Sums run in float64 and round once to float32, so the
// fallback is at least as accurate as any native backend. Its async calls run on the event loop in slices
// and yield between them (it has no threads), so a large scan still never blocks the loop for long.
import { TopKHeap } from './topKHeap.js';
import { metricIds, type RawKernels, type StoredArray, type VectorArray } from './types.js';

const popcountByte = new Uint8Array(256);
for (let i = 1; i < 256; i++) popcountByte[i] = (popcountByte[i >> 1] as number) + (i & 1);

let halfTable: Float64Array | undefined;

/** IEEE half-precision bits to their value, exactly. */
export function halfToFloat(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const mantissa = bits & 0x3ff;
  if (exponent === 0) return sign * mantissa * 2 ** -24;
  if (exponent === 31) return mantissa === 0 ? sign * Infinity : NaN;
  return sign * (1 + mantissa / 1024) * 2 ** (exponent - 15);
}

/** Float32Array and Uint8Array are used as they are; f16 and i8 vectors are widened to their values first. */
function widened(b: StoredArray, bAt: number, dim: number, scale: number): [VectorArray | Float64Array, number] {
  if (b instanceof Uint16Array) {
    halfTable ??= Float64Array.from({ length: 65536 }, (_, bits) => halfToFloat(bits));
    const table = halfTable;
    const out = new Float64Array(dim);
    for (let i = 0; i < dim; i++) out[i] = table[b[bAt + i] as number] as number;
    return [out, 0];
  }
  if (b instanceof Int8Array) {
    const out = new Float64Array(dim);
    for (let i = 0; i < dim; i++) out[i] = scale * (b[bAt + i] as number);
    return [out, 0];
  }
  return [b, bAt];
}

/** 1 - cos from float64 parts, with the documented zero-vector and NaN rules. */
export function cosineFromParts(ab: number, aa: number, bb: number): number {
  if (Number.isNaN(ab) || Number.isNaN(aa) || Number.isNaN(bb)) return NaN;
  if (aa === 0 && bb === 0) return 0;
  if (aa === 0 || bb === 0) return 1;
  const distance = 1 - ab / (Math.sqrt(aa) * Math.sqrt(bb));
  if (Number.isNaN(distance)) return NaN;
  return Math.min(2, Math.max(0, distance));
}

/** Distance between a[aAt .. aAt+dim) and b[bAt .. bAt+dim), in float64 (not yet rounded). */
export function pairDistance64(
  metric: number,
  a: VectorArray,
  aAt: number,
  stored: StoredArray,
  storedAt: number,
  dim: number,
  scale = 1,
): number {
  const [b, bAt] = widened(stored, storedAt, dim, scale);
  let sum = 0;
  switch (metric) {
    case metricIds.l2:
      for (let i = 0; i < dim; i++) {
        const d = (a[aAt + i] as number) - (b[bAt + i] as number);
        sum += d * d;
      }
      return sum;
    case metricIds.dot:
      for (let i = 0; i < dim; i++) sum += (a[aAt + i] as number) * (b[bAt + i] as number);
      return -sum;
    case metricIds.cosine: {
      let aa = 0;
      let bb = 0;
      for (let i = 0; i < dim; i++) {
        const x = a[aAt + i] as number;
        const y = b[bAt + i] as number;
        sum += x * y;
        aa += x * x;
        bb += y * y;
      }
      return cosineFromParts(sum, aa, bb);
    }
    case metricIds.manhattan:
      for (let i = 0; i < dim; i++) sum += Math.abs((a[aAt + i] as number) - (b[bAt + i] as number));
      return sum;
    default:
      for (let i = 0; i < dim; i++) sum += popcountByte[(a[aAt + i] as number) ^ (b[bAt + i] as number)] as number;
      return sum;
  }
}

/** Vectors per slice of an async scan: about a million elements, a few milliseconds of work. */
function sliceVectors(dim: number, queryCount: number): number {
  return Math.max(1, Math.floor(1_048_576 / Math.max(1, dim * queryCount)));
}

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function isAllowed(allow: Uint8Array | null, i: number): boolean {
  return allow === null || (((allow[i >> 3] as number) >> (i & 7)) & 1) === 1;
}

function fillDistances(
  metric: number,
  queries: VectorArray,
  queryCount: number,
  base: StoredArray,
  baseOffset: number,
  count: number,
  dim: number,
  scale: number,
  out: Float32Array,
  begin: number,
  end: number,
): void {
  for (let q = 0; q < queryCount; q++) {
    for (let i = begin; i < end; i++) {
      out[q * count + i] = pairDistance64(metric, queries, q * dim, base, baseOffset + i * dim, dim, scale);
    }
  }
}

function scanTopK(
  metric: number,
  queries: VectorArray,
  queryCount: number,
  base: StoredArray,
  baseOffset: number,
  dim: number,
  scale: number,
  allow: Uint8Array | null,
  heaps: TopKHeap[],
  begin: number,
  end: number,
): void {
  for (let i = begin; i < end; i++) {
    if (!isAllowed(allow, i)) continue;
    for (let q = 0; q < queryCount; q++) {
      const distance = Math.fround(pairDistance64(metric, queries, q * dim, base, baseOffset + i * dim, dim, scale));
      (heaps[q] as TopKHeap).push(distance, i);
    }
  }
}

function writeTopK(heaps: TopKHeap[], k: number, outIndices: Uint32Array, outDistances: Float32Array): number {
  let results = 0;
  heaps.forEach((heap, q) => {
    const entries = heap.sorted();
    results = entries.length;
    entries.forEach((entry, r) => {
      outIndices[q * k + r] = entry.index;
      outDistances[q * k + r] = entry.distance;
    });
  });
  return results;
}

export const fallbackKernels: RawKernels = {
  pairwise(metric, a, b, scale = 1) {
    return Math.fround(pairDistance64(metric, a, 0, b, 0, a.length, scale));
  },

  distances(metric, queries, queryCount, base, baseOffset, count, dim, scale, out) {
    fillDistances(metric, queries, queryCount, base, baseOffset, count, dim, scale, out, 0, count);
  },

  topK(metric, queries, queryCount, base, baseOffset, count, dim, scale, k, allow, outIndices, outDistances) {
    const heaps = Array.from({ length: queryCount }, () => new TopKHeap(k));
    scanTopK(metric, queries, queryCount, base, baseOffset, dim, scale, allow, heaps, 0, count);
    return writeTopK(heaps, k, outIndices, outDistances);
  },

  async distancesAsync(metric, queries, queryCount, base, baseOffset, count, dim, scale, out, _threads) {
    const step = sliceVectors(dim, queryCount);
    for (let begin = 0; begin < count; begin += step) {
      const end = Math.min(count, begin + step);
      fillDistances(metric, queries, queryCount, base, baseOffset, count, dim, scale, out, begin, end);
      await yieldToLoop();
    }
    return 0;
  },

  async topKAsync(
    metric,
    queries,
    queryCount,
    base,
    baseOffset,
    count,
    dim,
    scale,
    k,
    allow,
    outIndices,
    outDistances,
  ) {
    const heaps = Array.from({ length: queryCount }, () => new TopKHeap(k));
    const step = sliceVectors(dim, queryCount);
    for (let begin = 0; begin < count; begin += step) {
      scanTopK(
        metric,
        queries,
        queryCount,
        base,
        baseOffset,
        dim,
        scale,
        allow,
        heaps,
        begin,
        Math.min(count, begin + step),
      );
      await yieldToLoop();
    }
    return writeTopK(heaps, k, outIndices, outDistances);
  },
};
