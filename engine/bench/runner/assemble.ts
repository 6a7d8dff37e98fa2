import { randomBytes } from 'node:crypto';
import { LatencyHistogram } from '../../metrics/histogram.js';
import { captureEnvironment, kernelBackend } from '../environment.js';
import {
  RESULT_SCHEMA_ID,
  type BenchResult,
  type LatencySummary,
  type Metric,
  type RunStatus,
  type Sample,
  type Warning,
} from '../result.js';
import { coefficientOfVariation, mean, outlierWarning } from '../stats/index.js';
import { metric } from './metric.js';
import { figureMetrics, opLatencyMetrics } from './unitMetrics.js';
import type { BenchRunOptions } from './BenchRun.js';
import { checkThresholds } from './thresholds.js';
import type { PlannedPoint } from './plan.js';
import type { Profile } from '../profile/schema.js';
import type { UnitOutcome } from './protocol.js';
import type { ResourceWindow } from './resources.js';

/** What one sweep point's worker reported. */
export interface PointRecord {
  point: PlannedPoint;
  outcomes: UnitOutcome[];
  harness: { perOpNs: number; batchedNs: number } | null;
  checksums: Record<string, string | null>;
  warnings: Warning[];
}

export interface AssembleInput {
  request: BenchRunOptions;
  records: PointRecord[];
  timeseries: Sample[];
  windows: ResourceWindow[];
  warnings: Warning[];
  status: RunStatus;
  startedAt: Date;
  endedAt: Date;
}

/** Above these the machine is too busy for small differences to mean anything. */
const NOISY_STEAL_PCT = 5;
const NOISY_OTHER_PCT = 30;
const NOISY_TRIAL_CV = 0.1;
export const BATCHED_OVERHEAD_GOAL_NS = 20;

function withoutTrials(profile: Profile): Omit<Profile, 'trials'> {
  const { trials: _trials, ...rest } = profile;
  return rest;
}

function resultId(name: string, at: Date): string {
  const stamp = at
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d+Z$/, 'Z');
  return `${name}-${stamp}-${randomBytes(3).toString('hex')}`;
}

/** Metrics and latency summaries of one (point, subject, workload) from its complete trials. */
function summarize(
  record: PointRecord,
  subject: string,
  workload: string,
  metrics: Metric[],
  latencies: LatencySummary[],
  warnings: Warning[],
): void {
  const { point } = record;
  const { profile, labels } = point;
  const outcomes = record.outcomes.filter((o) => {
    const unit = point.units[o.unit];
    return !o.cancelled && o.ops > 0 && unit?.subject === subject && unit.workload === workload;
  });
  if (outcomes.length === 0) return;
  const timing = profile.workloads.find((w) => w.name === workload)?.timing ?? 'per_op';
  const throughput = outcomes.map((o) => o.ops / (o.elapsedNs / 1e9));
  metrics.push(metric(`ops_per_s.${workload}`, subject, labels, 'ops/s', true, throughput, profile.primary));
  if (profile.module === 'noop') {
    const costs = outcomes.map((o) => o.elapsedNs / o.ops);
    metrics.push(
      metric('harness_overhead_ns', subject, { ...labels, mode: timing }, 'ns', false, costs, profile.primary),
    );
  }
  const histograms = outcomes.map((o) => LatencyHistogram.decode(o.histogram, 'ns'));
  for (const [key, percentile] of [
    ['p50', 50],
    ['p99', 99],
    ['p999', 99.9],
  ] as const) {
    const values = histograms.map((h) => h.valueAt(percentile) / 1000);
    metrics.push(metric(`latency_us.${workload}.${key}`, subject, labels, 'us', false, values, profile.primary));
  }
  metrics.push(...opLatencyMetrics(point, subject, workload, outcomes));
  if (profile.load.model === 'open') {
    metrics.push(
      metric(
        `late_ops.${workload}`,
        subject,
        labels,
        'ops',
        false,
        outcomes.map((o) => o.late),
        profile.primary,
      ),
    );
    metrics.push(
      metric(
        `dropped_ops.${workload}`,
        subject,
        labels,
        'ops',
        false,
        outcomes.map((o) => o.dropped),
        profile.primary,
      ),
    );
  }
  const merged = new LatencyHistogram('ns');
  for (const h of histograms) merged.merge(h);
  const s = merged.summaryUs();
  let serviceP99: number | undefined;
  if (outcomes.every((o) => o.serviceHistogram)) {
    const service = new LatencyHistogram('ns');
    for (const o of outcomes) service.merge(LatencyHistogram.decode(o.serviceHistogram as string, 'ns'));
    serviceP99 = service.valueAt(99) / 1000;
  }
  latencies.push({
    op: workload,
    subject,
    labels,
    count: s.count,
    mean_us: s.mean,
    p50_us: s.p50,
    p90_us: s.p90,
    p99_us: s.p99,
    p999_us: s.p999,
    max_us: s.max,
    ...(serviceP99 === undefined ? {} : { service_p99_us: serviceP99 }),
    histogram: merged.encode(),
  });
  const where = [`ops_per_s.${workload}`, subject, ...Object.entries(labels).map(([k, v]) => `${k}=${v}`)].join(' ');
  const cv = coefficientOfVariation(throughput);
  if (throughput.length >= 2 && cv > NOISY_TRIAL_CV) {
    warnings.push({
      kind: 'noise',
      message: `${where}: trials vary by ${(cv * 100).toFixed(1)}% (coefficient of variation); small changes cannot be told apart on this run.`,
    });
  }
  const outliers = outlierWarning(where, throughput);
  if (outliers) warnings.push({ kind: 'outlier', message: outliers });
}

