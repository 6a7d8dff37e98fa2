import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ContentCache } from '../../engine/memory/ContentCache.js';
import { createRandom } from '../../engine/bench/stats/random.js';
import { isVexError } from '../../engine/errors.js';

const block = (bytes: number, fill = 1): Buffer => Buffer.alloc(bytes, fill);
const order = (cache: ContentCache): string[] => cache.keys().map(({ ino, index }) => `${ino}:${index}`);

describe('ContentCache', () => {
  it('evicts with SIEVE: an entry read since the hand passed survives, the first unread one goes', () => {
    const cache = new ContentCache(300);
    cache.set(1, 0, block(100));
    cache.set(1, 1, block(100));
    cache.set(2, 0, block(100));
    assert.ok(cache.get(1, 0)); // visited
    cache.set(3, 0, block(100)); // the hand clears 1:0's bit and evicts 1:1
    assert.deepEqual(order(cache), ['1:0', '2:0', '3:0']);
    cache.set(4, 0, block(100)); // the hand stopped after 1:1: 2:0 is next and unread
    assert.deepEqual(order(cache), ['1:0', '3:0', '4:0']);
    cache.set(5, 0, block(100)); // 3:0 next
    assert.deepEqual(order(cache), ['1:0', '4:0', '5:0']);
    cache.set(6, 0, block(100)); // 4:0 next
    cache.set(7, 0, block(100)); // 5:0 next
    cache.set(8, 0, block(100)); // 6:0 next: new, unread blocks go first; the once-read 1:0 stays
    assert.deepEqual(order(cache), ['1:0', '7:0', '8:0']);
    assert.equal(cache.stats().evictions, 6);
    assert.equal(cache.get(1, 0)?.length, 100);
  });

  it('matches a reference SIEVE (an array and an index) on a random read trace', () => {
    const capacity = 16;
    const cache = new ContentCache(capacity * 10);
    const queue: { key: number; visited: boolean }[] = [];
    let hand: number | null = null;
    let modelHits = 0;
    const random = createRandom(3);
    for (let step = 0; step < 20_000; step++) {
      const key = Math.floor(Math.pow(random.next(), 2) * 64);
      const inModel = queue.find((e) => e.key === key);
      if (inModel) {
        inModel.visited = true;
        modelHits += 1;
      } else {
        if (queue.length === capacity) {
          let i: number = hand ?? 0;
          while (queue[i]!.visited) {
            queue[i]!.visited = false;
            i = (i + 1) % queue.length;
          }
          queue.splice(i, 1);
          hand = i < queue.length ? i : null;
        }
        queue.push({ key, visited: false });
      }
      if (cache.get(key, 0) === undefined) cache.set(key, 0, block(10));
      if (random.next() < 0.01) {
        // An invalidation in the middle: both drop the key, the hand moves past it.
        const victim = queue.findIndex((e) => e.key === key);
        queue.splice(victim, 1);
        if (hand !== null && victim < hand) hand -= 1;
        if (hand !== null && hand >= queue.length) hand = null;
        cache.invalidate(key, 0);
      }
    }
    assert.equal(cache.stats().hits, modelHits);
    assert.deepEqual(
      cache.keys().map((k) => k.ino),
      queue.map((e) => e.key),
    );
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
