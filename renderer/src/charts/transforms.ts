import type { BenchResult, Comparison, History } from '../state/types.js';

/** Data the charts draw, computed outside the components so they can be tested without a DOM. */

export const PERCENTILES = [
  { label: 'p50', field: 'p50_us' },
  { label: 'p90', field: 'p90_us' },
  { label: 'p99', field: 'p99_us' },
  { label: 'p99.9', field: 'p999_us' },
  { label: 'max', field: 'max_us' },
] as const;

type Latency = BenchResult['latencies'][number];

export function latencySeriesName(latency: Pick<Latency, 'subject' | 'op' | 'labels'>): string {
  const labels = Object.entries(latency.labels)
    .map(([k, v]) => `${k}=${v}`)
    .join(',');
  return `${latency.subject}/${latency.op}${labels ? ` ${labels}` : ''}`;
}

/** The percentile distribution: one row per percentile, one column per (subject, op) series. */
export function percentileDistribution(
  latencies: readonly Latency[],
  filter: (l: Latency) => boolean = () => true,
): { rows: Record<string, string | number>[]; series: string[] } {
  const chosen = latencies.filter(filter);
  const series = chosen.map(latencySeriesName);
  const rows = PERCENTILES.map(({ label, field }) => {
    const row: Record<string, string | number> = { percentile: label };
    chosen.forEach((latency, index) => (row[series[index] as string] = latency[field]));
    return row;
  });
  return { rows, series };
}

/** Baseline and current distributions of the same series on one chart. */
export function overlaidDistributions(
  baseline: BenchResult,
  current: BenchResult,
  subject: string,
  op: string,
): { percentile: string; baselineUs: number | null; currentUs: number | null }[] {
  const find = (result: BenchResult) =>
    result.latencies.find((l) => l.subject === subject && l.op === op && Object.keys(l.labels).length === 0) ??
    result.latencies.find((l) => l.subject === subject && l.op === op);
  const a = find(baseline);
  const b = find(current);
  return PERCENTILES.map(({ label, field }) => ({
    percentile: label,
    baselineUs: a ? a[field] : null,
    currentUs: b ? b[field] : null,
  }));
}

/** The (subject, op) pairs both runs measured, for the overlay picker. */
export function commonLatencyKeys(baseline: BenchResult, current: BenchResult): { subject: string; op: string }[] {
  const keys = new Map<string, { subject: string; op: string }>();
  for (const l of baseline.latencies) keys.set(`${l.subject}/${l.op}`, { subject: l.subject, op: l.op });
  return [...keys.entries()]
    .filter(([key]) => current.latencies.some((l) => `${l.subject}/${l.op}` === key))
    .map(([, value]) => value);
}

/** One bar per compared metric: its change in percent, with the CI as error whiskers around it. */
export function changeBars(
  comparison: Comparison,
  include: (metric: Comparison['metrics'][number]) => boolean = () => true,
): { key: string; changePct: number; whisker: [number, number]; verdict: string; better: boolean }[] {
  return comparison.metrics
    .filter(include)
    .filter((m) => m.changePct !== null)
    .map((m) => {
      const changePct = round(m.changePct ?? 0);
      const low = m.changeCiPct[0] ?? changePct;
      const high = m.changeCiPct[1] ?? changePct;
      const better = m.higherIsBetter ? changePct > 0 : changePct < 0;
      return {
        // The comparison's key already names the subject (vexfs:ops_per_s.read).
        key: m.key,
        changePct,
        whisker: [round(Math.max(0, changePct - low)), round(Math.max(0, high - changePct))],
        verdict: m.verdict,
        better,
      };
    });
}

/** The metrics the change chart shows: throughput and the profile's primary metrics (latencies stay in the table). */
export function isHeadlineMetric(metric: Comparison['metrics'][number]): boolean {
  return metric.primary || metric.name.startsWith('ops_per_s');
}

/** Each run of a profile on one time axis; one series per primary metric and subject. */
export function historySeries(history: History): {
  rows: Record<string, string | number>[];
  series: { key: string; name: string }[];
} {
  const nameOf = (metric: History['runs'][number]['metrics'][number]): string =>
    `${metric.subject} ${metric.name}${labelText(metric.labels)}`;
  const names = [...new Set(history.runs.flatMap((run) => run.metrics.map(nameOf)))].sort();
  // Chart keys without dots: a charting library reads a dotted key as a path into the row.
  const keyOf = new Map(names.map((name, index) => [name, `s${index}`]));
  const rows = history.runs.map((run) => {
    const row: Record<string, string | number> = { run: run.id, at: run.started_at.slice(0, 16).replace('T', ' ') };
    for (const metric of run.metrics) row[keyOf.get(nameOf(metric)) as string] = metric.value;
    return row;
  });
  return { rows, series: names.map((name) => ({ key: keyOf.get(name) as string, name })) };
}

function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length ? ` ${entries.map(([k, v]) => `${k}=${v}`).join(',')}` : '';
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/** A percentage with its sign, or a dash when it could not be computed. */
export function formatPct(value: number | null, digits = 1): string {
  if (value === null || !Number.isFinite(value)) return '—';
  return `${value >= 0 ? '+' : ''}${value.toFixed(digits)}%`;
}

/** A figure with no more digits than it carries. */
export function formatNumber(value: number | null): string {
  if (value === null || !Number.isFinite(value)) return '—';
  const abs = Math.abs(value);
  if (abs >= 100) return Math.round(value).toLocaleString('en-US');
  if (abs >= 1) return value.toFixed(2);
  return value.toPrecision(3);
}

/** Distinct colours for series, the same in both themes. */
export const SERIES_COLOURS = ['#2f6fde', '#d9480f', '#2b8a3e', '#9c36b5', '#e67700', '#0c8599', '#c2255c', '#5c7cfa'];
