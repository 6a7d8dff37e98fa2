import type { BenchResult } from '../result.js';
import {
  analyzeCalibration,
  type CalibrationOptions,
  type MetricCalibration,
  type TrialsByMetric,
} from '../stats/calibration.js';
import { requireComplete } from './comparability.js';
import { metricKey } from './match.js';

/** Each metric's per-trial samples, keyed like comparisons (`subject:name{labels}`). */
export function trialsByMetric(result: BenchResult): TrialsByMetric {
  const out: Record<string, number[]> = {};
  for (const metric of result.metrics) out[metricKey(metric)] = metric.samples;
  return out;
}

/**
 * Calibration of an A/A run (`vexctl bench calibrate`): one config, N trials. Metrics with
 * fewer than 2 samples are left out and named in `skipped`.
 */
export function calibrateResult(
  result: BenchResult,
  options: CalibrationOptions = {},
): { calibrations: MetricCalibration[]; skipped: string[] } {
  requireComplete(result, 'calibration');
  const trials = trialsByMetric(result);
  const usable = Object.fromEntries(Object.entries(trials).filter(([, samples]) => samples.length >= 2));
  const skipped = Object.keys(trials).filter((key) => !(key in usable));
  return { calibrations: analyzeCalibration(usable, options), skipped };
}
