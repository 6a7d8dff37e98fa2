import { LatencyHistogram, type HistogramUnit } from '../../metrics/histogram.js';
import type { BenchResult, LatencySummary } from '../result.js';
import { lineChart, type Series } from './svg.js';

/** Charts beyond this many series stop being readable; the rest are named in a note. */
export const MAX_SERIES = 8;

export interface Chart {
  svg: string;
  /** Series left out to keep the chart readable (named in the report). */
  omitted: string[];
}

/**
 * Measured-phase throughput over time: one colour per subject and workload when the samples
 * say which they measured (one line per trial otherwise), baseline dashed.
 */
export function throughputChart(result: BenchResult, baseline?: BenchResult): Chart {
  const build = (run: BenchResult, role: string, dashed: boolean): Series[] => {
    const segments = new Map<string, { group: string; trial: number; points: { x: number; y: number }[] }>();
    for (const sample of run.timeseries) {
      if (sample.phase !== 'measure') continue;
      const what = [sample.subject, sample.workload].filter(Boolean).join(' ');
      const group = [role, what || `trial ${sample.trial}`].filter(Boolean).join(' ');
      const key = `${group}\u0000${sample.trial}`;
      const segment = segments.get(key) ?? { group, trial: sample.trial, points: [] };
      segment.points.push({ x: sample.t_ms / 1000, y: sample.ops_per_s });
      segments.set(key, segment);
    }
    return [...segments.values()].map((s) => ({
      name: `${s.group} trial ${s.trial}`,
      group: s.group,
      points: s.points.sort((a, b) => a.x - b.x),
      dashed,
    }));
  };
  const series = [
    ...build(result, baseline ? 'current' : '', false),
    ...(baseline ? build(baseline, 'baseline', true) : []),
  ];
  const groups = [...new Set(series.map((s) => s.group as string))];
  const shownGroups = new Set(groups.slice(0, MAX_SERIES));
  return {
    svg: lineChart(
      series.filter((s) => shownGroups.has(s.group as string)),
      {
        title: `Throughput over time: ${result.profile.name}`,
        xLabel: 'time since run start (s)',
        yLabel: 'ops/s (100 ms windows)',
      },
    ),
    omitted: groups.slice(MAX_SERIES),
  };
}

const NINES = [0, 1, 2, 3, 4, 5, 6];

/** x = number of nines, −log10(1 − p): spreads the tail where latency stories are told. */
function nines(percentile: number): number {
  return percentile >= 100 ? NaN : -Math.log10(1 - percentile / 100);
}

export function latencyLabel(latency: LatencySummary): string {
  const labels = Object.values(latency.labels);
  return [latency.op, latency.subject === 'vexfs' ? '' : latency.subject, ...labels].filter(Boolean).join(' ');
}

/**
 * The percentile curve from the encoded histogram. The unit is checked against the summary's
 * max (HDR keeps max within 0.1 %); a histogram that matches neither ns nor µs is not trusted
 * and the summary's five percentiles are drawn instead.
 */
export function latencyCurve(latency: LatencySummary): { x: number; y: number }[] {
  const summaryPoints = [
    { p: 50, v: latency.p50_us },
    { p: 90, v: latency.p90_us },
    { p: 99, v: latency.p99_us },
    { p: 99.9, v: latency.p999_us },
  ].map(({ p, v }) => ({ x: nines(p), y: v }));
  let histogram: LatencyHistogram;
  try {
    histogram = LatencyHistogram.decode(latency.histogram);
  } catch {
    return summaryPoints;
  }
  const max = histogram.summary().max;
  const close = (a: number, b: number): boolean => Math.abs(a - b) <= 0.002 * Math.max(a, b) + 1;
  let unit: HistogramUnit | null = null;
  if (histogram.count > 0 && close(max / 1000, latency.max_us)) unit = 'ns';
  else if (histogram.count > 0 && close(max, latency.max_us)) unit = 'us';
  if (unit === null) return summaryPoints;
  const scale = unit === 'ns' ? 1 / 1000 : 1;
  return histogram
    .percentileCurve()
    .filter((p) => p.percentile < 100)
    .map((p) => ({ x: nines(p.percentile), y: p.value * scale }));
}

export function latencyChart(result: BenchResult): Chart {
  const series: Series[] = result.latencies.map((latency) => ({
    name: latencyLabel(latency),
    points: latencyCurve(latency),
  }));
  const shown = series.slice(0, MAX_SERIES);
  const maxNines = Math.max(1, ...shown.flatMap((s) => s.points.map((p) => Math.ceil(p.x - 1e-9))));
  const xTicks = NINES.filter((n) => n <= maxNines).map((n) => ({
    value: n,
    label: n === 0 ? '0%' : `${(100 * (1 - 10 ** -n)).toFixed(Math.max(0, n - 2))}%`,
  }));
  return {
    svg: lineChart(shown, {
      title: `Latency distribution: ${result.profile.name}`,
      xLabel: 'percentile',
      yLabel: 'latency (µs)',
      xTicks,
      logY: true,
    }),
    omitted: series.slice(MAX_SERIES).map((s) => s.name),
  };
}
