import { VexError } from '../errors.js';
import { ROOT_INO } from '../store/layout.js';
import { splitPath } from './names.js';
import { S_IFDIR, S_IFLNK, S_IFMT, X_OK, type Cred } from './types.js';
import type { Vfs } from './Vfs.js';

const MAX_SYMLINK_HOPS = 40;

/**
 * Path resolution over the inode operations, the way the kernel walks a path for a
 * FUSE mount: search permission on every directory, symlinks followed (ELOOP after
 * 40), '..' through each directory's parent. Store paths are rooted at the store's
 * root; a relative path is taken from the root too. Resolution counts no lookups.
 */
export interface Resolved {
  ino: number;
  parent: number;
  name: string;
}

export function resolvePath(vfs: Vfs, path: string, cred: Cred, followLast = true): Resolved {
  let hops = 0;
  let parts = splitPath(path);
  let dir = ROOT_INO;
  let current: Resolved = { ino: ROOT_INO, parent: ROOT_INO, name: '/' };
  while (parts.length > 0) {
    const [name, ...rest] = parts as [string, ...string[]];
    const dirRow = vfs.inode(dir);
    if ((dirRow.mode & S_IFMT) !== S_IFDIR)
      throw new VexError('ENOTDIR', `a component before '${name}' is not a directory`);
    vfs.access(dir, X_OK, cred);
    let ino: number;
    if (name === '..') {
      ino = parentOf(vfs, dir);
    } else {
      ino = vfs.childIno(dir, name);
    }
    const row = vfs.inode(ino);
    const last = rest.length === 0;
    if ((row.mode & S_IFMT) === S_IFLNK && (!last || followLast)) {
      hops += 1;
      if (hops > MAX_SYMLINK_HOPS) throw new VexError('ELOOP', `too many symlinks while resolving '${path}'`);
      const target = vfs.readlink(ino);
      parts = [...splitPath(target), ...rest];
      if (target.startsWith('/')) dir = ROOT_INO;
      continue;
    }
    current = { ino, parent: dir, name };
    dir = ino;
    parts = rest;
  }
  return current;
}

/** The directory that would hold `path`, and the last name: for create, mkdir, rename targets. */
export function resolveParent(vfs: Vfs, path: string, cred: Cred): { parent: number; name: string } {
  const parts = splitPath(path);
  // A trailing '.' stays the last name (rmdir 'a/.' is EINVAL, not a removal of 'a').
  const trailingDot = /(^|\/)\.\/*$/.test(path);
  const name = trailingDot ? '.' : parts.pop();
  if (name === undefined) throw new VexError('EEXIST', 'the root directory always exists');
  const parent = resolvePath(vfs, parts.join('/'), cred, true);
  const row = vfs.inode(parent.ino);
  if ((row.mode & S_IFMT) !== S_IFDIR) throw new VexError('ENOTDIR', `'${parts.join('/')}' is not a directory`);
  // The kernel's walk searches the parent for the last name before anything else happens.
  vfs.access(parent.ino, X_OK, cred);
  return { parent: parent.ino, name };
}

function parentOf(vfs: Vfs, dir: number): number {
  return dir === ROOT_INO ? ROOT_INO : vfs.parentIno(dir);
}
