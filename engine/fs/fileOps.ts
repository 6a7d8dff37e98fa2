import { VexError } from '../errors.js';
import { MAX_FILE_SIZE } from '../store/layout.js';
import { readData, truncateData, writeData } from './fileData.js';
import { nowTimespec, toAttr } from './InodeTable.js';
import { inGroup, permits, requireAccess, requireOwner } from './permissions.js';
import {
  O_ACCMODE,
  O_APPEND,
  O_RDONLY,
  O_RDWR,
  O_TRUNC,
  O_WRONLY,
  PERMISSION_BITS,
  R_OK,
  S_IFDIR,
  S_IFLNK,
  S_IFMT,
  S_IFREG,
  S_ISGID,
  S_ISUID,
  W_OK,
  type Attr,
  type Cred,
  type SetAttrChanges,
} from './types.js';
import { checkRange, checkSize, checkTimespec, setTime, type Row, type VfsCore } from './VfsCore.js';

/** File content and attributes: setattr, open, read, write, release. */

/** -0 passes the integer checks but SQLite stores it as 0, so a row holding it would fail its checksum on read. */
function noNegativeZero<T>(value: T): T {
  return (typeof value === 'number' && value === 0 ? 0 : value) as T;
}

function normalise(changes: SetAttrChanges): SetAttrChanges {
  const time = (t: SetAttrChanges['atime']) =>
    typeof t === 'object' && t !== null ? { sec: noNegativeZero(t.sec), nsec: noNegativeZero(t.nsec) } : t;
  const out: SetAttrChanges = {};
  if (changes.mode !== undefined) out.mode = noNegativeZero(changes.mode);
  if (changes.uid !== undefined) out.uid = noNegativeZero(changes.uid);
  if (changes.gid !== undefined) out.gid = noNegativeZero(changes.gid);
  if (changes.size !== undefined) out.size = noNegativeZero(changes.size);
  if (changes.atime !== undefined) out.atime = time(changes.atime);
  if (changes.mtime !== undefined) out.mtime = time(changes.mtime);
  return out;
}

export function setattr(core: VfsCore, ino: number, given: SetAttrChanges, cred: Cred, fh?: number): Promise<Attr> {
  return core.mutate(() => {
    if (typeof given !== 'object' || given === null) throw new VexError('EINVAL', 'setattr needs an object of changes');
    const changes = normalise(given);
    const row: Row = { ...core.inode(ino) };
    const now = nowTimespec();
    if (changes.size !== undefined) {
      const viaWritableHandle = fh !== undefined && (core.handle(fh).flags & O_ACCMODE) !== O_RDONLY;
      if ((row.mode & S_IFMT) === S_IFDIR) {
        throw new VexError('EISDIR', `inode ${ino} is a directory and has no size to set`);
      }
      if ((row.mode & S_IFMT) !== S_IFREG) throw new VexError('EINVAL', `only regular files can be truncated`);
      if (!viaWritableHandle) requireAccess(row, cred, W_OK, 'truncating needs write permission on the file');
      checkSize(changes.size);
    }
    if (changes.mode !== undefined) {
      if (!Number.isInteger(changes.mode)) throw new VexError('EINVAL', `a mode must be an integer`);
      requireOwner(row, cred, 'changing the mode');
    }
    if (changes.uid !== undefined || changes.gid !== undefined) checkChown(row, changes.uid, changes.gid, cred);
    for (const which of ['atime', 'mtime'] as const) {
      const value = changes[which];
      if (value === undefined) continue;
      if (value === 'now') {
        if (cred.uid !== 0 && cred.uid !== row.uid && !permits(row, cred, W_OK)) {
          throw new VexError('EACCES', 'setting times to now needs ownership or write permission');
        }
      } else {
        requireOwner(row, cred, 'setting explicit times');
        checkTimespec(value);
      }
    }
    // Every check passed: apply.
    if (changes.size !== undefined) {
      row.alloc += truncateData(core.table, ino, row.size, changes.size);
      row.size = changes.size;
      setTime(row, 'mtime', now);
      core.clearSetIds(row, cred);
    }
    if (changes.mode !== undefined) {
      let mode = changes.mode & PERMISSION_BITS;
      if (cred.uid !== 0 && !inGroup(cred, row.gid)) mode &= ~S_ISGID;
      row.mode = (row.mode & S_IFMT) | mode;
    }
    if (changes.uid !== undefined || changes.gid !== undefined) applyChown(row, changes.uid, changes.gid);
    for (const which of ['atime', 'mtime'] as const) {
      const value = changes[which];
      if (value !== undefined) setTime(row, which, value === 'now' ? now : value);
    }
    setTime(row, 'ctime', now);
    core.table.putInode(row);
    return toAttr(row);
  });
}

/** chown(2) rules: only root changes the owner; the owner may change the group to one of its own. */
function checkChown(row: Row, uid: number | undefined, gid: number | undefined, cred: Cred): void {
  for (const [label, id] of [
    ['uid', uid],
    ['gid', gid],
  ] as const) {
    if (id !== undefined && (!Number.isInteger(id) || id < 0 || id > 0xfffffffe)) {
      throw new VexError('EINVAL', `${label} must be an integer from 0 to 4294967294, got ${String(id)}`);
    }
  }
  if (cred.uid === 0) return;
  if (uid !== undefined && (uid !== row.uid || cred.uid !== row.uid)) {
    throw new VexError('EPERM', "only root may change a file's owner");
  }
  if (gid !== undefined) {
    if (cred.uid !== row.uid) throw new VexError('EPERM', "only the owner or root may change a file's group");
    if (gid !== row.gid && !inGroup(cred, gid)) throw new VexError('EPERM', `you are not a member of group ${gid}`);
  }
}

