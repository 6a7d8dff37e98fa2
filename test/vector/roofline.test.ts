// The roofline probes measure (never assume) the machine's limits; bindingRoof picks the lowest roof.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  bindingRoof,
  capabilities,
  measureRoofline,
  rooflineFraction,
  type Roofline,
} from '../../engine/vector/kernels/index.js';

const native = capabilities().available.filter((name) => name !== 'typescript');

describe('roofline probes', () => {
  for (const backend of native) {
    it(`measures positive, finite limits with the ${backend} instructions`, async () => {
      const roof = await measureRoofline({ backend, ramBytes: 32 << 20 });
      assert.equal(roof.backend, backend);
      for (const key of ['fmaGflops', 'l1LoadGbps', 'l2LoadGbps', 'ramReadGbps'] as const) {
        assert.ok(Number.isFinite(roof[key]) && roof[key] > 0, `${key} = ${roof[key]}`);
      }
      assert.equal(roof.ramBytes, 32 << 20);
      assert.ok(roof.l1Bytes > 0 && roof.l2Bytes > roof.l1Bytes, 'the L2 probe set is past the L1 one');
    });
  }

  it('defaults to the best backend', { skip: native.length === 0 ? 'addon not built' : false }, async () => {
    const roof = await measureRoofline({ ramBytes: 16 << 20 });
    assert.equal(roof.backend, native[0]);
  });
});

describe('bindingRoof', () => {
  // Inputs to the arithmetic under test, not claims about any machine.
  const roof: Roofline = {
    backend: 'avx2',
    fmaGflops: 100,
    l1LoadGbps: 200,
    l2LoadGbps: 100,
    ramReadGbps: 10,
    l1Bytes: 16384,
    l2Bytes: 500000,
    ramBytes: 1 << 28,
    l1CacheBytes: 32768,
    l2CacheBytes: 1 << 20,
    llcBytes: 1 << 25,
  };

  it('picks the memory level the working set fits in', () => {
    assert.equal(bindingRoof('dot', 128, 1 << 30, roof).roof, 'ram');
    assert.deepEqual(bindingRoof('dot', 128, 1 << 30, roof), { roof: 'ram', distancesPerSec: 10e9 / 512 });
    assert.equal(bindingRoof('dot', 128, 1 << 19, roof).roof, 'l2');
  });

  it('picks FMA when compute binds first, and judges hamming by bytes only', () => {
    // In L1: loads allow 200e9 / 512 = 3.9e8 distances/s; FMA allows 100e9 / (6 * 128) = 1.3e8 for cosine.
    assert.deepEqual(bindingRoof('cosine', 128, 8192, roof), { roof: 'fma', distancesPerSec: 100e9 / 768 });
    assert.equal(bindingRoof('hamming', 128, 8192, roof).roof, 'l1');
    assert.equal(rooflineFraction(50e6, 'dot', 128, 1 << 30, roof), 50e6 / (10e9 / 512));
  });
});
