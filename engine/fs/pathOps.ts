import { VexError } from '../errors.js';
import { VECTOR_XATTR } from '../store/layout.js';
import { resolveParent, resolvePath } from './paths.js';
import { O_RDONLY, O_TRUNC, O_WRONLY, type Attr, type Cred, type DirEntry } from './types.js';
import type { Vfs } from './Vfs.js';

/**
 * Path-level operations over the Vfs for callers that think in paths (the API host,
 * vexctl fs, the demo): each is the sequence of inode operations a process would make
 * through a mount, with the same permission checks.
 */
export function statPath(vfs: Vfs, path: string, cred: Cred, follow = true): Attr {
  return vfs.getattr(resolvePath(vfs, path, cred, follow).ino);
}

/** One page of a directory listing (without '.' and '..'), and the offset to continue from. */
export function listDir(
  vfs: Vfs,
  path: string,
  cred: Cred,
  offset = 0,
  limit = 1000,
): { entries: DirEntry[]; nextOffset: number | null } {
  const { ino } = resolvePath(vfs, path, cred, true);
  const fh = vfs.opendir(ino, cred);
  try {
    const page = vfs.readdir(fh, Math.max(offset, 2), limit + 1);
    const entries = page.slice(0, limit);
    return { entries, nextOffset: page.length > limit ? (entries.at(-1)?.offset ?? null) : null };
  } finally {
    vfs.releasedir(fh);
  }
}

export async function readRange(vfs: Vfs, path: string, cred: Cred, offset: number, length: number): Promise<Buffer> {
  const { ino } = resolvePath(vfs, path, cred, true);
  const fh = await vfs.open(ino, O_RDONLY, cred);
  try {
    return Buffer.from(vfs.read(fh, offset, length));
  } finally {
    await vfs.release(fh);
  }
}

/** Creates or replaces a file's whole content (open with O_TRUNC, or create). */
export async function writeWholeFile(
  vfs: Vfs,
  path: string,
  data: Uint8Array,
  mode: number,
  cred: Cred,
): Promise<Attr> {
  const { parent, name } = resolveParent(vfs, path, cred);
  let fh: number;
  let ino: number;
  try {
    const existing = resolvePath(vfs, path, cred, true);
    ino = existing.ino;
    fh = await vfs.open(ino, O_WRONLY | O_TRUNC, cred);
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
    const created = await vfs.create(parent, name, mode, O_WRONLY, cred);
    ino = created.attr.ino;
    fh = created.fh;
  }
  try {
    if (data.length > 0) await vfs.write(fh, 0, data, cred);
  } finally {
    await vfs.release(fh);
  }
  return vfs.getattr(ino);
}

export async function makeDirectory(vfs: Vfs, path: string, mode: number, parents: boolean, cred: Cred): Promise<Attr> {
  if (!parents) {
    const { parent, name } = resolveParent(vfs, path, cred);
    return vfs.mkdir(parent, name, mode, cred);
  }
  const parts = path.split('/').filter((part) => part !== '' && part !== '.');
  let attr = vfs.getattr(1);
  for (let i = 1; i <= parts.length; i++) {
    const prefix = parts.slice(0, i).join('/');
    try {
      attr = statPath(vfs, prefix, cred);
      if (attr.kind !== 'dir') throw new VexError('ENOTDIR', `'${prefix}' exists and is not a directory`);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      const { parent, name } = resolveParent(vfs, prefix, cred);
      attr = await vfs.mkdir(parent, name, mode, cred);
    }
  }
  return attr;
}

export async function removePath(vfs: Vfs, path: string, recursive: boolean, cred: Cred): Promise<void> {
  const { parent, name } = resolveParent(vfs, path, cred);
  const attr = statPath(vfs, path, cred, false);
  if (attr.kind !== 'dir') return vfs.unlink(parent, name, cred);
  if (recursive) {
    for (;;) {
      const { entries } = listDir(vfs, path, cred, 0, 256);
      if (entries.length === 0) break;
      for (const entry of entries) await removePath(vfs, `${path.replace(/\/+$/, '')}/${entry.name}`, true, cred);
    }
  }
  return vfs.rmdir(parent, name, cred);
}

export async function renamePath(vfs: Vfs, from: string, to: string, flags: number, cred: Cred): Promise<void> {
  const source = resolveParent(vfs, from, cred);
  const target = resolveParent(vfs, to, cred);
  return vfs.rename(source.parent, source.name, target.parent, target.name, flags, cred);
}

/** The file's embedding from `user.vexfs.vector`, or null when it has none. */
export function readVector(vfs: Vfs, path: string, cred: Cred): Float32Array | null {
  const { ino } = resolvePath(vfs, path, cred, true);
  try {
    const bytes = vfs.xattr.get(ino, VECTOR_XATTR, cred);
    if (vfs.store.meta.metric === 'hamming') return Float32Array.from(bytes);
    const copy = new Uint8Array(bytes);
    return new Float32Array(copy.buffer, 0, copy.byteLength / 4);
  } catch (error) {
    if ((error as { code?: string }).code === 'ENODATA') return null;
    throw error;
  }
}
