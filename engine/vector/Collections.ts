import { VexError } from '../errors.js';
import type { Store } from '../store/Store.js';
import { Collection, type CollectionInfo, type ReadableCollection } from './Collection.js';
import { FilesCollection } from './FilesCollection.js';
import { checkCollectionName, checkDim, checkIndexType, checkMetric, FILES_COLLECTION } from './points.js';
import { collectionChecksum, ensureVectorSchema, type CollectionRow } from './schema.js';

export interface CreateCollectionOptions {
  dim: number;
  metric: string;
  /** 'flat' (exact search); 'hnsw' is refused until its capability lands. */
  index?: string;
}

const registry = new WeakMap<Store, Promise<Collections>>();

/**
 * The collections of one open store: named collections (vector_collections) and `_files`, the
 * store's default collection. One instance per store (see `collectionsOf`), so that every caller
 * shares the same derived arrays.
 */
export class Collections {
  private readonly named = new Map<string, Collection>();
  private readonly files: FilesCollection;
  private dataVersion: unknown = null;

  private constructor(
    private readonly store: Store,
    private readonly hasTables: boolean,
  ) {
    this.files = new FilesCollection(store);
  }

  static async open(store: Store): Promise<Collections> {
    return new Collections(store, await ensureVectorSchema(store));
  }

  async create(name: string, options: CreateCollectionOptions): Promise<CollectionInfo> {
    checkCollectionName(name);
    const dim = checkDim(options.dim);
    const metric = checkMetric(options.metric);
    const index = checkIndexType(options.index ?? 'flat');
    this.writable();
    const row: Omit<CollectionRow, 'crc'> = {
      name,
      dim,
      metric,
      index_type: index,
      created_at: new Date().toISOString(),
      version: 0,
    };
    await this.store.write(() => {
      if (this.readRow(name) !== undefined) throw new VexError('E_EXISTS', `collection '${name}' already exists`);
      this.store.db
        .prepare(
          'INSERT INTO vector_collections (name, dim, metric, index_type, created_at, version, crc) VALUES (?, ?, ?, ?, ?, ?, ?)',
        )
        .run(row.name, row.dim, row.metric, row.index_type, row.created_at, row.version, collectionChecksum(row));
    });
    return this.get(name).info();
  }

  /** Every collection, `_files` first. */
  list(): CollectionInfo[] {
    const rows = this.rows();
    // Collections not loaded yet are counted in SQL rather than loaded just to be listed.
    const count = this.store.db.prepare('SELECT COUNT(*) FROM vector_points WHERE collection = ?').pluck();
    return [
      this.files.info(),
      ...rows.map(
        (row): CollectionInfo =>
          this.named.get(row.name)?.info() ?? {
            name: row.name,
            dim: row.dim,
            metric: row.metric as CollectionInfo['metric'],
            index: 'flat',
            count: count.get(row.name) as number,
            createdAt: row.created_at,
            version: row.version,
            fileBacked: false,
            derived: null,
          },
      ),
    ];
  }

  info(name: string): CollectionInfo {
    return this.get(name).info();
  }

  async drop(name: string): Promise<void> {
    if (name === FILES_COLLECTION) {
      throw new VexError(
        'E_INVALID',
        `'${FILES_COLLECTION}' is the store's files; remove a file's ${'user.vexfs.vector'} xattr instead`,
      );
    }
    checkCollectionName(name);
    this.writable();
    await this.store.write(() => {
      if (this.readRow(name) === undefined) throw notFound(name);
      this.store.db.prepare('DELETE FROM vector_points WHERE collection = ?').run(name);
      this.store.db.prepare('DELETE FROM vector_collections WHERE name = ?').run(name);
    });
    this.named.get(name)?.markDropped();
    this.named.delete(name);
  }

  /** A collection for reads and searches; E_NOT_FOUND when there is none of that name. */
  get(name: string): ReadableCollection {
    if (name === FILES_COLLECTION) return this.files;
    return this.collection(name);
  }

  /** A named collection, for writes too. */
  collection(name: string): Collection {
    if (name === FILES_COLLECTION) {
      throw new VexError(
        'E_INVALID',
        `'${FILES_COLLECTION}' is written through the filesystem: set a file's user.vexfs.vector xattr`,
      );
    }
    checkCollectionName(name);
    this.store.assertOpen();
    this.checkExternalCommits();
    const cached = this.named.get(name);
    if (cached) return cached;
    const row = this.hasTables ? this.readRow(name) : undefined;
    if (row === undefined) throw notFound(name);
    const collection = new Collection(this.store, row);
    this.named.set(name, collection);
    return collection;
  }

  /** Another connection committed (a writer in another process): re-read versions so stale arrays rebuild. */
  private checkExternalCommits(): void {
    if (!this.hasTables) return;
    const version = this.store.db.prepare('PRAGMA data_version').pluck().get();
    if (this.dataVersion !== null && version !== this.dataVersion) {
      for (const [name, collection] of this.named) {
        const row = this.readRow(name);
        if (row === undefined) {
          collection.markDropped();
          this.named.delete(name);
        } else collection.refresh(row);
      }
    }
    this.dataVersion = version;
  }

  private rows(): CollectionRow[] {
    if (!this.hasTables) return [];
    const rows = this.store.db.prepare('SELECT * FROM vector_collections ORDER BY name').all() as CollectionRow[];
    for (const row of rows) this.verify(row);
    return rows;
  }

  private readRow(name: string): CollectionRow | undefined {
    const row = this.store.db.prepare('SELECT * FROM vector_collections WHERE name = ?').get(name) as
      CollectionRow | undefined;
    if (row !== undefined) this.verify(row);
    return row;
  }

  private verify(row: CollectionRow): void {
    if (collectionChecksum(row) !== row.crc) throw this.store.corruptRow(`collection '${row.name}'`);
  }

  private writable(): void {
    if (this.store.readOnly) throw new VexError('EROFS', `the store at ${this.store.dir} is open read-only`);
    if (!this.hasTables) throw new VexError('E_INTERNAL', 'the vector tables are missing from a writable store');
  }
}

function notFound(name: string): VexError {
  return new VexError(
    'E_NOT_FOUND',
    `there is no collection '${name}' (list them with 'vexctl collection list STORE')`,
  );
}

/** The one Collections of an open store (created on first use). */
export function collectionsOf(store: Store): Promise<Collections> {
  let found = registry.get(store);
  if (found === undefined) {
    found = Collections.open(store);
    registry.set(store, found);
    found.catch(() => registry.delete(store));
  }
  return found;
}
