import type { Profile, Span } from '../profile/schema.js';
import { getWorkload } from '../workloads/registry.js';

/** `--quick` is a smoke run: the whole command, start to saved result, within this. */
export const QUICK_DEADLINE_MS = 15_000;
/**
 * What the plan aims at: the deadline less a margin for what the estimates below cannot see on a
 * shared, loaded machine (setup slowed by other processes, a workload's heavy session open).
 */
export const QUICK_TARGET_MS = 12_500;
/**
 * Process start, module loading, environment capture and writing the result: outside the plan.
 * Measured here: `vexctl --help` alone took 4.8 s at load average 18 on this 2-core machine.
 */
export const QUICK_FIXED_MS = 5_000;
/** Starting a sweep point's worker and loading its workload module. */
export const QUICK_WORKER_START_MS = 400;
/** The harness self-measurement (six rounds per mode, two modes, of its 100 ms share per mode) and its JIT warm-up. */
export const QUICK_HARNESS_MS = 700;
/** Opening one subject's session: a fixed part plus a share per dataset item (store files, vectors). */
const OPEN_BASE_MS = 250;
const OPEN_MS_PER_ITEM = 1.5;
/** Phases may run longer in wall time than planned (untimed maintenance, the last op's overrun). */
const PHASE_WALL_FACTOR = 1.5;
export const QUICK_DEFAULT_TRIALS = 2;
export const QUICK_MAX_DATASET = 300;
/** The dataset when even one trial at QUICK_MAX_DATASET does not fit. */
export const QUICK_SMALLEST_DATASET = 100;
const MIN_MEASURE_MS = 20;
const MIN_WARMUP_MS = 5;

export interface QuickInput {
  profile: Profile;
  subjects: readonly string[];
  sweepPointCount: number;
  /** `--trials N`: wins over quick's default. */
  explicitTrials: number | null;
}

export interface QuickPlan {
  profile: Profile;
  /** What quick mode scaled down, one sentence each (in the result). */
  scaled: string[];
  /** The plan's estimate of the whole run, start to saved result. */
  estimatedMs: number;
}

function spanMs(span: Span): number {
  return span.duration_ms ?? span.max_duration_ms ?? 0;
}

function capSpan(span: Span, capMs: number): Span {
  if (span.duration_ms !== undefined) return { duration_ms: Math.min(span.duration_ms, capMs) };
  // An op-count phase keeps its count but stops at the cap: the count may be far too slow to reach.
  return { ops: span.ops as number, max_duration_ms: Math.min(span.max_duration_ms ?? capMs, capMs) };
}

function describeSpan(span: Span): string {
  return span.duration_ms !== undefined ? `${span.duration_ms} ms` : `${span.ops} ops (≤ ${span.max_duration_ms} ms)`;
}

/** The estimated wall time of one sweep point's run of a profile, excluding the fixed process costs. */
export function pointEstimateMs(profile: Profile, subjects: readonly string[], first: boolean): number {
  const units = profile.trials * subjects.length * profile.workloads.length;
  const untimed = getWorkload(profile.module).untimedMsPerTrial ?? 0;
  return (
    QUICK_WORKER_START_MS +
    (first ? QUICK_HARNESS_MS : 0) +
    subjects.length * (OPEN_BASE_MS + OPEN_MS_PER_ITEM * profile.dataset.size) +
    profile.trials * untimed +
    units * PHASE_WALL_FACTOR * (spanMs(profile.warmup) + spanMs(profile.measure))
  );
}

/** The whole run's estimate: fixed costs plus every sweep point (the harness self-measurement runs once). */
export function runEstimateMs(profile: Profile, subjects: readonly string[], sweepPointCount: number): number {
  const points = Math.max(1, sweepPointCount);
  return (
    QUICK_FIXED_MS + pointEstimateMs(profile, subjects, true) + (points - 1) * pointEstimateMs(profile, subjects, false)
  );
}

/**
 * The smoke version of a profile, budgeted as a whole against QUICK_DEADLINE_MS: setup (worker,
 * sessions, dataset), the harness self-measurement, untimed figures (the roofline probes), and
 * warmup plus measurement of every unit of every subject and sweep point. Trials drop to
 * QUICK_DEFAULT_TRIALS unless `--trials` was given, the dataset to QUICK_MAX_DATASET items; what is
 * left is shared by the units' phases (a fifth warmup). If even the shortest phases do not fit,
 * the plan says by how much.
 */
export function planQuick(input: QuickInput): QuickPlan {
  const { profile, subjects, explicitTrials } = input;
  const points = Math.max(1, input.sweepPointCount);
  const scaled: string[] = [];
  const defaultTrials = explicitTrials ?? Math.min(profile.trials, QUICK_DEFAULT_TRIALS);
  const defaultSize = Math.min(profile.dataset.size, QUICK_MAX_DATASET);
  // From the gentlest shape down: the first whose shortest phases fit is taken, else the last.
  const shapes = [
    { trials: defaultTrials, size: defaultSize },
    { trials: explicitTrials ?? 1, size: defaultSize },
    { trials: explicitTrials ?? 1, size: Math.min(defaultSize, QUICK_SMALLEST_DATASET) },
  ];
  let shaped: Profile = profile;
  let perUnitMs = 0;
  for (const shape of shapes) {
    shaped = { ...profile, trials: shape.trials, dataset: { ...profile.dataset, size: shape.size } };
    const zeroPhases: Profile = { ...shaped, warmup: { duration_ms: 0 }, measure: { duration_ms: 0 } };
    const overheadMs = runEstimateMs(zeroPhases, subjects, points);
    const units = shape.trials * subjects.length * profile.workloads.length * points;
    perUnitMs = Math.floor((QUICK_TARGET_MS - overheadMs) / (units * PHASE_WALL_FACTOR));
    if (perUnitMs >= MIN_MEASURE_MS + MIN_WARMUP_MS) break;
  }
  perUnitMs = Math.max(MIN_MEASURE_MS + MIN_WARMUP_MS, perUnitMs);
  const { trials } = shaped;
  if (trials < profile.trials) scaled.push(`trials ${profile.trials} → ${trials}`);
  if (shaped.dataset.size < profile.dataset.size)
    scaled.push(`dataset.size ${profile.dataset.size} → ${shaped.dataset.size}`);
  const warmup = capSpan(profile.warmup, Math.max(MIN_WARMUP_MS, Math.floor(perUnitMs * 0.2)));
  const measure = capSpan(profile.measure, Math.max(MIN_MEASURE_MS, perUnitMs - spanMs(warmup)));
  if (spanMs(warmup) < spanMs(profile.warmup) || profile.warmup.duration_ms === undefined)
    scaled.push(`warmup ${describeSpan(profile.warmup)} → ${describeSpan(warmup)}`);
  if (spanMs(measure) < spanMs(profile.measure) || profile.measure.duration_ms === undefined)
    scaled.push(`measure ${describeSpan(profile.measure)} → ${describeSpan(measure)}`);
  const quick: Profile = { ...shaped, warmup, measure };
  const estimatedMs = runEstimateMs(quick, subjects, points);
  if (estimatedMs > QUICK_TARGET_MS) {
    scaled.push(
      `even at the shortest phases the plan needs about ${(estimatedMs / 1000).toFixed(1)} s, over the ${QUICK_TARGET_MS / 1000} s quick plan (deadline ${QUICK_DEADLINE_MS / 1000} s) (fewer trials, subjects or sweep values would fit)`,
    );
  }
  return { profile: quick, scaled, estimatedMs };
}
