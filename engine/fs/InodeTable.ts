import type Database from 'better-sqlite3';
import { VexError } from '../errors.js';
import type { BufferPools } from '../memory/BufferPools.js';
import type { BlockCache } from '../memory/ContentCache.js';
import { memoryOf } from '../memory/StoreMemory.js';
import type { Store } from '../store/Store.js';
import { BLOCKS_PER_FILE, MAX_INO } from '../store/schema.js';
import { BLOCK_SIZE } from '../store/layout.js';
import {
  INODE_COLUMNS,
  blockChecksum,
  direntChecksum,
  inodeChecksum,
  inodeFieldValues,
  xattrChecksum,
  type DirentRow,
  type InodeFields,
  type InodeRow,
  type XattrRow,
} from '../store/rows.js';
import { kindOf, type Attr, type Timespec } from './types.js';

/**
 * Row access for the filesystem tables: prepared statements, and the checksum of
 * every row verified as it is read (a mismatch is E_CORRUPT; wrong data is never
 * returned). Callers run writes inside `store.write()`.
 */
/** Rows kept per cache (inodes, names) before the cache starts over. */
const ROW_CACHE_LIMIT = 65_536;

export class InodeTable {
  private readonly db: Database.Database;
  private readonly s;
  /**
   * Rows already read and verified, written through on every change: most operations read
   * the same few inodes and names several times (path walk, permission checks, the reply).
   * A rollback drops them (a failed operation may have written rows that are now undone);
   * a read-only store drops them whenever another process has committed since the last turn.
   */
  private readonly inodes = new Map<number, InodeRow>();
  private readonly dirents = new Map<string, DirentRow | null>();
  private seenTurn = -1;
  private seenDataVersion = -1;
  private readonly dataVersion: Database.Statement;
  /** The store's content cache (engine/memory), or null: blocks enter it only after their CRC was verified. */
  readonly cache: BlockCache | null;
  /** The store's buffer pools for temporary block buffers, or null (plain allocations). */
  readonly pools: BufferPools | null;

  constructor(private readonly store: Store) {
    this.db = store.db;
    const memory = memoryOf(store);
    this.cache = memory?.blockCache ?? null;
    this.pools = memory?.pools ?? null;
    const db = this.db;
    this.dataVersion = db.prepare('PRAGMA data_version').pluck();
    store.onRollback(() => this.forgetRows());
    const placeholders = INODE_COLUMNS.split(',')
      .map(() => '?')
      .join(', ');
    this.s = {
      getInode: db.prepare(`SELECT ${INODE_COLUMNS} FROM inodes WHERE ino = ?`),
      putInode: db.prepare(`INSERT OR REPLACE INTO inodes (${INODE_COLUMNS}) VALUES (${placeholders})`),
      deleteInode: db.prepare('DELETE FROM inodes WHERE ino = ?'),
      maxIno: db.prepare('SELECT MAX(ino) FROM inodes').pluck(),
      countInodes: db.prepare('SELECT COUNT(*) FROM inodes').pluck(),
      getDirent: db.prepare('SELECT parent, name, ino, cookie, crc FROM dirents WHERE parent = ? AND name = ?'),
      putDirent: db.prepare('INSERT INTO dirents (parent, name, ino, cookie, crc) VALUES (?, ?, ?, ?, ?)'),
      deleteDirent: db.prepare('DELETE FROM dirents WHERE parent = ? AND name = ?'),
      maxCookie: db.prepare('SELECT MAX(cookie) FROM dirents WHERE parent = ?').pluck(),
      listDirents: db.prepare(
        'SELECT parent, name, ino, cookie, crc FROM dirents WHERE parent = ? AND cookie > ? ORDER BY cookie LIMIT ?',
      ),
      anyDirent: db.prepare('SELECT 1 FROM dirents WHERE parent = ? LIMIT 1').pluck(),
      nameOf: db.prepare('SELECT parent, name, ino, cookie, crc FROM dirents WHERE ino = ? LIMIT 1'),
      getXattr: db.prepare('SELECT ino, name, value, crc FROM xattrs WHERE ino = ? AND name = ?'),
      listXattrs: db.prepare('SELECT ino, name, value, crc FROM xattrs WHERE ino = ? ORDER BY name'),
      putXattr: db.prepare('INSERT OR REPLACE INTO xattrs (ino, name, value, crc) VALUES (?, ?, ?, ?)'),
      deleteXattr: db.prepare('DELETE FROM xattrs WHERE ino = ? AND name = ?'),
      deleteXattrs: db.prepare('DELETE FROM xattrs WHERE ino = ?'),
      getBlock: db.prepare('SELECT data, crc FROM blocks WHERE key = ?'),
      blocksInRange: db.prepare('SELECT key, data, crc FROM blocks WHERE key >= ? AND key <= ? ORDER BY key'),
      putBlock: db.prepare('INSERT OR REPLACE INTO blocks (key, data, crc) VALUES (?, ?, ?)'),
      blockLengthsFrom: db.prepare('SELECT key, length(data) AS len FROM blocks WHERE key >= ? AND key < ?'),
      deleteBlocksFrom: db.prepare('DELETE FROM blocks WHERE key >= ? AND key < ?'),
    };
  }

