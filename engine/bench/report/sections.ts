import { metricKey } from '../compare/match.js';
import type { Comparison } from '../compare/compareResults.js';
import type { BenchResult } from '../result.js';
import { coefficientOfVariation } from '../stats/descriptive.js';
import { outlierWarning } from '../stats/outliers.js';
import { noiseWarning } from '../stats/calibration.js';
import { latencyLabel } from './charts.js';
import { formatP, formatPct, formatValue } from './format.js';
import { table } from './markdownTable.js';

export function headerSection(result: BenchResult, baseline: BenchResult | undefined): string {
  const lines = [
    `# Benchmark report: ${result.profile.name}${result.profile.quick ? ' (quick)' : ''}`,
    '',
    `- Run: \`${result.id}\`, status **${result.status}**, ${result.started_at} → ${result.ended_at}`,
  ];
  if (baseline)
    lines.push(
      `- Baseline: \`${baseline.id}\`${baseline.baseline_name ? ` (baseline **${baseline.baseline_name}**)` : ''}, ${baseline.started_at}`,
    );
  if (result.status !== 'complete') {
    lines.push(
      '',
      `> **This run is ${result.status}.** Its figures cover part of the run; it is never compared or used as a baseline.`,
    );
  }
  return lines.join('\n');
}

export function verdictSection(comparison: Comparison): string {
  const rows = comparison.metrics.map((m) => [
    `${m.primary ? '**' : ''}${m.key}${m.primary ? '**' : ''}`,
    `${formatValue(m.baseline.value)} ${m.unit}`,
    `${formatValue(m.current.value)} ${m.unit}`,
    `${formatPct(m.changePct)} [${formatPct(m.changeCiPct[0])}, ${formatPct(m.changeCiPct[1])}]`,
    `${formatP(m.pValue)} (Holm ${formatP(m.holmPValue)})`,
    m.verdict,
  ]);
  const gate = comparison.gate;
  return [
    '## Summary',
    '',
    `Baseline \`${comparison.baselineId}\` vs current \`${comparison.currentId}\`. Change of the per-trial means with its 95% CI (expanded percentile bootstrap over trials); ` +
      `p from a two-sided permutation test on the difference of means; noise threshold ±${comparison.noiseThresholdPct}%. ` +
      'A metric is improved or regressed only when p < α and the whole CI lies beyond the threshold; ' +
      '"within noise" when p < α but the CI reaches into the threshold band. Primary metrics are in bold.',
    '',
    rows.length
      ? table(['Metric', 'Baseline', 'Current', 'Change [95% CI]', 'p (Holm)', 'Verdict'], rows)
      : '_No metric appears in both runs._',
    '',
    `Gate (\`--fail-on-regression\`, ${gate.mode}): **${gate.failed ? `fails: ${gate.regressions.join(', ')}` : 'passes'}**. ${gate.note}`,
  ].join('\n');
}

export function metricsSection(result: BenchResult): string {
  const rows = result.metrics.map((m) => [
    `${m.primary ? '**' : ''}${metricKey(m)}${m.primary ? '**' : ''}`,
    `${formatValue(m.value)} ${m.unit}`,
    `${formatValue(m.ci95[0])} – ${formatValue(m.ci95[1])}`,
    String(m.samples.length),
    m.samples.length >= 2 ? `${(coefficientOfVariation(m.samples) * 100).toFixed(1)}%` : 'n/a',
    m.higher_is_better ? 'higher' : 'lower',
  ]);
  return [
    '## Metrics',
    '',
    rows.length
      ? table(['Metric', 'Value', '95% CI', 'Samples', 'CV', 'Better'], rows)
      : '_This run recorded no metric._',
  ].join('\n');
}

export function latencySection(result: BenchResult): string {
  if (result.latencies.length === 0) return '## Latency percentiles (µs)\n\n_This run recorded no latency histogram._';
  const hasService = result.latencies.some((l) => l.service_p99_us !== undefined);
  const headers = [
    'Operation',
    'Count',
    'Mean',
    'p50',
    'p90',
    'p99',
    'p99.9',
    'Max',
    ...(hasService ? ['Service p99'] : []),
  ];
  const rows = result.latencies.map((l) => [
    latencyLabel(l),
    l.count.toLocaleString('en-US'),
    ...[l.mean_us, l.p50_us, l.p90_us, l.p99_us, l.p999_us, l.max_us].map(formatValue),
    ...(hasService ? [l.service_p99_us === undefined ? '' : formatValue(l.service_p99_us)] : []),
  ]);
  return ['## Latency percentiles (µs)', '', table(headers, rows)].join('\n');
}

