import type Database from 'better-sqlite3';
import { VexError } from '../errors.js';
import { ROOT_INO, VECTOR_XATTR } from '../store/layout.js';
import { direntChecksum, xattrChecksum, type DirentRow } from '../store/rows.js';
import type { Store } from '../store/Store.js';
import type { CollectionInfo, DerivedReport, Point, ReadableCollection, SearchOptions } from './Collection.js';
import { compileFilter, matchesPathPrefix, normalizePathPrefix } from './filters.js';
import { FlatIndex, type ScanOptions, type SearchHit } from './FlatIndex.js';
import type { Metric } from './kernels/index.js';
import { FILES_COLLECTION } from './points.js';
import { decodeVector, packQueries, toKernelVector, vectorToArray, type VectorInput } from './vectors.js';

/**
 * The store's default collection: every file whose `user.vexfs.vector` xattr is set, with its
 * path as id and `{ path, ino }` as payload. It is written through the filesystem (setxattr), so
 * here it is read-only. The arrays are rebuilt when the database changed since they were built
 * (this connection's change counter or another connection's commit). Like every reader of the
 * store's connection they may see writes of the current turn before its group commits; a
 * rollback of that group makes them rebuild.
 */
export class FilesCollection implements ReadableCollection {
  readonly name = FILES_COLLECTION;
  private index: FlatIndex | null = null;
  private report: DerivedReport | null = null;
  private builtAt = '';
  private readonly s;

  constructor(private readonly store: Store) {
    // Reads see this turn's uncommitted writes; if their group rolls back, rebuild from what committed.
    store.onRollback(() => {
      this.builtAt = '';
    });
    const db: Database.Database = store.db;
    this.s = {
      changes: db.prepare('SELECT total_changes()').pluck(),
      dataVersion: db.prepare('PRAGMA data_version').pluck(),
      vectors: db.prepare('SELECT ino, name, value, crc FROM xattrs WHERE name = ?'),
      nameOf: db.prepare(
        'SELECT parent, name, ino, cookie, crc FROM dirents WHERE ino = ? ORDER BY parent, name LIMIT 1',
      ),
    };
  }

  get spec(): { dim: number; metric: Metric } {
    return { dim: this.store.meta.dim, metric: this.store.meta.metric };
  }

  info(): CollectionInfo {
    const index = this.fresh();
    return {
      name: this.name,
      dim: this.spec.dim,
      metric: this.spec.metric,
      index: 'flat',
      count: index.count,
      createdAt: this.store.meta.createdAt,
      version: index.version,
      fileBacked: true,
      derived: this.report as DerivedReport,
    };
  }

  count(): number {
    return this.fresh().count;
  }

  get(path: string): Point | null {
    const found = this.fresh().lookup(path);
    return found && { id: path, vector: vectorToArray(this.spec, found.vector), payload: found.payload };
  }

  ids(): string[] {
    return this.fresh().listIds();
  }

  async search(query: VectorInput, options: SearchOptions): Promise<SearchHit[]> {
    const q = toKernelVector(this.spec, query, 'the query');
    return this.fresh().search(q, this.scanOptions(options));
  }

  async searchBatch(queries: readonly VectorInput[], options: SearchOptions): Promise<SearchHit[][]> {
    return this.fresh().searchBatch(packQueries(this.spec, queries), this.scanOptions(options));
  }

  private scanOptions(options: SearchOptions): ScanOptions {
    const predicate = options.filter === undefined ? undefined : compileFilter(options.filter);
    const prefix = options.pathPrefix === undefined ? undefined : normalizePathPrefix(options.pathPrefix);
    const accept =
      predicate === undefined && prefix === undefined
        ? undefined
        : (id: string, payload: unknown): boolean =>
            (prefix === undefined || matchesPathPrefix(id, prefix)) && (predicate === undefined || predicate(payload));
    return {
      k: options.k,
      ...(accept ? { accept } : {}),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.explain === undefined ? {} : { explain: options.explain }),
    };
  }

  private fresh(): FlatIndex {
    this.store.assertOpen();
    const key = `${String(this.s.dataVersion.get())}:${String(this.s.changes.get())}`;
    if (this.index !== null && key === this.builtAt) return this.index;
    const reason = this.index === null ? 'open' : 'behind';
    const version = (this.index?.version ?? 0) + 1;
    this.index = this.build(reason, version);
    this.builtAt = key;
    return this.index;
  }

  private build(reason: DerivedReport['reason'], version: number): FlatIndex {
    const rows = this.s.vectors.all(VECTOR_XATTR) as { ino: number; name: string; value: Buffer; crc: number }[];
    const index = new FlatIndex(this.spec, rows.length);
    const warnings: string[] = [];
    const dirPaths = new Map<number, string>([[ROOT_INO, '']]);
    for (const row of rows) {
      if (xattrChecksum(row.ino, row.name, row.value) !== row.crc) {
        throw this.store.corruptRow(`xattr '${VECTOR_XATTR}' of inode ${row.ino}`);
      }
      const vector = decodeVector(this.spec, row.value);
      if (vector === null) {
        warnings.push(
          `inode ${row.ino}: ${VECTOR_XATTR} has ${row.value.length} bytes, not the store's vector size; skipped`,
        );
        continue;
      }
      const path = this.pathOf(row.ino, dirPaths);
      if (path === null) continue; // unlinked but still open: not a file of the tree
      index.set(path, vector, { path, ino: row.ino });
    }
    index.version = version;
    this.report = { version, points: index.count, reason, warnings };
    return index;
  }

  /** The file's path (its first name, for a file with several hard links). */
  private pathOf(ino: number, dirPaths: Map<number, string>): string | null {
    const names: string[] = [];
    let current = ino;
    for (let depth = 0; depth < 4096; depth++) {
      const known = dirPaths.get(current);
      if (known !== undefined) return `${known}/${names.reverse().join('/')}`;
      const row = this.s.nameOf.get(current) as DirentRow | undefined;
      if (row === undefined) return null;
      if (direntChecksum(row.parent, row.name, row.ino, row.cookie) !== row.crc) {
        throw this.store.corruptRow(`directory entry '${row.name}' in inode ${row.parent}`);
      }
      names.push(row.name);
      current = row.parent;
    }
    throw new VexError(
      'E_CORRUPT',
      `inode ${ino}: its path does not lead to the root; run 'vexctl fsck ${this.store.dir}'`,
    );
  }
}
