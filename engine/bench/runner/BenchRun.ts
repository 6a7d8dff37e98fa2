import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import type { BenchResult, Sample, Warning } from '../result.js';
import { assembleResult, type PointRecord } from './assemble.js';
import { LatestChannel } from './LatestChannel.js';
import { planRun, plannedMs, type PlannedPoint, type RunRequest } from './plan.js';
import type { PlanUnit, UnitOutcome, WorkerMessage, WorkerPlan } from './protocol.js';
import { ResourceSampler, type ResourceWindow } from './resources.js';
import {
  COUNTER,
  CONTROL,
  createShared,
  LIVE_BUCKETS,
  PHASE,
  windowPercentilesNs,
  type SharedState,
} from './shared.js';
import { startBenchWorker } from './startWorker.js';

export const SAMPLE_INTERVAL_MS = 100;
/** A worker that has not stopped this long after Cancel is terminated. */
const CANCEL_GRACE_MS = 3000;

/** A live sample: the result's 100 ms sample plus where the run is and the machine's state. */
export type LiveSample = Omit<Sample, 'phase'> &
  Pick<ResourceWindow, 'cpu_steal_pct' | 'machine_other_pct' | 'load_avg_1m'> & {
    phase: 'setup' | 'warmup' | 'measure';
    point: number;
    labels: Record<string, string>;
    unit: number;
    units: number;
    subject: string;
    workload: string;
    late: number;
    dropped: number;
    /** 0–1 of the planned warmup + measurement time. */
    progress: number;
    eta_ms: number | null;
  };

export interface UnitReport {
  point: number;
  labels: Record<string, string>;
  unit: PlanUnit;
  index: number;
  units: number;
  outcome: UnitOutcome;
}

export interface BenchRunOptions extends RunRequest {
  storeDir: string | null;
  /** The command line that started the run, stored so reports can show how to repeat it. */
  command: string;
  baselineName: string | null;
  /** Where the engine's checkout is, for the git commit in the fingerprint. */
  sourceDir: string;
  /** Per-mode duration of the harness self-measurement (default: a tenth of the planned time, 30–300 ms). */
  harnessMs?: number;
}

interface Current {
  shared: SharedState;
  index: number;
  point: PlannedPoint;
  worker: Worker | null;
  unit: number;
  unitStartedAt: number;
  previous: { ops: number; errors: number; buckets: Int32Array; at: number };
}

/**
 * One benchmark run: plans the sweep points, runs each in a worker thread, samples the shared
 * counters and the machine every 100 ms, and assembles the result. Construction validates the
 * request (throwing E_PROFILE or E_USAGE); `result` settles once the run is complete, cancelled or failed.
 */
export class BenchRun {
  readonly points: PlannedPoint[];
  readonly result: Promise<BenchResult>;
  readonly #options: BenchRunOptions;
  readonly #sampleChannels = new Set<LatestChannel<LiveSample>>();
  readonly #unitListeners = new Set<(report: UnitReport) => void>();
  readonly #timeseries: Sample[] = [];
  readonly #plannedTotalMs: number;
  readonly #totalUnits: number;
  #current: Current | null = null;
  #cancelled = false;
  #doneUnits = 0;
  #donePlannedMs = 0;
  #startedAt = 0;
  #measuringSince: number | null = null;

  constructor(options: BenchRunOptions) {
    this.#options = options;
    this.points = planRun(options);
    this.#plannedTotalMs = this.points.reduce((sum, p) => sum + plannedMs(p), 0);
    this.#totalUnits = this.points.reduce((sum, p) => sum + p.units.length, 0);
    this.result = this.#run();
  }

  /** Live samples, with backpressure: return a promise to be given the latest sample only once it settles. */
  onSample(listener: (sample: LiveSample) => void | Promise<void>): () => void {
    const channel = new LatestChannel(listener);
    this.#sampleChannels.add(channel);
    return () => {
      channel.close(false);
      this.#sampleChannels.delete(channel);
    };
  }

  /** Every finished unit (trial of one workload on one subject); few enough never to need dropping. */
  onUnit(listener: (report: UnitReport) => void): () => void {
    this.#unitListeners.add(listener);
    return () => this.#unitListeners.delete(listener);
  }

