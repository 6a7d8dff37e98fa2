// f16 (Uint16Array of half bits) and i8 (Int8Array times a scale) storage for l2, dot and cosine: every
// backend against the float64 reference on the widened values, through every entry point, and their checks.
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  batchDistances,
  batchTopKAsync,
  capabilities,
  distances,
  pairwise,
  setBackend,
  topK,
} from '../../engine/vector/kernels/index.js';
import { halfToFloat } from '../../engine/vector/kernels/fallback.js';
import { bound, fill, random, reference, testDims } from './kernelReference.js';

after(() => setBackend('auto'));

const storedMetrics = ['l2', 'dot', 'cosine'] as const;
const invalid = { name: 'VexError', code: 'E_INVALID' };

/** Half bits for values of magnitude 2^-5 .. 2^2, and their exact values. */
function halves(count: number, next: () => number): [Uint16Array, Float64Array] {
  const bits = new Uint16Array(count);
  const values = new Float64Array(count);
  for (let i = 0; i < count; i++) {
    bits[i] = ((next() < 0.5 ? 1 : 0) << 15) | ((10 + Math.floor(next() * 8)) << 10) | Math.floor(next() * 1024);
    values[i] = halfToFloat(bits[i] as number);
  }
  return [bits, values];
}

function int8s(count: number, next: () => number, scale: number): [Int8Array, Float64Array] {
  const stored = Int8Array.from({ length: count }, () => Math.round(next() * 254 - 127));
  return [stored, Float64Array.from(stored, (x) => Math.fround(scale * x))];
}

describe('half-precision decoding', () => {
  it('decodes normals, subnormals, zeros, Inf and NaN exactly', () => {
    assert.equal(halfToFloat(0x3c00), 1);
    assert.equal(halfToFloat(0xc000), -2);
    assert.equal(halfToFloat(0x0001), 2 ** -24);
    assert.equal(halfToFloat(0x7bff), 65504);
    assert.ok(Object.is(halfToFloat(0x8000), -0));
    assert.equal(halfToFloat(0x7c00), Infinity);
    assert.ok(Number.isNaN(halfToFloat(0x7e00)));
  });
});

for (const backend of capabilities().available) {
  describe(`f16 and i8 storage on ${backend}`, () => {
    it('pairwise and one-to-N agree with the reference at every test dimension', () => {
      setBackend(backend);
      const next = random(21);
      const scale = 0.0173;
      for (const dim of testDims) {
        const query = fill(new Float32Array(dim), next);
        const count = 3;
        const [hBits, hValues] = halves(count * dim + 1, next);
        const [iStored, iValues] = int8s(count * dim + 1, next, scale);
        for (const metric of storedMetrics) {
          for (let i = 0; i < count; i++) {
            const at = 1 + i * dim; // one element in: unaligned for every width
            const hRef = reference(metric, query, 0, hValues, at, dim);
            const hGot = pairwise(metric, query, hBits.subarray(at, at + dim));
            assert.ok(
              Math.abs(hGot - hRef.value) <= bound(metric, dim, hRef),
              `f16 ${metric} d=${dim}: ${hGot} vs ${hRef.value}`,
            );
            const iRef = reference(metric, query, 0, iValues, at, dim);
            const iGot = pairwise(metric, query, iStored.subarray(at, at + dim), scale);
            assert.ok(
              Math.abs(iGot - iRef.value) <= 1.5 * bound(metric, dim, iRef),
              `i8 ${metric} d=${dim}: ${iGot} vs ${iRef.value}`,
            );
          }
          const hAll = distances(metric, query, hBits, dim, { offset: 1, count });
          const iAll = distances(metric, query, iStored, dim, { offset: 1, count, scale });
          for (let i = 0; i < count; i++) {
            assert.equal(hAll[i], pairwise(metric, query, hBits.subarray(1 + i * dim, 1 + (i + 1) * dim)));
            assert.equal(iAll[i], pairwise(metric, query, iStored.subarray(1 + i * dim, 1 + (i + 1) * dim), scale));
          }
        }
      }
    });

    it('batches, top-k and async scans rank stored vectors like their distances', async () => {
      setBackend(backend);
      const next = random(22);
      const dim = 40;
      const count = 5000;
      const queries = fill(new Float32Array(5 * dim), next);
      const [hBits] = halves(count * dim, next);
      const [iStored] = int8s(count * dim, next, 0.01);
      for (const metric of storedMetrics) {
        for (const [base, scale] of [
          [hBits, undefined],
          [iStored, 0.01],
        ] as const) {
          const all = batchDistances(metric, queries, base, dim, { scale });
          const sync = topK(metric, queries.subarray(0, dim), base, dim, 5, { scale });
          const expected = Array.from(all.subarray(0, count).keys())
            .sort((a, b) => (all[a] as number) - (all[b] as number) || a - b)
            .slice(0, 5);
          assert.deepEqual(Array.from(sync.indices), expected, `${metric} ${base.constructor.name}`);
          const threaded = await batchTopKAsync(metric, queries, base, dim, 5, { scale, threads: 2 });
          assert.deepEqual(Array.from(threaded[0]?.indices ?? []), expected);
        }
      }
    });

    it('cosine of i8 storage ignores the scale; zero vectors keep their defined results', () => {
      setBackend(backend);
      const query = fill(new Float32Array(19), random(23));
      const stored = Int8Array.from({ length: 19 }, (_, i) => i - 9);
      assert.equal(pairwise('cosine', query, stored, 0.5), pairwise('cosine', query, stored, 7));
      assert.equal(pairwise('cosine', query, new Int8Array(19), 1), 1);
      assert.equal(pairwise('cosine', new Float32Array(19), new Uint16Array(19)), 0);
    });

    it('refuses storage a metric has no kernel for, and a missing or stray scale', () => {
      setBackend(backend);
      const q = new Float32Array(4);
      assert.throws(() => pairwise('manhattan', q, new Uint16Array(4)), invalid);
      assert.throws(() => pairwise('hamming', new Uint8Array(4), new Int8Array(4), 1), invalid);
      assert.throws(() => pairwise('l2', q, new Int8Array(4)), invalid, 'i8 needs a scale');
      for (const scale of [0, -1, NaN, Infinity, 1e39]) {
        assert.throws(() => pairwise('l2', q, new Int8Array(4), scale), invalid, `scale ${scale}`);
      }
      assert.throws(() => pairwise('l2', q, new Uint16Array(4), 2), invalid, 'scale on f16');
      assert.throws(() => distances('l2', q, new Float32Array(8), 4, { scale: 1 }), invalid, 'scale on f32');
      assert.throws(() => distances('dot', q, new Int8Array(8), 4), invalid);
      assert.throws(() => pairwise('l2', q, new Float64Array(4) as unknown as Float32Array), invalid);
    });
  });
}
