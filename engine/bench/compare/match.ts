import { VexError } from '../../errors.js';
import type { BenchResult, Metric } from '../result.js';

/** A metric's identity across runs: subject, dotted name and its labels (order-free). */
export function metricKey(metric: Pick<Metric, 'subject' | 'name' | 'labels'>): string {
  const labels = Object.entries(metric.labels)
    .sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0))
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${metric.subject}:${metric.name}${labels ? `{${labels}}` : ''}`;
}

export interface MetricPair {
  key: string;
  baseline: Metric;
  current: Metric;
}

export interface MatchedMetrics {
  pairs: MetricPair[];
  onlyInBaseline: string[];
  onlyInCurrent: string[];
}

export function indexMetrics(result: BenchResult, source: string): Map<string, Metric> {
  const byKey = new Map<string, Metric>();
  for (const metric of result.metrics) {
    const key = metricKey(metric);
    if (byKey.has(key)) {
      throw new VexError(
        'E_RESULT',
        `${source} (run ${result.id}) lists the metric ${key} twice; each metric must appear once.`,
      );
    }
    byKey.set(key, metric);
  }
  return byKey;
}

/** Pairs metrics by key, in the current run's order; unmatched keys are listed, not dropped. */
export function matchMetrics(baseline: BenchResult, current: BenchResult): MatchedMetrics {
  const base = indexMetrics(baseline, 'The baseline');
  const cur = indexMetrics(current, 'The current result');
  const pairs: MetricPair[] = [];
  const onlyInCurrent: string[] = [];
  for (const [key, metric] of cur) {
    const match = base.get(key);
    if (match) pairs.push({ key, baseline: match, current: metric });
    else onlyInCurrent.push(key);
  }
  const onlyInBaseline = [...base.keys()].filter((key) => !cur.has(key));
  return { pairs, onlyInBaseline, onlyInCurrent };
}
