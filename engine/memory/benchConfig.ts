import { z } from 'zod';
import { CONFIG_SECTIONS, defaultConfig, type VexfsConfig } from '../config/schema.js';
import { VexError } from '../errors.js';

/**
 * The `[store]` keys of the memory benchmark profiles: the memory keys of vexfs.toml, flat
 * (as the other store profiles write them), each validated by the config's own field
 * schema, so sizes take the same units and `vexctl bench ab --a
 * store.enable_memory_optimization=false` switches exactly what a user's config would.
 */
export const memoryStoreSchema = z.strictObject({
  memory_pool_size: CONFIG_SECTIONS.performance.shape.memory_pool_size,
  cache_size: CONFIG_SECTIONS.performance.shape.cache_size,
  max_entry_size: CONFIG_SECTIONS.cache.shape.max_entry_size,
  enable_memory_optimization: CONFIG_SECTIONS.optimization.shape.enable_memory_optimization,
});

/** The effective config for a benchmark store: defaults with the profile's `[store]` memory keys laid over. */
export function benchStoreConfig(table: Readonly<Record<string, unknown>>): VexfsConfig {
  const parsed = memoryStoreSchema.safeParse(table);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((issue) => `store.${issue.path.map(String).join('.')}: ${issue.message}`);
    throw new VexError('E_PROFILE', `The profile's [store] table is invalid: ${problems.join('; ')}.`);
  }
  const config = defaultConfig();
  config.performance.memory_pool_size = parsed.data.memory_pool_size;
  config.performance.cache_size = parsed.data.cache_size;
  config.cache.max_entry_size = parsed.data.max_entry_size;
  config.optimization.enable_memory_optimization = parsed.data.enable_memory_optimization;
  return config;
}
