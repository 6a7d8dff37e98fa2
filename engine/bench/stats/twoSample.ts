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

/**
 * Baseline vs current for one metric, in the manner of criterion.rs.
 *
 * - change: relative change of the mean, (mean(current) / mean(baseline) − 1) × 100 %.
 * - CI of the change: expanded percentile bootstrap (see bootstrap.ts), resampling each
 *   side's trials independently.
 * - p-value: a two-sided permutation test on the difference of means. Under "no change"
 *   the trials of both runs are exchangeable, so shuffling the labels gives the exact null
 *   distribution without assuming normality (every split is enumerated when there are no
 *   more splits than resamples, e.g. up to 7 + 7 trials; otherwise 10,000 random ones); the mean (not the median) because with
 *   ~10 trials a side the median's permutation distribution is lumpy and loses power,
 *   while Tukey fences already warn about the outliers the median would hide.
 * - verdict (direction from higher_is_better; threshold t, default 2 %):
 *   - `no change`: p ≥ α (default 0.05): no evidence of any difference;
 *   - `improved` / `regressed`: p < α AND the whole CI of the change lies beyond +t or −t,
 *     on the better or worse side;
 *   - `within noise`: p < α but the CI reaches into [−t, +t]: a difference that may be real
 *     but cannot be told apart from the noise threshold;
 *   - `insufficient data`: fewer than 2 samples on a side, or so few that no split of the
 *     trials could reach p < α (2 + 2 trials: the smallest p is 2/6), so the test could
 *     never say anything and "no change" would overstate the evidence.
 */
export type Verdict = 'improved' | 'regressed' | 'no change' | 'within noise' | 'insufficient data';

export interface TwoSampleOptions {
  higherIsBetter: boolean;
  /** Noise threshold in percent (default 2). */
  noiseThresholdPct?: number;
  /** Significance level α for the p-value (default 0.05). */
  alpha?: number;
  /** Confidence of the change's CI (default 0.95). */
  confidence?: number;
  /** Bootstrap resamples and permutations (default 10,000 each). */
  resamples?: number;
  seed?: number;
}

export interface TwoSampleResult {
  baselineMean: number;
  currentMean: number;
  changePct: number;
  changeCiPct: [number, number];
  pValue: number;
  verdict: Verdict;
  noiseThresholdPct: number;
  alpha: number;
}

export const DEFAULT_NOISE_THRESHOLD_PCT = 2;
export const DEFAULT_ALPHA = 0.05;

export function checkThreshold(noiseThresholdPct: number): void {
  if (!(Number.isFinite(noiseThresholdPct) && noiseThresholdPct >= 0 && noiseThresholdPct < 100)) {
    throw new VexError(
      'E_INVALID',
      `A noise threshold of ${noiseThresholdPct}% is invalid: use a percentage in [0, 100), e.g. 2.`,
    );
  }
}

export function checkAlpha(alpha: number): void {
  if (!(alpha > 0 && alpha < 1))
    throw new VexError('E_INVALID', `A significance level of ${alpha} is invalid: use e.g. 0.05.`);
}

/** The verdict rule above, shared by the unpaired and paired analyses and by Holm's gate. */
export function decideVerdict(input: {
  pValue: number;
  changeCiPct: readonly [number, number];
  higherIsBetter: boolean;
  noiseThresholdPct: number;
  alpha: number;
}): Verdict {
  if (!Number.isFinite(input.pValue)) return 'insufficient data';
  if (input.pValue >= input.alpha) return 'no change';
  const [lo, hi] = input.changeCiPct;
  const t = input.noiseThresholdPct;
  const allAbove = lo > t && hi > t;
  const allBelow = lo < -t && hi < -t;
  if (!allAbove && !allBelow) return 'within noise';
  return allAbove === input.higherIsBetter ? 'improved' : 'regressed';
}

export function compareSamples(
  baseline: readonly number[],
  current: readonly number[],
  options: TwoSampleOptions,
): TwoSampleResult {
  const noiseThresholdPct = options.noiseThresholdPct ?? DEFAULT_NOISE_THRESHOLD_PCT;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  checkThreshold(noiseThresholdPct);
  checkAlpha(alpha);
  checkConfidence(confidence);
  checkSamples(baseline, 'The baseline samples');
  checkSamples(current, 'The current samples');
  const baselineMean = mean(baseline);
  const currentMean = mean(current);
  const changePct = relativeChangePct(baselineMean, currentMean);
  if (baseline.length < 2 || current.length < 2 || Number.isNaN(changePct)) {
    return {
      baselineMean,
      currentMean,
      changePct,
      changeCiPct: [changePct, changePct],
      pValue: NaN,
      verdict: 'insufficient data',
      noiseThresholdPct,
      alpha,
    };
  }
  const random = createRandom(options.seed ?? DEFAULT_SEED);
  const changes = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    changes[r] = relativeChangePct(resampleMean(baseline, random.int), resampleMean(current, random.int));
  }
  // Small-sample expansion from the smaller side, with the two-sample degrees of freedom.
  const tail = expandedTail(
    confidence,
    Math.min(baseline.length, current.length),
    baseline.length + current.length - 2,
  );
  const { lower, upper } = percentileInterval(changes, tail);
  const changeCiPct: [number, number] = [lower, upper];
  const pValue =
    binomial(baseline.length + current.length, baseline.length) <= resamples
      ? exactPermutationPValue(baseline, current)
      : permutationPValue(baseline, current, resamples, random.int);
  const blind = smallestPermutationP(baseline.length, current.length, resamples) >= alpha;
  const verdict: Verdict = blind
    ? 'insufficient data'
    : decideVerdict({
        pValue,
        changeCiPct,
        higherIsBetter: options.higherIsBetter,
        noiseThresholdPct,
        alpha,
      });
  return { baselineMean, currentMean, changePct, changeCiPct, pValue, verdict, noiseThresholdPct, alpha };
}

