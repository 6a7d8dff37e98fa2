import { setImmediate as yieldTurn, setTimeout as sleep } from 'node:timers/promises';
import { isVexError, VexError } from '../../errors.js';
import type { LoadModel, Span } from '../profile/schema.js';
import type { WorkloadSession } from '../workloads/types.js';
import { bucketOf, CONTROL, COUNTER, type SharedState } from './shared.js';

/** How one phase (warmup or measurement) of one unit runs. */
export interface PhaseInput {
  session: WorkloadSession;
  /** Op indices in mix order, length a power of two; cycled. */
  sequence: Uint16Array;
  timing: 'per_op' | 'batched';
  batchSize: number;
  load: LoadModel;
  span: Span;
  shared: SharedState;
  /** Service-time buckets (open load, measurement only); latencies go to the shared buckets. */
  service: Int32Array | null;
  /** Per op index, latency buckets of a mix of several ops (measurement only), else null. */
  opBuckets?: Int32Array[] | null;
  errorsByCode: Map<string, number>;
}

export interface PhaseOutcome {
  ops: number;
  errors: number;
  elapsedNs: number;
  late: number;
  dropped: number;
  cancelled: boolean;
}

/** Ops between calls of the session's untimed `maintain`. */
const MAINTAIN_EVERY = 256;
const WALL_FACTOR = 2;
const now = (): number => performance.now();

function errorCode(error: unknown): string {
  if (isVexError(error)) return error.code;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[A-Z0-9_]+$/.test(code) ? code : 'E_INTERNAL';
}

/** One more latency in an op kind's own buckets (a mix's per-op latencies); one increment, like the shared ones. */
function recordOp(opBuckets: Int32Array[], op: number, bucket: number): void {
  const own = opBuckets[op];
  if (own !== undefined) own[bucket] = (own[bucket] as number) + 1;
}

class PhaseState {
  ops = 0;
  errors = 0;
  late = 0;
  dropped = 0;
  pausedMs = 0;
  maintainedAt = 0;
  cancelled = false;
  readonly startMs = now();
  readonly deadlineMs: number;
  readonly wallDeadlineMs: number;
  readonly opLimit: number;
  readonly hasMaintain: boolean;

  constructor(readonly input: PhaseInput) {
    this.hasMaintain = typeof input.session.maintain === 'function';
    const { span } = input;
    const capMs = span.duration_ms ?? span.max_duration_ms ?? Infinity;
    this.deadlineMs = this.startMs + capMs;
    // Untimed maintenance may at most double a phase's wall time: a measured window cut
    // short stays a correct measurement, and planned run times (--quick) hold.
    this.wallDeadlineMs = this.startMs + WALL_FACTOR * capMs;
    this.opLimit = span.ops ?? Infinity;
  }

  /** True when the phase is over: time, op count or cancellation. */
  finished(atMs: number): boolean {
    if (Atomics.load(this.input.shared.control, CONTROL.cancel) !== 0) this.cancelled = true;
    return (
      this.cancelled ||
      this.ops >= this.opLimit ||
      atMs - this.pausedMs >= this.deadlineMs ||
      atMs >= this.wallDeadlineMs
    );
  }

  fail(error: unknown): void {
    this.errors += 1;
    this.input.shared.counters[COUNTER.errors] = (this.input.shared.counters[COUNTER.errors] ?? 0) + 1;
    const code = errorCode(error);
    this.input.errorsByCode.set(code, (this.input.errorsByCode.get(code) ?? 0) + 1);
  }

  /** True when the session's maintenance is due: checked inline so the hot loop awaits nothing otherwise. */
  maintenanceDue(): boolean {
    // Attempts, not successes: a working set that ran dry fails every op and must still be refilled.
    return this.hasMaintain && this.ops + this.errors - this.maintainedAt >= MAINTAIN_EVERY;
  }

  /** Runs the session's maintenance outside the timed region; its time is excluded from the phase. */
  async maintain(): Promise<void> {
    const maintain = this.input.session.maintain;
    if (!maintain) return;
    this.maintainedAt = this.ops + this.errors;
    const t0 = now();
    await maintain.call(this.input.session);
    this.pausedMs += now() - t0;
  }

  outcome(): PhaseOutcome {
    const elapsedNs = (now() - this.startMs - this.pausedMs) * 1e6;
    return {
      ops: this.ops,
      errors: this.errors,
      elapsedNs,
      late: this.late,
      dropped: this.dropped,
      cancelled: this.cancelled,
    };
  }
}

/** Closed load: each lane starts its next op when its previous one completes. */
async function closedLane(state: PhaseState, lane: number, lanes: number): Promise<void> {
  const { session, sequence, shared } = state.input;
  const opBuckets = state.input.opBuckets ?? null;
  const { counters, buckets } = shared;
  const mask = sequence.length - 1;
  const mustYield = lanes > 1;
  let i = lane * 7919;
  for (;;) {
    const op = sequence[i & mask] as number;
    const t0 = now();
    let failed = false;
    try {
      const pending = session.run(op);
      if (pending !== undefined || mustYield) await pending;
    } catch (error) {
      failed = true;
      state.fail(error);
    }
    const t1 = now();
    i++;
    if (!failed) {
      const bucket = bucketOf((t1 - t0) * 1e6);
      buckets[bucket] = (buckets[bucket] as number) + 1;
      if (opBuckets !== null) recordOp(opBuckets, op, bucket);
      state.ops++;
      counters[COUNTER.ops] = (counters[COUNTER.ops] as number) + 1;
    }
    if (state.finished(t1)) return;
    if (state.maintenanceDue()) await state.maintain();
  }
}

