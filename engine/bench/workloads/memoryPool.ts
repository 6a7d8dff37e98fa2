import { BufferPools } from '../../memory/BufferPools.js';
import { benchStoreConfig } from '../../memory/benchConfig.js';
import type { WorkloadContext, WorkloadFigure, WorkloadModule, WorkloadSession } from './types.js';

/** The seed benchmark's three request sizes; each op acquires one buffer, writes it and gives it back. */
export const POOL_OP_SIZES: Readonly<Record<string, number>> = { small_512: 512, medium_2k: 2048, large_8k: 8192 };

/**
 * Acquire/release of 512 B, 2 KiB and 8 KiB buffers. Subjects, in one run: `pools` (the
 * tiered pools, bounded by the profile's `[store.performance] memory_pool_size`),
 * `alloc_unsafe` (Buffer.allocUnsafe: Node's own 8 KiB slab for small sizes, then
 * garbage collection) and `uint8array` (new Uint8Array: zeroed, collected by V8). Each op
 * writes the buffer's first and last byte, so no subject is measured doing nothing.
 */
class PoolSession implements WorkloadSession {
  readonly datasetChecksum = null;
  private readonly sizes: number[];
  private sink = 0;

  constructor(
    private readonly subject: string,
    private readonly pools: BufferPools,
    ops: readonly string[],
  ) {
    this.sizes = ops.map((op) => POOL_OP_SIZES[op] ?? 0);
  }

  run(opIndex: number): void {
    const size = this.sizes[opIndex]!;
    let buffer: Uint8Array;
    if (this.subject === 'pools') buffer = this.pools.acquire(size);
    else if (this.subject === 'alloc_unsafe') buffer = Buffer.allocUnsafe(size);
    else buffer = new Uint8Array(size);
    buffer[0] = opIndex;
    buffer[size - 1] = opIndex;
    this.sink ^= buffer[size >> 1]!;
    if (this.subject === 'pools') this.pools.release(buffer);
  }

  /** Pool counters per tier (all zero for the plain-allocation peers). */
  figures(): Record<string, number> {
    const stats = this.pools.stats();
    const out: Record<string, number> = { held_bytes: stats.heldBytes, oversize_fallbacks: stats.oversizeFallbacks };
    for (const tier of stats.tiers) {
      const name = `tier_${tier.sizeBytes}`;
      out[`${name}.hits`] = tier.hits;
      out[`${name}.misses`] = tier.misses;
      out[`${name}.fallbacks`] = tier.fallbacks;
      out[`${name}.utilisation`] = tier.utilisation;
    }
    out.sink = this.sink;
    return out;
  }

  private countersBefore = new Map<string, number>();

  /**
   * The unit's tier counters for the result, `pool.tier_<bytes>.hits|misses|fallbacks` (counts
   * during the unit, warmup included) and `.utilisation` at its end; pools subject only.
   */
  unitFigures(): WorkloadFigure[] {
    if (this.subject !== 'pools') return [];
    const figures: WorkloadFigure[] = [];
    for (const tier of this.pools.stats().tiers) {
      const prefix = `pool.tier_${tier.sizeBytes}`;
      const counters: [string, number, boolean][] = [
        ['hits', tier.hits, true],
        ['misses', tier.misses, false],
        ['fallbacks', tier.fallbacks, false],
      ];
      for (const [kind, total, higherIsBetter] of counters) {
        const name = `${prefix}.${kind}`;
        const value = total - (this.countersBefore.get(name) ?? 0);
        this.countersBefore.set(name, total);
        figures.push({ name, unit: 'count', higherIsBetter, value });
      }
      figures.push({ name: `${prefix}.utilisation`, unit: 'fraction', higherIsBetter: true, value: tier.utilisation });
    }
    return figures;
  }

  async close(): Promise<void> {}
}

export const POOL_OPS = Object.keys(POOL_OP_SIZES);

export const memoryPoolWorkload: WorkloadModule = {
  open: async (context: WorkloadContext): Promise<WorkloadSession> => {
    const config = benchStoreConfig(context.storeConfig);
    return new PoolSession(context.subject, new BufferPools(config.performance.memory_pool_size), POOL_OPS);
  },
};
