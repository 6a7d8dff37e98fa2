import type { PairedAnalysis } from '../compare/analyzePaired.js';
import type { Comparison } from '../compare/compareResults.js';
import type { MetricCalibration } from '../stats/calibration.js';
import { formatP, formatPct, formatValue } from './format.js';

/**
 * Plain-text renderings for a terminal (`vexctl bench compare`, `ab`, `calibrate`):
 * aligned columns, no markdown.
 */
export function alignColumns(rows: readonly (readonly string[])[]): string {
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, [...cell].length)));
  return rows
    .map((row) =>
      row
        .map((cell, i) => (i === row.length - 1 ? cell : cell + ' '.repeat((widths[i] ?? 0) - [...cell].length)))
        .join('  '),
    )
    .join('\n');
}

export function formatComparisonText(comparison: Comparison): string {
  const rows = [
    ['metric', 'baseline', 'current', 'change [95% CI]', 'p', 'verdict'],
    ...comparison.metrics.map((m) => [
      `${m.primary ? '*' : ' '}${m.key}`,
      `${formatValue(m.baseline.value)} ${m.unit}`,
      `${formatValue(m.current.value)} ${m.unit}`,
      `${formatPct(m.changePct)} [${formatPct(m.changeCiPct[0])}, ${formatPct(m.changeCiPct[1])}]`,
      formatP(m.pValue),
      m.verdict,
    ]),
  ];
  const gate = comparison.gate;
  return [
    `${comparison.baselineId} → ${comparison.currentId} (${comparison.profile}, noise threshold ±${comparison.noiseThresholdPct}%; * primary)`,
    alignColumns(rows),
    `gate (${gate.mode}): ${gate.failed ? `FAILS: ${gate.regressions.join(', ')}` : 'passes'}. ${gate.note}`,
    ...comparison.configDiff.map((d) => `config ${d.field}: ${d.baseline} → ${d.current}`),
    ...comparison.warnings.map((w) => `warning: ${w}`),
  ].join('\n');
}

export function formatPairedText(analysis: PairedAnalysis): string {
  const rows = [
    ['metric', 'A', 'B', 'pairs', 'B vs A [95% CI]', 'p', 'verdict'],
    ...analysis.metrics.map((m) => [
      m.key,
      `${formatValue(m.meanA)} ${m.unit}`,
      `${formatValue(m.meanB)} ${m.unit}`,
      String(m.pairs),
      `${formatPct(m.changePct)} [${formatPct(m.changeCiPct[0])}, ${formatPct(m.changeCiPct[1])}]`,
      formatP(m.pValue),
      m.verdict,
    ]),
  ];
  return [
    `A ${analysis.aId} vs B ${analysis.bId}, paired by trial`,
    alignColumns(rows),
    ...(analysis.unmatched.length ? [`not in both: ${analysis.unmatched.join(', ')}`] : []),
  ].join('\n');
}

export function formatCalibrationText(calibrations: readonly MetricCalibration[]): string {
  const targets = calibrations[0]?.trialsNeeded.map((t) => t.changePct) ?? [];
  const rows = [
    ['metric', 'trials', 'mean', 'noise (CV)', 'detectable', ...targets.map((t) => `trials for ${t}%`)],
    ...calibrations.map((c) => [
      c.key,
      String(c.trials),
      formatValue(c.mean),
      `${c.cvPct.toFixed(2)}%`,
      `${Number.isFinite(c.smallestDetectableChangePct) ? c.smallestDetectableChangePct.toFixed(1) : '∞'}% @ ${c.forTrials}`,
      ...c.trialsNeeded.map((t) => (t.trials === null ? 'never' : String(t.trials))),
    ]),
  ];
  return alignColumns(rows);
}
