import { statfsSync } from 'node:fs';
import { VexError } from '../errors.js';
import { MAX_FILE_SIZE, NAME_MAX_BYTES, ROOT_INO, SYMLINK_MAX_BYTES } from '../store/layout.js';
import type { InodeRow } from '../store/rows.js';
import type { Store } from '../store/Store.js';
import { readData, truncateData, writeData } from './fileData.js';
import { InodeTable, nowTimespec, toAttr } from './InodeTable.js';
import { checkName, checkNewName } from './names.js';
import { inGroup, permits, requireAccess, requireOwner, requireStickyAllows } from './permissions.js';
import {
  O_ACCMODE,
  O_APPEND,
  O_RDONLY,
  O_TRUNC,
  O_WRONLY,
  PERMISSION_BITS,
  R_OK,
  RENAME_EXCHANGE,
  RENAME_NOREPLACE,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_ISGID,
  S_ISUID,
  W_OK,
  X_OK,
  type Attr,
  type Cred,
  type DirEntry,
  type SetAttrChanges,
  type StatFs,
  type Timespec,
} from './types.js';
import { XattrOps } from './XattrOps.js';

interface Handle {
  ino: number;
  flags: number;
  dir: boolean;
}

type Row = Omit<InodeRow, 'crc'>;

const DAY_SECONDS = 86_400;

/**
 * The filesystem over a store: the operation set a FUSE daemon dispatches, by inode
 * number, with POSIX semantics, permission checks against the caller's credentials
 * and errno errors. Mutations resolve once committed (group commit); reads return at
 * once. atime policy: relatime (a read updates atime only when it is older than
 * mtime or ctime, or more than a day old).
 */
export class Vfs {
  readonly store: Store;
  private readonly table: InodeTable;
  readonly xattr: XattrOps;
  private readonly handles = new Map<number, Handle>();
  private readonly openCounts = new Map<number, number>();
  private readonly lookupCounts = new Map<number, number>();
  private nextHandle = 1;

  constructor(store: Store) {
    this.store = store;
    this.table = new InodeTable(store);
    this.xattr = new XattrOps(store, this.table, (ino) => this.inode(ino));
  }

  // ── names ──────────────────────────────────────────────────────────────

  /** Looks `name` up in `parent`; counts a reference for `forget`, as FUSE does. */
  lookup(parent: number, name: string, cred: Cred): Attr {
    const row = this.guard(() => this.resolveChild(parent, name, cred));
    this.lookupCounts.set(row.ino, (this.lookupCounts.get(row.ino) ?? 0) + 1);
    return toAttr(row);
  }

  /** The kernel dropped `count` references to `ino`; an unlinked inode goes when nothing holds it. */
  forget(ino: number, count: number): Promise<void> {
    const left = (this.lookupCounts.get(ino) ?? 0) - count;
    if (left > 0) this.lookupCounts.set(ino, left);
    else this.lookupCounts.delete(ino);
    return this.reapIfUnused(ino);
  }

  getattr(ino: number): Attr {
    return toAttr(this.guard(() => this.inode(ino)));
  }

  setattr(ino: number, changes: SetAttrChanges, cred: Cred, fh?: number): Promise<Attr> {
    return this.mutate(() => {
      const row: Row = { ...this.inode(ino) };
      const now = nowTimespec();
      if (changes.size !== undefined) {
        const viaWritableHandle = fh !== undefined && (this.handle(fh).flags & O_ACCMODE) !== O_RDONLY;
        if ((row.mode & S_IFMT) === S_IFDIR)
          throw new VexError('EISDIR', `inode ${ino} is a directory and has no size to set`);
        if ((row.mode & S_IFMT) !== S_IFREG) throw new VexError('EINVAL', `only regular files can be truncated`);
        if (!viaWritableHandle) requireAccess(row, cred, W_OK, 'truncating needs write permission on the file');
        checkSize(changes.size);
        row.alloc += truncateData(this.table, ino, row.size, changes.size);
        row.size = changes.size;
        setTime(row, 'mtime', now);
        this.clearSetIds(row, cred);
      }
      if (changes.mode !== undefined) {
        requireOwner(row, cred, 'changing the mode');
        let mode = changes.mode & PERMISSION_BITS;
        if (cred.uid !== 0 && !inGroup(cred, row.gid)) mode &= ~S_ISGID;
        row.mode = (row.mode & S_IFMT) | mode;
      }
      if (changes.uid !== undefined || changes.gid !== undefined) this.chown(row, changes.uid, changes.gid, cred);
      for (const which of ['atime', 'mtime'] as const) {
        const value = changes[which];
        if (value === undefined) continue;
        if (value === 'now') {
          if (cred.uid !== 0 && cred.uid !== row.uid && !permits(row, cred, W_OK)) {
            throw new VexError('EACCES', 'setting times to now needs ownership or write permission');
          }
          setTime(row, which, now);
        } else {
          requireOwner(row, cred, 'setting explicit times');
          checkTimespec(value);
          setTime(row, which, value);
        }
      }
      setTime(row, 'ctime', now);
      this.table.putInode(row);
      return toAttr(row);
    });
  }

