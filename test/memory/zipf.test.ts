import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createZipf } from '../../engine/memory/zipf.js';
import { isVexError } from '../../engine/errors.js';

const draws = (n: number, s: number, seed: number, count: number): number[] => {
  const zipf = createZipf(n, s, seed);
  return Array.from({ length: count }, () => zipf.next());
};

describe('Zipf sampler', () => {
  it('is seeded: the same seed gives the same sequence, another seed another', () => {
    assert.deepEqual(draws(1000, 0.99, 5, 200), draws(1000, 0.99, 5, 200));
    assert.notDeepEqual(draws(1000, 0.99, 5, 200), draws(1000, 0.99, 6, 200));
  });

  it('stays in range', () => {
    for (const value of draws(17, 0.99, 1, 10_000)) assert.ok(Number.isInteger(value) && value >= 0 && value < 17);
    assert.deepEqual(new Set(draws(1, 0.99, 1, 100)), new Set([0]));
  });

  it('probabilities sum to 1 and fall as 1/(r+1)^s', () => {
    const zipf = createZipf(1000, 0.99, 1);
    let sum = 0;
    for (let r = 0; r < 1000; r++) sum += zipf.probability(r);
    assert.ok(Math.abs(sum - 1) < 1e-9);
    assert.ok(Math.abs(zipf.probability(0) / zipf.probability(9) - Math.pow(10, 0.99)) < 1e-6);
    assert.equal(zipf.probability(-1), 0);
    assert.equal(zipf.probability(1000), 0);
  });

  it('draws follow the distribution (chi-square over the top ranks and the tail)', () => {
    const n = 1000;
    const count = 200_000;
    const zipf = createZipf(n, 0.99, 123);
    const observed = new Array<number>(n).fill(0);
    for (let i = 0; i < count; i++) observed[zipf.next()]! += 1;
    // Bins: ranks 0..49 one each, then the rest in ten equal-probability-ish groups.
    const bins: { observed: number; expected: number }[] = [];
    for (let r = 0; r < 50; r++) bins.push({ observed: observed[r]!, expected: count * zipf.probability(r) });
    const tailSize = (n - 50) / 10;
    for (let g = 0; g < 10; g++) {
      let o = 0;
      let e = 0;
      for (let r = 50 + g * tailSize; r < 50 + (g + 1) * tailSize; r++) {
        o += observed[r]!;
        e += count * zipf.probability(r);
      }
      bins.push({ observed: o, expected: e });
    }
    const chiSquare = bins.reduce((sum, b) => sum + (b.observed - b.expected) ** 2 / b.expected, 0);
    // 59 degrees of freedom: the 0.999 quantile is about 99.6.
    assert.ok(chiSquare < 99.6, `chi-square ${chiSquare.toFixed(1)} over 59 degrees of freedom`);
    // And it is not uniform: rank 0 alone draws far more than 1/n.
    assert.ok(observed[0]! > (10 * count) / n);
  });

  it('uniform when s = 0', () => {
    const zipf = createZipf(4, 0, 1);
    for (let r = 0; r < 4; r++) assert.ok(Math.abs(zipf.probability(r) - 0.25) < 1e-12);
  });

  it('refuses bad parameters', () => {
    for (const [n, s] of [
      [0, 1],
      [1.5, 1],
      [10, -1],
      [10, Number.NaN],
      [10, 11],
    ] as const) {
      assert.throws(
        () => createZipf(n, s, 1),
        (e: unknown) => isVexError(e, 'E_INVALID'),
        `${n} ${s}`,
      );
    }
  });
});
