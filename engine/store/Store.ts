import Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import {
  closeSync,
  constants,
  copyFileSync,
  existsSync,
  fsyncSync,
  mkdirSync,
  openSync,
  readdirSync,
  statSync,
} from 'node:fs';
import { join, resolve } from 'node:path';
import { VexError } from '../errors.js';
import { checkWal } from './fileChecks.js';
import { isOpenHere, noteClosed, noteOpened, readHeaderHere } from './openHere.js';
import { GroupCommit } from './GroupCommit.js';
import { guardDatabase } from './guardedDb.js';
import {
  APPLICATION_ID,
  DAMAGED_WAL_SUFFIX,
  DB_FILE,
  DEFAULT_DIM,
  DEFAULT_METRIC,
  FORMAT_VERSION,
  MAX_DIM,
  METRICS,
  ROOT_INO,
  SQLITE_PAGE_CACHE_BYTES,
  WAL_FILE,
  type Metric,
} from './layout.js';
import { checkFormatVersion } from './formatVersion.js';
import { INODE_COLUMNS, inodeChecksum, inodeFieldValues, metaChecksum } from './rows.js';
import { SCHEMA_V1, schemaDifferences, type Migration } from './schema.js';
import { translateSqliteError } from './sqliteErrors.js';
import { WriterLock } from './writerLock.js';

export interface StoreMeta {
  formatVersion: number;
  storeId: string;
  dim: number;
  metric: Metric;
  createdAt: string;
}

export interface OpenOptions {
  readOnly?: boolean;
  /** close() fsyncs first, so that a closed store is synced (default true). */
  syncOnClose?: boolean;
  /** Group-commit window; 0 commits at the end of the current event-loop turn. */
  commitWindowUs?: number;
  /** The migrations this build knows (tests pass their own). */
  migrations?: readonly Migration[];
  /** Used by `vexctl store migrate`: open an older format in order to migrate it. */
  allowOlderFormat?: boolean;
  /**
   * Used by `vexctl store recover`: open although the WAL is damaged inside, accepting
   * that SQLite drops every commit from the damage on (the caller keeps a copy first).
   */
  acceptDamagedWal?: boolean;
}

export interface CreateOptions extends OpenOptions {
  dim?: number;
  metric?: Metric;
}

/** What opening found and repaired: reported, never silent. */
export interface RecoveryReport {
  /** The WAL held commits not yet checkpointed (a previous writer did not close cleanly). */
  walFramesReplayed: number;
  /** Inodes left with no name and no open handle by a crash, freed on open. */
  orphansFreed: number;
  warnings: string[];
  /** Where a damaged WAL was copied before its damaged part was given up (acceptDamagedWal). */
  walCopy?: string;
}

/**
 * An open store: the SQLite database, the writer lock (unless read-only) and group
 * commit. Filesystem and vector code use `db` for reads and `write()` for mutations.
 */
export class Store {
  readonly dir: string;
  readonly readOnly: boolean;
  readonly meta: StoreMeta;
  readonly db: Database.Database;
  private readonly rawDb: Database.Database;
  readonly recovery: RecoveryReport;
  private readonly group: GroupCommit;
  private readonly lock: WriterLock | null;
  private readonly syncOnClose: boolean;
  private closed = false;
  private readonly rollbackListeners = new Set<() => void>();
  private damage: VexError | null = null;

  private constructor(init: {
    dir: string;
    readOnly: boolean;
    meta: StoreMeta;
    db: Database.Database;
    lock: WriterLock | null;
    syncOnClose: boolean;
    commitWindowUs: number;
    recovery: RecoveryReport;
  }) {
    this.dir = init.dir;
    this.readOnly = init.readOnly;
    this.meta = init.meta;
    // Engine code reads through a guarded handle: a damaged page found mid-read is E_CORRUPT, never a raw SQLite error.
    this.db = guardDatabase(
      init.db,
      (error) => this.fail(error),
      () => this.group.enterTurn(),
    );
    this.rawDb = init.db;
    this.lock = init.lock;
    this.syncOnClose = init.syncOnClose;
    this.recovery = init.recovery;
    // Readers use it too: one read transaction per event-loop turn (see GroupCommit.enterTurn).
    this.group = new GroupCommit(init.db, init.commitWindowUs);
    this.group.onRollback = () => {
      for (const listener of this.rollbackListeners) listener();
    };
    noteOpened(this.dir);
  }