/** The subject peers are measured against. */
const MAIN_SUBJECT = 'vexfs';

/**
 * `ratio.ops_per_s.<workload>{peer=…}`: vexfs throughput over a peer's, per trial. Subjects run
 * back to back within a trial, so the per-trial ratio cancels drift between trials; the CI is
 * bootstrapped over those ratios.
 */
function peerRatios(record: PointRecord, workload: string): Metric[] {
  const { point } = record;
  if (!point.subjects.includes(MAIN_SUBJECT) || point.subjects.length < 2) return [];
  const perTrial = new Map<string, Map<number, number>>();
  for (const o of record.outcomes) {
    const unit = point.units[o.unit];
    if (!unit || unit.workload !== workload || o.cancelled || o.ops === 0) continue;
    const bySubject = perTrial.get(unit.subject) ?? new Map<number, number>();
    bySubject.set(unit.trial, o.ops / (o.elapsedNs / 1e9));
    perTrial.set(unit.subject, bySubject);
  }
  const main = perTrial.get(MAIN_SUBJECT);
  if (!main) return [];
  return point.subjects
    .filter((peer) => peer !== MAIN_SUBJECT)
    .flatMap((peer) => {
      const other = perTrial.get(peer);
      const ratios = [...main].flatMap(([trial, rate]) => {
        const peerRate = other?.get(trial);
        return peerRate ? [rate / peerRate] : [];
      });
      if (ratios.length === 0) return [];
      const name = `ratio.ops_per_s.${workload}`;
      return [metric(name, MAIN_SUBJECT, { ...point.labels, peer }, 'x', true, ratios, point.profile.primary)];
    });
}

function machineWarnings(windows: readonly ResourceWindow[]): Warning[] {
  if (windows.length === 0) return [];
  const steal = mean(windows.map((w) => w.cpu_steal_pct));
  const other = mean(windows.map((w) => w.machine_other_pct));
  const warnings: Warning[] = [];
  if (steal > NOISY_STEAL_PCT) {
    warnings.push({
      kind: 'noise',
      message: `Noisy machine: the hypervisor stole ${steal.toFixed(1)}% of CPU time during the run.`,
    });
  }
  if (other > NOISY_OTHER_PCT) {
    warnings.push({
      kind: 'noise',
      message: `Noisy machine: other processes kept ${other.toFixed(0)}% of the machine's CPU busy during the run (load average ${(windows.at(-1)?.load_avg_1m ?? 0).toFixed(2)}).`,
    });
  }
  return warnings;
}

