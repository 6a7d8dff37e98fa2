import type Database from 'better-sqlite3';
import { rowChecksum } from '../store/checksum.js';
import type { Store } from '../store/Store.js';

/**
 * The vector tables, added to a store on first use (CREATE TABLE IF NOT EXISTS in one write
 * transaction) so that engine/store/schema.ts can fold them into a later format version.
 * - vector_collections: one row per named collection; `version` counts committed mutations and
 *   is what the derived contiguous arrays record as the state they reflect.
 * - vector_points: (collection, id) → little-endian vector bytes and a JSON payload. A rowid table
 *   (a 1.5 KiB vector fits its leaf; a WITHOUT ROWID row that size spills to an overflow page), and an
 *   upsert updates the row in place, so replacing a vector dirties one leaf page.
 * Every row carries a CRC-32 of its fields (engine/store/checksum.ts), verified when read.
 */
export const VECTOR_SCHEMA = `
CREATE TABLE IF NOT EXISTS vector_collections (
  name TEXT PRIMARY KEY,
  dim INTEGER NOT NULL,
  metric TEXT NOT NULL,
  index_type TEXT NOT NULL,
  created_at TEXT NOT NULL,
  version INTEGER NOT NULL,
  crc INTEGER NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS vector_points (
  pk INTEGER PRIMARY KEY,
  collection TEXT NOT NULL,
  id TEXT NOT NULL,
  vector BLOB NOT NULL,
  payload TEXT NOT NULL,
  crc INTEGER NOT NULL
);
CREATE UNIQUE INDEX IF NOT EXISTS vector_points_by_id ON vector_points (collection, id);
`;

/** Checksum tags of the vector tables (the store's own use 1-5). */
export const VECTOR_TABLE = { collection: 16, point: 17 } as const;

export interface CollectionRow {
  name: string;
  dim: number;
  metric: string;
  index_type: string;
  created_at: string;
  version: number;
  crc: number;
}

export interface PointRow {
  collection: string;
  id: string;
  vector: Buffer;
  payload: string;
  crc: number;
}

export function collectionChecksum(row: Omit<CollectionRow, 'crc'>): number {
  return rowChecksum(VECTOR_TABLE.collection, [
    row.name,
    row.dim,
    row.metric,
    row.index_type,
    row.created_at,
    row.version,
  ]);
}

export function pointChecksum(collection: string, id: string, vector: Uint8Array, payload: string): number {
  return rowChecksum(VECTOR_TABLE.point, [collection, id, vector, payload]);
}

function hasTables(db: Database.Database): boolean {
  const found = db
    .prepare(
      "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name IN ('vector_collections', 'vector_points')",
    )
    .pluck()
    .get() as number;
  return found === 2;
}

/**
 * Creates the vector tables when missing. A read-only store without them simply has no
 * collections: returns false and creates nothing.
 */
export async function ensureVectorSchema(store: Store): Promise<boolean> {
  store.assertOpen();
  if (hasTables(store.db)) return true;
  if (store.readOnly) return false;
  await store.write(() => store.db.exec(VECTOR_SCHEMA));
  return true;
}
