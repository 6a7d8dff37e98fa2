import { createHash } from 'node:crypto';
import { createReadStream, writeFileSync } from 'node:fs';
import { parentPort, workerData } from 'node:worker_threads';
import { isVexError } from '../../errors.js';
import { getWorkload } from '../workloads/registry.js';
import type { UnitFigureContext, WorkloadSession } from '../workloads/types.js';
import { buildSequence } from './sequence.js';
import { runPhase } from './execute.js';
import type { UnitFigure, UnitOutcome, WorkerMessage, WorkerPlan } from './protocol.js';
import { attachShared, bucketsToHistogram, CONTROL, LIVE_BUCKETS, PHASE, type SharedState } from './shared.js';

/**
 * The benchmark worker: runs one sweep point's units off the coordinating thread, so that
 * live samples and Cancel stay on time however hard the workload holds this thread.
 */
const port = parentPort;
if (!port) throw new Error('engine/bench/runner/worker is a worker-thread entry, not a module to import');
const send = (message: WorkerMessage): void => port.postMessage(message);
const { plan, buffer } = workerData as { plan: WorkerPlan; buffer: SharedArrayBuffer };
const shared = attachShared(buffer);

function cancelled(state: SharedState): boolean {
  return Atomics.load(state.control, CONTROL.cancel) !== 0;
}

