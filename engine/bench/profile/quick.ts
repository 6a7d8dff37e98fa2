import type { Profile, Span } from './schema.js';

/** --quick must finish within 15 s: this much goes to warmup + measurement (phases may take up to twice as long in wall time when untimed maintenance runs), the rest to startup and setup. */
export const QUICK_BUDGET_MS = 5000;
export const QUICK_MAX_TRIALS = 2;
export const QUICK_MAX_DATASET = 300;
const MIN_MEASURE_MS = 20;

function capSpan(span: Span, capMs: number): Span {
  if (span.duration_ms !== undefined) return { duration_ms: Math.min(span.duration_ms, capMs) };
  // An op-count phase keeps its count but stops at the cap: the count may be far too slow to reach.
  return { ops: span.ops, max_duration_ms: Math.min(span.max_duration_ms ?? capMs, capMs) };
}

/** How many (trial, subject, workload) units one sweep point runs. */
export function unitCount(profile: Profile, subjects: readonly string[]): number {
  return profile.trials * subjects.length * profile.workloads.length;
}

/**
 * The smoke version of a profile: at most two trials, a small dataset, and warmup plus
 * measurement of every unit of every sweep point sharing QUICK_BUDGET_MS.
 */
export function applyQuick(profile: Profile, subjects: readonly string[], sweepPointCount: number): Profile {
  const trials = Math.min(profile.trials, QUICK_MAX_TRIALS);
  const shaped: Profile = { ...profile, trials };
  const units = unitCount(shaped, subjects) * Math.max(1, sweepPointCount);
  const perUnitMs = Math.max(MIN_MEASURE_MS * 1.25, Math.floor(QUICK_BUDGET_MS / units));
  return {
    ...shaped,
    dataset: { ...profile.dataset, size: Math.min(profile.dataset.size, QUICK_MAX_DATASET) },
    warmup: capSpan(profile.warmup, Math.floor(perUnitMs * 0.2)),
    measure: capSpan(profile.measure, Math.max(MIN_MEASURE_MS, Math.floor(perUnitMs * 0.8))),
  };
}
