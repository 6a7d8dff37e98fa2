/** Tiered buffer pools, the content cache and its optimum, memory accounting. */
export { BufferPools, TIER_SIZES } from './BufferPools.js';
export type { PoolStats, TierSize, TierStats } from './BufferPools.js';
export { ContentCache } from './ContentCache.js';
export type { BlockCache, CacheStats } from './ContentCache.js';
export { beladyOptimum, nextUses } from './belady.js';
export type { OptimumResult } from './belady.js';
export { createZipf, MAX_ZIPF_ITEMS } from './zipf.js';
export type { Zipf } from './zipf.js';
export { budgetLimit, checkBudget, parseProcStatus, readMemoryUsage } from './memoryUsage.js';
export type { BudgetCheck, MemoryBudget, MemoryUsage } from './memoryUsage.js';
export { attachMemory, memoryOf, StoreMemory } from './StoreMemory.js';
