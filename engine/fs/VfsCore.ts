import { VexError } from '../errors.js';
import { MAX_FILE_SIZE, ROOT_INO } from '../store/layout.js';
import type { InodeRow } from '../store/rows.js';
import type { Store } from '../store/Store.js';
import { InodeTable, nowTimespec } from './InodeTable.js';
import { requireAccess } from './permissions.js';
import { S_IFDIR, S_IFMT, S_ISGID, S_ISUID, W_OK, X_OK, type Cred, type Timespec } from './types.js';

export interface Handle {
  ino: number;
  flags: number;
  dir: boolean;
}

export type Row = Omit<InodeRow, 'crc'>;

const DAY_SECONDS = 86_400;

/**
 * What every group of filesystem operations shares: the inode table, open handles,
 * lookup and open counts (an unlinked inode lives while either holds it), and the
 * helpers that keep directory bookkeeping (nlink, times) in one place. The operation
 * modules (namespaceOps, renameOps, fileOps) work through this; Vfs is the public face.
 */
export type AtimePolicy = 'relatime' | 'noatime';

export interface VfsOptions {
  atime?: AtimePolicy;
}

export class VfsCore {
  readonly store: Store;
  readonly table: InodeTable;
  readonly handles = new Map<number, Handle>();
  readonly openCounts = new Map<number, number>();
  readonly lookupCounts = new Map<number, number>();
  private nextHandle = 1;
  /** `general.atime`: relatime (the default) or noatime (reads never write). */
  readonly atimePolicy: AtimePolicy;

  constructor(store: Store, options: VfsOptions = {}) {
    this.store = store;
    this.table = new InodeTable(store);
    this.atimePolicy = options.atime ?? 'relatime';
  }

  /** The live inode `ino` (an unlinked one only while something holds it); ENOENT otherwise. */
  inode(ino: number): InodeRow {
    this.store.assertOpen();
    checkIno(ino);
    const row = this.table.getInode(ino);
    if (row === undefined || (row.nlink === 0 && !this.isHeld(ino))) throw new VexError('ENOENT', `no inode ${ino}`);
    return row;
  }

  child(parent: number, name: string): InodeRow {
    const dirent = this.table.getDirent(parent, name);
    if (dirent === undefined) throw new VexError('ENOENT', `no entry '${name}' in directory inode ${parent}`);
    return this.inode(dirent.ino);
  }

  parentOf(dir: number): number {
    if (dir === ROOT_INO) return ROOT_INO;
    return this.table.nameOf(dir)?.parent ?? ROOT_INO;
  }

  /** A directory the caller may search: the kernel checks this on the parent before it looks a name up. */
  searchableDir(ino: number, cred: Cred): InodeRow {
    const dir = this.inode(ino);
    if ((dir.mode & S_IFMT) !== S_IFDIR) throw new VexError('ENOTDIR', `inode ${ino} is not a directory`);
    requireAccess(dir, cred, X_OK, `searching directory inode ${ino}`);
    return dir;
  }

  /**
   * Adding or removing a name needs write and search permission on the directory. Linux
   * checks this after the name was looked up (EEXIST and ENOENT come first); a removed
   * directory takes no new names.
   */
  requireWritable(dir: InodeRow, cred: Cred, what: string): void {
    if (dir.nlink === 0) throw new VexError('ENOENT', `directory inode ${dir.ino} has been removed`);
    requireAccess(dir, cred, W_OK | X_OK, `${what} needs write and search permission on directory inode ${dir.ino}`);
  }

  requireAbsent(parent: number, name: string): void {
    if (this.table.getDirent(parent, name) !== undefined) throw new VexError('EEXIST', `'${name}' already exists`);
  }

  newInode(mode: number, uid: number, gid: number, nlink: number, target: Buffer | null): Row {
    const now = nowTimespec();
    const row: Row = {
      ino: this.table.nextIno(),
      mode,
      uid,
      gid,
      nlink,
      size: target?.length ?? 0,
      rdev: 0,
      atime_s: now.sec,
      atime_ns: now.nsec,
      mtime_s: now.sec,
      mtime_ns: now.nsec,
      ctime_s: now.sec,
      ctime_ns: now.nsec,
      btime_s: now.sec,
      btime_ns: now.nsec,
      alloc: 0,
      target,
    };
    this.table.putInode(row);
    return row;
  }

  /** A directory's entries changed: mtime and ctime move, nlink follows subdirectories. */
  touchDir(ino: number, nlinkDelta: number): void {
    const row: Row = { ...this.inode(ino) };
    const now = nowTimespec();
    row.nlink += nlinkDelta;
    setTime(row, 'mtime', now);
    setTime(row, 'ctime', now);
    this.table.putInode(row);
  }

  adjustNlink(ino: number, delta: number): void {
    const row: Row = { ...this.inode(ino) };
    row.nlink += delta;
    this.table.putInode(row);
  }