  mkdir(parent: number, name: string, mode: number, cred: Cred): Promise<Attr> {
    return this.mutate(() => {
      checkNewName(name);
      const dir = this.writableDir(parent, cred, 'creating an entry');
      this.requireAbsent(parent, name);
      const gid = (dir.mode & S_ISGID) !== 0 ? dir.gid : cred.gid;
      const setgid = (dir.mode & S_ISGID) !== 0 ? S_ISGID : 0;
      const row = this.newInode(S_IFDIR | (mode & PERMISSION_BITS & ~S_IFMT) | setgid, cred.uid, gid, 2, null);
      this.table.putDirent(parent, name, row.ino);
      this.touchDir(dir, 1);
      return toAttr(row);
    });
  }

  rmdir(parent: number, name: string, cred: Cred): Promise<void> {
    return this.mutate(() => {
      checkName(name);
      if (name === '.') throw new VexError('EINVAL', "rmdir of '.' is not allowed");
      if (name === '..') throw new VexError('ENOTEMPTY', "rmdir of '..' is not allowed");
      const dir = this.writableDir(parent, cred, 'removing an entry');
      const entry = this.child(parent, name);
      if ((entry.mode & S_IFMT) !== S_IFDIR) throw new VexError('ENOTDIR', `'${name}' is not a directory`);
      requireStickyAllows(dir, entry, cred, `removing '${name}'`);
      if (this.table.hasEntries(entry.ino)) throw new VexError('ENOTEMPTY', `directory '${name}' is not empty`);
      this.table.deleteDirent(parent, name);
      this.touchDir(dir, -1);
      this.dropLink({ ...entry }, 2);
    });
  }

  /** Creates and opens a regular file (O_CREAT semantics; an existing name is EEXIST). */
  create(parent: number, name: string, mode: number, flags: number, cred: Cred): Promise<{ attr: Attr; fh: number }> {
    return this.mutate(() => {
      checkNewName(name);
      const dir = this.writableDir(parent, cred, 'creating an entry');
      this.requireAbsent(parent, name);
      const gid = (dir.mode & S_ISGID) !== 0 ? dir.gid : cred.gid;
      const row = this.newInode(S_IFREG | (mode & PERMISSION_BITS), cred.uid, gid, 1, null);
      this.table.putDirent(parent, name, row.ino);
      this.touchDir(dir, 0);
      const fh = this.openHandle(row.ino, flags, false);
      return { attr: toAttr(row), fh };
    });
  }

  unlink(parent: number, name: string, cred: Cred): Promise<void> {
    return this.mutate(() => {
      checkName(name);
      const dir = this.writableDir(parent, cred, 'removing an entry');
      const entry = this.child(parent, name);
      if ((entry.mode & S_IFMT) === S_IFDIR) throw new VexError('EISDIR', `'${name}' is a directory (use rmdir)`);
      requireStickyAllows(dir, entry, cred, `removing '${name}'`);
      this.table.deleteDirent(parent, name);
      this.touchDir(dir, 0);
      this.dropLink({ ...entry }, 1);
    });
  }

  link(ino: number, newParent: number, newName: string, cred: Cred): Promise<Attr> {
    return this.mutate(() => {
      checkNewName(newName);
      const row: Row = { ...this.inode(ino) };
      if ((row.mode & S_IFMT) === S_IFDIR) throw new VexError('EPERM', 'hard links to directories are not allowed');
      const dir = this.writableDir(newParent, cred, 'creating an entry');
      this.requireAbsent(newParent, newName);
      this.table.putDirent(newParent, newName, ino);
      this.touchDir(dir, 0);
      row.nlink += 1;
      setTime(row, 'ctime', nowTimespec());
      this.table.putInode(row);
      return toAttr(row);
    });
  }

