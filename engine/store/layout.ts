/**
 * The on-disk layout of a store directory. The SQLite database is the one source of
 * truth; everything else in the directory is either SQLite's own companion file, the
 * writer lock, or derived state that records which commit it reflects.
 */
export const DB_FILE = 'store.db';
export const WAL_FILE = 'store.db-wal';
export const SHM_FILE = 'store.db-shm';
/** An SQLite file held in exclusive mode by the one writer: an fcntl lock the kernel frees when the holder dies. */
export const LOCK_FILE = 'writer.lock';
/** The writer's pid, written after the lock is taken, so that a refused writer can name the holder. */
export const PID_FILE = 'writer.pid';
/** The store's own config file (engine/config reads it). */
export const CONFIG_FILE = 'vexfs.toml';
/** Derived state lives under here (contiguous vector arrays, index graphs); it may be deleted at any time. */
export const DERIVED_DIR = 'derived';

/** `vexctl store recover` keeps a damaged WAL as store.db-wal.damaged-TIME before giving up its damaged part. */
export const DAMAGED_WAL_SUFFIX = '.damaged-';

export const KNOWN_FILES: readonly string[] = [
  DB_FILE,
  WAL_FILE,
  SHM_FILE,
  `${LOCK_FILE}`,
  `${LOCK_FILE}-journal`,
  PID_FILE,
  CONFIG_FILE,
  DERIVED_DIR,
];

/** 'VXFS' in SQLite's header (PRAGMA application_id): tells a VexFS store from any other SQLite file. */
export const APPLICATION_ID = 0x56584653;
/** The current format version (PRAGMA user_version). Older versions are migrated by `vexctl store migrate`. */
export const FORMAT_VERSION = 1;

/** File content is kept in blocks of up to this size; a missing block is a hole and reads as zeros. */
export const BLOCK_SIZE = 64 * 1024;
export const MAX_FILE_SIZE = 2 ** 40;
export const NAME_MAX_BYTES = 255;
export const PATH_MAX_BYTES = 4096;
export const SYMLINK_MAX_BYTES = 4095;
export const XATTR_NAME_MAX_BYTES = 255;
export const XATTR_VALUE_MAX_BYTES = 64 * 1024;
export const ROOT_INO = 1;

/** The xattr that makes a file a point of the store's default collection. */
export const VECTOR_XATTR = 'user.vexfs.vector';

export const METRICS = ['l2', 'cosine', 'dot', 'manhattan', 'hamming'] as const;
export type Metric = (typeof METRICS)[number];
export const DEFAULT_DIM = 384;
export const DEFAULT_METRIC: Metric = 'cosine';
export const MAX_DIM = 65536;

/** Bytes of the vector xattr for a store's dimension: float32 for most metrics, packed bits for hamming. */
export function vectorByteLength(dim: number, metric: Metric): number {
  return metric === 'hamming' ? Math.ceil(dim / 8) : dim * 4;
}

/** SQLite's own page cache per connection (PRAGMA cache_size): anonymous memory outside the pools and the cache. */
export const SQLITE_PAGE_CACHE_BYTES = 32 * 1024 * 1024;
