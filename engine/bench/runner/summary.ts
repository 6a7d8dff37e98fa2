import type { BenchResult, Metric } from '../result.js';
import type { IndexEntry } from '../results/runIndex.js';

/** Terminal text for `vexctl bench` (the markdown report lives in engine/bench/report). */
function figure(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  const abs = Math.abs(value);
  if (abs >= 1000) return Math.round(value).toLocaleString('en-US');
  if (abs >= 100) return value.toFixed(1);
  return value.toPrecision(3);
}

function labelText(labels: Record<string, string>): string {
  const entries = Object.entries(labels);
  return entries.length ? `{${entries.map(([k, v]) => `${k}=${v}`).join(',')}}` : '';
}

function columns(rows: string[][]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, cell.length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => cell.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
}

function metricRow(m: Metric): string[] {
  return [
    m.primary ? '*' : ' ',
    m.subject,
    `${m.name}${labelText(m.labels)}`,
    `${figure(m.value)} ${m.unit}`,
    `[${figure(m.ci95[0])}, ${figure(m.ci95[1])}]`,
    `n=${m.samples.length}`,
  ];
}

export function formatRunSummary(result: BenchResult, path: string): string {
  const lines = [
    `Run ${result.id} (${result.status}): profile ${result.profile.name}${result.profile.quick ? ' --quick' : ''}, ` +
      `${result.started_at} → ${result.ended_at}`,
    '',
    columns([['', 'subject', 'metric', 'value', '95% CI', 'trials'], ...result.metrics.map(metricRow)]),
    '',
    `Harness cost: ${result.harness.per_op_overhead_ns === null ? 'not measured' : `${figure(result.harness.per_op_overhead_ns)} ns/op per-op timing`}` +
      `${result.harness.batched_overhead_ns === null ? '' : `, ${figure(result.harness.batched_overhead_ns)} ns/op batched`}.`,
  ];
  const errors = Object.entries(result.errors);
  if (errors.length) lines.push(`Errors: ${errors.map(([code, n]) => `${code} ×${n}`).join(', ')}`);
  for (const w of result.warnings) lines.push(`warning (${w.kind}): ${w.message}`);
  lines.push(`Saved: ${path}`);
  return lines.join('\n');
}

export function listLines(
  path: string,
  runs: readonly IndexEntry[],
  baselines: readonly string[],
  problems: readonly string[],
): string {
  const rows = runs.map((r) => [
    r.id,
    r.profile,
    r.status,
    r.quick ? 'quick' : '',
    r.started_at,
    `${r.metric_count} metrics`,
  ]);
  return [
    `Results in ${path}:`,
    runs.length
      ? columns([['id', 'profile', 'status', '', 'started', ''], ...rows])
      : '(no runs yet: vexctl bench run PROFILE)',
    '',
    `Baselines: ${baselines.length ? baselines.join(', ') : '(none; vexctl bench run PROFILE --save-baseline NAME)'}`,
    ...problems.map((p) => `problem: ${p}`),
  ].join('\n');
}
