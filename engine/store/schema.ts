import Database from 'better-sqlite3';

/**
 * The tables of format version 1. Every row carries `crc` (engine/store/checksum.ts).
 * - inodes: one row per file, directory or symlink; `mode` is st_mode (type and permission bits),
 *   times are seconds + nanoseconds, `alloc` the bytes its blocks hold (st_blocks of a sparse
 *   file), `target` is a symlink's target.
 * - dirents: (parent, name) → ino, with `cookie`, the stable readdir offset of the entry
 *   (indexed by ino too: a directory's one name gives its parent, for `..` and rename checks).
 * - xattrs: extended attributes; `user.vexfs.vector` makes a file a point of the default collection.
 * - blocks: file content, keyed ino·2²⁴ + block index (64 KiB blocks, so files up to 1 TiB);
 *   a block may be shorter than 64 KiB (the rest reads as zeros) and a missing block is a hole.
 */
export const SCHEMA_V1 = `
CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT NOT NULL, crc INTEGER NOT NULL) WITHOUT ROWID;
CREATE TABLE inodes (
  ino INTEGER PRIMARY KEY,
  mode INTEGER NOT NULL,
  uid INTEGER NOT NULL,
  gid INTEGER NOT NULL,
  nlink INTEGER NOT NULL,
  size INTEGER NOT NULL,
  rdev INTEGER NOT NULL,
  atime_s INTEGER NOT NULL, atime_ns INTEGER NOT NULL,
  mtime_s INTEGER NOT NULL, mtime_ns INTEGER NOT NULL,
  ctime_s INTEGER NOT NULL, ctime_ns INTEGER NOT NULL,
  btime_s INTEGER NOT NULL, btime_ns INTEGER NOT NULL,
  alloc INTEGER NOT NULL,
  target BLOB,
  crc INTEGER NOT NULL
);
CREATE TABLE dirents (
  parent INTEGER NOT NULL,
  name TEXT NOT NULL,
  ino INTEGER NOT NULL,
  cookie INTEGER NOT NULL,
  crc INTEGER NOT NULL,
  PRIMARY KEY (parent, name)
) WITHOUT ROWID;
CREATE UNIQUE INDEX dirents_by_cookie ON dirents (parent, cookie);
CREATE INDEX dirents_by_ino ON dirents (ino);
CREATE TABLE xattrs (
  ino INTEGER NOT NULL,
  name TEXT NOT NULL,
  value BLOB NOT NULL,
  crc INTEGER NOT NULL,
  PRIMARY KEY (ino, name)
) WITHOUT ROWID;
CREATE TABLE blocks (key INTEGER PRIMARY KEY, data BLOB NOT NULL, crc INTEGER NOT NULL);
`;

/** Blocks per file: the block key is ino · BLOCKS_PER_FILE + index. */
export const BLOCKS_PER_FILE = 2 ** 24;
/** Inode numbers stay below this so that block keys remain exact JavaScript integers. */
export const MAX_INO = Math.floor(Number.MAX_SAFE_INTEGER / BLOCKS_PER_FILE);

/** A step from one format version to the next, run inside one transaction by `vexctl store migrate`. */
export interface Migration {
  from: number;
  to: number;
  description: string;
  apply(db: Database.Database): void;
}

/**
 * The migrations this build knows. Format 1 is the first format, so there are none yet;
 * the mechanism (refuse with the command to run, then migrate in one transaction) is
 * exercised by tests with migrations of their own.
 */
export const MIGRATIONS: readonly Migration[] = [];

let expectedV1: Map<string, string> | null = null;

/**
 * How the database's own schema differs from format 1's: tables and indexes missing or
 * defined otherwise (damage in SQLite's schema table can rename a column, which no row
 * checksum would see). Objects a migration added are not this check's business.
 */
export function schemaDifferences(db: Database.Database): string[] {
  if (expectedV1 === null) {
    const memory = new Database(':memory:');
    memory.exec(SCHEMA_V1);
    expectedV1 = schemaOf(memory);
    memory.close();
  }
  const actual = schemaOf(db);
  const differences: string[] = [];
  for (const [name, sql] of expectedV1) {
    const found = actual.get(name);
    if (found === undefined) differences.push(`'${name}' is missing`);
    else if (found !== sql) differences.push(`'${name}' is defined as ${JSON.stringify(found.slice(0, 200))}`);
  }
  return differences;
}

function schemaOf(db: Database.Database): Map<string, string> {
  const rows = db
    .prepare("SELECT name, sql FROM sqlite_master WHERE type IN ('table', 'index') AND sql IS NOT NULL")
    .all() as {
    name: string;
    sql: string;
  }[];
  return new Map(rows.map((row) => [row.name, row.sql]));
}
