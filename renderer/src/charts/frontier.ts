import type { BenchResult } from '../state/types.js';

/**
 * Recall–QPS frontiers, computed outside the components so they can be tested without a DOM.
 *
 * The pairing rule (stated with the quantized-search workload in engine/bench/workloads/quantizedSearch.ts,
 * which the renderer may not import): a metric `recall_at_k.<name>` in unit `recall` pairs with
 * `qps.<name>` of the same subject and labels, or, where the run has none, with `ops_per_s.<name>`
 * (an op is one query). A recall metric with neither is left out.
 */
export const RECALL_PREFIX = 'recall_at_k.';

type Metric = BenchResult['metrics'][number];

export interface FrontierPoint {
  /** The `<name>` both metrics share: the profile's workload, one op each. */
  op: string;
  recall: number;
  qps: number;
}

/** One run's points for one subject and label set, with the Pareto frontier through them. */
export interface FrontierSeries {
  /** Legend text: the run's role, plus the subject and labels where a run has several series. */
  name: string;
  role: 'baseline' | 'current';
  runId: string;
  subject: string;
  labels: string;
  /** recall@k's k from the run's params, when it has one. */
  k: number | null;
  points: FrontierPoint[];
  /** The points no other point beats on both recall and QPS, by recall ascending. */
  frontier: FrontierPoint[];
}

function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** A run's recall metrics paired with their throughput, grouped by subject and labels. */
export function recallQpsPoints(result: BenchResult): { subject: string; labels: string; points: FrontierPoint[] }[] {
  const byKey = new Map<string, Metric>();
  for (const m of result.metrics) byKey.set(`${m.subject}|${labelText(m.labels)}|${m.name}`, m);
  const groups = new Map<string, { subject: string; labels: string; points: FrontierPoint[] }>();
  for (const m of result.metrics) {
    if (!m.name.startsWith(RECALL_PREFIX) || m.unit !== 'recall') continue;
    const op = m.name.slice(RECALL_PREFIX.length);
    const labels = labelText(m.labels);
    const at = `${m.subject}|${labels}|`;
    const throughput = byKey.get(`${at}qps.${op}`) ?? byKey.get(`${at}ops_per_s.${op}`);
    if (!throughput) continue;
    const group = groups.get(at) ?? { subject: m.subject, labels, points: [] };
    group.points.push({ op, recall: m.value, qps: throughput.value });
    groups.set(at, group);
  }
  return [...groups.values()];
}

/**
 * The points that no other point dominates (at least as high a recall and as many queries per second,
 * better in one), by recall ascending. Of points equal in both, the first is kept.
 */
export function paretoFrontier(points: readonly FrontierPoint[]): FrontierPoint[] {
  const byRecall = points
    .map((point, index) => ({ point, index }))
    .sort((a, b) => b.point.recall - a.point.recall || b.point.qps - a.point.qps || a.index - b.index);
  const frontier: FrontierPoint[] = [];
  let bestQps = -Infinity;
  for (const { point } of byRecall) {
    if (point.qps > bestQps) {
      frontier.push(point);
      bestQps = point.qps;
    }
  }
  return frontier.reverse();
}

function paramK(result: BenchResult): number | null {
  const params = result.environment.config.params;
  const k = params && typeof params === 'object' ? (params as Record<string, unknown>).k : undefined;
  return typeof k === 'number' ? k : null;
}

/** Baseline and current frontiers for one chart; empty when neither run reports recall. */
export function compareFrontiers(baseline: BenchResult, current: BenchResult): FrontierSeries[] {
  const series: FrontierSeries[] = [];
  for (const [role, result] of [
    ['baseline', baseline],
    ['current', current],
  ] as const) {
    const groups = recallQpsPoints(result);
    for (const group of groups) {
      const detail = groups.length > 1 ? ` ${group.subject}${group.labels ? ` ${group.labels}` : ''}` : '';
      series.push({
        name: `${role}${detail}`,
        role,
        runId: result.id,
        subject: group.subject,
        labels: group.labels,
        k: paramK(result),
        points: group.points,
        frontier: paretoFrontier(group.points),
      });
    }
  }
  return series;
}

/** The chart's recall axis label: recall@k with the runs' k when they agree. */
export function recallAxisLabel(series: readonly FrontierSeries[]): string {
  const ks = new Set(series.map((s) => s.k));
  const [k] = [...ks];
  return ks.size === 1 && typeof k === 'number' ? `recall@${k}` : 'recall@k';
}
