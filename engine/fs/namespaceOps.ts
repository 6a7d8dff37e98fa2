import { VexError } from '../errors.js';
import { SYMLINK_MAX_BYTES } from '../store/layout.js';
import { nowTimespec, toAttr } from './InodeTable.js';
import { checkName, checkNewName } from './names.js';
import { requireStickyAllows } from './permissions.js';
import { PERMISSION_BITS, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, S_ISGID, type Attr, type Cred } from './types.js';
import { setTime, type Row, type VfsCore } from './VfsCore.js';

/**
 * Operations that add or remove names: mkdir, rmdir, create, unlink, link, symlink.
 * Each runs inside one store write: every check happens before the first row changes,
 * and a failure undoes the operation as a whole.
 */

/** New entries in a set-group-ID directory take the directory's group, as on Linux. */
function groupFor(dir: Row, cred: Cred): number {
  return (dir.mode & S_ISGID) !== 0 ? dir.gid : cred.gid;
}

export function mkdir(core: VfsCore, parent: number, name: string, mode: number, cred: Cred): Promise<Attr> {
  return core.mutate(() => {
    checkNewName(name);
    const dir = core.writableDir(parent, cred, 'creating an entry');
    core.requireAbsent(parent, name);
    const setgid = (dir.mode & S_ISGID) !== 0 ? S_ISGID : 0;
    const row = core.newInode(S_IFDIR | (mode & PERMISSION_BITS) | setgid, cred.uid, groupFor(dir, cred), 2, null);
    core.table.putDirent(parent, name, row.ino);
    core.touchDir(parent, 1);
    return toAttr(row);
  });
}

export function rmdir(core: VfsCore, parent: number, name: string, cred: Cred): Promise<void> {
  return core.mutate(() => {
    checkName(name);
    if (name === '.') throw new VexError('EINVAL', "rmdir of '.' is not allowed");
    if (name === '..') throw new VexError('ENOTEMPTY', "rmdir of '..' is not allowed");
    const dir = core.writableDir(parent, cred, 'removing an entry');
    const entry = core.child(parent, name);
    if ((entry.mode & S_IFMT) !== S_IFDIR) throw new VexError('ENOTDIR', `'${name}' is not a directory`);
    requireStickyAllows(dir, entry, cred, `removing '${name}'`);
    if (core.table.hasEntries(entry.ino)) throw new VexError('ENOTEMPTY', `directory '${name}' is not empty`);
    core.table.deleteDirent(parent, name);
    core.touchDir(parent, -1);
    core.dropLink(entry.ino, 2);
  });
}

/** Creates and opens a regular file (O_CREAT|O_EXCL semantics: an existing name is EEXIST). */
export function create(
  core: VfsCore,
  parent: number,
  name: string,
  mode: number,
  flags: number,
  cred: Cred,
): Promise<{ attr: Attr; fh: number }> {
  return core.mutate(() => {
    checkNewName(name);
    const dir = core.writableDir(parent, cred, 'creating an entry');
    core.requireAbsent(parent, name);
    const row = core.newInode(S_IFREG | (mode & PERMISSION_BITS), cred.uid, groupFor(dir, cred), 1, null);
    core.table.putDirent(parent, name, row.ino);
    core.touchDir(parent, 0);
    const fh = core.openHandle(row.ino, flags, false);
    return { attr: toAttr(row), fh };
  });
}

export function unlink(core: VfsCore, parent: number, name: string, cred: Cred): Promise<void> {
  return core.mutate(() => {
    checkName(name);
    const dir = core.writableDir(parent, cred, 'removing an entry');
    if (name === '.' || name === '..') throw new VexError('EISDIR', `'${name}' is a directory (use rmdir)`);
    const entry = core.child(parent, name);
    if ((entry.mode & S_IFMT) === S_IFDIR) throw new VexError('EISDIR', `'${name}' is a directory (use rmdir)`);
    requireStickyAllows(dir, entry, cred, `removing '${name}'`);
    core.table.deleteDirent(parent, name);
    core.touchDir(parent, 0);
    core.dropLink(entry.ino, 1);
  });
}

export function link(core: VfsCore, ino: number, newParent: number, newName: string, cred: Cred): Promise<Attr> {
  return core.mutate(() => {
    checkNewName(newName);
    const row: Row = { ...core.inode(ino) };
    if ((row.mode & S_IFMT) === S_IFDIR) throw new VexError('EPERM', 'hard links to directories are not allowed');
    core.writableDir(newParent, cred, 'creating an entry');
    core.requireAbsent(newParent, newName);
    // An unlinked file that is still open cannot get a name back (linkat without AT_EMPTY_PATH).
    if (row.nlink === 0) throw new VexError('ENOENT', `inode ${ino} has been removed`);
    core.table.putDirent(newParent, newName, ino);
    core.touchDir(newParent, 0);
    row.nlink += 1;
    setTime(row, 'ctime', nowTimespec());
    core.table.putInode(row);
    return toAttr(row);
  });
}

export function symlink(core: VfsCore, target: string, parent: number, name: string, cred: Cred): Promise<Attr> {
  return core.mutate(() => {
    checkNewName(name);
    if (typeof target !== 'string') throw new VexError('EINVAL', 'a symlink target must be a string');
    if (target.length === 0) throw new VexError('ENOENT', 'a symlink target may not be empty');
    if (target.includes('\0')) throw new VexError('EINVAL', 'a symlink target may not contain a NUL byte');
    const bytes = Buffer.from(target);
    if (bytes.length > SYMLINK_MAX_BYTES) {
      throw new VexError(
        'ENAMETOOLONG',
        `a symlink target may be at most ${SYMLINK_MAX_BYTES} bytes; this one has ${bytes.length}`,
      );
    }
    const dir = core.writableDir(parent, cred, 'creating an entry');
    core.requireAbsent(parent, name);
    const row = core.newInode(S_IFLNK | 0o777, cred.uid, groupFor(dir, cred), 1, bytes);
    core.table.putDirent(parent, name, row.ino);
    core.touchDir(parent, 0);
    return toAttr(row);
  });
}
