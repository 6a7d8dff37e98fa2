import { VexError } from '../../errors.js';
import type { BenchResult, Metric } from '../result.js';
import { comparisonNoiseWarning } from '../stats/calibration.js';
import { outlierWarning } from '../stats/outliers.js';
import { DEFAULT_RESAMPLES } from '../stats/bootstrap.js';
import { seedFromString } from '../stats/random.js';
import {
  checkThreshold,
  compareSamples,
  decideVerdict,
  DEFAULT_ALPHA,
  DEFAULT_NOISE_THRESHOLD_PCT,
  holmAdjust,
  smallestPermutationP,
  type Verdict,
} from '../stats/twoSample.js';
import {
  checkComparability,
  configDiff,
  describeDifferences,
  requireComplete,
  type Comparability,
  type Difference,
} from './comparability.js';
import { matchMetrics } from './match.js';

export type GateMode = 'primary' | 'all';

export interface CompareOptions {
  /** Compare even when profile, dataset or machine differ (the differences become warnings). */
  force?: boolean;
  noiseThresholdPct?: number;
  alpha?: number;
  confidence?: number;
  resamples?: number;
  seed?: number;
  /** `primary`: the profile's primary metrics, each at α. `all`: every metric, Holm-adjusted. */
  gate?: GateMode;
}

export interface MetricSide {
  value: number;
  ci95: [number, number];
  samples: number;
}

export interface MetricComparison {
  key: string;
  name: string;
  labels: Record<string, string>;
  subject: string;
  unit: string;
  higherIsBetter: boolean;
  primary: boolean;
  baseline: MetricSide;
  current: MetricSide;
  /** Change of the per-trial means, in percent, with its bootstrap CI. */
  changePct: number;
  changeCiPct: [number, number];
  pValue: number;
  /** The p-value after Holm's correction across every compared metric. */
  holmPValue: number;
  verdict: Verdict;
  /** The verdict with the Holm-adjusted p-value: what the `all` gate uses. */
  holmVerdict: Verdict;
}

export interface Gate {
  mode: GateMode;
  /** Keys of the metrics the gate looked at. */
  considered: string[];
  /** Keys it found regressed. */
  regressions: string[];
  failed: boolean;
  note: string;
}

export interface Comparison {
  baselineId: string;
  currentId: string;
  profile: string;
  noiseThresholdPct: number;
  alpha: number;
  comparability: Comparability;
  forced: boolean;
  configDiff: Difference[];
  metrics: MetricComparison[];
  onlyInBaseline: string[];
  onlyInCurrent: string[];
  gate: Gate;
  warnings: string[];
}

function side(metric: Metric): MetricSide {
  return { value: metric.value, ci95: [metric.ci95[0], metric.ci95[1]], samples: metric.samples.length };
}

/**
 * Compares two runs metric by metric (see stats/twoSample.ts for the statistics and the
 * verdict rule). Refuses cancelled or failed runs always, and incomparable runs unless forced.
 */
export function compareResults(baseline: BenchResult, current: BenchResult, options: CompareOptions = {}): Comparison {
  const noiseThresholdPct = options.noiseThresholdPct ?? DEFAULT_NOISE_THRESHOLD_PCT;
  const alpha = options.alpha ?? DEFAULT_ALPHA;
  checkThreshold(noiseThresholdPct);
  requireComplete(baseline, 'baseline');
  requireComplete(current, 'current');
  const comparability = checkComparability(baseline, current);
  const matched = matchMetrics(baseline, current);
  // A metric whose unit or direction changed cannot be compared as the same quantity.
  for (const { key, baseline: b, current: c } of matched.pairs) {
    if (b.unit !== c.unit)
      comparability.differences.push({ field: `metric ${key} unit`, baseline: b.unit, current: c.unit });
    if (b.higher_is_better !== c.higher_is_better) {
      comparability.differences.push({
        field: `metric ${key} higher_is_better`,
        baseline: String(b.higher_is_better),
        current: String(c.higher_is_better),
      });
    }
  }
  comparability.comparable = comparability.differences.length === 0;
  const warnings: string[] = [];
  if (!comparability.comparable) {
    const what = describeDifferences(comparability.differences);
    if (!options.force) {
      throw new VexError(
        'E_RESULT',
        `Runs ${baseline.id} and ${current.id} are not comparable: ${what}. Use --force to compare them anyway.`,
        { differences: comparability.differences },
      );
    }
    warnings.push(`Compared although the runs differ (forced): ${what}.`);
  }
  const raw = matched.pairs.map(({ key, baseline: b, current: c }) => {
    const stats = compareSamples(b.samples, c.samples, {
      higherIsBetter: c.higher_is_better,
      noiseThresholdPct,
      alpha,
      ...(options.confidence !== undefined ? { confidence: options.confidence } : {}),
      ...(options.resamples !== undefined ? { resamples: options.resamples } : {}),
      // Per-metric seeds: reproducible, and independent of the metric's position in the list.
      seed: seedFromString(key, options.seed),
    });
    for (const [role, metric] of [
      ['baseline', b],
      ['current', c],
    ] as const) {
      const outliers = outlierWarning(`${key} (${role})`, metric.samples);
      if (outliers) warnings.push(outliers);
    }
    const noise = comparisonNoiseWarning(key, b.samples, c.samples, noiseThresholdPct);
    if (noise) warnings.push(noise);
    if (stats.verdict === 'insufficient data') {
      warnings.push(
        `${key}: ${b.samples.length} and ${c.samples.length} samples are too few for the permutation test to ever ` +
          `reach p < ${alpha}, so no verdict is given; run at least 4 trials a side.`,
      );
    }
    return { key, b, c, stats };
  });
  // Metrics too small to test stay out of Holm's family: counting them would only cost power.
  const holm = holmAdjust(raw.map((r) => (r.stats.verdict === 'insufficient data' ? NaN : r.stats.pValue)));
  const metrics: MetricComparison[] = raw.map(({ key, b, c, stats }, i) => {
    const holmPValue = holm[i] as number;
    return {
      key,
      name: c.name,
      labels: c.labels,
      subject: c.subject,
      unit: c.unit,
      higherIsBetter: c.higher_is_better,
      primary: c.primary,
      baseline: side(b),
      current: side(c),
      changePct: stats.changePct,
      changeCiPct: stats.changeCiPct,
      pValue: stats.pValue,
      holmPValue,
      verdict: stats.verdict,
      holmVerdict: Number.isNaN(holmPValue)
        ? 'insufficient data'
        : decideVerdict({
            pValue: holmPValue,
            changeCiPct: stats.changeCiPct,
            higherIsBetter: c.higher_is_better,
            noiseThresholdPct,
            alpha,
          }),
    };
  });
  if (matched.onlyInBaseline.length > 0) warnings.push(`Only in the baseline: ${matched.onlyInBaseline.join(', ')}.`);
  if (matched.onlyInCurrent.length > 0) warnings.push(`Only in the current run: ${matched.onlyInCurrent.join(', ')}.`);
  return {
    baselineId: baseline.id,
    currentId: current.id,
    profile: current.profile.name,
    noiseThresholdPct,
    alpha,
    comparability,
    forced: !comparability.comparable,
    configDiff: configDiff(baseline, current),
    metrics,
    onlyInBaseline: matched.onlyInBaseline,
    onlyInCurrent: matched.onlyInCurrent,
    gate: evaluateGate(metrics, options.gate ?? 'primary', alpha, options.resamples, subjectUnderTest(current)),
    warnings,
  };
}

