import { VexError } from '../../errors.js';
import {
  checkConfidence,
  checkSamples,
  DEFAULT_CONFIDENCE,
  DEFAULT_RESAMPLES,
  expandedTail,
  percentileInterval,
} from './bootstrap.js';
import { mean } from './descriptive.js';
import { createRandom, DEFAULT_SEED } from './random.js';
import {
  checkAlpha,
  checkThreshold,
  decideVerdict,
  DEFAULT_ALPHA,
  DEFAULT_NOISE_THRESHOLD_PCT,
  type TwoSampleOptions,
  type Verdict,
} from './twoSample.js';

/**
 * Paired analysis of interleaved A/B trials: pair i is (A's trial i, B's trial i), run back
 * to back, so machine drift (thermal, another tenant, page cache growth) hits both alike
 * and cancels in the per-pair difference. The runner should alternate the order within
 * pairs (AB, BA, AB, …) so that a linear drift does not favour whichever runs second.
 *
 * - per-pair change d_i = (b_i / a_i − 1) × 100 %; the estimate is mean(d);
 * - CI: expanded percentile bootstrap over the pairs (see bootstrap.ts);
 * - p-value: sign-flip permutation test on mean(d) (exact over all 2^n sign patterns for
 *   n ≤ 16, else 10,000 random ones): under "no difference" each d_i is symmetric about 0;
 * - verdict: the same rule as the unpaired comparison (see twoSample.ts); `insufficient data`
 *   when there are too few pairs for any sign pattern to reach p < α (fewer than 6 at 0.05).
 */
export interface PairedResult {
  pairs: number;
  meanA: number;
  meanB: number;
  changePct: number;
  changeCiPct: [number, number];
  pValue: number;
  verdict: Verdict;
  noiseThresholdPct: number;
  alpha: number;
}

const EXACT_SIGN_FLIP_MAX_PAIRS = 16;

export function comparePaired(a: readonly number[], b: readonly number[], options: TwoSampleOptions): PairedResult {
  const noiseThresholdPct = options.noiseThresholdPct ?? DEFAULT_NOISE_THRESHOLD_PCT;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  checkThreshold(noiseThresholdPct);
  checkAlpha(alpha);
  checkConfidence(confidence);
  checkSamples(a, 'The A samples');
  checkSamples(b, 'The B samples');
  if (a.length !== b.length) {
    throw new VexError(
      'E_INVALID',
      `A paired analysis needs as many A trials as B trials (got ${a.length} and ${b.length}); interleave them one for one.`,
    );
  }
  const differences = a.map((x, i) => (x === 0 ? NaN : ((b[i] as number) / x - 1) * 100));
  const base = { pairs: a.length, meanA: mean(a), meanB: mean(b), noiseThresholdPct, alpha };
  if (a.length < 2 || differences.some((d) => !Number.isFinite(d))) {
    const changePct = a.length === 0 ? NaN : mean(differences);
    return { ...base, changePct, changeCiPct: [changePct, changePct], pValue: NaN, verdict: 'insufficient data' };
  }
  const changePct = mean(differences);
  const random = createRandom(options.seed ?? DEFAULT_SEED);
  const n = differences.length;
  const boot = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += differences[random.int(n)] as number;
    boot[r] = sum / n;
  }
  const { lower, upper } = percentileInterval(boot, expandedTail(confidence, n, n - 1));
  const changeCiPct: [number, number] = [lower, upper];
  const pValue = signFlipPValue(differences, resamples, random.next);
  // All 2^n sign patterns: the smallest p is 2 / 2^n (5 pairs: 0.0625, never below α = 0.05).
  const smallestP = n <= EXACT_SIGN_FLIP_MAX_PAIRS ? 2 / 2 ** n : 1 / (resamples + 1);
  if (smallestP >= alpha) return { ...base, changePct, changeCiPct, pValue, verdict: 'insufficient data' };
  const verdict = decideVerdict({
    pValue,
    changeCiPct,
    higherIsBetter: options.higherIsBetter,
    noiseThresholdPct,
    alpha,
  });
  return { ...base, changePct, changeCiPct, pValue, verdict };
}

function signFlipPValue(differences: readonly number[], permutations: number, next: () => number): number {
  const n = differences.length;
  const observed = Math.abs(differences.reduce((s, d) => s + d, 0));
  const tolerance =
    1e-12 *
    Math.max(
      1,
      differences.reduce((s, d) => s + Math.abs(d), 0),
    );
  let extreme = 0;
  if (n <= EXACT_SIGN_FLIP_MAX_PAIRS) {
    const patterns = 2 ** n;
    for (let mask = 0; mask < patterns; mask++) {
      let sum = 0;
      for (let i = 0; i < n; i++) sum += mask & (1 << i) ? -(differences[i] as number) : (differences[i] as number);
      if (Math.abs(sum) >= observed - tolerance) extreme++;
    }
    return extreme / patterns;
  }
  for (let r = 0; r < permutations; r++) {
    let sum = 0;
    for (let i = 0; i < n; i++) sum += next() < 0.5 ? -(differences[i] as number) : (differences[i] as number);
    if (Math.abs(sum) >= observed - tolerance) extreme++;
  }
  return (extreme + 1) / (permutations + 1);
}
