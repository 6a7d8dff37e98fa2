import { VexError } from '../errors.js';
import { createRandom } from '../bench/stats/random.js';

/**
 * A seeded Zipf sampler over ranks 0..n-1: P(rank r) ∝ 1 / (r+1)^s. Inverse-CDF over a
 * precomputed table (8 bytes per item) and a binary search per draw, so every s ≥ 0 is
 * exact, including the s < 1 of the cache profile (0.99), where rejection samplers
 * for s > 1 do not apply.
 */
export interface Zipf {
  readonly n: number;
  readonly s: number;
  next(): number;
  /** The probability of rank r (for checks). */
  probability(rank: number): number;
}

export const MAX_ZIPF_ITEMS = 50_000_000;

export function createZipf(n: number, s: number, seed: number): Zipf {
  if (!Number.isSafeInteger(n) || n < 1 || n > MAX_ZIPF_ITEMS) {
    throw new VexError('E_INVALID', `a Zipf distribution needs 1 to ${MAX_ZIPF_ITEMS} items, got ${n}`);
  }
  if (!Number.isFinite(s) || s < 0 || s > 10) {
    throw new VexError('E_INVALID', `the Zipf exponent must be from 0 to 10, got ${s}`);
  }
  const cdf = new Float64Array(n);
  let total = 0;
  for (let r = 0; r < n; r++) {
    total += 1 / Math.pow(r + 1, s);
    cdf[r] = total;
  }
  for (let r = 0; r < n; r++) cdf[r] = cdf[r]! / total;
  cdf[n - 1] = 1;
  const random = createRandom(seed);
  return {
    n,
    s,
    next(): number {
      const u = random.next();
      let low = 0;
      let high = n - 1;
      while (low < high) {
        const mid = (low + high) >>> 1;
        if (cdf[mid]! > u) high = mid;
        else low = mid + 1;
      }
      return low;
    },
    probability(rank: number): number {
      if (!Number.isInteger(rank) || rank < 0 || rank >= n) return 0;
      return cdf[rank]! - (rank === 0 ? 0 : cdf[rank - 1]!);
    },
  };
}
