import type Database from 'better-sqlite3';
import { VexError } from '../errors.js';
import type { Store } from '../store/Store.js';
import { compileFilter } from './filters.js';
import { FlatIndex, type ScanExplain, type ScanOptions, type SearchHit } from './FlatIndex.js';
import type { Metric } from './kernels/index.js';
import { checkPointId, payloadText } from './points.js';
import { collectionChecksum, pointChecksum, type CollectionRow, type PointRow } from './schema.js';
import { decodeVector, encodeVector, packQueries, toKernelVector, vectorToArray, type VectorInput } from './vectors.js';

export interface PointInput {
  id: string;
  vector: VectorInput;
  payload?: unknown;
}

export interface Point {
  id: string;
  /** Numbers (bits for hamming). */
  vector: number[];
  payload: unknown;
}

export interface SearchOptions {
  k: number;
  /** A payload filter (see filters.ts). */
  filter?: unknown;
  /** Only points whose path is under this prefix (file-backed points only). */
  pathPrefix?: string;
  threads?: number;
  /** Filled in with how the scan ran (see FlatIndex.ScanExplain). */
  explain?: ScanExplain;
}

/** How the derived arrays were brought up to date: reported, never silent. */
export interface DerivedReport {
  /** The collection version the arrays reflect now (commits since the build are applied to them in place). */
  version: number;
  /** Points in the arrays now. */
  points: number;
  /** Why they were last (re)built: 'open' (first use in this process) or 'behind' (the store moved on). */
  reason: 'open' | 'behind';
  warnings: string[];
}

export interface CollectionInfo {
  name: string;
  dim: number;
  metric: Metric;
  index: 'flat';
  count: number;
  createdAt: string;
  version: number;
  fileBacked: boolean;
  /** How this process built the derived arrays; null when they are not loaded (e.g. in a listing). */
  derived: DerivedReport | null;
}

/** What Collection and FilesCollection share: the read side. */
export interface ReadableCollection {
  readonly name: string;
  info(): CollectionInfo;
  count(): number;
  get(id: string): Point | null;
  /** Every point id, in no particular order. */
  ids(): string[];
  search(query: VectorInput, options: SearchOptions): Promise<SearchHit[]>;
  searchBatch(queries: readonly VectorInput[], options: SearchOptions): Promise<SearchHit[][]>;
}

/**
 * A named collection: points live in the store (vector_points, one transaction per upsert or
 * batch, committed by the group commit); the FlatIndex is derived from them and updated once
 * a change is committed.
 */
export class Collection implements ReadableCollection {
  readonly name: string;
  private row: CollectionRow;
  private index: FlatIndex;
  private report: DerivedReport;
  private stale = false;
  private dropped = false;
  private readonly s;

  constructor(
    private readonly store: Store,
    row: CollectionRow,
  ) {
    this.name = row.name;
    this.row = row;
    const db: Database.Database = store.db;
    this.s = {
      put: db.prepare(
        'INSERT INTO vector_points (collection, id, vector, payload, crc) VALUES (?, ?, ?, ?, ?) ' +
          'ON CONFLICT (collection, id) DO UPDATE SET vector = excluded.vector, payload = excluded.payload, crc = excluded.crc',
      ),
      del: db.prepare('DELETE FROM vector_points WHERE collection = ? AND id = ?'),
      all: db.prepare('SELECT collection, id, vector, payload, crc FROM vector_points WHERE collection = ?'),
      bump: db.prepare('UPDATE vector_collections SET version = ?, crc = ? WHERE name = ?'),
    };
    [this.index, this.report] = this.build('open');
  }

  get spec(): { dim: number; metric: Metric } {
    return { dim: this.row.dim, metric: this.row.metric as Metric };
  }

  info(): CollectionInfo {
    this.assertLive();
    return {
      name: this.name,
      dim: this.row.dim,
      metric: this.row.metric as Metric,
      index: 'flat',
      count: this.count(),
      createdAt: this.row.created_at,
      version: this.row.version,
      fileBacked: false,
      // The build report, with the figures of the arrays as they are now.
      derived: { ...this.report, version: this.index.version, points: this.index.count },
    };
  }

  count(): number {
    return this.fresh().count;
  }

  get(id: string): Point | null {
    const found = this.fresh().lookup(checkPointId(id));
    return found && { id, vector: vectorToArray(this.spec, found.vector), payload: found.payload };
  }

  ids(): string[] {
    return this.fresh().listIds();
  }

  async upsert(id: string, vector: VectorInput, payload?: unknown): Promise<void> {
    await this.upsertBatch([{ id, vector, payload }]);
  }

