import type { LiveSample } from './types.js';

/** One point of the live charts, derived from a sample (units in the names). */
export interface LivePoint {
  tSec: number;
  opsPerSec: number;
  p50Us: number;
  p99Us: number;
  p999Us: number;
  errors: number;
  cpuPct: number;
  rssMiB: number;
  eventLoopDelayMs: number;
  phase: LiveSample['phase'];
}

/** The live charts keep this many points: 30 s at 10 Hz. */
export const LIVE_WINDOW_POINTS = 300;

export function toLivePoint(sample: LiveSample): LivePoint {
  return {
    tSec: Math.round(sample.t_ms / 100) / 10,
    opsPerSec: Math.round(sample.ops_per_s),
    p50Us: round2(sample.p50_us),
    p99Us: round2(sample.p99_us),
    p999Us: round2(sample.p999_us),
    errors: sample.errors,
    cpuPct: round2(sample.cpu_user_pct + sample.cpu_sys_pct),
    rssMiB: round2(sample.rss_bytes / (1 << 20)),
    eventLoopDelayMs: round2(sample.event_loop_delay_ms),
    phase: sample.phase,
  };
}

function round2(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Appends a point, dropping the oldest beyond the window. Returns a new array (the charts
 * compare by identity); setup samples carry no measurements and are skipped.
 */
export function appendPoint(points: readonly LivePoint[], sample: LiveSample, limit = LIVE_WINDOW_POINTS): LivePoint[] {
  if (sample.phase === 'setup') return points as LivePoint[];
  const next = points.length >= limit ? points.slice(points.length - limit + 1) : points.slice();
  next.push(toLivePoint(sample));
  return next;
}

/** Seconds as "1m05s" / "12s" for the ETA. */
export function formatEta(ms: number | null): string {
  if (ms === null || !Number.isFinite(ms)) return '—';
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}