/**
 * (current / baseline − 1) × 100. From a baseline of 0 (e.g. dropped ops going from none to
 * some) the relative change is ±∞: still ordered, so the CI and verdict keep working.
 */
export function relativeChangePct(baseline: number, current: number): number {
  if (baseline === 0) return current === 0 ? 0 : current > 0 ? Infinity : -Infinity;
  return (current / baseline - 1) * 100;
}

function resampleMean(values: readonly number[], int: (n: number) => number): number {
  const n = values.length;
  let sum = 0;
  for (let i = 0; i < n; i++) sum += values[int(n)] as number;
  return sum / n;
}

/** Two-sided permutation p-value of the difference of means, (b + 1) / (R + 1) so it is never 0. */
export function permutationPValue(
  a: readonly number[],
  b: readonly number[],
  permutations: number,
  int: (n: number) => number,
): number {
  const pooled = Float64Array.from([...a, ...b]);
  const n = pooled.length;
  const na = a.length;
  const nb = b.length;
  let total = 0;
  for (const v of pooled) total += v;
  const observed = Math.abs(mean(a) - mean(b));
  // Float sums of the same values in another order differ in the last bits.
  const tolerance = 1e-12 * Math.max(1, Math.abs(total));
  let extreme = 0;
  for (let r = 0; r < permutations; r++) {
    let sumA = 0;
    for (let i = 0; i < na; i++) {
      const j = i + int(n - i);
      const picked = pooled[j] as number;
      pooled[j] = pooled[i] as number;
      pooled[i] = picked;
      sumA += picked;
    }
    if (Math.abs(sumA / na - (total - sumA) / nb) >= observed - tolerance) extreme++;
  }
  return (extreme + 1) / (permutations + 1);
}

export function binomial(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return Math.round(result);
}

/**
 * The smallest p-value the permutation test can return for these sample sizes: the observed
 * split and (for equal sizes) its mirror over all splits, or one over the random permutations.
 */
export function smallestPermutationP(baselineCount: number, currentCount: number, resamples: number): number {
  const splits = binomial(baselineCount + currentCount, baselineCount);
  if (splits > resamples) return 1 / (resamples + 1);
  return (baselineCount === currentCount ? 2 : 1) / splits;
}

/** The exact permutation p-value over every split of the pooled trials (small samples only). */
export function exactPermutationPValue(a: readonly number[], b: readonly number[]): number {
  const pooled = [...a, ...b];
  const n = pooled.length;
  const na = a.length;
  const nb = b.length;
  const total = pooled.reduce((sum, v) => sum + v, 0);
  const observed = Math.abs(mean(a) - mean(b));
  const tolerance = 1e-12 * Math.max(1, Math.abs(total));
  const index = Array.from({ length: na }, (_, i) => i);
  let extreme = 0;
  let splits = 0;
  for (;;) {
    let sumA = 0;
    for (const i of index) sumA += pooled[i] as number;
    if (Math.abs(sumA / na - (total - sumA) / nb) >= observed - tolerance) extreme++;
    splits++;
    // Next combination in lexicographic order.
    let i = na - 1;
    while (i >= 0 && (index[i] as number) === n - na + i) i--;
    if (i < 0) break;
    index[i] = (index[i] as number) + 1;
    for (let j = i + 1; j < na; j++) index[j] = (index[j - 1] as number) + 1;
  }
  return extreme / splits;
}

/**
 * Holm's step-down adjustment: controls the family-wise error rate over m metrics
 * without assuming independence, and is never less powerful than Bonferroni.
 * Returns adjusted p-values in input order; NaN stays NaN and is not counted in m.
 */
export function holmAdjust(pValues: readonly number[]): number[] {
  const indexed = pValues.map((p, i) => ({ p, i })).filter((x) => Number.isFinite(x.p));
  indexed.sort((x, y) => x.p - y.p);
  const m = indexed.length;
  const adjusted = pValues.map(() => NaN);
  let running = 0;
  indexed.forEach(({ p, i }, rank) => {
    running = Math.max(running, Math.min(1, (m - rank) * p));
    adjusted[i] = running;
  });
  return adjusted;
}
