import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PerformanceObserver } from 'node:perf_hooks';
import { CacheSession } from '../bench/workloads/cache.js';
import { median } from '../bench/stats/descriptive.js';
import { createRandom } from '../bench/stats/random.js';
import { defaultConfig } from '../config/schema.js';
import { VexError } from '../errors.js';
import { O_RDWR, ROOT_CRED } from '../fs/types.js';
import { Vfs } from '../fs/Vfs.js';
import { Store } from '../store/Store.js';
import { checkBudget, readMemoryUsage, type BudgetCheck } from './memoryUsage.js';
import { attachMemory, type StoreMemory } from './StoreMemory.js';

/**
 * The memory A/B, in one process: the cache workload's Zipf reads through the Vfs with
 * enable_memory_optimization off and on, in interleaved trials (ABBA…, so a drift in the
 * machine favours neither side), with the garbage collector's work per trial (GC entries
 * from a PerformanceObserver: a 64 KiB block read from SQLite is a fresh 64 KiB Buffer,
 * a cache hit allocates only the 4 KiB copy handed back). Then the budget: RssAnon after a
 * read-heavy run with only the cached store open, against the RssAnon before it was
 * opened + SQLite's own page cache bound + the pool and cache bounds.
 */
export interface MemoryAbOptions {
  pairs: number;
  readsPerTrial: number;
  cacheSizeBytes: number;
  memoryPoolSizeBytes: number;
  seed: number;
}

export interface SideFigures {
  readonly opsPerSec: number[];
  readonly gcPer1kReads: number[];
  readonly gcMsPer1kReads: number[];
  readonly medianOpsPerSec: number;
  readonly medianGcPer1kReads: number;
  readonly medianGcMsPer1kReads: number;
}

export interface MemoryAbResult {
  readonly off: SideFigures;
  readonly on: SideFigures;
  /** median(on) / median(off) for reads per second. */
  readonly speedup: number;
  readonly hitRate: number;
  readonly optimumHitRate: number;
  readonly budget: BudgetCheck & {
    baselineBytes: number;
    sqlitePageCacheBytes: number;
    /** The highest RssAnon sampled during the read-heavy run (every 1000 reads). */
    peakRssAnonBytes: number;
    /** Where the anonymous memory is, from process.memoryUsage() at the same moment. */
    heapTotalBytes: number;
    externalBytes: number;
    cacheHeldBytes: number;
  };
}

type Side = 'off' | 'on';

export async function runMemoryAb(options: MemoryAbOptions): Promise<MemoryAbResult> {
  const { pairs, readsPerTrial } = options;
  if (!Number.isInteger(pairs) || pairs < 1 || !Number.isInteger(readsPerTrial) || readsPerTrial < 100) {
    throw new VexError(
      'E_INVALID',
      `the memory A/B needs pairs ≥ 1 and readsPerTrial ≥ 100, got ${pairs} and ${readsPerTrial}`,
    );
  }
  const scratch = mkdtempSync(join(tmpdir(), 'vexfs-memory-ab-'));
  let gcCount = 0;
  let gcMs = 0;
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      gcCount += 1;
      gcMs += entry.duration;
    }
  });
  const open = (side: Side): Promise<CacheSession> =>
    CacheSession.open({
      subject: side === 'on' ? 'vexfs' : 'vexfs_no_cache',
      dataset: { generator: null, file: null, size: 0, dim: 0, seed: options.seed },
      storeConfig: {
        cache_size: options.cacheSizeBytes,
        memory_pool_size: options.memoryPoolSizeBytes,
        max_entry_size: 1024 * 1024,
        enable_memory_optimization: true,
      },
      params: { working_set_factor: 4, zipf_s: 0.99, read_bytes: 4096, files: 16 },
      storeDir: null,
      scratchDir: join(scratch, side),
    });
  const sessions = new Map<Side, CacheSession>();
  try {
    // The budget first, with only the cached store open.
    const baselineBytes = readMemoryUsage().rssAnonBytes;
    const on = await open('on');
    sessions.set('on', on);
    let peakRssAnonBytes = 0;
    for (let i = 0; i < 4 * readsPerTrial; i++) {
      on.run();
      if (i % 1000 === 0) peakRssAnonBytes = Math.max(peakRssAnonBytes, readMemoryUsage().rssAnonBytes);
    }
    const sqlitePageCacheBytes = on.sqlitePageCacheBytes();
    const node = process.memoryUsage();
    const check = checkBudget({
      baselineBytes,
      sqlitePageCacheBytes,
      poolBytes: options.memoryPoolSizeBytes,
      cacheBytes: options.cacheSizeBytes,
      indexBytes: 0,
    });
    const cacheHeld = on.figures().cache_bytes ?? 0;
    sessions.set('off', await open('off'));
    observer.observe({ entryTypes: ['gc'] });
    const figures: Record<Side, { ops: number[]; gc: number[]; gcMs: number[] }> = {
      off: { ops: [], gc: [], gcMs: [] },
      on: { ops: [], gc: [], gcMs: [] },
    };
    for (let pair = 0; pair < pairs; pair++) {
      const order: Side[] = pair % 2 === 0 ? ['off', 'on'] : ['on', 'off'];
      for (const side of order) {
        const session = sessions.get(side)!;
        await settle(); // lets pending GC entries arrive before the trial's counts start
        const gcBefore = gcCount;
        const gcMsBefore = gcMs;
        const t0 = performance.now();
        for (let i = 0; i < readsPerTrial; i++) session.run();
        const elapsedMs = performance.now() - t0;
        await settle();
        figures[side].ops.push(readsPerTrial / (elapsedMs / 1000));
        figures[side].gc.push(((gcCount - gcBefore) * 1000) / readsPerTrial);
        figures[side].gcMs.push(((gcMs - gcMsBefore) * 1000) / readsPerTrial);
      }
    }
    const side = (s: Side): SideFigures => ({
      opsPerSec: figures[s].ops,
      gcPer1kReads: figures[s].gc,
      gcMsPer1kReads: figures[s].gcMs,
      medianOpsPerSec: median(figures[s].ops),
      medianGcPer1kReads: median(figures[s].gc),
      medianGcMsPer1kReads: median(figures[s].gcMs),
    });
    const result = on.figures();
    return {
      off: side('off'),
      on: side('on'),
      speedup: median(figures.on.ops) / median(figures.off.ops),
      hitRate: result.hit_rate ?? Number.NaN,
      optimumHitRate: result.optimum_hit_rate ?? Number.NaN,
      budget: {
        ...check,
        baselineBytes,
        sqlitePageCacheBytes,
        peakRssAnonBytes,
        heapTotalBytes: node.heapTotal,
        externalBytes: node.external,
        cacheHeldBytes: cacheHeld,
      },
    };
  } finally {
    observer.disconnect();
    for (const session of sessions.values()) await session.close();
    rmSync(scratch, { recursive: true, force: true });
  }
}

