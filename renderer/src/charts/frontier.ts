import { paretoFrontier, recallQpsPoints, type FrontierPoint } from '../../../engine/api/shared/frontier.js';
import type { BenchResult } from '../state/types.js';

/**
 * Recall–QPS frontiers for the Compare page, computed outside the components so they can be tested
 * without a DOM. Which metrics pair up, and the Pareto rule, live in engine/api/shared/frontier.ts,
 * shared with the markdown report.
 */
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

/** One table row per point: the chart's figures in words, for points that overlap on the chart. */
export function frontierRows(
  series: readonly FrontierSeries[],
): { run: string; op: string; recall: number; qps: number; pareto: boolean }[] {
  return series.flatMap((s) =>
    [...s.points]
      .sort((a, b) => b.recall - a.recall || b.qps - a.qps)
      .map((p) => ({ run: s.name, op: p.op, recall: p.recall, qps: p.qps, pareto: s.frontier.includes(p) })),
  );
}

/**
 * The recall axis: from a little below the lowest recall to a little above 1 (points at 1 stay off the
 * edge), with ticks no higher than 1.
 */
export function recallAxis(series: readonly FrontierSeries[]): { domain: [number, number]; ticks: number[] } {
  const recalls = series.flatMap((s) => s.points.map((p) => p.recall));
  const lowest = recalls.length > 0 ? Math.min(...recalls) : 0;
  const pad = Math.max(0.005, (1 - lowest) * 0.15);
  const low = Math.max(0, lowest - pad);
  const ticks = Array.from({ length: 5 }, (_, i) => Math.round((low + ((1 - low) * i) / 4) * 1000) / 1000);
  return { domain: [low, 1 + pad / 2], ticks: [...new Set(ticks)] };
}

/** The log QPS axis: every point inside, with a margin above and below. */
export function qpsDomain(series: readonly FrontierSeries[]): [number, number] {
  const qps = series.flatMap((s) => s.points.map((p) => p.qps)).filter((q) => q > 0);
  if (qps.length === 0) return [1, 10];
  return [Math.min(...qps) / 1.25, Math.max(...qps) * 1.25];
}

/** The plot area the label placement assumes, in pixels (the chart's usual size on the Compare page). */
const PLOT_WIDTH_PX = 900;
const PLOT_HEIGHT_PX = 280;
const CHAR_WIDTH_PX = 6;
const LINE_HEIGHT_PX = 12;

/**
 * Which points get their op written beside them: baseline labels to the left of the point, current to the
 * right; frontier points first, then the rest, and a label that would overlap one already kept is dropped
 * (the table lists every point). Keys are `<series name>|<op>`.
 */
export function labelledPoints(series: readonly FrontierSeries[]): Set<string> {
  const [recallLow, recallHigh] = recallAxis(series).domain;
  const [qpsLow, qpsHigh] = qpsDomain(series).map(Math.log) as [number, number];
  const boxes: { left: number; right: number; top: number; bottom: number }[] = [];
  const shown = new Set<string>();
  const candidates = series.flatMap((s) => s.points.map((p) => ({ s, p, rank: s.frontier.includes(p) ? 0 : 1 })));
  candidates.sort((a, b) => a.rank - b.rank);
  for (const { s, p } of candidates) {
    const x = ((p.recall - recallLow) / (recallHigh - recallLow)) * PLOT_WIDTH_PX;
    const y = ((qpsHigh - Math.log(Math.max(p.qps, 1e-9))) / (qpsHigh - qpsLow || 1)) * PLOT_HEIGHT_PX;
    const width = p.op.length * CHAR_WIDTH_PX;
    const left = s.role === 'current' ? x + 7 : x - 7 - width;
    const box = { left, right: left + width, top: y - LINE_HEIGHT_PX / 2, bottom: y + LINE_HEIGHT_PX / 2 };
    const overlaps = boxes.some(
      (b) => b.left < box.right && box.left < b.right && b.top < box.bottom && box.top < b.bottom,
    );
    if (overlaps) continue;
    boxes.push(box);
    shown.add(`${s.name}|${p.op}`);
  }
  return shown;
}