  /** Validates every point first; the batch is one savepoint, so a failed batch writes nothing. */
  async upsertBatch(points: readonly PointInput[]): Promise<number> {
    this.assertLive();
    if (!Array.isArray(points)) throw new VexError('E_INVALID', 'a batch upsert takes a list of points');
    const checked = points.map((p, i) => {
      const what = points.length === 1 ? `point '${String(p?.id)}'` : `point ${i} ('${String(p?.id)}')`;
      if (p === null || typeof p !== 'object') throw new VexError('E_INVALID', `${what} is not an object`);
      const id = checkPointId(p.id);
      const vector = toKernelVector(this.spec, p.vector, `the vector of ${what}`);
      const text = payloadText(p.payload, `the payload of ${what}`);
      return { id, vector, text, payload: JSON.parse(text) as unknown, bytes: encodeVector(vector) };
    });
    if (checked.length === 0) return 0;
    await this.mutate(
      () => {
        for (const p of checked)
          this.s.put.run(this.name, p.id, p.bytes, p.text, pointChecksum(this.name, p.id, p.bytes, p.text));
      },
      (index) => {
        for (const p of checked) index.set(p.id, p.vector, p.payload);
      },
    );
    return checked.length;
  }

  /** True when the point existed. */
  async delete(id: string): Promise<boolean> {
    this.assertLive();
    const key = checkPointId(id);
    let existed = false;
    await this.mutate(
      () => {
        existed = this.s.del.run(this.name, key).changes > 0;
      },
      (index) => index.delete(key),
    );
    return existed;
  }

  async search(query: VectorInput, options: SearchOptions): Promise<SearchHit[]> {
    const q = toKernelVector(this.spec, query, 'the query');
    return this.fresh().search(q, this.scanOptions(options));
  }

  async searchBatch(queries: readonly VectorInput[], options: SearchOptions): Promise<SearchHit[][]> {
    return this.fresh().searchBatch(packQueries(this.spec, queries), this.scanOptions(options));
  }

  /** Called by Collections after it dropped the collection in the store. */
  markDropped(): void {
    this.dropped = true;
  }

  /** Re-reads the collection row; rebuilds the arrays if the store holds a version they do not reflect. */
  refresh(row: CollectionRow): void {
    this.row = row;
    if (row.version !== this.index.version) this.stale = true;
  }

  private scanOptions(options: SearchOptions): ScanOptions {
    if (options.pathPrefix !== undefined) {
      throw new VexError(
        'E_INVALID',
        `collection '${this.name}' holds no files: a path-prefix filter applies to the '_files' collection`,
      );
    }
    const predicate = options.filter === undefined ? undefined : compileFilter(options.filter);
    return {
      k: options.k,
      ...(predicate ? { accept: (_id: string, payload: unknown) => predicate(payload) } : {}),
      ...(options.threads === undefined ? {} : { threads: options.threads }),
      ...(options.explain === undefined ? {} : { explain: options.explain }),
    };
  }

  private async mutate(write: () => void, apply: (index: FlatIndex) => void): Promise<void> {
    let bumped = false;
    const next = { ...this.row, version: this.row.version + 1 };
    try {
      await this.store.write(() => {
        write();
        this.s.bump.run(next.version, collectionChecksum(next), this.name);
        this.row = next;
        bumped = true;
      });
    } catch (error) {
      // The group's COMMIT failed after our statements ran: the store did not take them; rebuild from it.
      if (bumped) this.stale = true;
      throw error;
    }
    if (this.stale) return;
    apply(this.index);
    this.index.version = next.version;
  }

  private fresh(): FlatIndex {
    this.assertLive();
    if (this.stale) {
      const row = this.store.db.prepare('SELECT * FROM vector_collections WHERE name = ?').get(this.name) as
        CollectionRow | undefined;
      if (row === undefined) throw new VexError('E_NOT_FOUND', `collection '${this.name}' no longer exists`);
      if (collectionChecksum(row) !== row.crc) throw this.store.corruptRow(`collection '${this.name}'`);
      this.row = row;
      [this.index, this.report] = this.build('behind');
      this.stale = false;
    }
    return this.index;
  }

  private build(reason: DerivedReport['reason']): [FlatIndex, DerivedReport] {
    const rows = this.s.all.all(this.name) as PointRow[];
    const index = new FlatIndex(this.spec, rows.length);
    for (const row of rows) {
      if (pointChecksum(row.collection, row.id, row.vector, row.payload) !== row.crc) {
        throw this.store.corruptRow(`point '${row.id}' of collection '${this.name}'`);
      }
      const vector = decodeVector(this.spec, row.vector);
      let payload: unknown;
      try {
        payload = JSON.parse(row.payload);
      } catch {
        payload = undefined;
      }
      if (vector === null || payload === undefined)
        throw this.store.corruptRow(`point '${row.id}' of collection '${this.name}'`);
      index.set(row.id, vector, payload);
    }
    index.version = this.row.version;
    return [index, { version: this.row.version, points: rows.length, reason, warnings: [] }];
  }

  private assertLive(): void {
    this.store.assertOpen();
    if (this.dropped) throw new VexError('E_NOT_FOUND', `collection '${this.name}' was dropped`);
  }
}
