import { VexError } from '../../errors.js';
import { RECALL_PREFIX } from '../../api/shared/frontier.js';
import { topK, type Storage, type StoredArray } from '../../vector/kernels/index.js';
import { QUANTIZED_SEARCH_OPS } from './vectorDescriptors.js';
import type { UnitFigureContext, WorkloadContext, WorkloadFigure, WorkloadModule, WorkloadSession } from './types.js';
import { checksumOf, randomVectors, refuseDatasetFile } from './vectorData.js';

// Recall is named by the frontier rule in api/shared/frontier.ts: `recall_at_k.<workload>` beside `ops_per_s.<workload>`.
export { RECALL_PREFIX };

const DEFAULT_DIM = 128;

/** What an op scans: f32 exactly, or a quantized copy for the top k × rerank candidates reranked in f32. */
interface OpPlan {
  storage: Storage;
  rerank: number;
}

export function opPlan(op: string): OpPlan {
  if (op === 'f32_exact') return { storage: 'f32', rerank: 1 };
  const match = /^(f16|i8)_r([1-9][0-9]*)$/.exec(op);
  if (!match)
    throw new VexError('E_PROFILE', `quantized-search has no op '${op}' (known: ${QUANTIZED_SEARCH_OPS.join(', ')})`);
  return { storage: match[1] as Storage, rerank: Number(match[2]) };
}

const floatView = new Float32Array(1);
const bitsView = new Uint32Array(floatView.buffer);

/** The IEEE half-precision bits nearest to `value` (round to nearest, ties to even; overflow to infinity). */
export function toHalfBits(value: number): number {
  floatView[0] = value;
  const bits = bitsView[0] as number;
  const sign = (bits >>> 16) & 0x8000;
  const exponent = (bits >>> 23) & 0xff;
  const mantissa = bits & 0x7fffff;
  if (exponent === 0xff) return sign | 0x7c00 | (mantissa !== 0 ? 0x200 : 0);
  const halfExponent = exponent - 112;
  if (halfExponent >= 0x1f) return sign | 0x7c00;
  if (halfExponent > 0) {
    // A normal half keeps the top 10 of the 23 mantissa bits; a carry out of them raises the exponent.
    const half = (halfExponent << 10) | (mantissa >>> 13);
    return sign | roundHalf(half, mantissa & 0x1fff, 0x1000);
  }
  // Below half's smallest subnormal (2^-24) by more than half of it: zero.
  if (halfExponent < -10) return sign;
  const full = mantissa | 0x800000;
  const shift = 14 - halfExponent;
  return sign | roundHalf(full >>> shift, full & ((1 << shift) - 1), 1 << (shift - 1));
}

/** Round to nearest, ties to even: `rest` is what was cut off, `middle` half of one unit kept. */
function roundHalf(kept: number, rest: number, middle: number): number {
  return rest > middle || (rest === middle && (kept & 1) === 1) ? kept + 1 : kept;
}

export function toHalf(data: Float32Array): Uint16Array {
  const out = new Uint16Array(data.length);
  for (let i = 0; i < data.length; i++) out[i] = toHalfBits(data[i] as number);
  return out;
}

/** Symmetric i8 quantization with one scale for the whole array: value ≈ scale × stored. */
export function toInt8(data: Float32Array): { stored: Int8Array; scale: number } {
  let largest = 0;
  for (let i = 0; i < data.length; i++) largest = Math.max(largest, Math.abs(data[i] as number));
  const scale = largest > 0 ? largest / 127 : 1;
  const stored = new Int8Array(data.length);
  for (let i = 0; i < data.length; i++)
    stored[i] = Math.max(-127, Math.min(127, Math.round((data[i] as number) / scale)));
  return { stored, scale };
}

export interface QuantizedData {
  readonly dim: number;
  readonly k: number;
  readonly metric: 'l2' | 'dot' | 'cosine';
  readonly base: Float32Array;
  readonly half: Uint16Array;
  readonly int8: { stored: Int8Array; scale: number };
  /** The query pool, back to back; ops cycle through it. */
  readonly queries: Float32Array;
  readonly queryCount: number;
}

/** The ids of one query's top k under `op`: a scan of its storage, then an exact f32 rerank of the candidates. */
export function searchOne(data: QuantizedData, op: OpPlan, queryIndex: number, scratch: Float32Array): Uint32Array {
  const { dim, k, metric, base } = data;
  const query = data.queries.subarray(queryIndex * dim, (queryIndex + 1) * dim);
  if (op.storage === 'f32') return topK(metric, query, base, dim, k).indices;
  const stored: StoredArray = op.storage === 'f16' ? data.half : data.int8.stored;
  const scan = topK(metric, query, stored, dim, k * op.rerank, op.storage === 'i8' ? { scale: data.int8.scale } : {});
  const candidates = scan.indices;
  // The candidates' f32 vectors side by side, so that the rerank is one exact kernel scan.
  for (let i = 0; i < candidates.length; i++) {
    const id = candidates[i] as number;
    scratch.set(base.subarray(id * dim, (id + 1) * dim), i * dim);
  }
  const reranked = topK(metric, query, scratch.subarray(0, candidates.length * dim), dim, k).indices;
  return reranked.map((i) => candidates[i] as number);
}

