import { paretoFrontier, recallQpsPoints } from '../../api/shared/frontier.js';
import type { BenchResult } from '../result.js';
import { formatValue } from './format.js';
import { table } from './markdownTable.js';

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
