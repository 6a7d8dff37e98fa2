import { LatencyHistogram } from '../../metrics/histogram.js';

/**
 * The memory the benchmark worker and the coordinating thread share. The worker writes
 * counters and a coarse live latency histogram with plain stores (it is the only writer);
 * the coordinator reads them every 100 ms, so live samples need no message from a worker
 * that may be busy for seconds. Cancellation is one Atomics flag the worker polls.
 */
export const CONTROL = { cancel: 0, phase: 1, unit: 2 } as const;
export const COUNTER = { ops: 0, errors: 1, late: 2, dropped: 3 } as const;
export const PHASE = { idle: 0, warmup: 1, measure: 2, done: 3 } as const;

/**
 * Log-linear buckets: exact below 512 ns, then 256 sub-buckets per power of two (≤ 0.4% wide)
 * up to 2^31 ns. Recording is one increment (a few ns, where an HDR record costs ~100 ns in JS);
 * a trial's buckets become an HDR histogram once, at its end.
 */
const SUB_BITS = 8;
const SUB_COUNT = 1 << SUB_BITS;
const LINEAR_LIMIT = 2 * SUB_COUNT;

const MAX_EXPONENT = 30;
export const LIVE_BUCKETS = LINEAR_LIMIT + (MAX_EXPONENT - SUB_BITS) * SUB_COUNT;
const MAX_VALUE_NS = 2 ** 31 - 1;

const CONTROL_BYTES = 8 * 4;
const COUNTER_BYTES = 8 * 8;

export interface SharedState {
  readonly buffer: SharedArrayBuffer;
  readonly control: Int32Array;
  readonly counters: Float64Array;
  readonly buckets: Int32Array;
}

export function attachShared(buffer: SharedArrayBuffer): SharedState {
  return {
    buffer,
    control: new Int32Array(buffer, 0, 8),
    counters: new Float64Array(buffer, CONTROL_BYTES, 8),
    buckets: new Int32Array(buffer, CONTROL_BYTES + COUNTER_BYTES, LIVE_BUCKETS),
  };
}

export function createShared(): SharedState {
  return attachShared(new SharedArrayBuffer(CONTROL_BYTES + COUNTER_BYTES + LIVE_BUCKETS * 4));
}

/** The live bucket of a latency in nanoseconds. */
export function bucketOf(valueNs: number): number {
  const v = valueNs >= MAX_VALUE_NS ? MAX_VALUE_NS : valueNs > 0 ? Math.floor(valueNs) : 0;
  if (v < LINEAR_LIMIT) return v;
  const exponent = 31 - Math.clz32(v);
  return LINEAR_LIMIT + (exponent - SUB_BITS - 1) * SUB_COUNT + ((v >>> (exponent - SUB_BITS)) & (SUB_COUNT - 1));
}

/** The middle of a bucket's range, in nanoseconds. */
export function bucketMidNs(index: number): number {
  if (index < LINEAR_LIMIT) return index;
  const exponent = SUB_BITS + 1 + Math.floor((index - LINEAR_LIMIT) / SUB_COUNT);
  const sub = (index - LINEAR_LIMIT) % SUB_COUNT;
  const width = 2 ** (exponent - SUB_BITS);
  return (SUB_COUNT + sub) * width + width / 2;
}

/** The values counted between two snapshots of the buckets, as an HDR histogram in ns (bucket middles). */
export function bucketsToHistogram(current: Int32Array, previous: Int32Array | null): LatencyHistogram {
  const histogram = new LatencyHistogram('ns');
  for (let i = 0; i < current.length; i++) {
    const count = (current[i] as number) - (previous ? (previous[i] as number) : 0);
    if (count > 0) histogram.record(bucketMidNs(i), count);
  }
  return histogram;
}

/**
 * Percentiles (0–100) of the values recorded between two snapshots of the buckets, in ns.
 * Returns zeros for an empty window.
 */
export function windowPercentilesNs(
  current: Int32Array,
  previous: Int32Array,
  percentiles: readonly number[],
): number[] {
  let total = 0;
  const delta = new Float64Array(current.length);
  for (let i = 0; i < current.length; i++) {
    const d = (current[i] ?? 0) - (previous[i] ?? 0);
    delta[i] = d > 0 ? d : 0;
    total += delta[i] as number;
  }
  if (total === 0) return percentiles.map(() => 0);
  return percentiles.map((p) => {
    const rank = Math.max(1, Math.ceil((p / 100) * total));
    let seen = 0;
    for (let i = 0; i < delta.length; i++) {
      seen += delta[i] as number;
      if (seen >= rank) return bucketMidNs(i);
    }
    return bucketMidNs(delta.length - 1);
  });
}