  symlink(target: string, parent: number, name: string, cred: Cred): Promise<Attr> {
    return this.mutate(() => {
      checkNewName(name);
      if (target.length === 0) throw new VexError('ENOENT', 'a symlink target may not be empty');
      if (target.includes('\0')) throw new VexError('EINVAL', 'a symlink target may not contain a NUL byte');
      const bytes = Buffer.from(target);
      if (bytes.length > SYMLINK_MAX_BYTES) {
        throw new VexError(
          'ENAMETOOLONG',
          `a symlink target may be at most ${SYMLINK_MAX_BYTES} bytes; this one has ${bytes.length}`,
        );
      }
      const dir = this.writableDir(parent, cred, 'creating an entry');
      this.requireAbsent(parent, name);
      const gid = (dir.mode & S_ISGID) !== 0 ? dir.gid : cred.gid;
      const row = this.newInode(S_IFLNK | 0o777, cred.uid, gid, 1, bytes);
      this.table.putDirent(parent, name, row.ino);
      this.touchDir(dir, 0);
      return toAttr(row);
    });
  }

  readlink(ino: number): string {
    const row = this.guard(() => this.inode(ino));
    if ((row.mode & S_IFMT) !== S_IFLNK || row.target === null)
      throw new VexError('EINVAL', `inode ${ino} is not a symlink`);
    return row.target.toString();
  }

  rename(parent: number, name: string, newParent: number, newName: string, flags: number, cred: Cred): Promise<void> {
    return this.mutate(() => {
      if ((flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) !== 0)
        throw new VexError('EINVAL', `unknown rename flags ${flags}`);
      if ((flags & RENAME_NOREPLACE) !== 0 && (flags & RENAME_EXCHANGE) !== 0) {
        throw new VexError('EINVAL', 'RENAME_NOREPLACE and RENAME_EXCHANGE cannot be combined');
      }
      checkName(name);
      checkName(newName);
      for (const n of [name, newName]) {
        if (n === '.' || n === '..') throw new VexError('EBUSY', `cannot rename '${n}'`);
      }
      const fromDir = this.writableDir(parent, cred, 'renaming an entry');
      const toDir = newParent === parent ? fromDir : this.writableDir(newParent, cred, 'renaming into the directory');
      const source = this.child(parent, name);
      const target = this.table.getDirent(newParent, newName);
      const targetRow = target === undefined ? undefined : this.inode(target.ino);
      requireStickyAllows(fromDir, source, cred, `renaming '${name}'`);
      if (targetRow !== undefined) requireStickyAllows(toDir, targetRow, cred, `replacing '${newName}'`);
      if ((flags & RENAME_EXCHANGE) !== 0) {
        if (targetRow === undefined) throw new VexError('ENOENT', `'${newName}' does not exist to exchange with`);
        this.exchange(fromDir, toDir, name, newName, source, targetRow, cred);
        return;
      }
      if (targetRow !== undefined && (flags & RENAME_NOREPLACE) !== 0) {
        throw new VexError('EEXIST', `'${newName}' already exists`);
      }
      if (targetRow !== undefined && targetRow.ino === source.ino) return; // Two names of one inode: POSIX says do nothing.
      const sourceIsDir = (source.mode & S_IFMT) === S_IFDIR;
      if (sourceIsDir) this.checkDirMove(source, parent, newParent, cred);
      if (targetRow !== undefined) {
        const targetIsDir = (targetRow.mode & S_IFMT) === S_IFDIR;
        if (sourceIsDir && !targetIsDir) throw new VexError('ENOTDIR', `'${newName}' is not a directory`);
        if (!sourceIsDir && targetIsDir) throw new VexError('EISDIR', `'${newName}' is a directory`);
        if (targetIsDir && this.table.hasEntries(targetRow.ino))
          throw new VexError('ENOTEMPTY', `'${newName}' is not empty`);
        this.table.deleteDirent(newParent, newName);
        if (targetIsDir) this.adjustNlink(newParent, -1);
        this.dropLink({ ...targetRow }, targetIsDir ? 2 : 1);
      }
      this.table.deleteDirent(parent, name);
      this.table.putDirent(newParent, newName, source.ino);
      if (sourceIsDir && parent !== newParent) {
        this.adjustNlink(parent, -1);
        this.adjustNlink(newParent, 1);
      }
      this.touchDir(this.inode(parent), 0);
      if (newParent !== parent) this.touchDir(this.inode(newParent), 0);
      const moved: Row = { ...this.inode(source.ino) };
      setTime(moved, 'ctime', nowTimespec());
      this.table.putInode(moved);
    });
  }

