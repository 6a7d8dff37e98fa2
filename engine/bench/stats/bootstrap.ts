import { VexError } from '../../errors.js';
import { mean, normalCdf, quantile, studentTQuantile } from './descriptive.js';
import { createRandom, DEFAULT_SEED } from './random.js';

/**
 * Expanded percentile bootstrap over *independent units*: whole trials, or time blocks of one
 * trial. Never pass pooled per-op latencies: consecutive ops share caches, GC pauses
 * and machine state, so they are correlated and a bootstrap over them gives intervals
 * that are far too narrow.
 */
export interface BootstrapOptions {
  /** Number of resamples (default 10,000). */
  resamples?: number;
  /** Confidence level in (0, 1) (default 0.95). */
  confidence?: number;
  seed?: number;
}

export type Statistic = (values: readonly number[]) => number;

export interface ConfidenceInterval {
  estimate: number;
  lower: number;
  upper: number;
  confidence: number;
}

export const DEFAULT_RESAMPLES = 10_000;
export const DEFAULT_CONFIDENCE = 0.95;

export function checkConfidence(confidence: number): void {
  if (!(confidence > 0 && confidence < 1)) {
    throw new VexError(
      'E_INVALID',
      `A confidence level of ${confidence} is invalid: use a number between 0 and 1, e.g. 0.95.`,
    );
  }
}

export function checkSamples(values: readonly number[], what: string): void {
  for (const v of values) {
    if (!Number.isFinite(v))
      throw new VexError('E_INVALID', `${what} contains ${v}: every sample must be a finite number.`);
  }
}

/** Bootstrap CI of `statistic` over the units in `values`. With fewer than 2 units the CI is the point. */
export function bootstrapCi(
  values: readonly number[],
  statistic: Statistic = mean,
  options: BootstrapOptions = {},
): ConfidenceInterval {
  const confidence = options.confidence ?? DEFAULT_CONFIDENCE;
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  checkConfidence(confidence);
  checkSamples(values, 'The bootstrap input');
  if (values.length === 0) throw new VexError('E_INVALID', 'A confidence interval needs at least one sample.');
  const estimate = statistic(values);
  if (values.length < 2) return { estimate, lower: estimate, upper: estimate, confidence };
  const random = createRandom(options.seed ?? DEFAULT_SEED);
  const n = values.length;
  const resample = new Array<number>(n);
  const stats = new Float64Array(resamples);
  for (let r = 0; r < resamples; r++) {
    for (let i = 0; i < n; i++) resample[i] = values[random.int(n)] as number;
    stats[r] = statistic(resample);
  }
  return { estimate, ...percentileInterval(stats, expandedTail(confidence, n, n - 1)), confidence };
}

/**
 * The tail probability per side for an expanded percentile bootstrap (Hesterberg 2015).
 * The plain percentile interval is too narrow with few units: the bootstrap variance of a
 * mean is (n − 1)/n of the sample's, and its tails are normal rather than Student's t. With
 * 10 trials a side it covered a true change only ~92 % of the time (paired: ~88 %) for a
 * nominal 95 %. Taking the Φ(−√(n/(n−1))·t_{1−α/2, df}) percentiles instead restores it.
 */
export function expandedTail(confidence: number, units: number, df: number): number {
  if (units < 2 || df < 1) return (1 - confidence) / 2;
  const t = studentTQuantile(1 - (1 - confidence) / 2, df);
  return normalCdf(-Math.sqrt(units / (units - 1)) * t);
}

/** The (tail, 1 − tail) percentiles of a bootstrap distribution (sorted in place). */
export function percentileInterval(stats: Float64Array, tail: number): { lower: number; upper: number } {
  stats.sort();
  const sorted = Array.from(stats);
  return { lower: quantile(sorted, tail), upper: quantile(sorted, 1 - tail) };
}

/**
 * Splits one trial's time series into `blocks` contiguous blocks and returns each block's
 * mean: the units to bootstrap when a run has a single long trial. Blocks must be long
 * compared with the series' autocorrelation (seconds, not 100 ms samples).
 */
export function timeBlockMeans(series: readonly number[], blocks: number): number[] {
  if (!Number.isInteger(blocks) || blocks < 2) {
    throw new VexError('E_INVALID', `A block count of ${blocks} is invalid: use an integer ≥ 2.`);
  }
  if (series.length < blocks) {
    throw new VexError(
      'E_INVALID',
      `${series.length} samples cannot be split into ${blocks} time blocks; run longer or use fewer blocks.`,
    );
  }
  const means: number[] = [];
  for (let b = 0; b < blocks; b++) {
    const start = Math.floor((b * series.length) / blocks);
    const end = Math.floor(((b + 1) * series.length) / blocks);
    means.push(mean(series.slice(start, end)));
  }
  return means;
}
