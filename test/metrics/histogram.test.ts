import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRandom } from '../../engine/bench/stats/random.js';
import { isVexError } from '../../engine/errors.js';
import { LatencyHistogram } from '../../engine/metrics/histogram.js';

const COUNT = process.env.VEXFS_TEST_TIER === 'long' ? 1_000_000 : 100_000;

/** Lognormal latencies around 20 µs in ns, with a heavy tail: what real ops look like. */
function latencies(seed: number, n = COUNT): number[] {
  const random = createRandom(seed);
  return Array.from({ length: n }, () => Math.round(Math.exp(Math.log(20_000) + 0.8 * random.normal())));
}

/** The value at rank ⌈p·n⌉ (HDR's definition of the value at a percentile). */
function reference(sorted: readonly number[], percentile: number): number {
  const rank = Math.max(1, Math.ceil((percentile / 100) * sorted.length - 1e-9));
  return sorted[rank - 1] as number;
}

function assertWithinPrecision(actual: number, expected: number, what: string): void {
  // Three significant digits: the bucket holding a value spans at most 1/1024 of it.
  const tolerance = expected / 1024 + 1;
  assert.ok(Math.abs(actual - expected) <= tolerance, `${what}: ${actual} vs exact ${expected}`);
}

describe('LatencyHistogram', () => {
  it('matches a sorted-array reference within HDR precision', () => {
    const values = latencies(1);
    const histogram = new LatencyHistogram('ns');
    for (const v of values) histogram.record(v);
    const sorted = [...values].sort((a, b) => a - b);
    const s = histogram.summary();
    assert.equal(s.count, values.length);
    assertWithinPrecision(s.p50, reference(sorted, 50), 'p50');
    assertWithinPrecision(s.p90, reference(sorted, 90), 'p90');
    assertWithinPrecision(s.p99, reference(sorted, 99), 'p99');
    assertWithinPrecision(s.p999, reference(sorted, 99.9), 'p99.9');
    assertWithinPrecision(s.max, sorted.at(-1) as number, 'max');
    assertWithinPrecision(s.min, sorted[0] as number, 'min');
    const exactMean = values.reduce((a, b) => a + b, 0) / values.length;
    assert.ok(Math.abs(s.mean - exactMean) <= exactMean / 1024, `mean ${s.mean} vs ${exactMean}`);
  });

  it('merges: two halves recorded apart equal the whole', () => {
    const values = latencies(2, 20_000);
    const whole = new LatencyHistogram('ns');
    const first = new LatencyHistogram('ns');
    const second = new LatencyHistogram('ns');
    values.forEach((v, i) => {
      whole.record(v);
      (i % 2 === 0 ? first : second).record(v);
    });
    first.merge(second);
    assert.deepEqual(first.summary(), whole.summary());
    assert.throws(
      () => first.merge(new LatencyHistogram('us')),
      (e) => isVexError(e, 'E_INVALID'),
    );
  });

  it('round-trips through the compressed base64 encoding', () => {
    const histogram = new LatencyHistogram('ns');
    for (const v of latencies(3, 10_000)) histogram.record(v);
    const encoded = histogram.encode();
    assert.match(encoded, /^[A-Za-z0-9+/=]+$/);
    const decoded = LatencyHistogram.decode(encoded, 'ns');
    const { max, ...rest } = decoded.summary();
    const { max: originalMax, ...originalRest } = histogram.summary();
    // Percentiles, count, mean survive exactly; the encoding keeps buckets, so max comes back
    // as its bucket's highest equivalent value.
    assert.deepEqual(rest, originalRest);
    assertWithinPrecision(max, originalMax, 'decoded max');
    assert.equal(LatencyHistogram.decode(new LatencyHistogram('us').encode(), 'us').count, 0);
  });

  it('refuses garbage encodings, negative, NaN and bad counts', () => {
    assert.throws(
      () => LatencyHistogram.decode('not base64 at all!'),
      (e) => isVexError(e, 'E_FORMAT'),
    );
    assert.throws(
      () => LatencyHistogram.decode(''),
      (e) => isVexError(e, 'E_FORMAT'),
    );
    const histogram = new LatencyHistogram('us');
    assert.throws(
      () => histogram.record(-1),
      (e) => isVexError(e, 'E_INVALID'),
    );
    assert.throws(
      () => histogram.record(NaN),
      (e) => isVexError(e, 'E_INVALID'),
    );
    assert.throws(
      () => histogram.record(5, 0),
      (e) => isVexError(e, 'E_INVALID'),
    );
    assert.equal(histogram.count, 0);
  });

  it('reports microseconds from nanosecond records, and zeros when empty', () => {
    const histogram = new LatencyHistogram('ns');
    assert.deepEqual(histogram.summary(), { count: 0, mean: 0, p50: 0, p90: 0, p99: 0, p999: 0, max: 0, min: 0 });
    histogram.record(1500, 3);
    const us = histogram.summaryUs();
    assert.equal(us.count, 3);
    assert.ok(Math.abs(us.p50 - 1.5) < 0.002);
    const curve = histogram.percentileCurve();
    assert.ok(curve.length > 2);
    assert.ok(curve.every((p, i) => i === 0 || p.value >= (curve[i - 1]?.value ?? 0)));
  });
});