export function chartsSection(throughputFile: string, latencyFile: string, omitted: readonly string[]): string {
  return [
    '## Charts',
    '',
    `![Throughput over time](${throughputFile})`,
    '',
    `![Latency distribution](${latencyFile})`,
    ...(omitted.length ? ['', `Not drawn (too many series to read): ${omitted.join(', ')}.`] : []),
  ].join('\n');
}

export function environmentSection(result: BenchResult): string {
  const e = result.environment;
  const rows: [string, string][] = [
    ['CPU', `${e.cpu_model} (${e.cores} cores)`],
    ['CPU flags', e.cpu_flags.length ? e.cpu_flags.join(' ') : '(none recorded)'],
    ['Memory', `${formatValue(e.memory_bytes / 2 ** 30)} GiB`],
    ['OS / kernel', `${e.os} / ${e.kernel}`],
    ['Node / Electron', `${e.node_version} / ${e.electron_version ?? 'none'}`],
    ['Kernel backend', e.kernel_backend],
    ['Git commit', e.git_commit ?? '(not a git checkout)'],
    ['Config hash', e.config_hash],
    ['Dataset checksum', e.dataset_checksum ?? '(no dataset)'],
    ['Machine fingerprint', e.machine_fingerprint],
    [
      'Harness cost per op',
      result.harness.per_op_overhead_ns === null
        ? 'not measured'
        : `${formatValue(result.harness.per_op_overhead_ns)} ns (per-op timing)`,
    ],
    [
      'Harness cost batched',
      result.harness.batched_overhead_ns === null
        ? 'not measured'
        : `${formatValue(result.harness.batched_overhead_ns)} ns/op (batched)`,
    ],
  ];
  const errors = Object.entries(result.errors);
  return [
    '## Environment',
    '',
    table(['', 'Value'], rows),
    '',
    errors.length
      ? `Errors by code: ${errors.map(([code, n]) => `${code} × ${n}`).join(', ')}.`
      : 'No operation returned an error.',
  ].join('\n');
}

export function configDiffSection(comparison: Comparison | undefined): string {
  if (!comparison) return '## Config diff\n\n_No baseline given, so there is nothing to diff._';
  if (comparison.configDiff.length === 0)
    return '## Config diff\n\nThe two runs used the same effective configuration.';
  return [
    '## Config diff',
    '',
    table(
      ['Key', 'Baseline', 'Current'],
      comparison.configDiff.map((d) => [d.field, d.baseline, d.current]),
    ),
  ].join('\n');
}

/** Warnings from the run itself, from the comparison, and the noise/outlier checks of this run's samples. */
export function warningsSection(
  result: BenchResult,
  comparison: Comparison | undefined,
  noiseThresholdPct: number,
): string {
  const warnings: string[] = result.warnings.map((w) => `${w.kind}: ${w.message}`);
  if (comparison) {
    for (const d of comparison.comparability.differences)
      warnings.push(`comparability: ${d.field} differs: ${d.baseline} → ${d.current}`);
    warnings.push(...comparison.warnings);
  } else {
    for (const m of result.metrics) {
      const outliers = outlierWarning(metricKey(m), m.samples);
      if (outliers) warnings.push(`outlier: ${outliers}`);
      const noise = noiseWarning(metricKey(m), m.samples, noiseThresholdPct);
      if (noise) warnings.push(`noise: ${noise}`);
    }
  }
  const unique = [...new Set(warnings)];
  return ['## Warnings', '', unique.length ? unique.map((w) => `- ${w}`).join('\n') : 'None.'].join('\n');
}

export function reproduceSection(result: BenchResult, baseline: BenchResult | undefined, reportFile: string): string {
  const commands = [
    `# the command that produced this run`,
    result.command,
    `# repeat it exactly (same profile text and parameters)`,
    `vexctl bench rerun ${result.id}`,
  ];
  if (baseline) {
    commands.push(
      '# the comparison above (this report embeds both runs)',
      `vexctl bench compare ${baseline.baseline_name ?? baseline.id} ${result.id}`,
      `vexctl bench report ${result.id} --baseline ${baseline.baseline_name ?? baseline.id} -o ${reportFile}`,
    );
  } else {
    commands.push('# this report', `vexctl bench report ${result.id} -o ${reportFile}`);
  }
  return [
    '## Reproduce',
    '',
    '```sh',
    ...commands,
    '```',
    '',
    '<details>',
    `<summary>Profile ${result.profile.name} as run (parameters: ${Object.keys(result.profile.params).length})</summary>`,
    '',
    '```toml',
    result.profile.text.replace(/```/g, '` ` `'),
    '```',
    '',
    '</details>',
  ].join('\n');
}