function settle(): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, 5));
}

export interface PoolWriteAbResult {
  readonly off: { medianOpsPerSec: number; medianGcPer1kWrites: number; opsPerSec: number[] };
  readonly on: { medianOpsPerSec: number; medianGcPer1kWrites: number; opsPerSec: number[] };
  readonly speedup: number;
  /** Pool counters on the pooled side at the end: hits, misses, fallbacks per tier. */
  readonly tiers: readonly { sizeBytes: number; hits: number; misses: number; fallbacks: number }[];
}

/**
 * The pools where the engine uses them: a partial write to a block merges it in a
 * temporary buffer (engine/fs/fileData.ts), pooled when the block is at most 16 KiB. Small
 * writes (1 KiB at random offsets of 8 KiB files), with pools and without; the content
 * cache off on both sides so only the pools differ.
 */
export async function runPoolWriteAb(options: {
  pairs: number;
  writesPerTrial: number;
  seed: number;
}): Promise<PoolWriteAbResult> {
  const { pairs, writesPerTrial } = options;
  if (!Number.isInteger(pairs) || pairs < 1 || !Number.isInteger(writesPerTrial) || writesPerTrial < 100) {
    throw new VexError(
      'E_INVALID',
      `the pool A/B needs pairs ≥ 1 and writesPerTrial ≥ 100, got ${pairs} and ${writesPerTrial}`,
    );
  }
  const scratch = mkdtempSync(join(tmpdir(), 'vexfs-pool-ab-'));
  let gcCount = 0;
  const observer = new PerformanceObserver((list) => {
    gcCount += list.getEntries().length;
  });
  const random = createRandom(options.seed);
  const sides = new Map<Side, { store: Store; vfs: Vfs; handles: number[]; memory: StoreMemory }>();
  try {
    for (const side of ['off', 'on'] as const) {
      const store = await Store.create(join(scratch, side));
      const config = defaultConfig();
      config.performance.cache_size = 0;
      // The pools are off by default (they did not pay); this A/B measures them, so it sizes them.
      config.performance.memory_pool_size = 64 * 2 ** 20;
      config.optimization.enable_memory_optimization = side === 'on';
      const memory = attachMemory(store, config);
      const vfs = new Vfs(store);
      const handles: number[] = [];
      for (let f = 0; f < 64; f++) {
        const { fh } = await vfs.create(1, `f${f}`, 0o644, O_RDWR, ROOT_CRED);
        await vfs.write(fh, 0, Buffer.alloc(8192, f), ROOT_CRED);
        handles.push(fh);
      }
      sides.set(side, { store, vfs, handles, memory });
    }
    observer.observe({ entryTypes: ['gc'] });
    const figures: Record<Side, { ops: number[]; gc: number[] }> = {
      off: { ops: [], gc: [] },
      on: { ops: [], gc: [] },
    };
    const data = Buffer.alloc(1024, 7);
    for (let pair = 0; pair < pairs; pair++) {
      for (const side of pair % 2 === 0 ? (['off', 'on'] as const) : (['on', 'off'] as const)) {
        const { vfs, handles } = sides.get(side)!;
        await settle();
        const gcBefore = gcCount;
        const t0 = performance.now();
        for (let i = 0; i < writesPerTrial; i++) {
          await vfs.write(handles[random.int(handles.length)]!, random.int(8192 - 1024), data, ROOT_CRED);
        }
        const elapsedMs = performance.now() - t0;
        await settle();
        figures[side].ops.push(writesPerTrial / (elapsedMs / 1000));
        figures[side].gc.push(((gcCount - gcBefore) * 1000) / writesPerTrial);
      }
    }
    const summary = (s: Side) => ({
      medianOpsPerSec: median(figures[s].ops),
      medianGcPer1kWrites: median(figures[s].gc),
      opsPerSec: figures[s].ops,
    });
    const pools = sides.get('on')!.memory.pools!.stats();
    return {
      off: summary('off'),
      on: summary('on'),
      speedup: median(figures.on.ops) / median(figures.off.ops),
      tiers: pools.tiers.map(({ sizeBytes, hits, misses, fallbacks }) => ({ sizeBytes, hits, misses, fallbacks })),
    };
  } finally {
    observer.disconnect();
    for (const { vfs, handles, store } of sides.values()) {
      for (const fh of handles) await vfs.release(fh);
      await store.close();
    }
    rmSync(scratch, { recursive: true, force: true });
  }
}