  // ── files ──────────────────────────────────────────────────────────────

  open(ino: number, flags: number, cred: Cred): Promise<number> {
    const row = this.guard(() => this.inode(ino));
    if ((row.mode & S_IFMT) === S_IFDIR && (flags & O_ACCMODE) !== O_RDONLY) {
      return Promise.reject(new VexError('EISDIR', `inode ${ino} is a directory and cannot be opened for writing`));
    }
    const access = flags & O_ACCMODE;
    const mask =
      (access === O_RDONLY ? R_OK : access === O_WRONLY ? W_OK : R_OK | W_OK) | ((flags & O_TRUNC) !== 0 ? W_OK : 0);
    try {
      requireAccess(row, cred, mask, `opening inode ${ino}`);
    } catch (error) {
      return Promise.reject(error);
    }
    if ((flags & O_TRUNC) !== 0 && (row.mode & S_IFMT) === S_IFREG && access !== O_RDONLY) {
      return this.mutate(() => {
        const current: Row = { ...this.inode(ino) };
        if (current.size > 0) {
          current.alloc += truncateData(this.table, ino, current.size, 0);
          current.size = 0;
          const now = nowTimespec();
          setTime(current, 'mtime', now);
          setTime(current, 'ctime', now);
          this.table.putInode(current);
        }
        return this.openHandle(ino, flags, false);
      });
    }
    return Promise.resolve(this.openHandle(ino, flags, false));
  }

  read(fh: number, offset: number, length: number): Buffer {
    const handle = this.handle(fh);
    if (handle.dir) throw new VexError('EISDIR', 'cannot read a directory handle');
    if ((handle.flags & O_ACCMODE) === O_WRONLY) throw new VexError('EBADF', `handle ${fh} is open for writing only`);
    checkRange(offset, length);
    const row = this.guard(() => this.inode(handle.ino));
    const data = this.guard(() => readData(this.table, handle.ino, row.size, offset, length));
    this.maybeUpdateAtime(row);
    return data;
  }

  write(fh: number, offset: number, data: Uint8Array, cred: Cred): Promise<number> {
    return this.mutate(() => {
      const handle = this.handle(fh);
      if (handle.dir) throw new VexError('EISDIR', 'cannot write a directory handle');
      if ((handle.flags & O_ACCMODE) === O_RDONLY) throw new VexError('EBADF', `handle ${fh} is open for reading only`);
      checkRange(offset, data.length);
      const row: Row = { ...this.inode(handle.ino) };
      const at = (handle.flags & O_APPEND) !== 0 ? row.size : offset;
      if (at + data.length > MAX_FILE_SIZE) {
        throw new VexError(
          'EFBIG',
          `writing ${data.length} bytes at ${at} would pass the largest file size (${MAX_FILE_SIZE} bytes)`,
        );
      }
      if (data.length === 0) return 0;
      row.alloc += writeData(this.table, handle.ino, at, data);
      row.size = Math.max(row.size, at + data.length);
      const now = nowTimespec();
      setTime(row, 'mtime', now);
      setTime(row, 'ctime', now);
      this.clearSetIds(row, cred);
      this.table.putInode(row);
      return data.length;
    });
  }

  /** close(2) of one descriptor: writes are committed already, so there is nothing more to wait for. */
  flush(fh: number): Promise<void> {
    this.handle(fh);
    return Promise.resolve();
  }

  /** Makes everything committed so far durable against an OS crash: the *synced* acknowledgement. */
  async fsync(fh: number): Promise<void> {
    this.handle(fh);
    await this.store.sync();
  }

  async release(fh: number): Promise<void> {
    const handle = this.handle(fh);
    this.handles.delete(fh);
    const left = (this.openCounts.get(handle.ino) ?? 1) - 1;
    if (left > 0) this.openCounts.set(handle.ino, left);
    else this.openCounts.delete(handle.ino);
    await this.reapIfUnused(handle.ino);
  }

  // ── directories ────────────────────────────────────────────────────────