  /** Removes `count` links (2 for a directory: its name and its '.'); the inode goes when nothing holds it. */
  dropLink(ino: number, count: number): void {
    const row: Row = { ...this.inode(ino) };
    row.nlink = Math.max(0, row.nlink - count);
    setTime(row, 'ctime', nowTimespec());
    if (row.nlink === 0 && !this.isHeld(row.ino)) this.table.deleteInode(row.ino);
    else this.table.putInode(row);
  }

  isHeld(ino: number): boolean {
    return (this.openCounts.get(ino) ?? 0) > 0 || (this.lookupCounts.get(ino) ?? 0) > 0;
  }

  reapIfUnused(ino: number): Promise<void> {
    if (this.isHeld(ino) || this.store.readOnly || this.store.isClosed) return Promise.resolve();
    let row;
    try {
      row = this.guard(() => this.table.getInode(ino));
    } catch (error) {
      return Promise.reject(error);
    }
    if (row === undefined || row.nlink > 0) return Promise.resolve();
    return this.mutate(() => {
      const current = this.table.getInode(ino);
      if (current !== undefined && current.nlink === 0 && !this.isHeld(ino)) this.table.deleteInode(ino);
    });
  }

  /** As Linux does for a caller without CAP_FSETID: writing or truncating drops set-user-ID (and group-executable set-group-ID). */
  clearSetIds(row: Row, cred: Cred): void {
    if (cred.uid === 0) return;
    row.mode &= ~S_ISUID;
    if ((row.mode & 0o010) !== 0) row.mode &= ~S_ISGID;
  }

  /**
   * relatime: a read moves atime only when atime is not newer than mtime or ctime, or
   * is more than a day old. Best effort: the read already succeeded, so a failed atime
   * update is not the reader's error.
   */
  maybeUpdateAtime(row: InodeRow): void {
    if (this.store.readOnly || this.atimePolicy === 'noatime') return;
    const now = nowTimespec();
    const stale =
      compareTime(row.atime_s, row.atime_ns, row.mtime_s, row.mtime_ns) <= 0 ||
      compareTime(row.atime_s, row.atime_ns, row.ctime_s, row.ctime_ns) <= 0 ||
      now.sec - row.atime_s >= DAY_SECONDS;
    if (!stale) return;
    this.store
      .write(() => {
        const current = this.table.getInode(row.ino);
        if (current === undefined) return;
        const next: Row = { ...current };
        setTime(next, 'atime', now);
        this.table.putInode(next);
      })
      .catch(() => undefined);
  }

  openHandle(ino: number, flags: number, dir: boolean): number {
    const fh = this.nextHandle++;
    this.handles.set(fh, { ino, flags, dir });
    if (!dir) this.openCounts.set(ino, (this.openCounts.get(ino) ?? 0) + 1);
    return fh;
  }

  handle(fh: number): Handle {
    const handle = this.handles.get(fh);
    if (handle === undefined) throw new VexError('EBADF', `no open handle ${String(fh)}`);
    return handle;
  }

  /** Runs a mutation in the store's commit group; resolves once committed. */
  mutate<T>(body: () => T): Promise<T> {
    return this.store.write(body);
  }

  /** Runs a read, turning database errors into VexErrors. */
  guard<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw this.store.fail(error);
    }
  }
}

export function checkIno(ino: number): void {
  if (!Number.isSafeInteger(ino) || ino < 1) {
    throw new VexError('EINVAL', `inode numbers are positive integers, got ${String(ino)}`);
  }
}

export function setTime(row: Row, which: 'atime' | 'mtime' | 'ctime', time: Timespec): void {
  row[`${which}_s`] = time.sec;
  row[`${which}_ns`] = time.nsec;
}

export function compareTime(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return aSec !== bSec ? aSec - bSec : aNsec - bNsec;
}

export function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0) {
    throw new VexError('EINVAL', `a file size must be a non-negative integer, got ${String(size)}`);
  }
  if (size > MAX_FILE_SIZE) throw new VexError('EFBIG', `the largest file size is ${MAX_FILE_SIZE} bytes`);
}

export function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0) {
    throw new VexError('EINVAL', `offset must be a non-negative integer, got ${String(offset)}`);
  }
  if (!Number.isSafeInteger(length) || length < 0) {
    throw new VexError('EINVAL', `length must be a non-negative integer, got ${String(length)}`);
  }
}

export function checkTimespec(time: Timespec): void {
  if (
    typeof time !== 'object' ||
    time === null ||
    !Number.isSafeInteger(time.sec) ||
    !Number.isInteger(time.nsec) ||
    time.nsec < 0 ||
    time.nsec > 999_999_999
  ) {
    throw new VexError('EINVAL', `a time must be whole seconds and 0..999999999 nanoseconds`);
  }
}
