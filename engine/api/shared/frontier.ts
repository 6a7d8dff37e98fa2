// Shared with the renderer, which bundles it for the browser: pure code, no imports but types (lint checks).

/** What the frontier reads of a run: its metrics (an engine BenchResult and the API's result both fit). */
interface RunMetric {
  name: string;
  subject: string;
  unit: string;
  value: number;
  labels: Readonly<Record<string, string>>;
}
export interface RunMetrics {
  metrics: readonly RunMetric[];
}

/**
 * The rule a recall–QPS frontier is read by, for every workload that reports recall (quantized-search
 * now, HNSW when it lands): recall@k is `recall_at_k.<name>` in unit `recall` (a fraction in [0, 1])
 * with no labels of its own; its throughput in queries per second is `qps.<name>` where the workload
 * reports one (an op answering several queries), else the harness's `ops_per_s.<name>` (one op = one
 * query), on the same subject and labels. The report (engine/bench/report/frontier.ts) and the Compare
 * page (renderer/src/charts/frontier.ts) both read runs through this module.
 */
export const RECALL_PREFIX = 'recall_at_k.';

export interface FrontierPoint {
  op: string;
  recall: number;
  qps: number;
}

export function labelText(labels: Readonly<Record<string, string>>): string {
  return Object.entries(labels)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([key, value]) => `${key}=${value}`)
    .join(',');
}

/** A run's recall metrics paired with their throughput, grouped by subject and labels. */
export function recallQpsPoints(result: RunMetrics): { subject: string; labels: string; points: FrontierPoint[] }[] {
  const byKey = new Map<string, RunMetric>();
  for (const m of result.metrics) byKey.set(`${m.subject}|${labelText(m.labels)}|${m.name}`, m);
  const groups = new Map<string, { subject: string; labels: string; points: FrontierPoint[] }>();
  for (const m of result.metrics) {
    if (!m.name.startsWith(RECALL_PREFIX) || m.unit !== 'recall') continue;
    const op = m.name.slice(RECALL_PREFIX.length);
    const at = `${m.subject}|${labelText(m.labels)}|`;
    const throughput = byKey.get(`${at}qps.${op}`) ?? byKey.get(`${at}ops_per_s.${op}`);
    if (!throughput) continue;
    const group = groups.get(at) ?? { subject: m.subject, labels: labelText(m.labels), points: [] };
    group.points.push({ op, recall: m.value, qps: throughput.value });
    groups.set(at, group);
  }
  return [...groups.values()];
}

/** The points no other point beats on both recall and queries per second (equal points: the first), recall ascending. */
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