  opendir(ino: number, cred: Cred): number {
    const row = this.guard(() => this.inode(ino));
    if ((row.mode & S_IFMT) !== S_IFDIR) throw new VexError('ENOTDIR', `inode ${ino} is not a directory`);
    requireAccess(row, cred, R_OK, `listing directory inode ${ino}`);
    return this.openHandle(ino, O_RDONLY, true);
  }

  /**
   * Up to `limit` entries after `offset` ('.' is offset 1, '..' offset 2, then each
   * entry's stable cookie). Entries added or removed meanwhile never shift the others.
   */
  readdir(fh: number, offset: number, limit = 1024): DirEntry[] {
    const handle = this.handle(fh);
    if (!handle.dir) throw new VexError('ENOTDIR', `handle ${fh} is not a directory handle`);
    if (!Number.isSafeInteger(offset) || offset < 0)
      throw new VexError('EINVAL', `readdir offset must be a non-negative integer`);
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new VexError('EINVAL', `readdir limit must be a positive integer`);
    return this.guard(() => {
      const entries: DirEntry[] = [];
      if (offset < 1) entries.push({ name: '.', ino: handle.ino, kind: 'dir', offset: 1 });
      if (offset < 2 && entries.length < limit)
        entries.push({ name: '..', ino: this.parentOf(handle.ino), kind: 'dir', offset: 2 });
      if (entries.length >= limit) return entries;
      for (const dirent of this.table.listDirents(handle.ino, Math.max(offset, 2), limit - entries.length)) {
        const child = this.inode(dirent.ino);
        entries.push({ name: dirent.name, ino: dirent.ino, kind: toAttr(child).kind, offset: dirent.cookie });
      }
      return entries;
    });
  }

  releasedir(fh: number): void {
    const handle = this.handle(fh);
    if (!handle.dir) throw new VexError('ENOTDIR', `handle ${fh} is not a directory handle`);
    this.handles.delete(fh);
  }

  // ── the rest ───────────────────────────────────────────────────────────

  access(ino: number, mask: number, cred: Cred): void {
    if (!Number.isInteger(mask) || mask < 0 || mask > 7)
      throw new VexError('EINVAL', `access mask must be 0..7, got ${mask}`);
    const row = this.guard(() => this.inode(ino));
    requireAccess(row, cred, mask, `access ${mask} on inode ${ino}`);
  }

  statfs(): StatFs {
    const disk = statfsSync(this.store.dir);
    const files = this.guard(() => this.table.countInodes());
    return {
      blockSize: disk.bsize,
      fragmentSize: disk.bsize,
      blocks: disk.blocks,
      blocksFree: disk.bfree,
      blocksAvailable: disk.bavail,
      files,
      filesFree: Math.max(0, disk.ffree),
      nameMax: NAME_MAX_BYTES,
    };
  }

  /** Open handles and lookup references, for `store info` and tests. */
  get openHandleCount(): number {
    return this.handles.size;
  }

  /** The inode a name points to, without permission checks or lookup counting (path walks check first). */
  childIno(parent: number, name: string): number {
    return this.guard(() => this.child(parent, name).ino);
  }

  parentIno(dir: number): number {
    return this.guard(() => this.parentOf(dir));
  }

  // ── internals ──────────────────────────────────────────────────────────

  inode(ino: number): InodeRow {
    this.store.assertOpen();
    if (!Number.isSafeInteger(ino) || ino < 1)
      throw new VexError('EINVAL', `inode numbers are positive integers, got ${ino}`);
    const row = this.table.getInode(ino);
    if (row === undefined || (row.nlink === 0 && !this.isHeld(ino))) throw new VexError('ENOENT', `no inode ${ino}`);
    return row;
  }

  private resolveChild(parent: number, name: string, cred: Cred): InodeRow {
    checkName(name);
    const dir = this.inode(parent);
    if ((dir.mode & S_IFMT) !== S_IFDIR) throw new VexError('ENOTDIR', `inode ${parent} is not a directory`);
    requireAccess(dir, cred, X_OK, `searching directory inode ${parent}`);
    if (name === '.') return dir;
    if (name === '..') return this.inode(this.parentOf(parent));
    return this.child(parent, name);
  }

  private child(parent: number, name: string): InodeRow {
    const dirent = this.table.getDirent(parent, name);
    if (dirent === undefined) throw new VexError('ENOENT', `no entry '${name}' in directory inode ${parent}`);
    return this.inode(dirent.ino);
  }

