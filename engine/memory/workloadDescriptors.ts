import { z } from 'zod';
import type { WorkloadDescriptor } from '../bench/workloads/types.js';
import { memoryStoreSchema } from './benchConfig.js';

/**
 * The memory workloads' registry entries (engine/bench/workloads/registry.ts lists them).
 * Light on purpose: validating a profile loads no store or Vfs code.
 */
export const memoryPoolDescriptor: WorkloadDescriptor = {
  name: 'memory_pool',
  description:
    'Acquire/release of 512 B, 2 KiB and 8 KiB buffers from the tiered pools, beside Buffer.allocUnsafe and new Uint8Array.',
  ops: ['small_512', 'medium_2k', 'large_8k'],
  subjects: ['pools', 'alloc_unsafe', 'uint8array'],
  defaultSubjects: ['pools', 'alloc_unsafe', 'uint8array'],
  paramsSchema: z.strictObject({}),
  storeSchema: memoryStoreSchema,
  load: async () => (await import('../bench/workloads/memoryPool.js')).memoryPoolWorkload,
};

export const cacheDescriptor: WorkloadDescriptor = {
  name: 'cache',
  description:
    'Zipf reads through the Vfs over a working set larger than the content cache; the cache beside no cache, hit rate beside the optimum.',
  ops: ['read'],
  subjects: ['vexfs', 'vexfs_no_cache'],
  defaultSubjects: ['vexfs', 'vexfs_no_cache'],
  paramsSchema: z.strictObject({
    working_set_factor: z.number().min(0.01).max(1000).default(4),
    zipf_s: z.number().min(0).max(10).default(0.99),
    read_bytes: z.number().int().min(1).max(65536).default(4096),
    files: z.number().int().min(1).max(100_000).default(16),
  }),
  storeSchema: memoryStoreSchema,
  load: async () => (await import('../bench/workloads/cache.js')).cacheWorkload,
};