  /** Stops the run at the worker's next check; the result is saved with status `cancelled`. */
  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    const current = this.#current;
    if (!current) return;
    Atomics.store(current.shared.control, CONTROL.cancel, 1);
    Atomics.notify(current.shared.control, CONTROL.cancel);
    const worker = current.worker;
    if (worker) setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS).unref();
  }

  get cancelled(): boolean {
    return this.#cancelled;
  }

  async #run(): Promise<BenchResult> {
    const startedAt = new Date();
    this.#startedAt = performance.now();
    const scratchDir = mkdtempSync(join(tmpdir(), 'vexfs-bench-'));
    const sampler = new ResourceSampler();
    const windows: ResourceWindow[] = [];
    const records: PointRecord[] = [];
    const timer = setInterval(() => windows.push(this.#tick(sampler)), SAMPLE_INTERVAL_MS);
    let failure: { code: string; message: string } | null = null;
    try {
      for (let index = 0; index < this.points.length && !this.#cancelled && !failure; index++) {
        const point = this.points[index] as PlannedPoint;
        const record: PointRecord = { point, outcomes: [], harness: null, checksums: {}, warnings: [] };
        records.push(record);
        failure = await this.#runPoint(index, point, record, scratchDir);
      }
    } finally {
      clearInterval(timer);
      sampler.close();
      this.#current = null;
      for (const channel of this.#sampleChannels) channel.close(true);
      rmSync(scratchDir, { recursive: true, force: true });
    }
    const warnings: Warning[] = [];
    if (failure) warnings.push({ kind: 'other', message: `The run failed: ${failure.code}: ${failure.message}` });
    return assembleResult({
      request: this.#options,
      records,
      timeseries: this.#timeseries,
      windows,
      warnings,
      status: failure ? 'failed' : this.#cancelled ? 'cancelled' : 'complete',
      startedAt,
      endedAt: new Date(),
    });
  }

  #runPoint(
    index: number,
    point: PlannedPoint,
    record: PointRecord,
    scratchDir: string,
  ): Promise<{ code: string; message: string } | null> {
    const shared = createShared();
    // The harness self-measurement takes a tenth of the planned time, 30–300 ms per mode (≤ 100 ms with --quick).
    const harnessDefault = Math.min(this.#options.quick ? 100 : 300, Math.max(30, this.#plannedTotalMs / 10));
    const harnessMs = index === 0 ? (this.#options.harnessMs ?? harnessDefault) : 0;
    const plan: WorkerPlan = {
      profile: point.profile,
      units: point.units,
      storeDir: this.#options.storeDir,
      scratchDir,
      datasetFile: point.datasetFile,
      harnessMs,
    };
    const current: Current = {
      shared,
      index,
      point,
      worker: null,
      unit: 0,
      unitStartedAt: performance.now(),
      previous: { ops: 0, errors: 0, buckets: new Int32Array(LIVE_BUCKETS), at: performance.now() },
    };
    this.#current = current;
    const worker = startBenchWorker({ plan, buffer: shared.buffer });
    current.worker = worker;
    return new Promise((resolve) => {
      let failure: { code: string; message: string } | null = null;
      worker.on('message', (message: WorkerMessage) => {
        switch (message.type) {
          case 'unit-start':
            current.unit = message.unit;
            current.unitStartedAt = performance.now();
            break;
          case 'unit-done': {
            record.outcomes.push(message.outcome);
            const unit = point.units[message.outcome.unit] as PlanUnit;
            this.#doneUnits++;
            this.#donePlannedMs += plannedMs({ ...point, units: [unit] });
            const report: UnitReport = {
              point: index,
              labels: point.labels,
              unit,
              index: this.#doneUnits,
              units: this.#totalUnits,
              outcome: message.outcome,
            };
            for (const listener of this.#unitListeners) listener(report);
            break;
          }
          case 'harness':
            record.harness = { perOpNs: message.perOpNs, batchedNs: message.batchedNs };
            break;
          case 'dataset':
            record.checksums[message.subject] = message.checksum;
            break;
          case 'warning':
            record.warnings.push({ kind: message.kind, message: message.message });
            break;
          case 'error':
            failure = { code: message.code, message: message.message };
            break;
          case 'done':
            break;
        }
      });
      worker.on('error', (error) => {
        failure ??= { code: 'E_INTERNAL', message: `the benchmark worker crashed: ${error.stack ?? error.message}` };
      });
      worker.on('exit', () => resolve(this.#cancelled ? null : failure));
      // A cancel that arrived while the worker was starting.
      if (this.#cancelled) {
        Atomics.store(shared.control, CONTROL.cancel, 1);
        setTimeout(() => void worker.terminate(), CANCEL_GRACE_MS).unref();
      }
    });
  }

  #tick(sampler: ResourceSampler): ResourceWindow {
    const resources = sampler.sample();
    const current = this.#current;
    if (!current) return resources;
    const { shared, previous, point } = current;
    const at = performance.now();
    const ops = shared.counters[COUNTER.ops] as number;
    const errors = shared.counters[COUNTER.errors] as number;
    const buckets = shared.buckets.slice();
    const [p50 = 0, p99 = 0, p999 = 0] = windowPercentilesNs(buckets, previous.buckets, [50, 99, 99.9]);
    const seconds = Math.max(1e-6, (at - previous.at) / 1000);
    const phaseCode = Atomics.load(shared.control, CONTROL.phase);
    const phase = phaseCode === PHASE.warmup ? 'warmup' : phaseCode === PHASE.measure ? 'measure' : 'setup';
    const unit = point.units[current.unit];
    const sample: Sample = {
      t_ms: at - this.#startedAt,
      trial: unit?.trial ?? 0,
      phase: phase === 'setup' ? 'warmup' : phase,
      ops: Math.max(0, ops - previous.ops),
      ops_per_s: Math.max(0, ops - previous.ops) / seconds,
      p50_us: p50 / 1000,
      p99_us: p99 / 1000,
      p999_us: p999 / 1000,
      errors: Math.max(0, errors - previous.errors),
      cpu_user_pct: resources.cpu_user_pct,
      cpu_sys_pct: resources.cpu_sys_pct,
      rss_bytes: resources.rss_bytes,
      rss_anon_bytes: resources.rss_anon_bytes,
      event_loop_delay_ms: resources.event_loop_delay_ms,
      cpu_steal_pct: resources.cpu_steal_pct,
      machine_other_pct: resources.machine_other_pct,
      load_avg_1m: resources.load_avg_1m,
      ...(unit ? { subject: unit.subject, workload: unit.workload } : {}),
    };
    current.previous = { ops, errors, buckets, at };
    if (phase !== 'setup') this.#timeseries.push(sample);
    const unitPlanned = plannedMs({ ...point, units: unit ? [unit] : [] });
    const inUnit = phase === 'setup' ? 0 : Math.min(unitPlanned, at - current.unitStartedAt);
    const progress =
      this.#plannedTotalMs > 0
        ? Math.min(1, (this.#donePlannedMs + inUnit) / this.#plannedTotalMs)
        : this.#doneUnits / Math.max(1, this.#totalUnits);
    // Startup (worker, harness self-measurement) is not part of the rate the rest will run at.
    if (this.#measuringSince === null && phase !== 'setup') this.#measuringSince = at;
    const elapsed = at - (this.#measuringSince ?? at);
    const live: LiveSample = {
      ...sample,
      phase,
      cpu_steal_pct: resources.cpu_steal_pct,
      machine_other_pct: resources.machine_other_pct,
      load_avg_1m: resources.load_avg_1m,
      point: current.index,
      labels: point.labels,
      unit: this.#doneUnits,
      units: this.#totalUnits,
      subject: unit?.subject ?? '',
      workload: unit?.workload ?? '',
      late: shared.counters[COUNTER.late] as number,
      dropped: shared.counters[COUNTER.dropped] as number,
      progress,
      eta_ms: progress > 0.01 && elapsed > 0 ? (elapsed * (1 - progress)) / progress : null,
    };
    for (const channel of this.#sampleChannels) channel.push(live);
    return resources;
  }
}
