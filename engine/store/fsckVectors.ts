import type Database from 'better-sqlite3';
import { collectionChecksum, pointChecksum, type CollectionRow, type PointRow } from '../vector/schema.js';
import type { FileProblem } from './fileChecks.js';

type Report = (kind: string, message: string, severity?: FileProblem['severity']) => void;

/**
 * The vector collections' tables (engine/vector/schema.ts, added on first use): every row's
 * checksum, every point in a collection that exists, every vector the collection's size.
 */
export function checkVectorTables(db: Database.Database, report: Report): { collections: number; points: number } {
  const present = db
    .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name IN ('vector_collections', 'vector_points')")
    .pluck()
    .all() as string[];
  if (present.length === 0) return { collections: 0, points: 0 };
  if (present.length === 1) report('vector-schema', `only one of the vector tables exists (${present[0]})`);
  const sizes = new Map<string, number>();
  let collections = 0;
  if (present.includes('vector_collections')) {
    for (const row of db.prepare('SELECT * FROM vector_collections').iterate() as IterableIterator<CollectionRow>) {
      collections += 1;
      if (collectionChecksum(row) !== row.crc) report('collection-crc', `collection '${row.name}' fails its checksum`);
      sizes.set(row.name, row.metric === 'hamming' ? Math.ceil(row.dim / 8) : row.dim * 4);
    }
  }
  let points = 0;
  if (present.includes('vector_points')) {
    const rows = db.prepare('SELECT collection, id, vector, payload, crc FROM vector_points').iterate();
    for (const row of rows as IterableIterator<PointRow>) {
      points += 1;
      const where = `point '${row.id}' of collection '${row.collection}'`;
      if (pointChecksum(row.collection, row.id, row.vector, row.payload) !== row.crc) {
        report('point-crc', `${where} fails its checksum`);
        continue;
      }
      const size = sizes.get(row.collection);
      if (size === undefined) report('point-orphan', `${where} belongs to no collection`);
      else if (row.vector.length !== size) {
        report('point-size', `${where} has a ${row.vector.length}-byte vector; the collection's are ${size} bytes`);
      }
    }
  }
  return { collections, points };
}
