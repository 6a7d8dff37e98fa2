import { VexError } from '../errors.js';
import type { InodeFields } from '../store/rows.js';
import { S_IFDIR, S_IFMT, S_ISVTX, X_OK, type Cred } from './types.js';

/**
 * The POSIX permission model as Linux applies it: owner, group (primary or
 * supplementary) or other bits; root passes every read and write check, and an
 * execute check when any execute bit is set (or the inode is a directory).
 */
export function inGroup(cred: Cred, gid: number): boolean {
  return cred.gid === gid || cred.groups.includes(gid);
}

export function permits(inode: InodeFields, cred: Cred, mask: number): boolean {
  if (mask === 0) return true;
  if (cred.uid === 0) {
    if ((mask & X_OK) === 0) return true;
    return (inode.mode & S_IFMT) === S_IFDIR || (inode.mode & 0o111) !== 0;
  }
  const bits =
    cred.uid === inode.uid ? (inode.mode >> 6) & 7 : inGroup(cred, inode.gid) ? (inode.mode >> 3) & 7 : inode.mode & 7;
  return (bits & mask) === mask;
}

export function requireAccess(inode: InodeFields, cred: Cred, mask: number, what: string): void {
  if (!permits(inode, cred, mask)) {
    throw new VexError('EACCES', `permission denied: ${what}`);
  }
}

/** Only the owner (or root) may change mode, times to explicit values, or ownership details. */
export function requireOwner(inode: InodeFields, cred: Cred, what: string): void {
  if (cred.uid !== 0 && cred.uid !== inode.uid) {
    throw new VexError('EPERM', `operation not permitted: ${what} (only the owner or root may)`);
  }
}

/** In a sticky directory only the entry's owner, the directory's owner or root may remove or rename the entry. */
export function requireStickyAllows(dir: InodeFields, entry: InodeFields, cred: Cred, what: string): void {
  if ((dir.mode & S_ISVTX) === 0 || cred.uid === 0) return;
  if (cred.uid === entry.uid || cred.uid === dir.uid) return;
  throw new VexError(
    'EPERM',
    `operation not permitted: ${what} (the directory is sticky and you own neither it nor the entry)`,
  );
}
