import { lstatSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { VECTOR_XATTR } from './layout.js';
import type { Migration } from './schema.js';
import { Store } from './Store.js';
import { currentWriter } from './writerLock.js';

export interface StoreInfo {
  dir: string;
  formatVersion: number;
  storeId: string;
  dim: number;
  metric: string;
  createdAt: string;
  counts: {
    files: number;
    dirs: number;
    symlinks: number;
    /** Logical bytes: the sum of regular files' sizes (holes included). */
    bytes: number;
    /** Bytes the files' blocks hold (holes excluded). */
    storedBytes: number;
    /** Files carrying user.vexfs.vector: points of the default collection. */
    vectors: number;
    /** Unlinked inodes still open by the writer, or left by a crash (freed by the next writer open). */
    orphans: number;
  };
  /** Every file in the store directory and its size (a directory counts everything under it). */
  diskFiles: { name: string; sizeBytes: number }[];
  diskTotalBytes: number;
  writer: { pid: number | null; pidFileAgrees: boolean };
}

const S_IFMT = 0o170000;

/** What `vexctl store info` reports, read in one snapshot through a read-only open (works beside a writer). */
export async function storeInfo(dir: string, options: { migrations?: readonly Migration[] } = {}): Promise<StoreInfo> {
  const store = await Store.open(dir, { readOnly: true, ...options });
  try {
    const count = (sql: string, ...params: unknown[]): number =>
      Number(
        store.db
          .prepare(sql)
          .pluck()
          .get(...params) ?? 0,
      );
    const read = store.db.transaction(() => {
      const byType = (type: number): number =>
        count(`SELECT COUNT(*) FROM inodes WHERE (mode & ${S_IFMT}) = ? AND nlink > 0`, type);
      return {
        files: byType(0o100000),
        dirs: byType(0o040000),
        symlinks: byType(0o120000),
        bytes: count(`SELECT COALESCE(SUM(size), 0) FROM inodes WHERE (mode & ${S_IFMT}) = ? AND nlink > 0`, 0o100000),
        storedBytes: count(`SELECT COALESCE(SUM(alloc), 0) FROM inodes WHERE nlink > 0`),
        vectors: count(
          'SELECT COUNT(*) FROM xattrs JOIN inodes ON inodes.ino = xattrs.ino WHERE xattrs.name = ? AND inodes.nlink > 0',
          VECTOR_XATTR,
        ),
        orphans: count('SELECT COUNT(*) FROM inodes WHERE nlink = 0'),
      };
    });
    const counts = read();
    const diskFiles = readdirSync(store.dir)
      .sort()
      .map((name) => ({ name, sizeBytes: treeBytes(join(store.dir, name)) }));
    const writer = currentWriter(store.dir);
    return {
      dir: store.dir,
      formatVersion: store.meta.formatVersion,
      storeId: store.meta.storeId,
      dim: store.meta.dim,
      metric: store.meta.metric,
      createdAt: store.meta.createdAt,
      counts,
      diskFiles,
      diskTotalBytes: diskFiles.reduce((sum, f) => sum + f.sizeBytes, 0),
      writer: { pid: writer.pid, pidFileAgrees: writer.pidFileAgrees },
    };
  } catch (error) {
    throw store.fail(error);
  } finally {
    await store.close();
  }
}

function treeBytes(path: string): number {
  try {
    const stat = lstatSync(path);
    if (!stat.isDirectory()) return stat.size;
    return readdirSync(path).reduce((sum, name) => sum + treeBytes(join(path, name)), 0);
  } catch {
    return 0; // Gone meanwhile (the writer removed its WAL or pid file): nothing to count.
  }
}