/** Recall@k of `op` over the whole query pool: the mean share of the exact top k it found. */
export function measureRecall(
  data: QuantizedData,
  op: OpPlan,
  truth: readonly Uint32Array[],
  scratch: Float32Array,
): number {
  let sum = 0;
  for (let q = 0; q < data.queryCount; q++) {
    const exact = new Set(truth[q]);
    const found = searchOne(data, op, q, scratch);
    let hits = 0;
    for (const id of found) if (exact.has(id)) hits += 1;
    sum += hits / exact.size;
  }
  return sum / data.queryCount;
}

/** The dataset and the exact f32 top k of every pool query (the ground truth), from the context's seed. */
export function prepareData(context: WorkloadContext): { data: QuantizedData; truth: Uint32Array[] } {
  refuseDatasetFile(context.dataset, 'quantized-search');
  const size = context.dataset.size;
  const dim = context.dataset.dim || DEFAULT_DIM;
  const k = Number(context.params.k ?? 10);
  const queryCount = Number(context.params.queries ?? 100);
  const metric = (context.params.metric ?? 'l2') as QuantizedData['metric'];
  if (size < k) {
    throw new VexError(
      'E_PROFILE',
      `quantized-search needs [dataset] size of at least params.k (${k}) vectors; got ${size}. Set dataset.size.`,
    );
  }
  const base = randomVectors(size, dim, context.dataset.seed);
  const data: QuantizedData = {
    dim,
    k,
    metric,
    base,
    half: toHalf(base),
    int8: toInt8(base),
    queries: randomVectors(queryCount, dim, context.dataset.seed + 1),
    queryCount,
  };
  const scratch = new Float32Array(0);
  const truth = Array.from({ length: queryCount }, (_, q) =>
    searchOne(data, { storage: 'f32', rerank: 1 }, q, scratch).slice(),
  );
  return { data, truth };
}

/**
 * Top-k over `dataset.size` seeded random vectors of `dataset.dim` (default 128) components, uniform in
 * [-1, 1), one query on one thread per op, the queries cycling through a seeded pool of `params.queries`.
 * `f32_exact` scans the f32 vectors; `f16_r<r>` and `i8_r<r>` scan half-precision or symmetric int8 copies
 * (one scale for the array) for the top k × r, then rerank those candidates exactly in f32 and keep k.
 * The session's figures give each single-op workload its recall@k (RECALL_PREFIX) over the whole pool,
 * measured once per session against the exact f32 top k from the same seeded data (the ops are
 * deterministic, so every trial has the same recall); its throughput is the harness's ops_per_s.
 */
export const quantizedSearchWorkload: WorkloadModule = {
  open: async (context: WorkloadContext): Promise<WorkloadSession> => {
    if (context.subject !== 'vexfs') {
      throw new VexError('E_PROFILE', `quantized-search has no subject '${context.subject}' (known: vexfs)`);
    }
    const { data, truth } = prepareData(context);
    const plans = QUANTIZED_SEARCH_OPS.map(opPlan);
    const largestRerank = Math.max(...plans.map((p) => p.rerank));
    const scratch = new Float32Array(data.k * largestRerank * data.dim);
    const recalls = new Map<string, number>();
    let counter = 0;
    return {
      run: (opIndex: number) => {
        const found = searchOne(data, plans[opIndex] as OpPlan, counter % data.queryCount, scratch);
        counter += 1;
        if (found.length !== data.k) {
          throw new VexError('E_INTERNAL', `quantized search returned ${found.length} of ${data.k} results`);
        }
      },
      datasetChecksum: checksumOf(data.base),
      unitFigures: (unit: UnitFigureContext): WorkloadFigure[] => {
        const ops = Object.keys(unit.mix);
        // Recall belongs to one op; a mix of several has no single recall to pair with its throughput.
        if (ops.length !== 1) return [];
        const op = ops[0] as string;
        let recall = recalls.get(op);
        if (recall === undefined) {
          recall = measureRecall(data, opPlan(op), truth, scratch);
          recalls.set(op, recall);
        }
        return [{ name: `${RECALL_PREFIX}${unit.workload}`, unit: 'recall', higherIsBetter: true, value: recall }];
      },
      close: async () => {},
    };
  },
};
