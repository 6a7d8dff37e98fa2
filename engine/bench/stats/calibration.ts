import { VexError } from '../../errors.js';
import { checkSamples } from './bootstrap.js';
import { coefficientOfVariation, mean, normalQuantile, standardDeviation, studentTQuantile } from './descriptive.js';
import { classifyOutliers } from './outliers.js';
import { checkAlpha, checkThreshold, DEFAULT_ALPHA, DEFAULT_NOISE_THRESHOLD_PCT } from './twoSample.js';

/**
 * Calibration from A/A trials (one config, N trials): each metric's noise floor (its
 * per-trial coefficient of variation) and what a comparison of N trials against N trials
 * can detect.
 *
 * A change δ (in %) gets the verdict improved/regressed when the CI of the change lies
 * wholly beyond the noise threshold t. With se = CV·√(2/N) (in %), that happens with
 * probability ≥ `power` when
 *   δ ≥ t + (t_{1−α/2, 2N−2} + t_{power, 2N−2}) · se
 * which is the smallest detectable change for N trials; the trials needed for a given δ
 * is the smallest N satisfying it (none when δ ≤ t: a change inside the noise threshold
 * is never reported, however many trials run). A normal-theory plan: it is a planning
 * figure, checked against simulation in test/bench/stats.test.ts.
 */
export interface CalibrationOptions {
  /** The N to report the smallest detectable change for (default: the trials given). */
  trials?: number;
  /** Changes (in %) to compute the trials needed for (default [5, 10]). */
  targetChangesPct?: number[];
  noiseThresholdPct?: number;
  alpha?: number;
  /** Probability of detecting the change (default 0.8). */
  power?: number;
}

export interface MetricCalibration {
  key: string;
  trials: number;
  mean: number;
  standardDeviation: number;
  /** Noise floor: per-trial CV in percent. */
  cvPct: number;
  /** Smallest change (%) a comparison of `forTrials` vs `forTrials` detects with the given power. */
  smallestDetectableChangePct: number;
  forTrials: number;
  /** Trials per side needed to detect each target change; null when it is inside the noise threshold. */
  trialsNeeded: { changePct: number; trials: number | null }[];
  outliers: { mild: number; severe: number };
}

export type TrialsByMetric = Record<string, readonly number[]>;

const MAX_TRIALS_PLANNED = 100_000;

export function smallestDetectableChangePct(
  cvPct: number,
  trials: number,
  options: { noiseThresholdPct?: number; alpha?: number; power?: number } = {},
): number {
  const t = options.noiseThresholdPct ?? DEFAULT_NOISE_THRESHOLD_PCT;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const power = options.power ?? 0.8;
  if (trials < 2) return Infinity;
  const df = 2 * trials - 2;
  const se = cvPct * Math.sqrt(2 / trials);
  return t + (studentTQuantile(1 - alpha / 2, df) + studentTQuantile(power, df)) * se;
}

export function trialsNeeded(
  cvPct: number,
  changePct: number,
  options: { noiseThresholdPct?: number; alpha?: number; power?: number } = {},
): number | null {
  const t = options.noiseThresholdPct ?? DEFAULT_NOISE_THRESHOLD_PCT;
  if (Math.abs(changePct) <= t) return null;
  if (cvPct === 0) return 2;
  // Start from the normal-theory answer and walk up: the t quantiles shrink as N grows.
  const z = normalQuantile(1 - (options.alpha ?? DEFAULT_ALPHA) / 2) + normalQuantile(options.power ?? 0.8);
  let n = Math.max(2, Math.floor(2 * ((z * cvPct) / (Math.abs(changePct) - t)) ** 2));
  while (n <= MAX_TRIALS_PLANNED && smallestDetectableChangePct(cvPct, n, options) > Math.abs(changePct)) n++;
  return n > MAX_TRIALS_PLANNED ? null : n;
}

export function analyzeCalibration(
  trialsByMetric: TrialsByMetric,
  options: CalibrationOptions = {},
): MetricCalibration[] {
  const noiseThresholdPct = options.noiseThresholdPct ?? DEFAULT_NOISE_THRESHOLD_PCT;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  const power = options.power ?? 0.8;
  checkThreshold(noiseThresholdPct);
  checkAlpha(alpha);
  if (!(power > 0 && power < 1)) throw new VexError('E_INVALID', `A power of ${power} is invalid: use e.g. 0.8.`);
  const plan = { noiseThresholdPct, alpha, power };
  return Object.entries(trialsByMetric).map(([key, samples]) => {
    checkSamples(samples, `The A/A trials of ${key}`);
    if (samples.length < 2) {
      throw new VexError('E_INVALID', `Calibrating ${key} needs at least 2 A/A trials; it has ${samples.length}.`);
    }
    const cvPct = coefficientOfVariation(samples) * 100;
    const forTrials = options.trials ?? samples.length;
    const outliers = classifyOutliers(samples);
    return {
      key,
      trials: samples.length,
      mean: mean(samples),
      standardDeviation: standardDeviation(samples),
      cvPct,
      smallestDetectableChangePct: smallestDetectableChangePct(cvPct, forTrials, plan),
      forTrials,
      trialsNeeded: (options.targetChangesPct ?? [5, 10]).map((changePct) => ({
        changePct,
        trials: trialsNeeded(cvPct, changePct, plan),
      })),
      outliers: { mild: outliers.mild, severe: outliers.severe },
    };
  });
}

/** Per-trial variation above this is a noisy setup whatever the threshold (hyperfine warns alike). */
export const NOISY_CV_PCT = 5;

/**
 * A noise warning when a metric's trials vary so much that a change of twice the noise
 * threshold would likely go unseen with this many trials, or when the CV exceeds 5 %.
 */
export function noiseWarning(
  label: string,
  samples: readonly number[],
  noiseThresholdPct = DEFAULT_NOISE_THRESHOLD_PCT,
): string | null {
  if (samples.length < 2) return null;
  const cvPct = coefficientOfVariation(samples) * 100;
  const detectable = smallestDetectableChangePct(cvPct, samples.length, { noiseThresholdPct });
  if (cvPct <= NOISY_CV_PCT && detectable <= Math.max(2 * noiseThresholdPct, 10)) return null;
  return (
    `${label} varies ${cvPct.toFixed(1)}% between its ${samples.length} samples: with this many, only changes above ` +
    `${detectable.toFixed(1)}% are reliably detected. Run more trials or quiet the machine (\`vexctl bench calibrate\`).`
  );
}

/** One noise warning for a compared metric, from the noisier of its two sides. */
export function comparisonNoiseWarning(
  label: string,
  baseline: readonly number[],
  current: readonly number[],
  noiseThresholdPct = DEFAULT_NOISE_THRESHOLD_PCT,
): string | null {
  const trials = Math.min(baseline.length, current.length);
  if (trials < 2) return null;
  const cvBaseline = coefficientOfVariation(baseline) * 100;
  const cvCurrent = coefficientOfVariation(current) * 100;
  const cvPct = Math.max(cvBaseline, cvCurrent);
  const detectable = smallestDetectableChangePct(cvPct, trials, { noiseThresholdPct });
  if (cvPct <= NOISY_CV_PCT && detectable <= Math.max(2 * noiseThresholdPct, 10)) return null;
  return (
    `${label} varies ${cvBaseline.toFixed(1)}% (baseline) and ${cvCurrent.toFixed(1)}% (current) between trials: ` +
    `with ${trials} trials a side only changes above ${detectable.toFixed(1)}% are reliably detected. ` +
    'Run more trials or quiet the machine (`vexctl bench calibrate`).'
  );
}