  private parentOf(dir: number): number {
    if (dir === ROOT_INO) return ROOT_INO;
    return this.table.nameOf(dir)?.parent ?? ROOT_INO;
  }

  private writableDir(ino: number, cred: Cred, what: string): InodeRow {
    const dir = this.inode(ino);
    if ((dir.mode & S_IFMT) !== S_IFDIR) throw new VexError('ENOTDIR', `inode ${ino} is not a directory`);
    requireAccess(dir, cred, W_OK | X_OK, `${what} needs write and search permission on directory inode ${ino}`);
    return dir;
  }

  private requireAbsent(parent: number, name: string): void {
    if (this.table.getDirent(parent, name) !== undefined) throw new VexError('EEXIST', `'${name}' already exists`);
  }

  private newInode(mode: number, uid: number, gid: number, nlink: number, target: Buffer | null): Row {
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
  private touchDir(dir: InodeRow, nlinkDelta: number): void {
    const row: Row = { ...this.inode(dir.ino) };
    const now = nowTimespec();
    row.nlink += nlinkDelta;
    setTime(row, 'mtime', now);
    setTime(row, 'ctime', now);
    this.table.putInode(row);
  }

  private adjustNlink(ino: number, delta: number): void {
    const row: Row = { ...this.inode(ino) };
    row.nlink += delta;
    this.table.putInode(row);
  }

  /** Removes `count` links (2 for a directory: its name and its '.'); the inode goes when nothing holds it. */
  private dropLink(row: Row, count: number): void {
    row.nlink = Math.max(0, row.nlink - count);
    setTime(row, 'ctime', nowTimespec());
    if (row.nlink === 0 && !this.isHeld(row.ino)) this.table.deleteInode(row.ino);
    else this.table.putInode(row);
  }

  private isHeld(ino: number): boolean {
    return (this.openCounts.get(ino) ?? 0) > 0 || (this.lookupCounts.get(ino) ?? 0) > 0;
  }

  private reapIfUnused(ino: number): Promise<void> {
    if (this.isHeld(ino) || this.store.readOnly || this.store.isClosed) return Promise.resolve();
    const row = this.table.getInode(ino);
    if (row === undefined || row.nlink > 0) return Promise.resolve();
    return this.mutate(() => {
      const current = this.table.getInode(ino);
      if (current !== undefined && current.nlink === 0 && !this.isHeld(ino)) this.table.deleteInode(ino);
    });
  }

  private checkDirMove(source: InodeRow, parent: number, newParent: number, cred: Cred): void {
    if (parent === newParent) return;
    // Moving a directory rewrites its '..', which needs write permission on it.
    requireAccess(source, cred, W_OK, 'moving a directory to another parent needs write permission on it');
    for (let at = newParent; ; at = this.parentOf(at)) {
      if (at === source.ino)
        throw new VexError('EINVAL', 'cannot move a directory into itself or its own subdirectory');
      if (at === ROOT_INO) break;
    }
  }

  private exchange(
    fromDir: InodeRow,
    toDir: InodeRow,
    name: string,
    newName: string,
    source: InodeRow,
    target: InodeRow,
    cred: Cred,
  ): void {
    const sourceIsDir = (source.mode & S_IFMT) === S_IFDIR;
    const targetIsDir = (target.mode & S_IFMT) === S_IFDIR;
    if (fromDir.ino !== toDir.ino) {
      if (sourceIsDir) this.checkDirMove(source, fromDir.ino, toDir.ino, cred);
      if (targetIsDir) this.checkDirMove(target, toDir.ino, fromDir.ino, cred);
    }
    this.table.deleteDirent(fromDir.ino, name);
    this.table.deleteDirent(toDir.ino, newName);
    this.table.putDirent(fromDir.ino, name, target.ino);
    this.table.putDirent(toDir.ino, newName, source.ino);
    if (fromDir.ino !== toDir.ino && sourceIsDir !== targetIsDir) {
      const delta = sourceIsDir ? 1 : -1;
      this.adjustNlink(toDir.ino, delta);
      this.adjustNlink(fromDir.ino, -delta);
    }
    this.touchDir(this.inode(fromDir.ino), 0);
    if (fromDir.ino !== toDir.ino) this.touchDir(this.inode(toDir.ino), 0);
    const now = nowTimespec();
    for (const ino of [source.ino, target.ino]) {
      const row: Row = { ...this.inode(ino) };
      setTime(row, 'ctime', now);
      this.table.putInode(row);
    }
  }

  private chown(row: Row, uid: number | undefined, gid: number | undefined, cred: Cred): void {
    for (const [label, id] of [
      ['uid', uid],
      ['gid', gid],
    ] as const) {
      if (id !== undefined && (!Number.isInteger(id) || id < 0 || id > 0xfffffffe)) {
        throw new VexError('EINVAL', `${label} must be an integer from 0 to 4294967294, got ${id}`);
      }
    }
    if (cred.uid !== 0) {
      if (uid !== undefined && uid !== row.uid) throw new VexError('EPERM', "only root may change a file's owner");
      if (gid !== undefined && gid !== row.gid) {
        if (cred.uid !== row.uid) throw new VexError('EPERM', "only the owner or root may change a file's group");
        if (!inGroup(cred, gid)) throw new VexError('EPERM', `you are not a member of group ${gid}`);
      }
    }
    const changed = (uid !== undefined && uid !== row.uid) || (gid !== undefined && gid !== row.gid);
    if (uid !== undefined) row.uid = uid;
    if (gid !== undefined) row.gid = gid;
    // As Linux does: a change of owner or group drops set-user-ID and set-group-ID on files.
    if (changed && (row.mode & S_IFMT) === S_IFREG) row.mode &= ~S_ISUID & ~(row.mode & 0o010 ? S_ISGID : 0);
  }

  private clearSetIds(row: Row, cred: Cred): void {
    if (cred.uid === 0) return;
    row.mode &= ~S_ISUID;
    if ((row.mode & 0o010) !== 0) row.mode &= ~S_ISGID;
  }

  private maybeUpdateAtime(row: InodeRow): void {
    if (this.store.readOnly) return;
    const now = nowTimespec();
    const stale =
      compareTime(row.atime_s, row.atime_ns, row.mtime_s, row.mtime_ns) <= 0 ||
      compareTime(row.atime_s, row.atime_ns, row.ctime_s, row.ctime_ns) <= 0 ||
      now.sec - row.atime_s >= DAY_SECONDS;
    if (!stale) return;
    // relatime: best effort. The read already succeeded; a failed atime update is not the reader's error.
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

  private openHandle(ino: number, flags: number, dir: boolean): number {
    const fh = this.nextHandle++;
    this.handles.set(fh, { ino, flags, dir });
    if (!dir) this.openCounts.set(ino, (this.openCounts.get(ino) ?? 0) + 1);
    return fh;
  }

  private handle(fh: number): Handle {
    const handle = this.handles.get(fh);
    if (handle === undefined) throw new VexError('EBADF', `no open handle ${fh}`);
    return handle;
  }

  private mutate<T>(body: () => T): Promise<T> {
    return this.store.write(body);
  }

  private guard<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw this.store.fail(error);
    }
  }
}

