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
    const fromDir = core.writableDir(parent, cred, 'renaming an entry');
    const toDir = newParent === parent ? fromDir : core.writableDir(newParent, cred, 'renaming into the directory');
    const source = core.child(parent, name);
    const target = core.table.getDirent(newParent, newName);
    const targetRow = target === undefined ? undefined : core.inode(target.ino);
    requireStickyAllows(fromDir, source, cred, `renaming '${name}'`);
    if (targetRow !== undefined) requireStickyAllows(toDir, targetRow, cred, `replacing '${newName}'`);
    if ((flags & RENAME_EXCHANGE) !== 0) {
      if (targetRow === undefined) throw new VexError('ENOENT', `'${newName}' does not exist to exchange with`);
      exchange(core, fromDir, toDir, name, newName, source, targetRow, cred);
      return;
    }
    if (targetRow !== undefined && (flags & RENAME_NOREPLACE) !== 0) {
      throw new VexError('EEXIST', `'${newName}' already exists`);
    }
    if (targetRow !== undefined && targetRow.ino === source.ino) return; // Two names of one inode: POSIX says do nothing.
    const sourceIsDir = (source.mode & S_IFMT) === S_IFDIR;
    if (sourceIsDir) checkDirMove(core, source, parent, newParent, cred);
    if (targetRow !== undefined) {
      const targetIsDir = (targetRow.mode & S_IFMT) === S_IFDIR;
      if (sourceIsDir && !targetIsDir) throw new VexError('ENOTDIR', `'${newName}' is not a directory`);
      if (!sourceIsDir && targetIsDir) throw new VexError('EISDIR', `'${newName}' is a directory`);
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

/** A directory that changes parent must not land inside itself, and its '..' changes: that needs write permission on it. */
function checkDirMove(core: VfsCore, source: InodeRow, parent: number, newParent: number, cred: Cred): void {
  if (parent === newParent) return;
  requireAccess(source, cred, W_OK, 'moving a directory to another parent needs write permission on it');
  for (let at = newParent; ; at = core.parentOf(at)) {
    if (at === source.ino) throw new VexError('EINVAL', 'cannot move a directory into itself or its own subdirectory');
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
  cred: Cred,
): void {
  if (source.ino === target.ino) return;
  const sourceIsDir = (source.mode & S_IFMT) === S_IFDIR;
  const targetIsDir = (target.mode & S_IFMT) === S_IFDIR;
  if (fromDir.ino !== toDir.ino) {
    if (sourceIsDir) checkDirMove(core, source, fromDir.ino, toDir.ino, cred);
    if (targetIsDir) checkDirMove(core, target, toDir.ino, fromDir.ino, cred);
  }
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
