import { VexError } from '../errors.js';
import { ROOT_INO } from '../store/layout.js';
import type { InodeRow } from '../store/rows.js';
import { nowTimespec } from './InodeTable.js';
import { checkName } from './names.js';
import { requireAccess, requireStickyAllows } from './permissions.js';
import { RENAME_EXCHANGE, RENAME_NOREPLACE, S_IFDIR, S_IFMT, W_OK, type Cred } from './types.js';
import { setTime, type Row, type VfsCore } from './VfsCore.js';

/**
 * rename(2) / renameat2(2): plain, RENAME_NOREPLACE and RENAME_EXCHANGE, with the
 * directory bookkeeping (a directory moved between parents moves one link of '..')
 * and the checks Linux makes (no directory into its own subtree, sticky directories,
 * write permission on a directory whose '..' changes).
 */
export function rename(
  core: VfsCore,
  parent: number,
  name: string,
  newParent: number,
  newName: string,
  flags: number,
  cred: Cred,
): Promise<void> {
  return core.mutate(() => {
    if (!Number.isInteger(flags) || (flags & ~(RENAME_NOREPLACE | RENAME_EXCHANGE)) !== 0) {
      throw new VexError('EINVAL', `unknown rename flags ${String(flags)}`);
    }
    if ((flags & RENAME_NOREPLACE) !== 0 && (flags & RENAME_EXCHANGE) !== 0) {
      throw new VexError('EINVAL', 'RENAME_NOREPLACE and RENAME_EXCHANGE cannot be combined');
    }
    checkName(name);
    checkName(newName);
    for (const n of [name, newName]) {
      if (n === '.' || n === '..') throw new VexError('EBUSY', `cannot rename '${n}'`);
    }
    const fromDir = core.searchableDir(parent, cred);
    const toDir = newParent === parent ? fromDir : core.searchableDir(newParent, cred);
    const source = core.child(parent, name);
    const target = core.table.getDirent(newParent, newName);
    const targetRow = target === undefined ? undefined : core.inode(target.ino);
    const exchanging = (flags & RENAME_EXCHANGE) !== 0;
    if (exchanging && targetRow === undefined) {
      throw new VexError('ENOENT', `'${newName}' does not exist to exchange with`);
    }
    if (targetRow !== undefined && (flags & RENAME_NOREPLACE) !== 0) {
      throw new VexError('EEXIST', `'${newName}' already exists`);
    }
    const sourceIsDir = (source.mode & S_IFMT) === S_IFDIR;
    const targetIsDir = targetRow !== undefined && (targetRow.mode & S_IFMT) === S_IFDIR;
    // Linux's order: the subtree checks, then "same inode: nothing to do", then permissions, then types.
    if (parent !== newParent) {
      if (sourceIsDir) requireNotInside(core, source.ino, newParent, 'EINVAL');
      // A target that is an ancestor of the source: Linux answers ENOTEMPTY (EINVAL when exchanging).
      if (targetIsDir) requireNotInside(core, targetRow.ino, parent, exchanging ? 'EINVAL' : 'ENOTEMPTY');
    }
    if (targetRow !== undefined && targetRow.ino === source.ino) return; // Two names of one inode: POSIX says do nothing.
    core.requireWritable(fromDir, cred, 'renaming an entry');
    requireStickyAllows(fromDir, source, cred, `renaming '${name}'`);
    if (newParent !== parent) core.requireWritable(toDir, cred, 'renaming into the directory');
    if (targetRow !== undefined) {
      requireStickyAllows(toDir, targetRow, cred, `replacing '${newName}'`);
      if (!exchanging) {
        if (sourceIsDir && !targetIsDir) throw new VexError('ENOTDIR', `'${newName}' is not a directory`);
        if (!sourceIsDir && targetIsDir) throw new VexError('EISDIR', `'${newName}' is a directory`);
      }
    }
    if (parent !== newParent) {
      // A directory that changes parent has its '..' rewritten: that needs write permission on it.
      if (sourceIsDir) requireAccess(source, cred, W_OK, `moving directory '${name}' to another parent`);
      if (exchanging && targetIsDir) requireAccess(targetRow, cred, W_OK, `moving directory '${newName}'`);
    }
    if (exchanging) {
      exchange(core, fromDir, toDir, name, newName, source, targetRow!);
      return;
    }
    if (targetRow !== undefined) {
      if (targetIsDir && core.table.hasEntries(targetRow.ino)) {
        throw new VexError('ENOTEMPTY', `'${newName}' is not empty`);
      }
      // All checks are done: from here on rows change.
      core.table.deleteDirent(newParent, newName);
      if (targetIsDir) core.adjustNlink(newParent, -1);
      core.dropLink(targetRow.ino, targetIsDir ? 2 : 1);
    }
    core.table.deleteDirent(parent, name);
    core.table.putDirent(newParent, newName, source.ino);
    const nlinkMove = sourceIsDir && parent !== newParent ? 1 : 0;
    core.touchDir(parent, -nlinkMove);
    if (newParent !== parent) core.touchDir(newParent, nlinkMove);
    touchCtime(core, source.ino);
  });
}

/** A directory may not move into itself or below itself. */
function requireNotInside(core: VfsCore, dir: number, newParent: number, code: 'EINVAL' | 'ENOTEMPTY'): void {
  for (let at = newParent; ; at = core.parentOf(at)) {
    if (at === dir) {
      throw new VexError(
        code,
        'a directory cannot move into itself or its own subdirectory, nor over its own ancestor',
      );
    }
    if (at === ROOT_INO) break;
  }
}

function exchange(
  core: VfsCore,
  fromDir: InodeRow,
  toDir: InodeRow,
  name: string,
  newName: string,
  source: InodeRow,
  target: InodeRow,
): void {
  const sourceIsDir = (source.mode & S_IFMT) === S_IFDIR;
  const targetIsDir = (target.mode & S_IFMT) === S_IFDIR;
  core.table.deleteDirent(fromDir.ino, name);
  core.table.deleteDirent(toDir.ino, newName);
  core.table.putDirent(fromDir.ino, name, target.ino);
  core.table.putDirent(toDir.ino, newName, source.ino);
  // A directory that changes parent moves one link from its old parent to its new one.
  const delta = fromDir.ino !== toDir.ino && sourceIsDir !== targetIsDir ? (sourceIsDir ? 1 : -1) : 0;
  core.touchDir(fromDir.ino, -delta);
  if (fromDir.ino !== toDir.ino) core.touchDir(toDir.ino, delta);
  touchCtime(core, source.ino);
  touchCtime(core, target.ino);
}

function touchCtime(core: VfsCore, ino: number): void {
  const row: Row = { ...core.inode(ino) };
  setTime(row, 'ctime', nowTimespec());
  core.table.putInode(row);
}
