import type { CliIo } from '../../cli/command.js';
import type { BenchRun, LiveSample, UnitReport } from './BenchRun.js';
import { LatencyHistogram } from '../../metrics/histogram.js';

/** Seconds as `1m05s` / `12s`. */
export function formatDuration(ms: number): string {
  const seconds = Math.max(0, Math.round(ms / 1000));
  const minutes = Math.floor(seconds / 60);
  return minutes > 0 ? `${minutes}m${String(seconds % 60).padStart(2, '0')}s` : `${seconds}s`;
}

/** A rate with a thousands separator and no more precision than it has. */
export function formatRate(opsPerSec: number): string {
  if (opsPerSec >= 100) return Math.round(opsPerSec).toLocaleString('en-US');
  return opsPerSec.toPrecision(3);
}

export function formatUs(us: number): string {
  return us >= 100 ? `${Math.round(us)} µs` : `${us.toPrecision(3)} µs`;
}

function bar(progress: number, width: number): string {
  const filled = Math.round(Math.max(0, Math.min(1, progress)) * width);
  return `${'█'.repeat(filled)}${'░'.repeat(width - filled)}`;
}

/** The line a progress bar shows for a live sample. */
export function progressLine(sample: LiveSample): string {
  const pct = `${Math.floor(sample.progress * 100)}%`.padStart(4);
  const eta = sample.eta_ms === null ? 'ETA --' : `ETA ${formatDuration(sample.eta_ms)}`;
  const what = sample.phase === 'setup' ? 'setting up' : `${sample.subject}/${sample.workload} ${sample.phase}`;
  const rate = sample.phase === 'setup' ? '' : ` ${formatRate(sample.ops_per_s)} ops/s p99 ${formatUs(sample.p99_us)}`;
  return `${bar(sample.progress, 24)} ${pct} ${eta}  [${sample.unit}/${sample.units}] ${what}${rate}`;
}

/** One plain line per finished unit, for logs and pipes. */
export function unitLine(report: UnitReport): string {
  const { outcome, unit } = report;
  const rate = outcome.elapsedNs > 0 ? (outcome.ops * 1e9) / outcome.elapsedNs : 0;
  const p99 = LatencyHistogram.decode(outcome.histogram, 'ns').valueAt(99) / 1000;
  const labels = Object.entries(report.labels)
    .map(([k, v]) => ` ${k}=${v}`)
    .join('');
  const extra = [
    outcome.errors > 0 ? `${outcome.errors} errors` : '',
    outcome.late > 0 ? `${outcome.late} late` : '',
    outcome.dropped > 0 ? `${outcome.dropped} dropped` : '',
    outcome.cancelled ? 'cancelled' : '',
  ].filter(Boolean);
  return (
    `[${report.index}/${report.units}] trial ${unit.trial + 1} ${unit.subject}/${unit.workload}${labels}: ` +
    `${formatRate(rate)} ops/s, p99 ${formatUs(p99)}${extra.length ? ` (${extra.join(', ')})` : ''}`
  );
}

/**
 * Shows a run's progress: a redrawn bar with ETA on a terminal, plain lines per finished unit
 * otherwise (or when stdout carries JSON, on stderr). Returns a function that ends the display.
 */
export function showProgress(run: BenchRun, io: CliIo, options: { json: boolean }): () => void {
  if (io.isTty && !options.json) {
    let last = '';
    const clear = (): void => io.outBytes(new TextEncoder().encode(`\r\u001b[2K`));
    const stopSamples = run.onSample((sample) => {
      last = progressLine(sample);
      io.outBytes(new TextEncoder().encode(`\r\u001b[2K${last}`));
    });
    const stopUnits = run.onUnit((report) => {
      clear();
      io.out(unitLine(report));
      if (last) io.outBytes(new TextEncoder().encode(last));
    });
    return () => {
      stopSamples();
      stopUnits();
      clear();
    };
  }
  const write = options.json ? io.err.bind(io) : io.out.bind(io);
  return run.onUnit((report) => write(unitLine(report)));
}