function applyChown(row: Row, uid: number | undefined, gid: number | undefined): void {
  if (uid !== undefined) row.uid = uid;
  if (gid !== undefined) row.gid = gid;
  // As Linux does on chown of a non-directory: set-user-ID goes, and set-group-ID when group-executable.
  if ((row.mode & S_IFMT) !== S_IFDIR) {
    row.mode &= ~S_ISUID;
    if ((row.mode & 0o010) !== 0) row.mode &= ~S_ISGID;
  }
}

export function open(core: VfsCore, ino: number, flags: number, cred: Cred): Promise<number> {
  let truncate: boolean;
  try {
    if (!Number.isInteger(flags) || flags < 0) throw new VexError('EINVAL', `open flags must be an integer`);
    const access = flags & O_ACCMODE;
    if (access !== O_RDONLY && access !== O_WRONLY && access !== O_RDWR) {
      throw new VexError('EINVAL', `open flags have an invalid access mode (${access})`);
    }
    const row = core.guard(() => core.inode(ino));
    const type = row.mode & S_IFMT;
    if (type === S_IFDIR && (access !== O_RDONLY || (flags & O_TRUNC) !== 0)) {
      throw new VexError('EISDIR', `inode ${ino} is a directory and cannot be opened for writing`);
    }
    if (type === S_IFLNK) throw new VexError('ELOOP', `inode ${ino} is a symlink; open what it points to`);
    // Linux asks for write permission with O_TRUNC whatever the access mode, and truncates.
    const mask =
      (access === O_RDONLY ? R_OK : access === O_WRONLY ? W_OK : R_OK | W_OK) | ((flags & O_TRUNC) !== 0 ? W_OK : 0);
    requireAccess(row, cred, mask, `opening inode ${ino}`);
    truncate = (flags & O_TRUNC) !== 0 && type === S_IFREG;
  } catch (error) {
    return Promise.reject(error);
  }
  if (!truncate) return Promise.resolve(core.openHandle(ino, flags, false));
  return core.mutate(() => {
    const current: Row = { ...core.inode(ino) };
    if (current.size > 0) {
      current.alloc += truncateData(core.table, ino, current.size, 0);
      current.size = 0;
      const now = nowTimespec();
      setTime(current, 'mtime', now);
      setTime(current, 'ctime', now);
      core.clearSetIds(current, cred);
      core.table.putInode(current);
    }
    return core.openHandle(ino, flags, false);
  });
}

export function read(core: VfsCore, fh: number, offset: number, length: number): Buffer {
  const handle = core.handle(fh);
  if (handle.dir) throw new VexError('EISDIR', 'cannot read a directory handle');
  if ((handle.flags & O_ACCMODE) === O_WRONLY) throw new VexError('EBADF', `handle ${fh} is open for writing only`);
  checkRange(offset, length);
  const row = core.guard(() => core.inode(handle.ino));
  if ((row.mode & S_IFMT) === S_IFDIR) throw new VexError('EISDIR', `inode ${handle.ino} is a directory`);
  const data = core.guard(() => readData(core.table, handle.ino, row.size, offset, length));
  core.maybeUpdateAtime(row);
  return data;
}

export function write(core: VfsCore, fh: number, offset: number, data: Uint8Array, cred: Cred): Promise<number> {
  return core.mutate(() => {
    const handle = core.handle(fh);
    if (handle.dir) throw new VexError('EISDIR', 'cannot write a directory handle');
    if ((handle.flags & O_ACCMODE) === O_RDONLY) throw new VexError('EBADF', `handle ${fh} is open for reading only`);
    if (!(data instanceof Uint8Array)) throw new VexError('EINVAL', 'write needs bytes (a Uint8Array)');
    checkRange(offset, data.length);
    const row: Row = { ...core.inode(handle.ino) };
    const at = (handle.flags & O_APPEND) !== 0 ? row.size : offset + 0; // + 0: never -0 into a row
    if (at + data.length > MAX_FILE_SIZE) {
      throw new VexError(
        'EFBIG',
        `writing ${data.length} bytes at ${at} would pass the largest file size (${MAX_FILE_SIZE} bytes)`,
      );
    }
    if (data.length === 0) return 0;
    row.alloc += writeData(core.table, handle.ino, at, data);
    row.size = Math.max(row.size, at + data.length);
    const now = nowTimespec();
    setTime(row, 'mtime', now);
    setTime(row, 'ctime', now);
    core.clearSetIds(row, cred);
    core.table.putInode(row);
    return data.length;
  });
}

export async function release(core: VfsCore, fh: number): Promise<void> {
  const handle = core.handle(fh);
  if (handle.dir) throw new VexError('EISDIR', `handle ${fh} is a directory handle (use releasedir)`);
  core.handles.delete(fh);
  const left = (core.openCounts.get(handle.ino) ?? 1) - 1;
  if (left > 0) core.openCounts.set(handle.ino, left);
  else core.openCounts.delete(handle.ino);
  await core.reapIfUnused(handle.ino);
}
