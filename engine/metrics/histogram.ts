import { createRequire } from 'node:module';
import type * as HdrModule from 'hdr-histogram-js';
import type { Histogram } from 'hdr-histogram-js';
import { VexError } from '../errors.js';

type Hdr = typeof HdrModule;
let loaded: Hdr | undefined;
/** Loaded on first use: it costs ~60 ms at start-up (it decodes its WASM build), which commands that measure nothing should not pay. */
function hdr(): Hdr {
  loaded ??= createRequire(import.meta.url)('hdr-histogram-js') as Hdr;
  return loaded;
}

/**
 * A latency histogram: a thin wrapper over hdr-histogram-js (its JS implementation;
 * the WASM mode needs an async init and a manual destroy for a gain we do not need
 * at 100 ms sampling). Values are integers in one unit, `ns` or `us`; fractions are
 * rounded, so record nanoseconds when sub-microsecond resolution matters.
 */
export type HistogramUnit = 'ns' | 'us';

/** The unit the runner records per-op latencies in, and that result files' `histogram` fields use. */
export const RESULT_HISTOGRAM_UNIT: HistogramUnit = 'ns';

/** Three significant digits: every reported value is within 0.1% of the exact one. */
export const SIGNIFICANT_DIGITS = 3;

export interface PercentileSummary {
  count: number;
  mean: number;
  p50: number;
  p90: number;
  p99: number;
  p999: number;
  max: number;
  min: number;
}

export class LatencyHistogram {
  readonly unit: HistogramUnit;
  readonly #histogram: Histogram;

  constructor(unit: HistogramUnit = RESULT_HISTOGRAM_UNIT, histogram?: Histogram) {
    this.unit = unit;
    this.#histogram = histogram ?? hdr().build({ numberOfSignificantValueDigits: SIGNIFICANT_DIGITS });
  }

  get count(): number {
    return this.#histogram.totalCount;
  }

  /** Records one value; negative or non-finite values are refused, since they mean a clock bug. */
  record(value: number, count = 1): void {
    if (!Number.isFinite(value) || value < 0) {
      throw new VexError(
        'E_INVALID',
        `A latency of ${value} ${this.unit} cannot be recorded: values must be finite and ≥ 0.`,
      );
    }
    if (!Number.isInteger(count) || count < 1) {
      throw new VexError('E_INVALID', `A record count of ${count} is invalid: counts are positive integers.`);
    }
    this.#histogram.recordValueWithCount(Math.round(value), count);
  }

  /** Adds another histogram's counts; units must match. */
  merge(other: LatencyHistogram): void {
    if (other.unit !== this.unit) {
      throw new VexError('E_INVALID', `Cannot merge a ${other.unit} histogram into a ${this.unit} histogram.`);
    }
    this.#histogram.add(other.#histogram);
  }

  /** The value at a percentile in [0, 100] (0 for an empty histogram). */
  valueAt(percentile: number): number {
    if (this.count === 0) return 0;
    return this.#histogram.getValueAtPercentile(percentile);
  }

  summary(): PercentileSummary {
    const h = this.#histogram;
    if (h.totalCount === 0) return { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, min: 0 };
    return {
      count: h.totalCount,
      mean: h.mean,
      p50: h.getValueAtPercentile(50),
      p90: h.getValueAtPercentile(90),
      p99: h.getValueAtPercentile(99),
      p999: h.getValueAtPercentile(99.9),
      max: h.maxValue,
      min: h.minNonZeroValue === Number.MAX_SAFE_INTEGER ? 0 : h.minNonZeroValue,
    };
  }

  /** The summary converted to microseconds, whatever unit was recorded. */
  summaryUs(): PercentileSummary {
    const s = this.summary();
    if (this.unit === 'us') return s;
    const k = 1 / 1000;
    return {
      count: s.count,
      mean: s.mean * k,
      p50: s.p50 * k,
      p90: s.p90 * k,
      p99: s.p99 * k,
      p999: s.p999 * k,
      max: s.max * k,
      min: s.min * k,
    };
  }

  /** Percentile curve points for a distribution chart: percentiles spaced evenly in log(1/(1-p)). */
  percentileCurve(pointsPerDecade = 10): { percentile: number; value: number }[] {
    const points: { percentile: number; value: number }[] = [];
    if (this.count === 0) return points;
    const maxNines = Math.max(1, Math.ceil(Math.log10(this.count)));
    for (let i = 0; i <= maxNines * pointsPerDecade; i++) {
      const percentile = 100 * (1 - Math.pow(10, -i / pointsPerDecade));
      points.push({ percentile, value: this.#histogram.getValueAtPercentile(percentile) });
    }
    points.push({ percentile: 100, value: this.#histogram.maxValue });
    return points;
  }

  reset(): void {
    this.#histogram.reset();
  }

  /** Base64 of HDR's compressed encoding (the `histogram` field of a latency summary). */
  encode(): string {
    return hdr().encodeIntoCompressedBase64(this.#histogram);
  }

  static decode(base64: string, unit: HistogramUnit = RESULT_HISTOGRAM_UNIT): LatencyHistogram {
    let histogram: Histogram;
    try {
      histogram = hdr().decodeFromCompressedBase64(base64);
    } catch (error) {
      throw new VexError(
        'E_FORMAT',
        `The encoded histogram could not be decoded (${(error as Error).message}); it is not base64 of HDR's compressed encoding.`,
      );
    }
    return new LatencyHistogram(unit, histogram);
  }
}
