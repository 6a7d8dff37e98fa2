import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVexError, type ErrorCode } from '../../engine/errors.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { Store, type CreateOptions } from '../../engine/store/Store.js';
import { ROOT_CRED, type Cred } from '../../engine/fs/types.js';

export const ROOT = 1;
export const ALICE: Cred = { uid: 1000, gid: 1000, groups: [] };
export const BOB: Cred = { uid: 1001, gid: 1001, groups: [2000] };
export { ROOT_CRED };

export const LONG = process.env.VEXFS_TEST_TIER === 'long';

export interface Fixture {
  dir: string;
  store: Store;
  vfs: Vfs;
  /** Closes the store and opens it again from disk; returns the new Vfs. */
  reopen(): Promise<Vfs>;
  cleanup(): Promise<void>;
}

/** A real store in a temp directory, and a Vfs over it. */
export async function withStore(options: CreateOptions = {}): Promise<Fixture> {
  const parent = mkdtempSync(join(tmpdir(), 'vexfs-fs-'));
  const dir = join(parent, 'store');
  const fixture: Fixture = {
    dir,
    store: await Store.create(dir, { dim: 4, syncOnClose: false, ...options }),
    vfs: undefined as unknown as Vfs,
    async reopen() {
      await fixture.store.close();
      fixture.store = await Store.open(dir, { syncOnClose: false });
      fixture.vfs = new Vfs(fixture.store);
      return fixture.vfs;
    },
    async cleanup() {
      await fixture.store.close();
      rmSync(parent, { recursive: true, force: true });
    },
  };
  fixture.vfs = new Vfs(fixture.store);
  return fixture;
}

/** Asserts that `action` fails with a VexError of `code` (sync or async). */
export async function rejects(action: () => unknown, code: ErrorCode, message?: RegExp): Promise<void> {
  let caught: unknown;
  try {
    await action();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `expected ${code}, but the call succeeded`);
  assert.ok(isVexError(caught), `expected a VexError ${code}, got ${String(caught)}`);
  assert.equal(caught.code, code, `expected ${code}, got ${caught.code}: ${caught.message}`);
  if (message) assert.match(caught.message, message);
}

/** Creates a file with `content` under `parent` and closes it; returns its inode. */
export async function makeFile(
  vfs: Vfs,
  parent: number,
  name: string,
  content: string | Uint8Array = '',
  cred: Cred = ROOT_CRED,
  mode = 0o644,
): Promise<number> {
  const { attr, fh } = await vfs.create(parent, name, mode, 0o2, cred);
  const bytes = typeof content === 'string' ? Buffer.from(content) : content;
  if (bytes.length > 0) await vfs.write(fh, 0, bytes, cred);
  await vfs.release(fh);
  return attr.ino;
}

/** The whole content of a file, read through a handle. */
export async function readAll(vfs: Vfs, ino: number, cred: Cred = ROOT_CRED): Promise<Buffer> {
  const fh = await vfs.open(ino, 0, cred);
  try {
    return Buffer.from(vfs.read(fh, 0, vfs.getattr(ino).size));
  } finally {
    await vfs.release(fh);
  }
}

/** Every name in a directory (without '.' and '..'), read page by page. */
export function listNames(vfs: Vfs, dir: number, cred: Cred = ROOT_CRED, pageSize = 1000): string[] {
  const fh = vfs.opendir(dir, cred);
  const names: string[] = [];
  try {
    let offset = 2;
    for (;;) {
      const page = vfs.readdir(fh, offset, pageSize);
      if (page.length === 0) break;
      for (const entry of page) names.push(entry.name);
      offset = page.at(-1)!.offset;
    }
  } finally {
    vfs.releasedir(fh);
  }
  return names;
}
