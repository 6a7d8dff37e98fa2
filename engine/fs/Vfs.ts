import { statfsSync } from 'node:fs';
import { VexError } from '../errors.js';
import { NAME_MAX_BYTES, ROOT_INO } from '../store/layout.js';
import type { Store } from '../store/Store.js';
import * as fileOps from './fileOps.js';
import { toAttr } from './InodeTable.js';
import * as namespaceOps from './namespaceOps.js';
import { checkName } from './names.js';
import { requireAccess } from './permissions.js';
import { rename } from './renameOps.js';
import {
  O_RDONLY,
  R_OK,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  X_OK,
  type Attr,
  type Cred,
  type DirEntry,
  type SetAttrChanges,
  type StatFs,
} from './types.js';
import { checkIno, VfsCore, type VfsOptions } from './VfsCore.js';
import { XattrOps } from './XattrOps.js';

/**
 * The filesystem over a store: the operation set a FUSE daemon dispatches, by inode
 * number, with POSIX semantics, permission checks against the caller's credentials
 * and errno errors. Mutations resolve once committed (group commit); reads return at
 * once. atime policy: relatime (a read updates atime only when it is not newer than
 * mtime or ctime, or is more than a day old); directory listings do not move atime.
 *
 * The operations live in namespaceOps (names), renameOps, fileOps (content and
 * attributes) and XattrOps; this class is their one public face.
 */
export class Vfs extends VfsCore {
  readonly xattr: XattrOps;

  constructor(store: Store, options: VfsOptions = {}) {
    super(store, options);
    this.xattr = new XattrOps(store, this.table, (ino) => this.inode(ino));
  }

  // ── names ──────────────────────────────────────────────────────────────

  /** Looks `name` up in `parent`; counts a reference for `forget`, as FUSE does. */
  lookup(parent: number, name: string, cred: Cred): Attr {
    const row = this.guard(() => {
      checkName(name);
      const dir = this.inode(parent);
      if ((dir.mode & S_IFMT) !== S_IFDIR) throw new VexError('ENOTDIR', `inode ${parent} is not a directory`);
      requireAccess(dir, cred, X_OK, `searching directory inode ${parent}`);
      if (name === '.') return dir;
      if (name === '..') return this.inode(this.parentOf(parent));
      return this.child(parent, name);
    });
    this.lookupCounts.set(row.ino, (this.lookupCounts.get(row.ino) ?? 0) + 1);
    return toAttr(row);
  }

  /** The kernel dropped `count` references to `ino`; an unlinked inode goes when nothing holds it. */
  forget(ino: number, count: number): Promise<void> {
    if (!Number.isSafeInteger(count) || count < 0) {
      return Promise.reject(new VexError('EINVAL', `forget count must be a non-negative integer`));
    }
    try {
      checkIno(ino);
      this.store.assertOpen();
    } catch (error) {
      return Promise.reject(error);
    }
    const left = (this.lookupCounts.get(ino) ?? 0) - count;
    if (left > 0) this.lookupCounts.set(ino, left);
    else this.lookupCounts.delete(ino);
    return this.reapIfUnused(ino);
  }

  getattr(ino: number): Attr {
    return toAttr(this.guard(() => this.inode(ino)));
  }

  setattr(ino: number, changes: SetAttrChanges, cred: Cred, fh?: number): Promise<Attr> {
    return fileOps.setattr(this, ino, changes, cred, fh);
  }

  mkdir(parent: number, name: string, mode: number, cred: Cred): Promise<Attr> {
    return namespaceOps.mkdir(this, parent, name, mode, cred);
  }

  rmdir(parent: number, name: string, cred: Cred): Promise<void> {
    return namespaceOps.rmdir(this, parent, name, cred);
  }

  /** Creates and opens a regular file (O_CREAT|O_EXCL semantics; an existing name is EEXIST). */
  create(parent: number, name: string, mode: number, flags: number, cred: Cred): Promise<{ attr: Attr; fh: number }> {
    return namespaceOps.create(this, parent, name, mode, flags, cred);
  }

  unlink(parent: number, name: string, cred: Cred): Promise<void> {
    return namespaceOps.unlink(this, parent, name, cred);
  }

  link(ino: number, newParent: number, newName: string, cred: Cred): Promise<Attr> {
    return namespaceOps.link(this, ino, newParent, newName, cred);
  }

  symlink(target: string, parent: number, name: string, cred: Cred): Promise<Attr> {
    return namespaceOps.symlink(this, target, parent, name, cred);
  }

  readlink(ino: number): string {
    const row = this.guard(() => this.inode(ino));
    if ((row.mode & S_IFMT) !== S_IFLNK || row.target === null) {
      throw new VexError('EINVAL', `inode ${ino} is not a symlink`);
    }
    return row.target.toString();
  }

  rename(parent: number, name: string, newParent: number, newName: string, flags: number, cred: Cred): Promise<void> {
    return rename(this, parent, name, newParent, newName, flags, cred);
  }

  // ── files ──────────────────────────────────────────────────────────────

  open(ino: number, flags: number, cred: Cred): Promise<number> {
    return fileOps.open(this, ino, flags, cred);
  }

  read(fh: number, offset: number, length: number): Buffer {
    return fileOps.read(this, fh, offset, length);
  }

  write(fh: number, offset: number, data: Uint8Array, cred: Cred): Promise<number> {
    return fileOps.write(this, fh, offset, data, cred);
  }

  /** close(2) of one descriptor: writes are committed already, so there is nothing more to wait for. */
  flush(fh: number): Promise<void> {
    try {
      this.handle(fh);
    } catch (error) {
      return Promise.reject(error);
    }
    return Promise.resolve();
  }

  /** Makes everything committed so far durable against an OS crash: the *synced* acknowledgement. */
  async fsync(fh: number): Promise<void> {
    this.handle(fh);
    await this.store.sync();
  }

  release(fh: number): Promise<void> {
    return fileOps.release(this, fh);
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
    if (!Number.isSafeInteger(offset) || offset < 0) {
      throw new VexError('EINVAL', `readdir offset must be a non-negative integer`);
    }
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new VexError('EINVAL', `readdir limit must be a positive integer`);
    return this.guard(() => {
      const entries: DirEntry[] = [];
      if (offset < 1) entries.push({ name: '.', ino: handle.ino, kind: 'dir', offset: 1 });
      if (offset < 2 && entries.length < limit) {
        entries.push({ name: '..', ino: this.parentOf(handle.ino), kind: 'dir', offset: 2 });
      }
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
    if (!Number.isInteger(mask) || mask < 0 || mask > 7) {
      throw new VexError('EINVAL', `access mask must be 0..7, got ${String(mask)}`);
    }
    const row = this.guard(() => this.inode(ino));
    requireAccess(row, cred, mask, `access ${mask} on inode ${ino}`);
  }

  statfs(): StatFs {
    this.store.assertOpen();
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

  /** Open file and directory handles, for `store info` and tests. */
  get openHandleCount(): number {
    return this.handles.size;
  }

  /** The inode a name points to, without permission checks or lookup counting (path walks check first). */
  childIno(parent: number, name: string): number {
    return this.guard(() => this.child(parent, name).ino);
  }

  parentIno(dir: number): number {
    return this.guard(() => (dir === ROOT_INO ? ROOT_INO : this.parentOf(dir)));
  }
}