/** Batched timing for synchronous micro-ops: a batch is timed as a whole, then one op is timed alone as the latency sample. */
async function batchedLoop(state: PhaseState): Promise<void> {
  const { session, sequence, shared, batchSize } = state.input;
  const opBuckets = state.input.opBuckets ?? null;
  const { counters, buckets } = shared;
  const mask = sequence.length - 1;
  let i = 0;
  for (;;) {
    let done = 0;
    let asynchronous = false;
    for (let k = 0; k < batchSize; k++) {
      try {
        if (session.run(sequence[(i + k) & mask] as number) !== undefined) asynchronous = true;
        done++;
      } catch (error) {
        state.fail(error);
      }
    }
    if (asynchronous) {
      throw new VexError(
        'E_PROFILE',
        'This workload has asynchronous ops; batched timing needs synchronous ones: use timing = "per_op".',
      );
    }
    i += batchSize;
    const op = sequence[i & mask] as number;
    const t0 = now();
    let sampled = false;
    try {
      session.run(op);
      sampled = true;
    } catch (error) {
      state.fail(error);
    }
    const t1 = now();
    i++;
    if (sampled) {
      const bucket = bucketOf((t1 - t0) * 1e6);
      buckets[bucket] = (buckets[bucket] as number) + 1;
      if (opBuckets !== null) recordOp(opBuckets, op, bucket);
      done++;
    }
    state.ops += done;
    counters[COUNTER.ops] = (counters[COUNTER.ops] as number) + done;
    if (state.finished(t1)) return;
    if (state.maintenanceDue()) await state.maintain();
  }
}

/** Waits until `targetMs` without missing it: sleeps most of the way, then spins. */
async function waitUntil(state: PhaseState, targetMs: number, lanes: number): Promise<void> {
  const control = state.input.shared.control;
  for (;;) {
    const left = targetMs - now();
    if (left <= 0) return;
    if (Atomics.load(control, CONTROL.cancel) !== 0) return;
    if (left > 2) {
      // One lane may block its own thread (woken early by a cancel); several lanes must let each other run.
      if (lanes === 1) Atomics.wait(control, CONTROL.cancel, 0, left - 1);
      else await sleep(Math.max(1, left - 2));
    } else if (lanes > 1) {
      await yieldTurn();
    }
  }
}

/**
 * Open load: ops are scheduled at a fixed rate whether or not earlier ones finished.
 * Latency is measured from each op's intended start (so a stall counts against every op
 * scheduled during it), service time from its actual start; ops still waiting when the
 * phase ends are dropped.
 */
async function openLane(state: PhaseState, lane: number, lanes: number): Promise<void> {
  const { session, sequence, shared, service, load, span } = state.input;
  const opBuckets = state.input.opBuckets ?? null;
  if (load.model !== 'open') return;
  const { counters, buckets } = shared;
  const mask = sequence.length - 1;
  const intervalMs = (1000 * lanes) / load.rate_per_s;
  const laneOps = span.ops === undefined ? Infinity : Math.ceil(span.ops / lanes);
  const lateMs = load.late_after_us / 1000;
  let pausedBefore = 0;
  let origin = state.startMs + (lane * intervalMs) / lanes;
  for (let k = 0; k < laneOps; k++) {
    origin += state.pausedMs - pausedBefore;
    pausedBefore = state.pausedMs;
    const intended = origin + k * intervalMs;
    if (intended >= state.deadlineMs + state.pausedMs) return;
    await waitUntil(state, intended, lanes);
    const start = now();
    if (state.finished(start)) {
      if (!state.cancelled) {
        // The backlog: ops whose intended start has passed (within the phase) but that never started.
        const until = Math.min(state.deadlineMs + state.pausedMs, start);
        if (intended <= until) state.dropped += Math.floor((until - intended) / intervalMs) + 1;
      }
      counters[COUNTER.dropped] = state.dropped;
      return;
    }
    if (start - intended > lateMs) {
      state.late++;
      counters[COUNTER.late] = (counters[COUNTER.late] as number) + 1;
    }
    let failed = false;
    const op = sequence[(k * lanes + lane) & mask] as number;
    try {
      const pending = session.run(op);
      if (pending !== undefined) await pending;
    } catch (error) {
      failed = true;
      state.fail(error);
    }
    const end = now();
    if (!failed) {
      const bucket = bucketOf((end - intended) * 1e6);
      buckets[bucket] = (buckets[bucket] as number) + 1;
      if (opBuckets !== null) recordOp(opBuckets, op, bucket);
      if (service) {
        const serviceBucket = bucketOf((end - start) * 1e6);
        service[serviceBucket] = (service[serviceBucket] as number) + 1;
      }
      state.ops++;
      counters[COUNTER.ops] = (counters[COUNTER.ops] as number) + 1;
    }
    if (state.maintenanceDue()) await state.maintain();
  }
}

export async function runPhase(input: PhaseInput): Promise<PhaseOutcome> {
  const state = new PhaseState(input);
  // Every phase starts from a full working set.
  if (state.hasMaintain) await state.maintain();
  const lanes = input.load.concurrency;
  if (input.timing === 'batched') await batchedLoop(state);
  else if (input.load.model === 'open')
    await Promise.all(Array.from({ length: lanes }, (_, l) => openLane(state, l, lanes)));
  else await Promise.all(Array.from({ length: lanes }, (_, l) => closedLane(state, l, lanes)));
  return state.outcome();
}
