import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContentCache } from '../../engine/memory/ContentCache.js';
import { createRandom } from '../../engine/bench/stats/random.js';
import { isVexError } from '../../engine/errors.js';

const block = (bytes: number, fill = 1): Buffer => Buffer.alloc(bytes, fill);
const order = (cache: ContentCache): string[] => cache.keys().map(({ ino, index }) => `${ino}:${index}`);

describe('ContentCache', () => {
  it('evicts the least recently used block first, a hit counting as a use', () => {
    const cache = new ContentCache(300);
    cache.set(1, 0, block(100));
    cache.set(1, 1, block(100));
    cache.set(2, 0, block(100));
    assert.ok(cache.get(1, 0)); // 1:0 becomes the most recent
    cache.set(3, 0, block(100)); // evicts 1:1, the least recent
    assert.deepEqual(order(cache), ['2:0', '1:0', '3:0']);
    assert.equal(cache.get(1, 1), undefined);
    assert.equal(cache.stats().evictions, 1);
  });

  it('never holds more bytes than its capacity, whatever the sizes', () => {
    const capacity = 10_000;
    const cache = new ContentCache(capacity);
    const random = createRandom(42);
    for (let i = 0; i < 5000; i++) {
      const ino = 1 + random.int(20);
      const index = random.int(10);
      if (random.next() < 0.7) cache.set(ino, index, block(1 + random.int(3000)));
      else if (random.next() < 0.5) cache.get(ino, index);
      else cache.invalidate(ino, random.int(10));
      const stats = cache.stats();
      assert.ok(stats.bytes <= capacity, `${stats.bytes} > ${capacity} after step ${i}`);
      const counted = cache.keys().reduce((sum, k) => sum + (cache.get(k.ino, k.index)?.length ?? 0), 0);
      assert.equal(counted, stats.bytes);
    }
  });

  it('replacing a block counts its new size only', () => {
    const cache = new ContentCache(1000);
    cache.set(1, 0, block(600));
    cache.set(1, 0, block(700, 2));
    assert.equal(cache.stats().bytes, 700);
    assert.equal(cache.get(1, 0)?.[0], 2);
  });

  it('bypasses a block larger than the largest entry or the whole cache, counted', () => {
    const cache = new ContentCache(1000, 500);
    cache.set(1, 0, block(400));
    cache.set(1, 1, block(501));
    cache.set(1, 2, block(1001));
    assert.equal(cache.stats().bypasses, 2);
    assert.deepEqual(order(cache), ['1:0']);
  });

  it('invalidates one file from a block on, and single blocks, leaving other files alone', () => {
    const cache = new ContentCache(10_000);
    for (let index = 0; index < 5; index++) cache.set(7, index, block(10));
    cache.set(8, 3, block(10));
    cache.invalidate(7, 2);
    assert.deepEqual(order(cache), ['7:0', '7:1', '8:3']);
    cache.delete(7, 0);
    assert.deepEqual(order(cache), ['7:1', '8:3']);
    cache.invalidate(7, 0);
    assert.deepEqual(order(cache), ['8:3']);
    assert.equal(cache.stats().invalidations, 5);
    cache.invalidate(99, 0); // nothing cached: no effect
    cache.delete(99, 0);
    assert.equal(cache.stats().invalidations, 5);
    assert.equal(cache.stats().bytes, 10);
  });

  it('counts hits and misses into a hit rate, and resets the counters without dropping contents', () => {
    const cache = new ContentCache(1000);
    assert.equal(cache.stats().hitRate, 0);
    cache.set(1, 0, block(10));
    cache.get(1, 0);
    cache.get(1, 0);
    cache.get(1, 0);
    cache.get(1, 1);
    assert.equal(cache.stats().hits, 3);
    assert.equal(cache.stats().misses, 1);
    assert.equal(cache.stats().hitRate, 0.75);
    cache.resetCounters();
    assert.equal(cache.stats().hits, 0);
    assert.equal(cache.stats().entries, 1);
    cache.clear();
    assert.equal(cache.stats().entries, 0);
    assert.equal(cache.stats().bytes, 0);
  });

  it('a zero-capacity cache holds nothing', () => {
    const cache = new ContentCache(0);
    cache.set(1, 0, block(1));
    assert.equal(cache.get(1, 0), undefined);
    assert.equal(cache.stats().bypasses, 1);
  });

  it('refuses bad sizes', () => {
    assert.throws(
      () => new ContentCache(-1),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
    assert.throws(
      () => new ContentCache(10, 2.5),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
    assert.throws(
      () => new ContentCache(Number.NaN),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
  });
});
