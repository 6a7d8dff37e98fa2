import type Database from 'better-sqlite3';
import type { VexfsConfig } from '../config/schema.js';
import { VexError } from '../errors.js';
import type { Store } from '../store/Store.js';
import { BufferPools } from './BufferPools.js';
import { ContentCache, type BlockCache } from './ContentCache.js';

/**
 * A store's pools and content cache, sized from the effective config and attached to the
 * store before its Vfs is made (engine/fs looks them up once, in InodeTable's constructor).
 * `optimization.enable_memory_optimization = false` attaches neither: plain allocations
 * and every read from SQLite, the A side of the memory A/B.
 *
 * The cache only ever holds committed bytes. Every write, truncate and unlink drops the
 * blocks it changes first; inside a write transaction (group commit keeps one open until
 * the end of the event-loop turn) a read may see that transaction's own uncommitted rows,
 * which a rollback would take back, so a file changed in the open transaction is not
 * cached until it ends (its inode is remembered as dirty; the set is emptied by the first
 * read outside a transaction). Other files' blocks read inside it are committed bytes. A read-only store can see another process's commits, so before each
 * lookup it asks SQLite whether the database changed (PRAGMA data_version) and empties
 * the cache when it did; a writable store holds the writer lock, so only it changes rows.
 */
export class StoreMemory implements BlockCache {
  readonly pools: BufferPools | null;
  readonly cache: ContentCache | null;
  private readonly db: Database.Database;
  private readonly dataVersion: Database.Statement | null;
  private lastVersion = -1;
  /** Inodes whose blocks changed in the current transaction (store.turn): not cached until it ends. */
  private readonly dirty = new Set<number>();
  private dirtyTurn = -1;
  private readonly store: Store;

  constructor(store: Store, config: VexfsConfig) {
    const on = config.optimization.enable_memory_optimization;
    this.store = store;
    this.db = store.db;
    const poolBytes = config.performance.memory_pool_size;
    this.pools = on && poolBytes > 0 ? new BufferPools(poolBytes) : null;
    const cacheBytes = config.performance.cache_size;
    this.cache = on && cacheBytes > 0 ? new ContentCache(cacheBytes, config.cache.max_entry_size) : null;
    this.dataVersion = store.readOnly ? store.db.prepare('PRAGMA data_version').pluck() : null;
  }

  /** The BlockCache the filesystem calls, or null when there is no cache. */
  get blockCache(): BlockCache | null {
    return this.cache === null ? null : this;
  }

  get(ino: number, index: number): Buffer | undefined {
    if (this.dataVersion !== null) {
      const version = this.dataVersion.get() as number;
      if (version !== this.lastVersion) {
        this.cache?.clear();
        this.lastVersion = version;
      }
    }
    return this.cache?.get(ino, index);
  }

  set(ino: number, index: number, data: Buffer): void {
    // Every statement runs in the transaction of its event-loop turn; a new turn means the
    // last one committed (or rolled back, and then nothing it wrote was cached).
    if (this.dirtyTurn !== this.store.turn) this.dirty.clear();
    if (this.dirty.has(ino)) return;
    this.cache?.set(ino, index, data);
  }

  delete(ino: number, index: number): void {
    this.markDirty(ino);
    this.cache?.delete(ino, index);
  }

  invalidate(ino: number, fromIndex: number): void {
    this.markDirty(ino);
    this.cache?.invalidate(ino, fromIndex);
  }

  private markDirty(ino: number): void {
    if (this.dirtyTurn !== this.store.turn) {
      this.dirty.clear();
      this.dirtyTurn = this.store.turn;
    }
    this.dirty.add(ino);
  }

  /** The bytes this store's memory may hold at most: the pool bound plus the cache bound. */
  get budgetBytes(): { poolBytes: number; cacheBytes: number } {
    return { poolBytes: this.pools?.boundBytes ?? 0, cacheBytes: this.cache?.capacityBytes ?? 0 };
  }
}

const attached = new WeakMap<Store, StoreMemory>();

/** Sizes the pools and the cache from `config` and attaches them; call before `new Vfs(store)`. */
export function attachMemory(store: Store, config: VexfsConfig): StoreMemory {
  store.assertOpen();
  if (attached.has(store)) {
    throw new VexError(
      'E_INVALID',
      `the store at ${store.dir} already has its pools and cache; they are sized once, when it is opened`,
    );
  }
  const memory = new StoreMemory(store, config);
  attached.set(store, memory);
  return memory;
}

/** The store's attached memory, or undefined when none was attached (plain allocations, no cache). */
export function memoryOf(store: Store): StoreMemory | undefined {
  return attached.get(store);
}
