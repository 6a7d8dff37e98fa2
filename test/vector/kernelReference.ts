// Float64 reference distances and the error bounds every backend is held to.
import type { Metric } from '../../engine/vector/kernels/index.js';

/** Unit roundoff of float32. */
export const u = 2 ** -24;

export const testDims = [1, 3, 7, 8, 15, 16, 17, 31, 127, 128, 383, 768, 1536] as const;
export const floatMetrics = ['l2', 'dot', 'cosine', 'manhattan'] as const satisfies readonly Metric[];

/** Deterministic PRNG (mulberry32) so a failure can be replayed. */
export function random(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Values in [-1, 1) with a spread of magnitudes (some near zero, some near one). */
export function fill(array: Float32Array, next: () => number): Float32Array {
  for (let i = 0; i < array.length; i++) array[i] = (next() * 2 - 1) * (next() < 0.1 ? 1e-3 : 1);
  return array;
}

export interface Reference {
  value: number;
  /** Sum of |terms| the rounding error scales with (see bound()). */
  magnitude: number;
}

/** The metric in float64 from float32 inputs: the "true" value the bounds are measured from. */
export function reference(
  metric: Metric,
  a: ArrayLike<number>,
  aAt: number,
  b: ArrayLike<number>,
  bAt: number,
  dim: number,
): Reference {
  let sum = 0;
  let magnitude = 0;
  let aa = 0;
  let bb = 0;
  for (let i = 0; i < dim; i++) {
    const x = a[aAt + i] as number;
    const y = b[bAt + i] as number;
    if (metric === 'l2') sum += (x - y) * (x - y);
    else if (metric === 'manhattan') sum += Math.abs(x - y);
    else if (metric === 'hamming') {
      let v = x ^ y;
      while (v) {
        sum += v & 1;
        v >>>= 1;
      }
    } else {
      sum += x * y;
      magnitude += Math.abs(x * y);
      aa += x * x;
      bb += y * y;
    }
  }
  if (metric === 'dot') return { value: -sum, magnitude };
  if (metric === 'cosine') {
    if (aa === 0 && bb === 0) return { value: 0, magnitude: 0 };
    if (aa === 0 || bb === 0) return { value: 1, magnitude: 0 };
    return { value: Math.min(2, Math.max(0, 1 - sum / Math.sqrt(aa * bb))), magnitude: 1 };
  }
  return { value: sum, magnitude: sum };
}

/**
 * Largest allowed |native - reference|. Float32 summation of n terms in any order (lanes, tiles, threads)
 * errs by at most (n - 1) u times the sum of |terms|; each term adds a few u of its own (subtract, multiply,
 * absolute value). We allow twice the first-order bound:
 *   l2, manhattan: 2 (dim + 4) u * value       dot: 2 (dim + 4) u * sum |a_i b_i|
 *   cosine: 2 (2 dim + 8) u absolute (a.b, |a|^2 and |b|^2 each err by (dim + 2) u relative to |a||b|)
 *   hamming: exact.
 */
export function bound(metric: Metric, dim: number, ref: Reference): number {
  if (metric === 'hamming') return 0;
  if (metric === 'cosine') return 2 * (2 * dim + 8) * u;
  return 2 * (dim + 4) * u * ref.magnitude + Number.MIN_VALUE;
}
