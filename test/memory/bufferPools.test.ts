import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BufferPools, TIER_SIZES } from '../../engine/memory/BufferPools.js';
import { isVexError } from '../../engine/errors.js';

const MiB = 1024 * 1024;

function tier(pools: BufferPools, sizeBytes: number) {
  const found = pools.stats().tiers.find((t) => t.sizeBytes === sizeBytes);
  assert.ok(found, `tier ${sizeBytes}`);
  return found;
}

describe('BufferPools', () => {
  it('serves each size from the smallest tier that holds it, with exactly the bytes asked for', () => {
    const pools = new BufferPools(3 * MiB);
    const cases: [number, number][] = [
      [0, 1024],
      [1, 1024],
      [512, 1024],
      [1024, 1024],
      [1025, 4096],
      [2048, 4096],
      [4096, 4096],
      [8192, 16384],
      [16384, 16384],
    ];
    for (const [size, expectedTier] of cases) {
      const served = (): number => tier(pools, expectedTier).hits + tier(pools, expectedTier).misses;
      const before = served();
      const buffer = pools.acquire(size);
      assert.equal(buffer.length, size);
      assert.equal(served(), before + 1, `size ${size} → tier ${expectedTier}`);
      pools.release(buffer);
    }
    assert.deepEqual(
      pools.stats().tiers.map((t) => t.sizeBytes),
      [...TIER_SIZES],
    );
  });

  it('reuses released buffers (hits) and counts allocations (misses)', () => {
    const pools = new BufferPools(3 * MiB);
    const a = pools.acquire(2048);
    a.fill(7);
    pools.release(a);
    const b = pools.acquire(3000);
    assert.equal(b.buffer, a.buffer, 'the same backing memory comes back');
    const stats = tier(pools, 4096);
    assert.equal(stats.misses, 1);
    assert.equal(stats.hits, 1);
    assert.equal(stats.inUse, 1);
    assert.equal(stats.buffers, 1);
    pools.release(b);
    assert.equal(pools.stats().releases, 2);
  });

  it('falls back to a plain allocation above 16 KiB and counts it', () => {
    const pools = new BufferPools(3 * MiB);
    const big = pools.acquire(16385);
    assert.equal(big.length, 16385);
    assert.equal(pools.stats().oversizeFallbacks, 1);
    assert.equal(pools.stats().heldBytes, 0);
    pools.release(big); // accepted: callers release uniformly
    assert.throws(
      () => pools.release(big),
      (e: unknown) => isVexError(e, 'E_INVALID') && /twice/.test(e.message),
    );
  });

  it('honours the bound: a tier uses a third of it, then falls back, and the pools never hold more', () => {
    const boundBytes = 3 * 16 * 1024; // one 16 KiB share per tier
    const pools = new BufferPools(boundBytes);
    assert.equal(tier(pools, 1024).capacity, 16);
    assert.equal(tier(pools, 4096).capacity, 4);
    assert.equal(tier(pools, 16384).capacity, 1);
    const held = Array.from({ length: 6 }, () => pools.acquire(4000));
    const stats = tier(pools, 4096);
    assert.equal(stats.misses, 4);
    assert.equal(stats.fallbacks, 2);
    assert.equal(stats.utilisation, 1);
    assert.ok(pools.stats().heldBytes <= boundBytes);
    for (const buffer of held) pools.release(buffer);
    assert.equal(tier(pools, 4096).inUse, 0);
    assert.equal(tier(pools, 4096).utilisation, 0);
    // Fallback buffers were dropped, not pooled: the tier still holds exactly its capacity.
    assert.equal(tier(pools, 4096).buffers, 4);
  });

  it('with a bound of 0 every request is a counted fallback', () => {
    const pools = new BufferPools(0);
    const buffer = pools.acquire(512);
    assert.equal(tier(pools, 1024).fallbacks, 1);
    assert.equal(tier(pools, 1024).utilisation, 1);
    pools.release(buffer);
  });

  it('refuses a double release and a foreign buffer with a clear error', () => {
    const pools = new BufferPools(MiB);
    const buffer = pools.acquire(100);
    pools.release(buffer);
    assert.throws(
      () => pools.release(buffer),
      (e: unknown) => isVexError(e, 'E_INVALID') && /released twice/.test(e.message),
    );
    assert.throws(
      () => pools.release(Buffer.alloc(100)),
      (e: unknown) => isVexError(e, 'E_INVALID') && /did not hand out/.test(e.message),
    );
    assert.throws(
      () => pools.release(new Uint8Array(1024)),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
    // A view into the middle of a pool buffer is not what acquire returned.
    const other = pools.acquire(1024);
    assert.throws(
      () => pools.release(other.subarray(10)),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
    pools.release(other);
    // Another pool's buffer is foreign here.
    const elsewhere = new BufferPools(MiB).acquire(100);
    assert.throws(() => pools.release(elsewhere), /did not hand out/);
  });

  it('refuses bad sizes and bounds', () => {
    assert.throws(
      () => new BufferPools(-1),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
    assert.throws(
      () => new BufferPools(1.5),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
    const pools = new BufferPools(MiB);
    for (const bad of [-1, 0.5, Number.NaN, Infinity]) {
      assert.throws(
        () => pools.acquire(bad),
        (e: unknown) => isVexError(e, 'E_INVALID'),
        String(bad),
      );
    }
  });
});
