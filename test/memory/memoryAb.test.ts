import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { runMemoryAb, runPoolWriteAb } from '../../engine/memory/memoryAb.js';
import { isVexError } from '../../engine/errors.js';

describe('memory A/B runners', () => {
  it('the cache A/B measures both sides in every pair and reports the budget it checked', async () => {
    const result = await runMemoryAb({
      pairs: 2,
      readsPerTrial: 300,
      cacheSizeBytes: 4 * 65536,
      memoryPoolSizeBytes: 1024 * 1024,
      seed: 3,
    });
    for (const side of [result.off, result.on]) {
      assert.equal(side.opsPerSec.length, 2);
      assert.ok(side.opsPerSec.every((rate) => rate > 0));
      assert.equal(side.gcPer1kReads.length, 2);
    }
    assert.ok(result.hitRate > 0 && result.hitRate <= result.optimumHitRate);
    const { budget } = result;
    assert.equal(budget.limitBytes, budget.baselineBytes + budget.sqlitePageCacheBytes + 1024 * 1024 + 4 * 65536);
    assert.equal(budget.withinBudget, budget.rssAnonBytes <= budget.limitBytes);
    assert.ok(budget.cacheHeldBytes <= 4 * 65536);
  });

  it('the pool write A/B serves small partial writes from the 16 KiB tier', async () => {
    const result = await runPoolWriteAb({ pairs: 1, writesPerTrial: 100, seed: 3 });
    const tier = result.tiers.find((t) => t.sizeBytes === 16384);
    assert.ok(tier && tier.hits + tier.misses === 100 && tier.fallbacks === 0, JSON.stringify(result.tiers));
    assert.equal(result.on.opsPerSec.length, 1);
  });

  it('refuses runs too small to mean anything', async () => {
    await assert.rejects(
      runMemoryAb({ pairs: 0, readsPerTrial: 1000, cacheSizeBytes: 65536, memoryPoolSizeBytes: 65536, seed: 1 }),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
    await assert.rejects(runPoolWriteAb({ pairs: 1, writesPerTrial: 10, seed: 1 }), (e: unknown) =>
      isVexError(e, 'E_INVALID'),
    );
  });
});
