import type { BenchResult, Metric } from '../result.js';
import { formatValue } from './format.js';
import { table } from './markdownTable.js';

/**
 * The rule a recall–QPS frontier is read by, for every workload that reports recall (quantized-search
 * now, HNSW when it lands): recall@k is `recall_at_k.<name>` in unit `recall` (a fraction in [0, 1])
 * with no labels of its own; its throughput in queries per second is `qps.<name>` where the workload
 * reports one (an op answering several queries), else the harness's `ops_per_s.<name>` (one op = one
 * query), on the same subject and labels. renderer/src/charts/frontier.ts applies the same rule (the
 * renderer may not import engine code; test/renderer/frontier.test.ts checks that both agree).
 */
export const RECALL_PREFIX = 'recall_at_k.';

export interface FrontierPoint {
  op: string;
  recall: number;
  qps: number;
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

/** The exact op every quantized op is measured against, where the run has one. */
const EXACT_OP = 'f32_exact';

/**
 * The report's frontier table: every op's recall@k beside its queries per second, its speed relative to
 * the exact scan, and whether it is on the run's Pareto frontier. Null when neither run reports recall.
 */
export function frontierSection(result: BenchResult, baseline: BenchResult | undefined): string | null {
  const runs = [...(baseline ? [['baseline', baseline] as const] : []), [baseline ? 'current' : '', result] as const];
  const rows: string[][] = [];
  for (const [role, run] of runs) {
    for (const group of recallQpsPoints(run)) {
      const frontier = paretoFrontier(group.points);
      const exact = group.points.find((p) => p.op === EXACT_OP);
      const where = [role, group.subject, group.labels].filter(Boolean).join(' ');
      for (const p of [...group.points].sort((a, b) => b.recall - a.recall || b.qps - a.qps)) {
        rows.push([
          where,
          p.op,
          p.recall.toFixed(4),
          formatValue(p.qps),
          exact && exact.qps > 0 ? `${(p.qps / exact.qps).toFixed(2)}×` : '—',
          frontier.includes(p) ? 'yes' : '',
        ]);
      }
    }
  }
  if (rows.length === 0) return null;
  const k = (result.environment.config.params as Record<string, unknown> | undefined)?.k;
  const recall = typeof k === 'number' ? `recall@${k}` : 'recall@k';
  return [
    '## Recall–QPS frontier',
    '',
    `Each op's measured ${recall} (the mean over its query pool, against the exact top-k from the same data) beside its queries per second. ` +
      `"vs ${EXACT_OP}" is its speed over the exact scan's in the same run; "Pareto" marks the ops no other op of the run beats on both ` +
      'recall and speed (compare speed only at equal recall).',
    '',
    table(['Run', 'Op', recall, 'Queries/s', `vs ${EXACT_OP}`, 'Pareto'], rows),
  ].join('\n');
}