/**
 * `primary`: a primary metric whose own verdict is `regressed` fails the gate; `all`: any
 * metric whose Holm-adjusted verdict is `regressed`, so thirty metrics do not turn a 5 %
 * false-alarm rate each into a routine failure. With no primary metric, `primary` falls
 * back to `all` and says so. Only the subject under test is gated (the profile's first subject:
 * vexfs, or the harness for `noop`): a peer (memfs, usearch…) that "regressed" between two runs
 * measures the machine's drift, not our change — which is why vexfs/peer ratios measured in
 * the same run are metrics of their own.
 */
export function evaluateGate(
  allMetrics: readonly MetricComparison[],
  mode: GateMode,
  alpha = DEFAULT_ALPHA,
  resamples = DEFAULT_RESAMPLES,
  subjectUnderTest: string | null = null,
): Gate {
  const metrics = subjectUnderTest === null ? allMetrics : allMetrics.filter((m) => m.subject === subjectUnderTest);
  const primary = metrics.filter((m) => m.primary);
  if (mode === 'primary' && primary.length > 0) {
    const regressions = primary.filter((m) => m.verdict === 'regressed').map((m) => m.key);
    return {
      mode,
      considered: primary.map((m) => m.key),
      regressions,
      failed: regressions.length > 0,
      note:
        `The gate looked at ${primary.length} primary metric(s), each at its own significance level.` +
        powerNote(primary, alpha, resamples, 1),
    };
  }
  const regressions = metrics.filter((m) => m.holmVerdict === 'regressed').map((m) => m.key);
  return {
    mode: 'all',
    considered: metrics.map((m) => m.key),
    regressions,
    failed: regressions.length > 0,
    note:
      (mode === 'primary' ? 'No metric is marked primary, so the gate looked at all metrics. ' : '') +
      `The gate looked at ${metrics.length} metric(s) with Holm's correction.` +
      powerNote(metrics, alpha, resamples, metrics.length),
  };
}

/**
 * The permutation test cannot return a p-value below one over the number of splits: with 5
 * trials a side that is 2/252 ≈ 0.008, so Holm over 7 or more metrics (needing p < α/m) can
 * never fire. Say so rather than let a silent gate look like a clean bill of health.
 */
function powerNote(metrics: readonly MetricComparison[], alpha: number, resamples: number, family: number): string {
  const smallest = (m: MetricComparison): number =>
    smallestPermutationP(m.baseline.samples, m.current.samples, resamples);
  const blind = metrics.filter(
    (m) => m.baseline.samples >= 2 && m.current.samples >= 2 && smallest(m) * family >= alpha,
  );
  if (blind.length === 0) return '';
  const example = blind[0] as MetricComparison;
  return (
    ` With ${example.baseline.samples} and ${example.current.samples} trials the smallest possible p-value is ` +
    `${smallest(example).toPrecision(2)}, so ${blind.length === metrics.length ? 'no metric' : `${blind.length} metric(s)`} ` +
    'can fail this gate: run more trials.'
  );
}

/** The profile's first subject is the one under test; the rest are peers measured beside it. */
function subjectUnderTest(result: BenchResult): string | null {
  const effective = result.profile.params.effective as { subjects?: unknown } | undefined;
  const first = Array.isArray(effective?.subjects) ? (effective.subjects[0] as unknown) : undefined;
  return typeof first === 'string' ? first : null;
}