export async function assembleResult(input: AssembleInput): Promise<BenchResult> {
  const { request, records } = input;
  const first = records[0]?.point ?? null;
  const profile = first?.profile;
  const metrics: Metric[] = [];
  const latencies: LatencySummary[] = [];
  const warnings: Warning[] = [...input.warnings];
  const errors: Record<string, number> = {};
  for (const record of records) {
    warnings.push(...record.warnings);
    for (const subject of record.point.subjects) {
      for (const workload of record.point.profile.workloads)
        summarize(record, subject, workload.name, metrics, latencies, warnings);
      metrics.push(...figureMetrics(record.point, subject, record.outcomes));
    }
    for (const workload of record.point.profile.workloads) metrics.push(...peerRatios(record, workload.name));
    for (const outcome of record.outcomes) {
      for (const [code, count] of Object.entries(outcome.errorsByCode)) errors[code] = (errors[code] ?? 0) + count;
    }
  }
  warnings.push(...machineWarnings(input.windows));
  const quickScaled = [...new Set(records.flatMap((r) => r.point.quickScaled))];
  if (quickScaled.length > 0) {
    warnings.push({ kind: 'other', message: `Quick mode scaled down: ${quickScaled.join('; ')}.` });
  }
  const harness = records.find((r) => r.harness)?.harness ?? null;
  if (harness && harness.batchedNs > BATCHED_OVERHEAD_GOAL_NS) {
    warnings.push({
      kind: 'harness',
      message: `The harness costs ${harness.batchedNs.toFixed(1)} ns per op in batched mode, above the ${BATCHED_OVERHEAD_GOAL_NS} ns goal.`,
    });
  }
  if (profile && input.status === 'complete') warnings.push(...checkThresholds(profile.thresholds, metrics));
  const checksums = Object.values(records[0]?.checksums ?? {}).filter((c): c is string => typeof c === 'string');
  const config = profile
    ? {
        module: profile.module,
        store: profile.store,
        params: profile.params,
        load: profile.load,
        start: profile.start,
        dataset: profile.dataset,
        sweep: Object.fromEntries(request.sweeps.map((s) => [s.key, s.values])),
      }
    : {};
  const name = profile?.name ?? request.loaded.profile.name;
  return {
    schema: RESULT_SCHEMA_ID,
    id: resultId(name, input.startedAt),
    profile: {
      name,
      text: request.loaded.text,
      // Trials stay out of params: comparability checks params, and a trial count changes no measurement.
      params: {
        effective: withoutTrials(profile ?? request.loaded.profile),
        sweeps: request.sweeps,
        overrides: (request.overrides ?? []).map(({ key, value }) => ({ key, value })),
        quick: request.quick,
      },
      quick: request.quick,
      trials: (profile ?? request.loaded.profile).trials,
      ...(request.quick ? { quick_scaled: quickScaled } : {}),
    },
    command: request.command,
    started_at: input.startedAt.toISOString(),
    ended_at: input.endedAt.toISOString(),
    status: input.status,
    environment: captureEnvironment({
      config,
      datasetChecksum: checksums.length > 0 ? checksums.join(',') : null,
      cwd: request.sourceDir,
      kernelBackend: await kernelBackend(),
    }),
    metrics,
    latencies,
    timeseries: input.timeseries,
    errors,
    warnings,
    harness: { per_op_overhead_ns: harness?.perOpNs ?? null, batched_overhead_ns: harness?.batchedNs ?? null },
    baseline_name: request.baselineName,
  };
}
