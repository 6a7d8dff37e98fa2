import { join } from 'node:path';
import { Vfs } from '../../fs/Vfs.js';
import { O_RDONLY, O_RDWR, ROOT_CRED } from '../../fs/types.js';
import { beladyOptimum } from '../../memory/belady.js';
import { benchStoreConfig } from '../../memory/benchConfig.js';
import { attachMemory, type StoreMemory } from '../../memory/StoreMemory.js';
import { createZipf, type Zipf } from '../../memory/zipf.js';
import { BLOCK_SIZE } from '../../store/layout.js';
import { Store } from '../../store/Store.js';
import { createRandom } from '../stats/random.js';
import type { WorkloadContext, WorkloadFigure, WorkloadModule, WorkloadSession } from './types.js';

/** Reads recorded for the optimum; beyond this the trace stops growing (the figures say so). */
const MAX_TRACE = 16_000_000;

export interface CacheParams {
  working_set_factor: number;
  zipf_s: number;
  read_bytes: number;
  files: number;
}

/**
 * Zipf reads of whole-block-aligned ranges over a working set `working_set_factor` × the
 * configured cache, through the real Vfs read path (InodeTable's cached, CRC-verified
 * blocks). Subject `vexfs` uses the profile's `[store]` config; `vexfs_no_cache` the same
 * with enable_memory_optimization = false, so one run has the cache's throughput beside
 * its absence. `figures()` gives the cache's hit rate beside Belady's optimum for the
 * same trace of blocks.
 */
export class CacheSession implements WorkloadSession {
  readonly datasetChecksum: string;
  private trace = new Int32Array(1 << 16);
  private traceLength = 0;

  private constructor(
    private readonly store: Store,
    private readonly memory: StoreMemory,
    private readonly vfs: Vfs,
    private readonly handles: number[],
    private readonly blocksPerFile: number,
    private readonly zipf: Zipf,
    private readonly permutation: Int32Array,
    private readonly readBytes: number,
    private readonly cacheBlocks: number,
  ) {
    this.datasetChecksum = `zipf-${zipf.n}x${BLOCK_SIZE}-s${zipf.s}`;
  }

  static async open(context: WorkloadContext): Promise<CacheSession> {
    const params = context.params as unknown as CacheParams;
    const config = benchStoreConfig(context.storeConfig);
    if (context.subject === 'vexfs_no_cache') config.optimization.enable_memory_optimization = false;
    const cacheBytes = config.performance.cache_size;
    const blocks = Math.max(1, Math.ceil((cacheBytes * params.working_set_factor) / BLOCK_SIZE));
    const files = Math.min(params.files, blocks);
    const blocksPerFile = Math.ceil(blocks / files);
    const store = await Store.create(join(context.storeDir ?? context.scratchDir, `cache-${context.subject}`));
    const memory = attachMemory(store, config);
    const vfs = new Vfs(store);
    const random = createRandom(context.dataset.seed);
    const handles: number[] = [];
    const block = Buffer.allocUnsafe(BLOCK_SIZE);
    for (let f = 0; f < files; f++) {
      const { fh } = await vfs.create(1, `file-${f}`, 0o644, O_RDWR, ROOT_CRED);
      for (let b = 0; b < blocksPerFile; b++) {
        for (let i = 0; i < BLOCK_SIZE; i += 4) block.writeUInt32LE((random.next() * 2 ** 32) >>> 0, i);
        await vfs.write(fh, b * BLOCK_SIZE, block, ROOT_CRED);
      }
      await vfs.release(fh);
    }
    for (let f = 0; f < files; f++) {
      const ino = vfs.lookup(1, `file-${f}`, ROOT_CRED).ino;
      handles.push(await vfs.open(ino, O_RDONLY, ROOT_CRED));
    }
    const total = files * blocksPerFile;
    // Hot ranks land on blocks spread over all files, not on the first file's.
    const permutation = Int32Array.from({ length: total }, (_, i) => i);
    for (let i = total - 1; i > 0; i--) {
      const j = random.int(i + 1);
      [permutation[i], permutation[j]] = [permutation[j]!, permutation[i]!];
    }
    const zipf = createZipf(total, params.zipf_s, context.dataset.seed);
    const cacheBlocks = Math.floor(cacheBytes / BLOCK_SIZE);
    memory.cache?.resetCounters();
    return new CacheSession(
      store,
      memory,
      vfs,
      handles,
      blocksPerFile,
      zipf,
      permutation,
      params.read_bytes,
      cacheBlocks,
    );
  }

