// Every bad argument is refused with a typed error before it reaches C++, on every backend; and the addon
// itself refuses what slips past (called raw here, the one test that reaches it around the facade).
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import {
  batchDistances,
  batchTopKAsync,
  capabilities,
  distances,
  measureRoofline,
  pairwise,
  setBackend,
  topK,
  topKAsync,
  type BackendName,
  type Metric,
} from '../../engine/vector/kernels/index.js';
import { loadNativeKernels } from '../../engine/vector/kernels/nativeLoader.js';

after(() => setBackend('auto'));

const f = (n: number): Float32Array => new Float32Array(n).fill(0.5);
const invalid = { name: 'VexError', code: 'E_INVALID' };
const mismatch = { name: 'VexError', code: 'E_DIM_MISMATCH' };

for (const backend of capabilities().available) {
  describe(`argument checks on ${backend}`, () => {
    it('pairwise: metric, types, lengths', () => {
      setBackend(backend);
      assert.throws(() => pairwise('euclid' as Metric, f(3), f(3)), invalid);
      assert.throws(() => pairwise('l2', new Float64Array(3) as unknown as Float32Array, f(3)), invalid);
      assert.throws(() => pairwise('l2', [1, 2, 3] as unknown as Float32Array, f(3)), invalid);
      assert.throws(() => pairwise('l2', f(3), f(4)), mismatch);
      assert.throws(() => pairwise('l2', f(0), f(0)), invalid);
      assert.throws(() => pairwise('hamming', f(3), f(3)), invalid);
      assert.throws(() => pairwise('cosine', new Uint8Array(3) as unknown as Float32Array, f(3)), invalid);
    });

    it('scans: dim, query length, offset, count', () => {
      setBackend(backend);
      for (const dim of [0, -1, 1.5, NaN, Infinity, '4' as unknown as number]) {
        assert.throws(() => distances('l2', f(4), f(8), dim), invalid, `dim ${String(dim)}`);
      }
      assert.throws(() => distances('l2', f(3), f(8), 4), mismatch);
      assert.throws(() => batchDistances('l2', f(6), f(8), 4), mismatch);
      assert.throws(() => distances('l2', f(4), f(9), 4), mismatch, 'base not a multiple of dim');
      assert.throws(() => distances('l2', f(4), f(8), 4, { offset: -1 }), invalid);
      assert.throws(() => distances('l2', f(4), f(8), 4, { offset: 9 }), invalid);
      assert.throws(() => distances('l2', f(4), f(8), 4, { offset: 0.5 }), invalid);
      assert.throws(() => distances('l2', f(4), f(8), 4, { offset: 1 }), mismatch, '7 elements after offset 1');
      assert.throws(() => distances('l2', f(4), f(8), 4, { offset: 1, count: 2 }), mismatch);
      assert.throws(() => distances('l2', f(4), f(8), 4, { count: -1 }), invalid);
      assert.equal(distances('l2', f(4), f(9), 4, { offset: 1, count: 2 }).length, 2);
      assert.throws(() => distances('hamming', new Uint8Array(4), new Uint8Array(8), 2 ** 21 + 1), invalid);
    });

    it('top-k: k, allow bitmap, threads', async () => {
      setBackend(backend);
      for (const k of [0, -1, 2.5, NaN]) assert.throws(() => topK('l2', f(4), f(8), 4, k), invalid, `k ${k}`);
      assert.throws(
        () => topK('l2', f(4), f(80), 4, 3, { allow: new Uint8Array(2) }),
        invalid,
        '20 vectors need 3 bytes',
      );
      assert.throws(() => topK('l2', f(4), f(80), 4, 3, { allow: [255, 255, 255] as unknown as Uint8Array }), invalid);
      assert.equal(topK('l2', f(4), f(80), 4, 3, { allow: new Uint8Array(3).fill(255) }).indices.length, 3);
      for (const threads of [0, 257, 1.5]) {
        await assert.rejects(topKAsync('l2', f(4), f(8), 4, 1, { threads }), invalid, `threads ${threads}`);
      }
      await assert.rejects(batchTopKAsync('l2', f(5), f(8), 4, 1), mismatch);
    });
  });
}

describe('backend and roofline arguments', () => {
  it('setBackend refuses unknown names', () => {
    assert.throws(() => setBackend('fastest' as BackendName), invalid);
  });

  it('roofline refuses the TypeScript backend and bad buffer sizes', async () => {
    await assert.rejects(measureRoofline({ backend: 'typescript' }), invalid);
    await assert.rejects(measureRoofline({ ramBytes: 1000 }), invalid);
    await assert.rejects(measureRoofline({ ramBytes: -1 }), invalid);
  });
});

describe('the addon checks its own arguments too', () => {
  const binding = loadNativeKernels().binding;
  it(
    'refuses bad calls with coded errors instead of crashing',
    { skip: binding === null ? 'addon not built' : false },
    () => {
      const raw = binding as NonNullable<typeof binding>;
      const code = (c: string) => ({ code: c });
      assert.throws(() => raw.pairwise(9, f(3), f(3)), code('E_INVALID'));
      assert.throws(() => raw.pairwise(0, f(3), f(4)), code('E_DIM_MISMATCH'));
      assert.throws(() => raw.pairwise(0, new Uint8Array(3), new Uint8Array(3)), code('E_INVALID'));
      const out = new Float32Array(2);
      assert.throws(() => raw.distances(0, f(4), 1, f(8), 1, 2, 4, 1, out), code('E_DIM_MISMATCH'), 'base too short');
      assert.throws(() => raw.distances(0, f(4), 1, f(8), 0, 2, 0, 1, out), code('E_INVALID'), 'dim 0');
      assert.throws(
        () => raw.distances(0, f(4), 1, f(8), 0, 2, 4, 1, new Float32Array(1)),
        code('E_INVALID'),
        'out short',
      );
      assert.throws(() => raw.distances(0, f(4), 1, f(8), 0, 2 ** 60, 4, 1, out), code('E_INVALID'), 'overflow');
      const idx = new Uint32Array(2);
      assert.throws(() => raw.topK(0, f(4), 1, f(8), 0, 2, 4, 1, 0, null, idx, out), code('E_INVALID'), 'k 0');
      assert.throws(() => raw.topK(0, f(4), 1, f(8), 0, 2, 4, 1, 3, null, idx, out), code('E_INVALID'), 'slots short');
      assert.throws(
        () => raw.topK(0, f(4), 1, f(64), 0, 16, 4, 1, 1, new Uint8Array(1), idx, out),
        code('E_DIM_MISMATCH'),
      );
      assert.throws(() => raw.distances(0, f(4), 1, f(8), 0, 2, 4, 0, out), code('E_INVALID'), 'scale 0');
      assert.throws(
        () => raw.distances(3, f(4), 1, new Int8Array(8), 0, 2, 4, 1, out),
        code('E_INVALID'),
        'i8 manhattan',
      );
      assert.throws(() => raw.pairwise(0, f(3), new Int8Array(3), NaN), code('E_INVALID'), 'scale NaN');
      assert.throws(
        () => raw.pairwise(0, new Uint16Array(3) as unknown as Float32Array, f(3)),
        code('E_INVALID'),
        'f16 query',
      );
      assert.throws(() => raw.setBackend('mmx'), code('E_CONFIG'));
      assert.equal(raw.pairwise(0, f(3), f(3)), 0);
    },
  );
});