  getInode(ino: number): InodeRow | undefined {
    this.checkFresh();
    const cached = this.inodes.get(ino);
    if (cached !== undefined) return cached;
    const row = this.s.getInode.get(ino) as InodeRow | undefined;
    if (row === undefined) return undefined;
    if (inodeChecksum(row) !== row.crc) throw this.store.corruptRow(`inode ${ino}`);
    this.remember(this.inodes, ino, Object.freeze(row));
    return row;
  }

  putInode(row: Omit<InodeRow, 'crc'>): void {
    const crc = inodeChecksum(row);
    this.s.putInode.run(...inodeFieldValues(row), crc);
    this.remember(this.inodes, row.ino, Object.freeze({ ...row, crc }));
  }

  deleteInode(ino: number): void {
    this.cache?.invalidate(ino, 0);
    this.s.deleteBlocksFrom.run(ino * BLOCKS_PER_FILE, (ino + 1) * BLOCKS_PER_FILE);
    this.s.deleteXattrs.run(ino);
    this.s.deleteInode.run(ino);
    this.inodes.delete(ino);
  }

  nextIno(): number {
    const next = ((this.s.maxIno.get() as number | null) ?? 0) + 1;
    if (next >= MAX_INO) throw new VexError('ENOSPC', `the store has run out of inode numbers (${MAX_INO})`);
    return next;
  }

  countInodes(): number {
    return this.s.countInodes.get() as number;
  }

  getDirent(parent: number, name: string): DirentRow | undefined {
    this.checkFresh();
    const key = `${parent}/${name}`;
    const cached = this.dirents.get(key);
    if (cached !== undefined) return cached ?? undefined;
    const row = this.s.getDirent.get(parent, name) as DirentRow | undefined;
    if (row !== undefined) this.verifyDirent(row);
    this.remember(this.dirents, key, row === undefined ? null : Object.freeze(row));
    return row;
  }

  /** Adds a name; its cookie is one past the directory's largest, so readdir offsets never move. */
  putDirent(parent: number, name: string, ino: number): void {
    const cookie = Math.max(2, (this.s.maxCookie.get(parent) as number | null) ?? 2) + 1;
    const crc = direntChecksum(parent, name, ino, cookie);
    this.s.putDirent.run(parent, name, ino, cookie, crc);
    this.remember(this.dirents, `${parent}/${name}`, Object.freeze({ parent, name, ino, cookie, crc }));
  }

  deleteDirent(parent: number, name: string): void {
    this.s.deleteDirent.run(parent, name);
    this.remember(this.dirents, `${parent}/${name}`, null);
  }

  listDirents(parent: number, afterCookie: number, limit: number): DirentRow[] {
    const rows = this.s.listDirents.all(parent, afterCookie, limit) as DirentRow[];
    for (const row of rows) this.verifyDirent(row);
    return rows;
  }

  hasEntries(dir: number): boolean {
    return this.s.anyDirent.get(dir) !== undefined;
  }

  /** The name a directory has in its parent (directories have exactly one). */
  nameOf(ino: number): DirentRow | undefined {
    const row = this.s.nameOf.get(ino) as DirentRow | undefined;
    if (row !== undefined) this.verifyDirent(row);
    return row;
  }

  getXattr(ino: number, name: string): Buffer | undefined {
    const row = this.s.getXattr.get(ino, name) as XattrRow | undefined;
    if (row === undefined) return undefined;
    if (xattrChecksum(row.ino, row.name, row.value) !== row.crc) {
      throw this.store.corruptRow(`xattr '${name}' of inode ${ino}`);
    }
    return row.value;
  }

  listXattrs(ino: number): XattrRow[] {
    const rows = this.s.listXattrs.all(ino) as XattrRow[];
    for (const row of rows) {
      if (xattrChecksum(row.ino, row.name, row.value) !== row.crc) {
        throw this.store.corruptRow(`xattr '${row.name}' of inode ${ino}`);
      }
    }
    return rows;
  }

  putXattr(ino: number, name: string, value: Uint8Array): void {
    this.s.putXattr.run(ino, name, value, xattrChecksum(ino, name, value));
  }

  deleteXattr(ino: number, name: string): boolean {
    return this.s.deleteXattr.run(ino, name).changes > 0;
  }

