import { LatencyHistogram } from '../../metrics/histogram.js';
import type { Metric } from '../result.js';
import type { PlannedPoint } from './plan.js';
import type { UnitOutcome } from './protocol.js';
import { metric } from './metric.js';

const PERCENTILES = [
  ['p50', 50],
  ['p99', 99],
  ['p999', 99.9],
] as const;

function labelKey(name: string, labels: Readonly<Record<string, string>>): string {
  return `${name}{${Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([k, v]) => `${k}=${v}`)
    .join(',')}}`;
}

/**
 * The workloads' own figures of one subject as metrics: one sample per trial, the CI bootstrapped
 * across trials like ops/s. A trial-wide figure (a roofline) is averaged over the trial's units; a
 * unit's figure that several workloads report (pool tier counters) keeps a `workload` label each.
 */
export function figureMetrics(point: PlannedPoint, subject: string, outcomes: readonly UnitOutcome[]): Metric[] {
  const mine = outcomes.flatMap((outcome) => {
    const unit = point.units[outcome.unit];
    return unit && unit.subject === subject && !outcome.cancelled ? [{ unit, figures: outcome.figures }] : [];
  });
  const workloadsOf = new Map<string, Set<string>>();
  for (const { unit, figures } of mine) {
    for (const figure of figures) {
      if (figure.trialWide) continue;
      const key = labelKey(figure.name, figure.labels);
      workloadsOf.set(key, (workloadsOf.get(key) ?? new Set()).add(unit.workload));
    }
  }
  const groups = new Map<
    string,
    { name: string; labels: Record<string, string>; unit: string; higher: boolean; byTrial: Map<number, number[]> }
  >();
  for (const { unit, figures } of mine) {
    for (const figure of figures) {
      const shared = !figure.trialWide && (workloadsOf.get(labelKey(figure.name, figure.labels))?.size ?? 0) > 1;
      const labels = { ...point.labels, ...figure.labels, ...(shared ? { workload: unit.workload } : {}) };
      const key = labelKey(figure.name, labels);
      let group = groups.get(key);
      if (!group) {
        group = { name: figure.name, labels, unit: figure.unit, higher: figure.higherIsBetter, byTrial: new Map() };
        groups.set(key, group);
      }
      const values = group.byTrial.get(unit.trial) ?? [];
      values.push(figure.value);
      group.byTrial.set(unit.trial, values);
    }
  }
  return [...groups.values()].map((group) => {
    const samples = [...group.byTrial.entries()]
      .sort(([a], [b]) => a - b)
      .map(([, values]) => values.reduce((sum, v) => sum + v, 0) / values.length);
    return metric(group.name, subject, group.labels, group.unit, group.higher, samples, point.profile.primary);
  });
}

/**
 * Per-op latency of a mix of several ops, `latency_us.<workload>.<op>.<percentile>`, beside the
 * workload's overall `latency_us.<workload>.<percentile>`: one sample per trial.
 */
export function opLatencyMetrics(
  point: PlannedPoint,
  subject: string,
  workload: string,
  outcomes: readonly UnitOutcome[],
): Metric[] {
  const byOp = new Map<string, LatencyHistogram[]>();
  for (const outcome of outcomes) {
    for (const [op, encoded] of Object.entries(outcome.opHistograms)) {
      const histogram = LatencyHistogram.decode(encoded, 'ns');
      if (histogram.count === 0) continue;
      const list = byOp.get(op) ?? [];
      list.push(histogram);
      byOp.set(op, list);
    }
  }
  const metrics: Metric[] = [];
  for (const [op, histograms] of byOp) {
    for (const [key, percentile] of PERCENTILES) {
      const values = histograms.map((h) => h.valueAt(percentile) / 1000);
      metrics.push(
        metric(
          `latency_us.${workload}.${op}.${key}`,
          subject,
          point.labels,
          'us',
          false,
          values,
          point.profile.primary,
        ),
      );
    }
  }
  return metrics;
}
