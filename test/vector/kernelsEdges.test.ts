// Defined behaviour at the edges, for every backend: zero vectors, NaN and Inf, top-k order and ties,
// k > N, empty sets, allow-list filters, and async scans that leave the event loop free.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  batchTopK,
  batchTopKAsync,
  capabilities,
  distances,
  pairwise,
  setBackend,
  topK,
  topKAsync,
  type Metric,
} from '../../engine/vector/kernels/index.js';
import { fill, floatMetrics, random } from './kernelReference.js';

after(() => setBackend('auto'));

/** Reference ranking: ascending, NaN last, ties by index. */
function rank(values: Float32Array): number[] {
  return Array.from(values.keys()).sort((a, b) => {
    const x = values[a] as number;
    const y = values[b] as number;
    if (Number.isNaN(x) !== Number.isNaN(y)) return Number.isNaN(x) ? 1 : -1;
    if (!Number.isNaN(x) && x !== y) return x - y;
    return a - b;
  });
}

for (const backend of capabilities().available) {
  describe(`kernel edge cases on ${backend}`, () => {
    it('cosine of zero vectors: both zero 0, one zero 1', () => {
      setBackend(backend);
      for (const dim of [1, 8, 17, 768]) {
        const zero = new Float32Array(dim);
        const one = new Float32Array(dim).fill(0.5);
        assert.equal(pairwise('cosine', zero, zero), 0);
        assert.equal(pairwise('cosine', zero, one), 1);
        assert.equal(pairwise('cosine', one, zero), 1);
        assert.ok(pairwise('cosine', one, one) <= 1e-6);
        const negated = one.map((x) => -x);
        assert.ok(Math.abs(pairwise('cosine', one, negated) - 2) <= 1e-6, 'opposite vectors are at 2');
      }
    });

    it('NaN anywhere gives NaN; Inf gives Inf, or NaN where the arithmetic does (cosine)', () => {
      setBackend(backend);
      for (const dim of [1, 7, 16, 33, 768]) {
        const a = new Float32Array(dim).fill(0.25);
        const b = new Float32Array(dim).fill(0.75);
        const at = dim - 1; // the last element exercises each backend's tail path
        const nan = a.slice();
        nan[at] = NaN;
        for (const metric of floatMetrics) {
          assert.ok(Number.isNaN(pairwise(metric, nan, b)), `${metric} d=${dim} NaN`);
          assert.ok(Number.isNaN(pairwise(metric, b, nan)), `${metric} d=${dim} NaN (b)`);
        }
        const inf = a.slice();
        inf[at] = Infinity;
        assert.equal(pairwise('l2', inf, b), Infinity);
        assert.equal(pairwise('manhattan', inf, b), Infinity);
        assert.equal(pairwise('dot', inf, b), -Infinity);
        assert.ok(Number.isNaN(pairwise('cosine', inf, b)));
        assert.ok(Number.isNaN(pairwise('l2', inf, inf)), 'Inf - Inf is NaN');
      }
    });

    it('top-k is sorted ascending with ties by index and NaN last, and matches a full sort', () => {
      setBackend(backend);
      const next = random(11);
      const dim = 17;
      const count = 300;
      const base = fill(new Float32Array(count * dim), next);
      // Duplicates make ties; a NaN vector must rank after every number.
      base.copyWithin(10 * dim, 20 * dim, 21 * dim);
      base.copyWithin(30 * dim, 20 * dim, 21 * dim);
      base[40 * dim + 3] = NaN;
      const query = fill(new Float32Array(dim), next);
      for (const metric of floatMetrics) {
        const all = distances(metric, query, base, dim);
        const expected = rank(all);
        const result = topK(metric, query, base, dim, count);
        assert.deepEqual(Array.from(result.indices), expected, metric);
        assert.equal(result.indices[count - 1], 40, `${metric}: the NaN vector ranks last`);
        const top = topK(metric, query, base, dim, 7);
        assert.deepEqual(Array.from(top.indices), expected.slice(0, 7));
        assert.deepEqual(
          Array.from(top.distances),
          expected.slice(0, 7).map((i) => all[i]),
        );
      }
      const ties = topK('l2', base.subarray(20 * dim, 21 * dim), base, dim, 3);
      assert.deepEqual(Array.from(ties.indices), [10, 20, 30], 'equal distances rank by index');
    });

    it('k > N returns N results; empty sets return empty results', () => {
      setBackend(backend);
      const dim = 5;
      const base = fill(new Float32Array(3 * dim), random(12));
      const query = new Float32Array(dim);
      assert.equal(topK('l2', query, base, dim, 10).indices.length, 3);
      assert.equal(topK('l2', query, new Float32Array(0), dim, 10).indices.length, 0);
      assert.equal(distances('l2', query, new Float32Array(0), dim).length, 0);
      assert.equal(topK('l2', query, base, dim, 4, { offset: 3 * dim }).indices.length, 0);
      assert.deepEqual(batchTopK('l2', new Float32Array(0), base, dim, 2), []);
      const none = topK('l2', query, base, dim, 2, { allow: new Uint8Array(1) });
      assert.equal(none.indices.length, 0, 'an allow-list admitting nobody');
    });

    it('the allow-list keeps exactly the admitted vectors, in batches and threads too', async () => {
      setBackend(backend);
      const next = random(13);
      const dim = 24;
      const count = 20000;
      const base = fill(new Float32Array(count * dim), next);
      const queries = fill(new Float32Array(5 * dim), next);
      const allow = new Uint8Array(Math.ceil(count / 8));
      const admitted = (i: number): boolean => i % 7 === 3 || i % 11 === 0;
      for (let i = 0; i < count; i++) if (admitted(i)) allow[i >> 3] = (allow[i >> 3] as number) | (1 << (i & 7));
      for (const metric of ['l2', 'cosine', 'dot'] as Metric[]) {
        const sync = batchTopK(metric, queries, base, dim, 25, { allow });
        const threaded = await batchTopKAsync(metric, queries, base, dim, 25, { allow, threads: 3 });
        sync.forEach((result, q) => {
          const all = distances(metric, queries.subarray(q * dim, (q + 1) * dim), base, dim);
          const expected = rank(all).filter(admitted).slice(0, 25);
          assert.deepEqual(Array.from(result.indices), expected, `${metric} query ${q}`);
          assert.deepEqual(Array.from(threaded[q]?.indices ?? []), expected, `${metric} query ${q} threaded`);
        });
      }
    });

    it('hamming top-k ranks by differing bits', () => {
      setBackend(backend);
      const base = Uint8Array.from([0b1111, 0, 0b1, 0xff, 0b11, 0]);
      const result = topK('hamming', new Uint8Array(2), base, 2, 3);
      // Vectors of two bytes: [0b1111, 0] has 4 bits set, [1, 0xff] 9, [0b11, 0] 2.
      assert.deepEqual(Array.from(result.indices), [2, 0, 1]);
      assert.deepEqual(Array.from(result.distances), [2, 4, 9]);
    });

    it('async top-k leaves the event loop free while it scans', async () => {
      setBackend(backend);
      const dim = 64;
      const count = backend === 'typescript' ? 60_000 : 400_000;
      const base = new Float32Array(count * dim).fill(0.5);
      base.fill(0.25, 1234 * dim, 1235 * dim);
      let settled = false;
      const scan = topKAsync('l2', new Float32Array(dim).fill(0.25), base, dim, 1, { threads: 2 }).then((result) => {
        settled = true;
        return result;
      });
      const loopTurnedFirst = await new Promise<boolean>((resolve) => setImmediate(() => resolve(!settled)));
      const result = await scan;
      assert.ok(loopTurnedFirst, 'a timer ran before the scan finished');
      assert.deepEqual(Array.from(result.indices), [1234]);
    });
  });
}