  /** A block's bytes (shared with the cache when there is one: read them, never write them). */
  getBlock(ino: number, index: number): Buffer | undefined {
    const cached = this.cache?.get(ino, index);
    if (cached !== undefined) return cached;
    const key = ino * BLOCKS_PER_FILE + index;
    const row = this.s.getBlock.get(key) as { data: Buffer; crc: number } | undefined;
    if (row === undefined) return undefined;
    if (blockChecksum(key, row.data) !== row.crc) throw this.store.corruptRow(`block ${index} of inode ${ino}`);
    this.cache?.set(ino, index, row.data);
    return row.data;
  }

  /** Blocks first..last (inclusive) that exist, in order (shared with the cache, as getBlock's). */
  blocksInRange(ino: number, first: number, last: number): { index: number; data: Buffer }[] {
    if (this.cache !== null && first === last) {
      const data = this.getBlock(ino, first);
      return data === undefined ? [] : [{ index: first, data }];
    }
    const base = ino * BLOCKS_PER_FILE;
    const rows = this.s.blocksInRange.all(base + first, base + last) as { key: number; data: Buffer; crc: number }[];
    return rows.map((row) => {
      if (blockChecksum(row.key, row.data) !== row.crc) {
        throw this.store.corruptRow(`block ${row.key - base} of inode ${ino}`);
      }
      this.cache?.set(ino, row.key - base, row.data);
      return { index: row.key - base, data: row.data };
    });
  }

  putBlock(ino: number, index: number, data: Uint8Array): void {
    const key = ino * BLOCKS_PER_FILE + index;
    this.cache?.delete(ino, index);
    this.s.putBlock.run(key, data, blockChecksum(key, data));
  }

  /** Deletes blocks from `first` on; returns the bytes they held. */
  deleteBlocksFrom(ino: number, first: number): number {
    this.cache?.invalidate(ino, first);
    const from = ino * BLOCKS_PER_FILE + first;
    const to = (ino + 1) * BLOCKS_PER_FILE;
    const lengths = this.s.blockLengthsFrom.all(from, to) as { key: number; len: number }[];
    this.s.deleteBlocksFrom.run(from, to);
    return lengths.reduce((sum, row) => sum + row.len, 0);
  }

  /** Drops every cached row: after a rollback, or when another process may have changed them. */
  forgetRows(): void {
    this.inodes.clear();
    this.dirents.clear();
  }

  private remember<K, V>(map: Map<K, V>, key: K, value: V): void {
    // A bound, not an LRU: clearing at the bound keeps every hit a plain Map lookup.
    if (map.size >= ROW_CACHE_LIMIT && !map.has(key)) map.clear();
    map.set(key, value);
  }

  private checkFresh(): void {
    if (!this.store.readOnly || this.seenTurn === this.store.turn) return;
    const version = this.dataVersion.get() as number;
    this.seenTurn = this.store.turn;
    if (version !== this.seenDataVersion) {
      this.seenDataVersion = version;
      this.forgetRows();
    }
  }

  private verifyDirent(row: DirentRow): void {
    if (direntChecksum(row.parent, row.name, row.ino, row.cookie) !== row.crc) {
      throw this.store.corruptRow(`directory entry '${row.name}' in inode ${row.parent}`);
    }
  }
}

export function toAttr(row: InodeFields): Attr {
  return {
    ino: row.ino,
    mode: row.mode,
    kind: kindOf(row.mode),
    nlink: row.nlink,
    uid: row.uid,
    gid: row.gid,
    rdev: row.rdev,
    size: row.size,
    blocks: Math.ceil(row.alloc / 512),
    blksize: BLOCK_SIZE,
    atime: { sec: row.atime_s, nsec: row.atime_ns },
    mtime: { sec: row.mtime_s, nsec: row.mtime_ns },
    ctime: { sec: row.ctime_s, nsec: row.ctime_ns },
    birthtime: { sec: row.btime_s, nsec: row.btime_ns },
  };
}

/** Wall-clock time with sub-millisecond digits; strictly increasing within the process. */
let last: Timespec = { sec: 0, nsec: 0 };
export function nowTimespec(): Timespec {
  const ms = performance.timeOrigin + performance.now();
  const sec = Math.floor(ms / 1000);
  const nsec = Math.min(999_999_999, Math.round((ms - sec * 1000) * 1e6));
  let now: Timespec = { sec, nsec };
  if (sec < last.sec || (sec === last.sec && nsec <= last.nsec)) {
    now = last.nsec < 999_999_999 ? { sec: last.sec, nsec: last.nsec + 1 } : { sec: last.sec + 1, nsec: 0 };
  }
  last = now;
  return now;
}
