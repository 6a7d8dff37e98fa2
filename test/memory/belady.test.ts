import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { beladyOptimum, nextUses } from '../../engine/memory/belady.js';
import { createRandom } from '../../engine/bench/stats/random.js';
import { isVexError } from '../../engine/errors.js';

/** The best possible hits by trying every admission and eviction choice (small traces only). */
function bruteForce(trace: readonly number[], capacity: number, bypass: boolean): number {
  const memo = new Map<string, number>();
  const best = (i: number, cached: readonly number[]): number => {
    if (i === trace.length) return 0;
    const memoKey = `${i}|${cached.join(',')}`;
    const known = memo.get(memoKey);
    if (known !== undefined) return known;
    const key = trace[i]!;
    let result: number;
    if (cached.includes(key)) {
      result = 1 + best(i + 1, cached);
    } else {
      const options: (readonly number[])[] = [];
      if (capacity > 0 && cached.length < capacity) options.push([...cached, key].sort((a, b) => a - b));
      if (capacity > 0 && cached.length === capacity) {
        for (const victim of cached) options.push([...cached.filter((c) => c !== victim), key].sort((a, b) => a - b));
      }
      if (bypass || capacity === 0) options.push(cached);
      result = Math.max(...options.map((next) => best(i + 1, next)));
    }
    memo.set(memoKey, result);
    return result;
  };
  return best(0, []);
}

/** LRU's hits on the same trace, for the "optimum bounds LRU" check. */
function lruHits(trace: readonly number[], capacity: number): number {
  const order: number[] = [];
  let hits = 0;
  for (const key of trace) {
    const at = order.indexOf(key);
    if (at >= 0) {
      hits += 1;
      order.splice(at, 1);
    } else if (order.length >= capacity) order.shift();
    if (capacity > 0) order.push(key);
  }
  return hits;
}

describe("Belady's MIN", () => {
  it('finds next uses', () => {
    assert.deepEqual([...nextUses([1, 2, 1, 3, 2, 1])], [2, 4, 5, 6, 6, 6]);
    assert.deepEqual([...nextUses([])], []);
  });

  it('matches a brute-force optimum on small random traces, with and without bypass', () => {
    const random = createRandom(7);
    for (let round = 0; round < 300; round++) {
      const length = 1 + random.int(11);
      const keys = 1 + random.int(5);
      const capacity = random.int(4);
      const trace = Array.from({ length }, () => random.int(keys));
      for (const bypass of [false, true]) {
        const expected = bruteForce(trace, capacity, bypass);
        const got = beladyOptimum(trace, capacity, { bypass });
        assert.equal(got.hits, expected, `trace ${trace.join(',')} capacity ${capacity} bypass ${bypass}`);
        assert.equal(got.hits + got.misses, trace.length);
      }
    }
  });

  it('bounds LRU from above, and bypass never does worse than demand', () => {
    const random = createRandom(11);
    for (let round = 0; round < 50; round++) {
      const trace = Array.from({ length: 2000 }, () => random.int(64));
      const capacity = 1 + random.int(32);
      const demand = beladyOptimum(trace, capacity);
      const withBypass = beladyOptimum(trace, capacity, { bypass: true });
      assert.ok(demand.hits >= lruHits(trace, capacity));
      assert.ok(withBypass.hits >= demand.hits);
    }
  });

  it('edge cases: empty trace, zero capacity, everything fits', () => {
    assert.deepEqual(beladyOptimum([], 4), { hits: 0, misses: 0, hitRate: 0 });
    assert.equal(beladyOptimum([1, 1, 1], 0).hits, 0);
    const fits = beladyOptimum([1, 2, 3, 1, 2, 3], 3);
    assert.equal(fits.hits, 3);
    assert.equal(fits.hitRate, 0.5);
  });

  it('refuses a bad capacity', () => {
    for (const bad of [-1, 1.5, Number.NaN]) {
      assert.throws(
        () => beladyOptimum([1], bad),
        (e: unknown) => isVexError(e, 'E_INVALID'),
      );
    }
  });
});
