import { mkdirSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { VexError } from '../../errors.js';
import { compareResults, type CompareOptions, type Comparison } from '../compare/compareResults.js';
import type { BenchResult } from '../result.js';
import { writeFileAtomic } from '../results/atomicWrite.js';
import { DEFAULT_NOISE_THRESHOLD_PCT } from '../stats/twoSample.js';
import { latencyChart, throughputChart } from './charts.js';
import { embedJson } from './embed.js';
import { frontierSection } from './frontier.js';
import { seedClaimsSection } from './seedClaims.js';
import {
  chartsSection,
  configDiffSection,
  environmentSection,
  headerSection,
  latencySection,
  metricsSection,
  reproduceSection,
  verdictSection,
  warningsSection,
} from './sections.js';

export interface ReportOptions {
  baseline?: BenchResult;
  /** Options for the baseline comparison (force, threshold, gate, …). */
  compare?: CompareOptions;
  /** The report's file name (default report.md); charts are named after it. */
  reportFile?: string;
}

export interface BuiltReport {
  markdown: string;
  /** SVG files to write beside the report, by relative file name. */
  charts: { file: string; svg: string }[];
  comparison: Comparison | undefined;
}

/** Builds report.md's text and its charts without touching the disk. */
export function buildReport(result: BenchResult, options: ReportOptions = {}): BuiltReport {
  const reportFile = options.reportFile ?? 'report.md';
  if (!/^[^/\\]+\.md$/.test(reportFile)) {
    throw new VexError('E_USAGE', `The report file name ${reportFile} must be a plain file name ending in .md.`);
  }
  const stem = reportFile.slice(0, -'.md'.length);
  const comparison = options.baseline ? compareResults(options.baseline, result, options.compare) : undefined;
  const throughput = throughputChart(result, options.baseline);
  const latency = latencyChart(result);
  const charts = [
    { file: `${stem}-throughput.svg`, svg: throughput.svg },
    { file: `${stem}-latency.svg`, svg: latency.svg },
  ];
  const noiseThresholdPct = options.compare?.noiseThresholdPct ?? DEFAULT_NOISE_THRESHOLD_PCT;
  const sections = [
    headerSection(result, options.baseline),
    comparison
      ? verdictSection(comparison)
      : `## Summary\n\n_No baseline given: \`vexctl bench report ${result.id} --baseline NAME\` adds the verdict table._`,
    seedClaimsSection(result),
    metricsSection(result),
    latencySection(result),
    frontierSection(result, options.baseline),
    chartsSection(charts[0]?.file ?? '', charts[1]?.file ?? '', [...throughput.omitted, ...latency.omitted]),
    environmentSection(result),
    configDiffSection(comparison),
    warningsSection(result, comparison, noiseThresholdPct),
    reproduceSection(result, options.baseline, reportFile),
    '## Result data',
    embedJson('result', result, `Result JSON (${result.id})`),
    options.baseline ? embedJson('baseline', options.baseline, `Baseline result JSON (${options.baseline.id})`) : null,
  ];
  return { markdown: `${sections.filter((s): s is string => s !== null).join('\n\n')}\n`, charts, comparison };
}

/** Writes report.md and its SVG charts into `outDir` (created if needed), each atomically. */
export function renderReport(
  result: BenchResult,
  options: ReportOptions & { outDir: string },
): BuiltReport & { reportPath: string; chartPaths: string[] } {
  const outDir = resolve(options.outDir);
  const built = buildReport(result, options);
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (error) {
    throw new VexError('E_RESULT', `The report directory ${outDir} cannot be created (${(error as Error).message}).`);
  }
  const chartPaths = built.charts.map(({ file, svg }) => {
    const path = join(outDir, file);
    writeFileAtomic(path, svg);
    return path;
  });
  const reportPath = join(outDir, basename(options.reportFile ?? 'report.md'));
  writeFileAtomic(reportPath, built.markdown);
  return { ...built, reportPath, chartPaths };
}