/** SHA-256 of an imported dataset file, streamed so a large one is not read into memory. */
async function fileChecksum(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

/** Drops the OS page cache for a cold start; returns why not when the kernel refuses. */
function dropPageCache(): string | null {
  try {
    writeFileSync('/proc/sys/vm/drop_caches', '3');
    return null;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code ?? String(error);
  }
}

/**
 * The harness's own cost, for `harness.*` in every result: the noop op timed per op and in
 * batches. The JIT needs several rounds before the loops reach their steady code (longer on
 * a busy machine), so three warm rounds per mode precede three measured ones. The lowest round
 * is kept: being descheduled by other processes only ever adds time, and this is a cost floor.
 */
async function measureHarness(durationMs: number): Promise<void> {
  const session = await (await import('../workloads/noop.js')).noopWorkload.open({} as never);
  const sequence = new Uint16Array(1);
  const round = async (timing: 'per_op' | 'batched'): Promise<number> => {
    const outcome = await runPhase({
      session,
      sequence,
      timing,
      batchSize: 1000,
      load: { model: 'closed', concurrency: 1 },
      span: { duration_ms: Math.max(10, Math.round(durationMs / 3)) },
      shared,
      service: null,
      errorsByCode: new Map(),
    });
    return outcome.ops > 0 ? outcome.elapsedNs / outcome.ops : 0;
  };
  const cost = { per_op: 0, batched: 0 };
  for (const timing of ['per_op', 'batched'] as const) {
    for (let i = 0; i < 3; i++) await round(timing);
    const rounds: number[] = [];
    for (let i = 0; i < 3 && !cancelled(shared); i++) rounds.push(await round(timing));
    cost[timing] = rounds.length > 0 ? Math.min(...rounds) : 0;
  }
  send({ type: 'harness', perOpNs: cost.per_op, batchedNs: cost.batched });
}

/** Metric names as the result schema accepts them. */
const FIGURE_NAME = /^[a-z0-9_]+(\.[a-z0-9_]+)*$/;
let figureWarned = false;

/** The session's figures for one unit, untimed; malformed or non-finite ones are left out (with one warning). */
async function unitFigures(session: WorkloadSession, context: UnitFigureContext): Promise<UnitFigure[]> {
  if (!session.unitFigures) return [];
  const figures: UnitFigure[] = [];
  const refused: string[] = [];
  for (const figure of await session.unitFigures(context)) {
    if (!FIGURE_NAME.test(figure.name) || !Number.isFinite(figure.value) || figure.unit.length === 0) {
      refused.push(`${figure.name}=${String(figure.value)}`);
      continue;
    }
    figures.push({
      name: figure.name,
      labels: { ...figure.labels },
      unit: figure.unit,
      higherIsBetter: figure.higherIsBetter,
      value: figure.value,
      trialWide: figure.trialWide === true,
    });
  }
  if (refused.length > 0 && !figureWarned) {
    figureWarned = true;
    send({
      type: 'warning',
      kind: 'other',
      message: `Workload figures left out (not a dotted lower-case name or not a finite number): ${refused.slice(0, 5).join(', ')}.`,
    });
  }
  return figures;
}

/**
 * Latency buckets per op kind for a mix of several ops, reused across units (one set per op kind
 * of the workload's ops, so memory stays bounded); null for a single-op mix, whose latency is the workload's.
 */
const opBucketSets = new Map<number, Int32Array>();
function opBucketsFor(mix: Readonly<Record<string, number>>, ops: readonly string[]): Int32Array[] | null {
  const indices = Object.entries(mix)
    .filter(([, weight]) => weight > 0)
    .map(([op]) => ops.indexOf(op))
    .filter((index) => index >= 0);
  if (indices.length < 2) return null;
  const sets: Int32Array[] = [];
  for (const index of indices) {
    let set = opBucketSets.get(index);
    if (!set) {
      set = new Int32Array(LIVE_BUCKETS);
      opBucketSets.set(index, set);
    } else set.fill(0);
    sets[index] = set;
  }
  return sets;
}

async function main(): Promise<void> {
  const { profile } = plan;
  const descriptor = getWorkload(profile.module);
  const module = await descriptor.load();
  const sessions = new Map<string, WorkloadSession>();
  let cacheWarned = false;
  try {
    if (plan.harnessMs > 0 && !cancelled(shared)) await measureHarness(plan.harnessMs);
    for (let index = 0; index < plan.units.length && !cancelled(shared); index++) {
      const unit = plan.units[index];
      const workload = profile.workloads.find((w) => w.name === unit?.workload);
      if (!unit || !workload) continue;
      let session = sessions.get(unit.subject);
      if (!session) {
        session = await module.open({
          subject: unit.subject,
          dataset: { ...profile.dataset, generator: profile.dataset.generator ?? null, file: plan.datasetFile },
          storeConfig: profile.store,
          params: profile.params,
          storeDir: plan.storeDir,
          scratchDir: plan.scratchDir,
        });
        sessions.set(unit.subject, session);
        const checksum =
          session.datasetChecksum ?? (plan.datasetFile === null ? null : await fileChecksum(plan.datasetFile));
        send({ type: 'dataset', subject: unit.subject, checksum });
      } else if (profile.start === 'cold') {
        await session.reopen?.();
      }
      if (profile.start === 'cold') {
        const refused = dropPageCache();
        if (refused && !cacheWarned) {
          cacheWarned = true;
          send({
            type: 'warning',
            kind: 'other',
            message: `Cold start: the OS page cache could not be dropped (${refused}); trials reopened the store only.`,
          });
        }
      }
      Atomics.store(shared.control, CONTROL.unit, index);
      send({ type: 'unit-start', unit: index });
      const sequence = buildSequence(workload.mix, descriptor.ops, profile.dataset.seed + unit.trial);
      const errorsByCode = new Map<string, number>();
      const common = {
        session,
        sequence,
        timing: workload.timing,
        batchSize: workload.batch_size,
        load: profile.load,
        shared,
        errorsByCode,
      };
      Atomics.store(shared.control, CONTROL.phase, PHASE.warmup);
      await runPhase({ ...common, span: profile.warmup, service: null });
      errorsByCode.clear();
      const before = shared.buckets.slice();
      const service = profile.load.model === 'open' ? new Int32Array(LIVE_BUCKETS) : null;
      const opBuckets = opBucketsFor(workload.mix, descriptor.ops);
      Atomics.store(shared.control, CONTROL.phase, PHASE.measure);
      const outcome = await runPhase({ ...common, span: profile.measure, service, opBuckets });
      Atomics.store(shared.control, CONTROL.phase, PHASE.idle);
      const opHistograms: Record<string, string> = {};
      if (opBuckets !== null) {
        opBuckets.forEach((set, op) => {
          const name = descriptor.ops[op];
          if (name !== undefined) opHistograms[name] = bucketsToHistogram(set, null).encode();
        });
      }
      const figures =
        outcome.cancelled || outcome.ops === 0
          ? []
          : await unitFigures(session, {
              workload: workload.name,
              mix: workload.mix,
              trial: unit.trial,
              ops: outcome.ops,
              opsPerSec: outcome.ops / (outcome.elapsedNs / 1e9),
            });
      const result: UnitOutcome = {
        unit: index,
        ...outcome,
        histogram: bucketsToHistogram(shared.buckets, before).encode(),
        serviceHistogram: service ? bucketsToHistogram(service, null).encode() : null,
        errorsByCode: Object.fromEntries(errorsByCode),
        opHistograms,
        figures,
      };
      send({ type: 'unit-done', outcome: result });
    }
  } finally {
    Atomics.store(shared.control, CONTROL.phase, PHASE.done);
    for (const session of sessions.values()) await session.close().catch(() => {});
  }
  send({ type: 'done', cancelled: cancelled(shared) });
}

main().catch((error: unknown) => {
  const code = isVexError(error) ? error.code : 'E_INTERNAL';
  const message =
    error instanceof Error ? (isVexError(error) ? error.message : (error.stack ?? error.message)) : String(error);
  send({ type: 'error', code, message });
});
