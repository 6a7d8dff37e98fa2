import { VexError } from '../../errors.js';
import type { BenchResult } from '../result.js';
import { comparePaired, type PairedResult } from '../stats/paired.js';
import { seedFromString } from '../stats/random.js';
import type { TwoSampleOptions } from '../stats/twoSample.js';
import { requireComplete } from './comparability.js';
import { matchMetrics } from './match.js';

export interface PairedMetric extends PairedResult {
  key: string;
  name: string;
  unit: string;
  higherIsBetter: boolean;
  primary: boolean;
}

export interface PairedAnalysis {
  aId: string;
  bId: string;
  metrics: PairedMetric[];
  /** Keys present in only one of the two runs. */
  unmatched: string[];
}

/**
 * Paired analysis of an interleaved A/B run: `a` and `b` hold the same metrics with one
 * sample per trial, trial i of A run next to trial i of B. Change is B relative to A.
 */
export function analyzePaired(
  a: BenchResult,
  b: BenchResult,
  options: Omit<TwoSampleOptions, 'higherIsBetter'> = {},
): PairedAnalysis {
  requireComplete(a, 'A');
  requireComplete(b, 'B');
  if (a.profile.name !== b.profile.name) {
    throw new VexError(
      'E_RESULT',
      `A ran profile ${a.profile.name} and B ran ${b.profile.name}; an A/B analysis needs both sides from one profile.`,
    );
  }
  const matched = matchMetrics(a, b);
  const metrics = matched.pairs.map(({ key, baseline, current }) => {
    if (baseline.samples.length !== current.samples.length) {
      throw new VexError(
        'E_RESULT',
        `${key} has ${baseline.samples.length} A trials and ${current.samples.length} B trials; interleaved A/B runs have one of each per pair.`,
      );
    }
    const result = comparePaired(baseline.samples, current.samples, {
      ...options,
      higherIsBetter: current.higher_is_better,
      seed: seedFromString(key, options.seed),
    });
    return {
      key,
      name: current.name,
      unit: current.unit,
      higherIsBetter: current.higher_is_better,
      primary: current.primary,
      ...result,
    };
  });
  return { aId: a.id, bId: b.id, metrics, unmatched: [...matched.onlyInBaseline, ...matched.onlyInCurrent] };
}
