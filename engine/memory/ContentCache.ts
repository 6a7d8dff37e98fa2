import { VexError } from '../errors.js';
import { BLOCKS_PER_FILE } from '../store/schema.js';

/**
 * What the filesystem's block reads call (engine/fs/InodeTable.ts): `set` only with bytes
 * whose checksum was verified, `invalidate` on every change to a file's blocks (write,
 * truncate, unlink), before the change is visible to a read.
 */
export interface BlockCache {
  get(ino: number, index: number): Buffer | undefined;
  set(ino: number, index: number, data: Buffer): void;
  /** Drops one cached block (it was rewritten). */
  delete(ino: number, index: number): void;
  /** Drops the cached blocks of `ino` from block `fromIndex` on (0: the whole file). */
  invalidate(ino: number, fromIndex: number): void;
}

export interface CacheStats {
  readonly capacityBytes: number;
  readonly maxEntryBytes: number;
  readonly bytes: number;
  readonly entries: number;
  readonly hits: number;
  readonly misses: number;
  /** hits / (hits + misses), or 0 before the first lookup. */
  readonly hitRate: number;
  readonly evictions: number;
  /** Blocks not cached because they were larger than maxEntryBytes or the whole cache. */
  readonly bypasses: number;
  readonly invalidations: number;
}

interface Entry {
  readonly ino: number;
  readonly index: number;
  readonly data: Buffer;
}

/**
 * A cache of file blocks bounded by the bytes of the blocks it holds, with LRU eviction.
 * LRU because the recency order costs nothing to keep (a Map iterates in insertion order:
 * a hit is a delete and a re-insert, an eviction takes the first key) and it has no
 * tuning knob to get wrong; how far it is from the best possible is measured, not
 * guessed: the cache profile reports its hit rate beside Belady's optimum for the same
 * trace (engine/memory/belady.ts). The bound counts block bytes, not Map overhead
 * (about 100 bytes per entry, under 0.2% for 64 KiB blocks).
 */
export class ContentCache implements BlockCache {
  readonly capacityBytes: number;
  readonly maxEntryBytes: number;
  private readonly entries = new Map<number, Entry>();
  /** ino → its cached block keys, so that invalidating a file touches only its own blocks. */
  private readonly byIno = new Map<number, Set<number>>();
  private bytes = 0;
  private hits = 0;
  private misses = 0;
  private evictions = 0;
  private bypasses = 0;
  private invalidations = 0;

  constructor(capacityBytes: number, maxEntryBytes: number = capacityBytes) {
    for (const [name, value] of [
      ['capacity', capacityBytes],
      ['largest entry', maxEntryBytes],
    ] as const) {
      if (!Number.isSafeInteger(value) || value < 0) {
        throw new VexError(
          'E_INVALID',
          `the content cache's ${name} must be a whole number of bytes ≥ 0, got ${value}`,
        );
      }
    }
    this.capacityBytes = capacityBytes;
    this.maxEntryBytes = maxEntryBytes;
  }

  get(ino: number, index: number): Buffer | undefined {
    const key = ino * BLOCKS_PER_FILE + index;
    const entry = this.entries.get(key);
    if (entry === undefined) {
      this.misses += 1;
      return undefined;
    }
    this.hits += 1;
    this.entries.delete(key);
    this.entries.set(key, entry);
    return entry.data;
  }

  /** Caches `data` (not copied: the caller hands it over and must not change it). */
  set(ino: number, index: number, data: Buffer): void {
    const key = ino * BLOCKS_PER_FILE + index;
    this.remove(key);
    if (data.length > this.maxEntryBytes || data.length > this.capacityBytes) {
      this.bypasses += 1;
      return;
    }
    while (this.bytes + data.length > this.capacityBytes) {
      const oldest = this.entries.keys().next();
      if (oldest.done === true) break;
      this.remove(oldest.value);
      this.evictions += 1;
    }
    this.entries.set(key, { ino, index, data });
    this.bytes += data.length;
    let keys = this.byIno.get(ino);
    if (keys === undefined) this.byIno.set(ino, (keys = new Set()));
    keys.add(key);
  }

  delete(ino: number, index: number): void {
    const key = ino * BLOCKS_PER_FILE + index;
    if (!this.entries.has(key)) return;
    this.remove(key);
    this.invalidations += 1;
  }

  invalidate(ino: number, fromIndex: number): void {
    const keys = this.byIno.get(ino);
    if (keys === undefined) return;
    const from = ino * BLOCKS_PER_FILE + fromIndex;
    for (const key of keys) {
      if (key >= from) {
        this.remove(key);
        this.invalidations += 1;
      }
    }
  }

  clear(): void {
    this.entries.clear();
    this.byIno.clear();
    this.bytes = 0;
  }

  /** Cached blocks, least recently used first: the eviction order. */
  keys(): { ino: number; index: number }[] {
    return [...this.entries.values()].map(({ ino, index }) => ({ ino, index }));
  }

  stats(): CacheStats {
    const lookups = this.hits + this.misses;
    return {
      capacityBytes: this.capacityBytes,
      maxEntryBytes: this.maxEntryBytes,
      bytes: this.bytes,
      entries: this.entries.size,
      hits: this.hits,
      misses: this.misses,
      hitRate: lookups === 0 ? 0 : this.hits / lookups,
      evictions: this.evictions,
      bypasses: this.bypasses,
      invalidations: this.invalidations,
    };
  }

  /** Zeroes the counters (not the contents): a benchmark measures after its warmup. */
  resetCounters(): void {
    this.hits = this.misses = this.evictions = this.bypasses = this.invalidations = 0;
  }

  private remove(key: number): void {
    const entry = this.entries.get(key);
    if (entry === undefined) return;
    this.entries.delete(key);
    this.bytes -= entry.data.length;
    const keys = this.byIno.get(entry.ino);
    keys?.delete(key);
    if (keys?.size === 0) this.byIno.delete(entry.ino);
  }
}
