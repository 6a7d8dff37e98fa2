import { existsSync, realpathSync } from 'node:fs';
import { dirname, isAbsolute, relative, resolve, sep } from 'node:path';
import { VexError } from '../errors.js';

/**
 * Confines the paths that requests name (create, open, export, mount, ingest) to one
 * directory in served mode. Symlinks are resolved on the longest existing prefix, so a
 * link inside the workspace cannot lead a request outside it.
 */
export class Workspace {
  private readonly root: string | null;

  constructor(root: string | null) {
    this.root = root === null ? null : realpathSync(resolve(root));
  }

  get rootDir(): string | null {
    return this.root;
  }

  /** The absolute path a request names; relative paths are taken from the workspace root. */
  resolve(path: string): string {
    const absolute = this.root !== null && !isAbsolute(path) ? resolve(this.root, path) : resolve(path);
    if (this.root === null) return absolute;
    const real = realpathOfLongestPrefix(absolute);
    const rel = relative(this.root, real);
    if (rel === '' || (!rel.startsWith('..') && !isAbsolute(rel) && !rel.split(sep).includes('..'))) return absolute;
    throw new VexError(
      'EACCES',
      `'${path}' is outside the workspace root ${this.root}; only paths inside it are allowed here`,
    );
  }
}

function realpathOfLongestPrefix(path: string): string {
  let existing = path;
  const rest: string[] = [];
  while (!existsSync(existing)) {
    const parent = dirname(existing);
    if (parent === existing) break;
    rest.unshift(existing.slice(parent.length).replace(/^[/\\]/, ''));
    existing = parent;
  }
  return resolve(realpathSync(existing), ...rest);
}