  static async create(dirArg: string, options: CreateOptions = {}): Promise<Store> {
    const dir = resolve(dirArg);
    const dim = options.dim ?? DEFAULT_DIM;
    const metric = options.metric ?? DEFAULT_METRIC;
    if (!Number.isInteger(dim) || dim < 1 || dim > MAX_DIM) {
      throw new VexError('E_INVALID', `dimension must be an integer from 1 to ${MAX_DIM}, got ${dim}`);
    }
    if (!METRICS.includes(metric)) {
      throw new VexError('E_INVALID', `metric must be one of ${METRICS.join(', ')}, got '${String(metric)}'`);
    }
    if (existsSync(dir)) {
      if (!statSync(dir).isDirectory()) throw new VexError('E_EXISTS', `${dir} exists and is not a directory`);
      if (readdirSync(dir).length > 0) {
        throw new VexError('E_EXISTS', `${dir} is not empty; a store is created in a new or empty directory`);
      }
    }
    mkdirSync(dir, { recursive: true });
    const lock = WriterLock.acquire(dir);
    let db: Database.Database | null = null;
    try {
      db = new Database(join(dir, DB_FILE));
      db.pragma('page_size = 4096');
      db.pragma('journal_mode = WAL');
      db.pragma(`application_id = ${APPLICATION_ID}`);
      db.pragma(`user_version = ${FORMAT_VERSION}`);
      const meta: StoreMeta = {
        formatVersion: FORMAT_VERSION,
        storeId: randomUUID(),
        dim,
        metric,
        createdAt: new Date().toISOString(),
      };
      const database = db;
      database.transaction(() => {
        database.exec(SCHEMA_V1);
        writeMeta(database, meta);
        insertRootInode(database);
      })();
      db.close();
      db = null;
      fsyncDir(dir);
    } catch (error) {
      db?.close();
      lock.release();
      throw error;
    }
    lock.release();
    return Store.open(dir, options);
  }

  static async open(dirArg: string, options: OpenOptions = {}): Promise<Store> {
    const dir = resolve(dirArg);
    const readOnly = options.readOnly ?? false;
    if (!existsSync(dir) || !statSync(dir).isDirectory()) {
      throw new VexError(
        'E_NOT_FOUND',
        `no store at ${dir}: the directory does not exist (create one with 'vexctl store create ${dirArg}')`,
      );
    }
    const dbPath = join(dir, DB_FILE);
    if (!existsSync(dbPath)) {
      throw new VexError(
        'E_FORMAT',
        `${dir} is not a VexFS store: it has no ${DB_FILE} (create one with 'vexctl store create DIR')`,
      );
    }
    const { header, problems } = readHeaderHere(dir, dbPath, DB_FILE);
    const fatal = problems.filter((p) => p.severity === 'error');
    if (header === null || fatal.length > 0) {
      throw new VexError(
        'E_CORRUPT',
        `${fatal.map((p) => p.message).join('; ')}. Run 'vexctl fsck ${dirArg}' for a full report`,
        {
          file: DB_FILE,
        },
      );
    }
    if (header.applicationId !== APPLICATION_ID) {
      throw new VexError(
        'E_FORMAT',
        `${dbPath} is an SQLite database but not a VexFS store (application id 0x${header.applicationId.toString(16)})`,
      );
    }
    checkFormatVersion(header.userVersion, dirArg, options);
    const lock = readOnly ? null : WriterLock.acquire(dir);
    let db: Database.Database | null = null;
    try {
      const walPath = join(dir, WAL_FILE);
      // A connection this process already has is using the WAL; reading it raw would break its locks.
      const wal = existsSync(walPath) && !isOpenHere(dir) ? checkWal(walPath, WAL_FILE, header.pageSizeBytes) : null;
      const walErrors = wal?.problems.filter((p) => p.severity === 'error') ?? [];
      if (walErrors.length > 0 && !options.acceptDamagedWal) {
        throw new VexError(
          'E_CORRUPT',
          `${walErrors.map((p) => p.message).join('; ')}. Opening would silently drop those commits; ` +
            `'vexctl fsck ${dirArg}' reports the damage, 'vexctl store recover ${dirArg}' accepts the loss (keeping a copy of the log)`,
          { file: WAL_FILE },
        );
      }
      let walCopy: string | undefined;
      if (walErrors.length > 0 && lock !== null) {
        // Keep what SQLite is about to give up, before a new commit overwrites it.
        walCopy = join(dir, `${WAL_FILE}${DAMAGED_WAL_SUFFIX}${new Date().toISOString().replace(/[:.]/g, '-')}`);
        copyFileSync(walPath, walCopy, constants.COPYFILE_EXCL);
        fsyncDir(dir);
      }
      db = new Database(dbPath, { readonly: readOnly, fileMustExist: true, timeout: 5000 });
      configureConnection(db, readOnly);
      if (header.userVersion === FORMAT_VERSION) {
        const differences = schemaDifferences(db);
        if (differences.length > 0) {
          throw new VexError(
            'E_CORRUPT',
            `${DB_FILE}: the database's schema is not format ${FORMAT_VERSION}'s (${differences.join('; ')}); run 'vexctl fsck ${dirArg}'`,
            { file: DB_FILE },
          );
        }
      }
      const meta = readMetaOrThrow(db, dirArg);
      const recovery: RecoveryReport = {
        walFramesReplayed: lock !== null ? (wal?.committedFrames ?? 0) : 0,
        orphansFreed: 0,
        warnings: [...(wal?.problems.map((p) => p.message) ?? []), ...(lock?.notes ?? [])],
      };
      if (walCopy !== undefined) {
        recovery.walCopy = walCopy;
        recovery.warnings.push(`the damaged log was copied to ${walCopy} before its damaged part was given up`);
      }
      if (!readOnly) recovery.orphansFreed = freeOrphans(db);
      return new Store({
        dir,
        readOnly,
        meta,
        db,
        lock,
        syncOnClose: options.syncOnClose ?? true,
        commitWindowUs: options.commitWindowUs ?? 0,
        recovery,
      });
    } catch (error) {
      try {
        db?.close();
      } finally {
        lock?.release();
      }
      throw openError(error, dirArg);
    }
  }

