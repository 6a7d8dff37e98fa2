import { VexError } from '../errors.js';
import { VECTOR_XATTR, XATTR_NAME_MAX_BYTES, XATTR_VALUE_MAX_BYTES, vectorByteLength } from '../store/layout.js';
import type { InodeRow } from '../store/rows.js';
import type { Store } from '../store/Store.js';
import type { InodeTable } from './InodeTable.js';
import { nowTimespec } from './InodeTable.js';
import { requireAccess, requireOwner } from './permissions.js';
import {
  R_OK,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_ISVTX,
  S_IFDIR,
  W_OK,
  XATTR_CREATE,
  XATTR_REPLACE,
  type Cred,
} from './types.js';

/**
 * Extended attributes in the `user.` namespace (the one unprivileged processes use;
 * others are ENOTSUP). `user.vexfs.vector` must be the store's vector size: it makes
 * the file a point of the store's default collection.
 */
export class XattrOps {
  constructor(
    private readonly store: Store,
    private readonly table: InodeTable,
    private readonly inode: (ino: number) => InodeRow,
  ) {}

  /** The value; with `size` (FUSE's buffer size) a value that does not fit is ERANGE. */
  get(ino: number, name: string, cred: Cred, size?: number): Buffer {
    const row = this.readable(ino, name, cred);
    const value = this.guard(() => this.table.getXattr(row.ino, name));
    if (value === undefined) throw new VexError('ENODATA', `inode ${ino} has no attribute '${name}'`);
    if (size !== undefined && size > 0 && value.length > size) {
      throw new VexError('ERANGE', `attribute '${name}' is ${value.length} bytes, more than the ${size}-byte buffer`);
    }
    return value;
  }

  list(ino: number, cred: Cred): string[] {
    const row = this.guard(() => this.inode(ino));
    void cred; // Listing names needs no permission beyond reaching the inode, as on Linux.
    return this.guard(() => this.table.listXattrs(row.ino).map((x) => x.name));
  }

  set(ino: number, name: string, value: Uint8Array, flags: number, cred: Cred): Promise<void> {
    return this.store.write(() => {
      const row = this.writable(ino, name, cred);
      if (!(value instanceof Uint8Array)) throw new VexError('EINVAL', 'an attribute value must be bytes');
      if (value.length > XATTR_VALUE_MAX_BYTES) {
        throw new VexError(
          'E2BIG',
          `an attribute value may be at most ${XATTR_VALUE_MAX_BYTES} bytes; this one has ${value.length}`,
        );
      }
      if ((flags & ~(XATTR_CREATE | XATTR_REPLACE)) !== 0 || flags === (XATTR_CREATE | XATTR_REPLACE)) {
        throw new VexError('EINVAL', `invalid setxattr flags ${flags}`);
      }
      if (name === VECTOR_XATTR) this.checkVector(value);
      const exists = this.table.getXattr(ino, name) !== undefined;
      if ((flags & XATTR_CREATE) !== 0 && exists) throw new VexError('EEXIST', `attribute '${name}' already exists`);
      if ((flags & XATTR_REPLACE) !== 0 && !exists)
        throw new VexError('ENODATA', `inode ${ino} has no attribute '${name}' to replace`);
      this.table.putXattr(ino, name, value);
      this.touch(row);
    });
  }

  remove(ino: number, name: string, cred: Cred): Promise<void> {
    return this.store.write(() => {
      const row = this.writable(ino, name, cred);
      if (!this.table.deleteXattr(ino, name)) throw new VexError('ENODATA', `inode ${ino} has no attribute '${name}'`);
      this.touch(row);
    });
  }

  private readable(ino: number, name: string, cred: Cred): InodeRow {
    checkXattrName(name);
    const row = this.guard(() => this.inode(ino));
    // Linux keeps user.* attributes to regular files and directories; elsewhere there are none to read.
    const type = row.mode & S_IFMT;
    if (type !== S_IFREG && type !== S_IFDIR) throw new VexError('ENODATA', `inode ${ino} has no attribute '${name}'`);
    requireAccess(row, cred, R_OK, `reading attributes of inode ${ino}`);
    return row;
  }

  private writable(ino: number, name: string, cred: Cred): InodeRow {
    checkXattrName(name);
    const row = this.inode(ino);
    const type = row.mode & S_IFMT;
    // Linux allows user.* attributes only on regular files and directories.
    if (type === S_IFLNK) throw new VexError('EPERM', 'user attributes cannot be set on a symlink');
    if (type === S_IFDIR && (row.mode & S_ISVTX) !== 0 && cred.uid !== 0 && cred.uid !== row.uid) {
      requireOwner(row, cred, 'setting user attributes on a sticky directory');
    }
    requireAccess(row, cred, W_OK, `changing attributes of inode ${ino}`);
    return row;
  }

  private checkVector(value: Uint8Array): void {
    const expected = vectorByteLength(this.store.meta.dim, this.store.meta.metric);
    if (value.length !== expected) {
      const what =
        this.store.meta.metric === 'hamming'
          ? `${this.store.meta.dim} bits packed`
          : `${this.store.meta.dim} little-endian float32`;
      throw new VexError('EINVAL', `${VECTOR_XATTR} must be ${expected} bytes (${what}); got ${value.length}`);
    }
    if (this.store.meta.metric !== 'hamming') {
      const view = new DataView(value.buffer, value.byteOffset, value.byteLength);
      for (let i = 0; i < value.length; i += 4) {
        if (!Number.isFinite(view.getFloat32(i, true))) {
          throw new VexError('EINVAL', `${VECTOR_XATTR} component ${i / 4} is not a finite number`);
        }
      }
    }
  }

  private touch(row: InodeRow): void {
    const now = nowTimespec();
    const { crc: _crc, ...rest } = row;
    this.table.putInode({ ...rest, ctime_s: now.sec, ctime_ns: now.nsec });
  }

  private guard<T>(body: () => T): T {
    try {
      return body();
    } catch (error) {
      throw this.store.fail(error);
    }
  }
}

export function checkXattrName(name: string): void {
  if (typeof name !== 'string' || name.length === 0) throw new VexError('EINVAL', 'an attribute name may not be empty');
  if (name.includes('\0')) throw new VexError('EINVAL', 'an attribute name may not contain a NUL byte');
  if (Buffer.byteLength(name) > XATTR_NAME_MAX_BYTES) {
    throw new VexError('ERANGE', `an attribute name may be at most ${XATTR_NAME_MAX_BYTES} bytes`);
  }
  if (!name.startsWith('user.') || name.length === 5) {
    throw new VexError('ENOTSUP', `only 'user.' attributes are supported, not '${name}'`);
  }
}