function setTime(row: Row, which: 'atime' | 'mtime' | 'ctime', time: Timespec): void {
  row[`${which}_s`] = time.sec;
  row[`${which}_ns`] = time.nsec;
}

function compareTime(aSec: number, aNsec: number, bSec: number, bNsec: number): number {
  return aSec !== bSec ? aSec - bSec : aNsec - bNsec;
}

function checkSize(size: number): void {
  if (!Number.isSafeInteger(size) || size < 0)
    throw new VexError('EINVAL', `a file size must be a non-negative integer, got ${size}`);
  if (size > MAX_FILE_SIZE) throw new VexError('EFBIG', `the largest file size is ${MAX_FILE_SIZE} bytes`);
}

function checkRange(offset: number, length: number): void {
  if (!Number.isSafeInteger(offset) || offset < 0)
    throw new VexError('EINVAL', `offset must be a non-negative integer, got ${offset}`);
  if (!Number.isSafeInteger(length) || length < 0)
    throw new VexError('EINVAL', `length must be a non-negative integer, got ${length}`);
}

function checkTimespec(time: Timespec): void {
  if (!Number.isSafeInteger(time.sec) || !Number.isInteger(time.nsec) || time.nsec < 0 || time.nsec > 999_999_999) {
    throw new VexError('EINVAL', `a time must be whole seconds and 0..999999999 nanoseconds`);
  }
}