  run(): void {
    const block = this.permutation[this.zipf.next()]!;
    if (this.traceLength < MAX_TRACE) {
      if (this.traceLength === this.trace.length) {
        const grown = new Int32Array(Math.min(MAX_TRACE, this.trace.length * 2));
        grown.set(this.trace);
        this.trace = grown;
      }
      this.trace[this.traceLength++] = block;
    }
    const fh = this.handles[Math.floor(block / this.blocksPerFile)]!;
    const index = block % this.blocksPerFile;
    const data = this.vfs.read(fh, index * BLOCK_SIZE, this.readBytes);
    if (data.length !== this.readBytes) throw new Error(`short read: ${data.length} of ${this.readBytes} bytes`);
  }

  /**
   * The cache's hit rate over every read since open or the last reopen (warmup included) beside the optimum
   * for the same trace and a cache of the same blocks; null rates when there is no cache.
   */
  figures(): Record<string, number> {
    const stats = this.memory.cache?.stats();
    const trace = this.trace.subarray(0, this.traceLength);
    const optimum = beladyOptimum(trace, this.cacheBlocks);
    const optimumBypass = beladyOptimum(trace, this.cacheBlocks, { bypass: true });
    return {
      reads: this.traceLength,
      trace_complete: this.traceLength < MAX_TRACE ? 1 : 0,
      cache_blocks: this.cacheBlocks,
      working_set_blocks: this.zipf.n,
      hit_rate: stats?.hitRate ?? Number.NaN,
      optimum_hit_rate: optimum.hitRate,
      optimum_bypass_hit_rate: optimumBypass.hitRate,
      cache_bytes: stats?.bytes ?? 0,
      evictions: stats?.evictions ?? 0,
    };
  }

  /** Where the previous unit ended: its cache counters and trace position. */
  private unitStart = { hits: 0, misses: 0, trace: 0 };

  /**
   * The unit's own figures for the result: `cache.hit_rate` over the reads since the previous unit
   * (its warmup included) beside `cache.optimal_hit_rate`, Belady's optimum for the same reads with
   * a cache of the same blocks started empty (so on a warm trial the optimum is a lower bound's match
   * only approximately: the real cache starts warm). None without a cache.
   */
  unitFigures(): WorkloadFigure[] {
    const stats = this.memory.cache?.stats();
    const start = this.unitStart;
    this.unitStart = { hits: stats?.hits ?? 0, misses: stats?.misses ?? 0, trace: this.traceLength };
    if (!stats) return [];
    const hits = stats.hits - start.hits;
    const lookups = hits + stats.misses - start.misses;
    const trace = this.trace.subarray(Math.min(start.trace, this.traceLength), this.traceLength);
    if (lookups === 0 || trace.length === 0) return [];
    const fraction = (name: string, value: number): WorkloadFigure => ({
      name,
      unit: 'fraction',
      higherIsBetter: true,
      value,
    });
    return [
      fraction('cache.hit_rate', hits / lookups),
      fraction('cache.optimal_hit_rate', beladyOptimum(trace, this.cacheBlocks).hitRate),
    ];
  }

  /** The bound of SQLite's own page cache for this store (anonymous memory outside the pools and the cache). */
  sqlitePageCacheBytes(): number {
    const size = this.store.db.pragma('cache_size', { simple: true }) as number;
    return size < 0 ? -size * 1024 : size * (this.store.db.pragma('page_size', { simple: true }) as number);
  }

  async reopen(): Promise<void> {
    // A cold trial starts with an empty cache, and the figures describe it alone.
    this.memory.cache?.clear();
    this.memory.cache?.resetCounters();
    this.traceLength = 0;
    this.unitStart = { hits: 0, misses: 0, trace: 0 };
  }

  async close(): Promise<void> {
    for (const fh of this.handles) await this.vfs.release(fh);
    await this.store.close();
  }
}

export const cacheWorkload: WorkloadModule = { open: (context) => CacheSession.open(context) };
