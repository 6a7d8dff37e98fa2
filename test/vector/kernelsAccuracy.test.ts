// Every backend this process can run (native ones this CPU supports, and the TypeScript fallback) against a
// float64 reference, with the error bounds of kernelReference.ts, on every entry point.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, describe, it } from 'node:test';
import {
  batchDistances,
  batchDistancesAsync,
  capabilities,
  distances,
  pairwise,
  setBackend,
  type Metric,
} from '../../engine/vector/kernels/index.js';
import { bound, fill, floatMetrics, random, reference, testDims } from './kernelReference.js';

const backends = capabilities().available;
after(() => setBackend('auto'));

function check(
  metric: Metric,
  dim: number,
  got: number,
  a: ArrayLike<number>,
  aAt: number,
  b: ArrayLike<number>,
  bAt: number,
  what: string,
): void {
  const ref = reference(metric, a, aAt, b, bAt, dim);
  const limit = bound(metric, dim, ref);
  const error = Math.abs(got - ref.value);
  assert.ok(
    error <= limit,
    `${what}: ${metric} d=${dim} got ${got}, reference ${ref.value}, error ${error} > bound ${limit}`,
  );
}

describe('kernel accuracy against a float64 reference', () => {
  // Without a C++ compiler the addon cannot exist and only the fallback runs; with one, it must have loaded.
  const compiler = spawnSync(process.env.CXX ?? 'c++', ['--version'], { stdio: 'ignore' }).status === 0;
  it(
    'runs the native backends when the addon can be built',
    { skip: compiler ? false : 'no C++ compiler here' },
    () => {
      const native = capabilities().native;
      assert.ok(native.loaded, `the kernels addon did not load: ${native.error ?? ''}`);
      assert.ok(backends.includes('scalar') && backends.includes('typescript'));
    },
  );

  for (const backend of backends) {
    describe(`backend ${backend}`, () => {
      it('pairwise, every float metric and test dimension', () => {
        setBackend(backend);
        const next = random(1);
        for (const dim of testDims) {
          const a = fill(new Float32Array(dim), next);
          const b = fill(new Float32Array(dim), next);
          for (const metric of floatMetrics) check(metric, dim, pairwise(metric, a, b), a, 0, b, 0, backend);
        }
      });

      it('one query to N vectors at unaligned offsets into one shared buffer', () => {
        setBackend(backend);
        const next = random(2);
        for (const dim of testDims) {
          const count = 5;
          // One buffer holds the query at element 1 and the vectors from element dim + 3: neither 16-byte aligned.
          const shared = fill(new Float32Array(dim * (count + 1) + 7), next);
          const query = new Float32Array(shared.buffer, 4, dim);
          const offset = dim + 3;
          for (const metric of floatMetrics) {
            const out = distances(metric, query, shared, dim, { offset, count });
            assert.equal(out.length, count);
            out.forEach((got, i) =>
              check(metric, dim, got, shared, 1, shared, offset + i * dim, `${backend} one-to-N #${i}`),
            );
          }
        }
      });

      it('multi-query batches (tiles of 4 queries x 2 vectors and their remainders)', () => {
        setBackend(backend);
        const next = random(3);
        for (const dim of [1, 7, 16, 17, 128, 383]) {
          for (const [queryCount, count] of [
            [4, 2],
            [5, 9],
            [9, 4],
          ] as const) {
            const queries = fill(new Float32Array(queryCount * dim), next);
            const base = fill(new Float32Array(count * dim + 1), next).subarray(1);
            for (const metric of floatMetrics) {
              const out = batchDistances(metric, queries, base, dim);
              assert.equal(out.length, queryCount * count);
              for (let q = 0; q < queryCount; q++) {
                for (let i = 0; i < count; i++) {
                  check(
                    metric,
                    dim,
                    out[q * count + i] as number,
                    queries,
                    q * dim,
                    base,
                    i * dim,
                    `${backend} batch q${q} v${i}`,
                  );
                }
              }
            }
          }
        }
      });

      it('hamming is exact over packed bits at every test size', () => {
        setBackend(backend);
        const next = random(4);
        for (const bytes of [...testDims, 4096]) {
          const a = Uint8Array.from({ length: bytes }, () => Math.floor(next() * 256));
          const b = Uint8Array.from({ length: bytes }, () => Math.floor(next() * 256));
          assert.equal(pairwise('hamming', a, b), reference('hamming', a, 0, b, 0, bytes).value, `d=${bytes}`);
          const base = new Uint8Array(bytes * 3 + 1);
          base.set(a, 1);
          base.set(b, 1 + bytes);
          const out = distances('hamming', a, base, bytes, { offset: 1, count: 3 });
          assert.deepEqual(Array.from(out), [
            0,
            reference('hamming', a, 0, b, 0, bytes).value,
            reference('hamming', a, 0, base, 1 + 2 * bytes, bytes).value,
          ]);
        }
      });

      it('async scans split over threads agree with the reference', async () => {
        setBackend(backend);
        const next = random(5);
        const dim = 31;
        const count = 9000;
        const queries = fill(new Float32Array(6 * dim), next);
        const base = fill(new Float32Array(count * dim), next);
        for (const metric of ['l2', 'cosine'] as const) {
          const out = await batchDistancesAsync(metric, queries, base, dim, { threads: 3 });
          for (let q = 0; q < 6; q++) {
            for (let i = 0; i < count; i += 97) {
              check(metric, dim, out[q * count + i] as number, queries, q * dim, base, i * dim, `${backend} async`);
            }
          }
        }
      });
    });
  }
});