  /** Runs a mutation in the current commit group; resolves once it is committed. */
  write<T>(mutate: () => T): Promise<T> {
    if (this.readOnly) {
      return Promise.reject(new VexError('EROFS', `the store at ${this.dir} is open read-only`));
    }
    if (this.damage !== null) return Promise.reject(this.damage);
    this.assertOpen();
    return this.group.run(mutate).catch((error: unknown) => {
      throw this.fail(error);
    });
  }

  /** Commits what is pending and flushes it to the disk: the *synced* acknowledgement. */
  async sync(): Promise<void> {
    this.assertOpen();
    this.group.flush();
    if (this.readOnly) return;
    // Every commit not yet in a synced database page is a frame of the WAL: SQLite's checkpoints
    // (synchronous=NORMAL) fsync the database before the log is restarted. So fsyncing the WAL
    // (and the directory, for its creation) is the whole of it. The database file itself is never
    // opened here: closing any descriptor of it would drop this process's SQLite locks on it.
    const walPath = join(this.dir, WAL_FILE);
    if (existsSync(walPath)) {
      const fd = openSync(walPath, 'r');
      try {
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    fsyncDir(this.dir);
  }

  /** Turns a database error into a VexError; damage also stops later writes. */
  fail(error: unknown): unknown {
    const translated = translateSqliteError(error, this.dir);
    if (translated instanceof VexError && translated.code === 'E_CORRUPT') this.damage = translated;
    return translated;
  }

  /** Reports a row whose checksum does not match: the store is damaged; no wrong data is returned. */
  corruptRow(what: string): VexError {
    const error = new VexError(
      'E_CORRUPT',
      `${DB_FILE}: ${what} fails its checksum (the store is damaged; run 'vexctl fsck ${this.dir}')`,
      { file: DB_FILE },
    );
    this.damage = error;
    return error;
  }

  /** Called whenever a rollback undoes writes: caches of rows drop what they may have seen. */
  onRollback(listener: () => void): () => void {
    this.rollbackListeners.add(listener);
    return () => this.rollbackListeners.delete(listener);
  }

  /** Transactions begun so far (one per event-loop turn that touched the database). */
  get turn(): number {
    return this.group.turns;
  }

  get isClosed(): boolean {
    return this.closed;
  }

  get commitStats(): { commits: number; committedOps: number } {
    return { commits: this.group.commits, committedOps: this.group.committedOps };
  }

  async close(): Promise<void> {
    if (this.closed) return;
    try {
      this.group.flush();
      if (!this.readOnly && this.syncOnClose && this.damage === null) await this.sync();
    } finally {
      this.closed = true;
      this.rawDb.close();
      noteClosed(this.dir);
      this.lock?.release();
    }
  }

  assertOpen(): void {
    if (this.closed) throw new VexError('E_CLOSED', `the store at ${this.dir} is closed`);
  }
}

/** Inodes with no name left (nlink 0) belong to no one once no process has them open: a writer frees them on open. */
function freeOrphans(db: Database.Database): number {
  const orphans = db.prepare('SELECT ino FROM inodes WHERE nlink = 0').pluck().all() as number[];
  if (orphans.length === 0) return 0;
  db.transaction(() => {
    for (const ino of orphans) deleteInodeRows(db, ino);
  })();
  return orphans.length;
}

/** Any failure to open, as a typed error: damage is E_CORRUPT naming the file, file-system errors keep their errno. */
function openError(error: unknown, dirArg: string): VexError {
  const translated = translateSqliteError(error, dirArg);
  if (translated instanceof VexError) return translated;
  const code = (translated as { code?: unknown }).code;
  const detail = translated instanceof Error ? translated.message : String(translated);
  if (typeof code === 'string' && !code.startsWith('SQLITE_')) {
    const errno =
      (['EACCES', 'EPERM', 'ENOSPC', 'EROFS', 'ENOENT', 'ENOTDIR'] as const).find((c) => c === code) ?? 'EIO';
    return new VexError(errno, `opening the store at ${dirArg} failed: ${detail}`);
  }
  // Whatever else SQLite says about a file that passed the header check (a missing table,
  // a malformed schema, a value of the wrong type) means it is not a readable store.
  return new VexError(
    'E_CORRUPT',
    `${DB_FILE} cannot be read as a VexFS store (${detail}); run 'vexctl fsck ${dirArg}'`,
    {
      file: DB_FILE,
    },
  );
}

export function deleteInodeRows(db: Database.Database, ino: number): void {
  db.prepare('DELETE FROM blocks WHERE key >= ? AND key < ?').run(ino * 2 ** 24, (ino + 1) * 2 ** 24);
  db.prepare('DELETE FROM xattrs WHERE ino = ?').run(ino);
  db.prepare('DELETE FROM inodes WHERE ino = ?').run(ino);
}

export function configureConnection(db: Database.Database, readOnly: boolean): void {
  // No memory map: a truncated file must give an error, never a SIGBUS.
  db.pragma('mmap_size = 0');
  db.pragma('cell_size_check = ON');
  if (!readOnly) {
    db.pragma('journal_mode = WAL');
    // NORMAL in WAL mode: a commit survives a crash of the process; sync() makes it survive the OS.
    db.pragma('synchronous = NORMAL');
  }
  db.pragma(`cache_size = -${SQLITE_PAGE_CACHE_BYTES / 1024}`);
}

function writeMeta(db: Database.Database, meta: StoreMeta): void {
  const insert = db.prepare('INSERT OR REPLACE INTO meta (key, value, crc) VALUES (?, ?, ?)');
  const entries: [string, string][] = [
    ['format_version', String(meta.formatVersion)],
    ['store_id', meta.storeId],
    ['dim', String(meta.dim)],
    ['metric', meta.metric],
    ['created_at', meta.createdAt],
  ];
  for (const [key, value] of entries) insert.run(key, value, metaChecksum(key, value));
}

function readMetaOrThrow(db: Database.Database, dirArg: string): StoreMeta {
  const rows = db.prepare('SELECT key, value, crc FROM meta').all() as { key: string; value: string; crc: number }[];
  const values = new Map<string, string>();
  for (const row of rows) {
    if (metaChecksum(row.key, row.value) !== row.crc) {
      throw new VexError(
        'E_CORRUPT',
        `${DB_FILE}: the store's metadata row '${row.key}' fails its checksum; run 'vexctl fsck ${dirArg}'`,
        {
          file: DB_FILE,
        },
      );
    }
    values.set(row.key, row.value);
  }
  const dim = Number(values.get('dim'));
  const metric = values.get('metric') as Metric | undefined;
  const storeId = values.get('store_id');
  const createdAt = values.get('created_at');
  if (!Number.isInteger(dim) || metric === undefined || !METRICS.includes(metric) || !storeId || !createdAt) {
    throw new VexError('E_CORRUPT', `${DB_FILE}: the store's metadata is incomplete; run 'vexctl fsck ${dirArg}'`, {
      file: DB_FILE,
    });
  }
  return { formatVersion: Number(values.get('format_version')), storeId, dim, metric, createdAt };
}

function insertRootInode(db: Database.Database): void {
  const now = Date.now();
  const seconds = Math.floor(now / 1000);
  const nanos = (now % 1000) * 1e6;
  const row = {
    ino: ROOT_INO,
    mode: 0o040755,
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    nlink: 2,
    size: 0,
    rdev: 0,
    atime_s: seconds,
    atime_ns: nanos,
    mtime_s: seconds,
    mtime_ns: nanos,
    ctime_s: seconds,
    ctime_ns: nanos,
    btime_s: seconds,
    btime_ns: nanos,
    alloc: 0,
    target: null,
  };
  db.prepare(
    `INSERT INTO inodes (${INODE_COLUMNS}) VALUES (${INODE_COLUMNS.split(',')
      .map(() => '?')
      .join(', ')})`,
  ).run(...inodeFieldValues(row), inodeChecksum(row));
}

export function fsyncDir(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}
