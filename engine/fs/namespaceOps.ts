import { VexError } from '../errors.js';
import { SYMLINK_MAX_BYTES } from '../store/layout.js';
import { nowTimespec, toAttr } from './InodeTable.js';
import { checkName } from './names.js';
import { requireStickyAllows } from './permissions.js';
import { PERMISSION_BITS, S_IFDIR, S_IFLNK, S_IFMT, S_IFREG, S_ISGID, S_ISVTX, type Attr, type Cred } from './types.js';
import { setTime, type Row, type VfsCore } from './VfsCore.js';

/**
 * Operations that add or remove names: mkdir, rmdir, create, unlink, link, symlink.
 * Each runs inside one store write with every check before the first row changes,
 * and the checks in Linux's order, so that a call with several faults gets the errno
 * Linux gives: search permission on the parent, then the name (EEXIST / ENOENT), then
 * write permission, then sticky-directory rules, then the type of the entry.
 */

/** New entries in a set-group-ID directory take the directory's group, as on Linux. */
function groupFor(dir: Row, cred: Cred): number {
  return (dir.mode & S_ISGID) !== 0 ? dir.gid : cred.gid;
}

/** The directory a new name goes into: searchable, the name free, then writable. */
function dirForNewName(core: VfsCore, parent: number, name: string, cred: Cred): Row {
  checkName(name);
  const dir = core.searchableDir(parent, cred);
  if (name === '.' || name === '..') throw new VexError('EEXIST', `'${name}' always exists in a directory`);
  core.requireAbsent(parent, name);
  core.requireWritable(dir, cred, 'creating an entry');
  return dir;
}

export function mkdir(core: VfsCore, parent: number, name: string, mode: number, cred: Cred): Promise<Attr> {
  return core.mutate(() => {
    const dir = dirForNewName(core, parent, name, cred);
    const setgid = (dir.mode & S_ISGID) !== 0 ? S_ISGID : 0;
    // mkdir(2) takes permission bits and sticky; set-group-ID comes only from the parent.
    const bits = mode & (0o777 | S_ISVTX);
    const row = core.newInode(S_IFDIR | bits | setgid, cred.uid, groupFor(dir, cred), 2, null);
    core.table.putDirent(parent, name, row.ino);
    core.touchDir(parent, 1);
    return toAttr(row);
  });
}

export function rmdir(core: VfsCore, parent: number, name: string, cred: Cred): Promise<void> {
  return core.mutate(() => {
    checkName(name);
    const dir = core.searchableDir(parent, cred);
    if (name === '.') throw new VexError('EINVAL', "rmdir of '.' is not allowed");
    if (name === '..') throw new VexError('ENOTEMPTY', "rmdir of '..' is not allowed");
    const entry = core.child(parent, name);
    core.requireWritable(dir, cred, 'removing an entry');
    requireStickyAllows(dir, entry, cred, `removing '${name}'`);
    if ((entry.mode & S_IFMT) !== S_IFDIR) throw new VexError('ENOTDIR', `'${name}' is not a directory`);
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
    const dir = dirForNewName(core, parent, name, cred);
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
    const dir = core.searchableDir(parent, cred);
    if (name === '.' || name === '..') throw new VexError('EISDIR', `'${name}' is a directory (use rmdir)`);
    const entry = core.child(parent, name);
    core.requireWritable(dir, cred, 'removing an entry');
    requireStickyAllows(dir, entry, cred, `removing '${name}'`);
    if ((entry.mode & S_IFMT) === S_IFDIR) throw new VexError('EISDIR', `'${name}' is a directory (use rmdir)`);
    core.table.deleteDirent(parent, name);
    core.touchDir(parent, 0);
    core.dropLink(entry.ino, 1);
  });
}

export function link(core: VfsCore, ino: number, newParent: number, newName: string, cred: Cred): Promise<Attr> {
  return core.mutate(() => {
    const row: Row = { ...core.inode(ino) };
    dirForNewName(core, newParent, newName, cred);
    if ((row.mode & S_IFMT) === S_IFDIR) throw new VexError('EPERM', 'hard links to directories are not allowed');
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
    const dir = dirForNewName(core, parent, name, cred);
    const row = core.newInode(S_IFLNK | 0o777, cred.uid, groupFor(dir, cred), 1, bytes);
    core.table.putDirent(parent, name, row.ino);
    core.touchDir(parent, 0);
    return toAttr(row);
  });
}
