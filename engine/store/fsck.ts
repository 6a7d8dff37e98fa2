import Database from 'better-sqlite3';
import { existsSync, lstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { checkConfigText } from '../config/index.js';
import { checkWal, readDbHeader, type FileProblem } from './fileChecks.js';
import { checkTables, type TableCounts } from './fsckTables.js';
import {
  APPLICATION_ID,
  CONFIG_FILE,
  DAMAGED_WAL_SUFFIX,
  DB_FILE,
  FORMAT_VERSION,
  KNOWN_FILES,
  LOCK_FILE,
  PID_FILE,
  WAL_FILE,
} from './layout.js';
import { parsePidFile } from './lockHolder.js';
import { isOpenHere, readHeaderHere } from './openHere.js';
import { MIGRATIONS, schemaDifferences, type Migration } from './schema.js';
import { currentFormatVersion } from './formatVersion.js';
import { currentWriter } from './writerLock.js';

export interface FsckOptions {
  /** The migrations this build knows (tests pass their own): they set the current format version. */
  migrations?: readonly Migration[];
}

export interface FsckReport {
  dir: string;
  /** No problem of severity 'error' (warnings are reported but are no damage). */
  clean: boolean;
  problems: FileProblem[];
  counts: TableCounts | null;
  writerPid: number | null;
}

/**
 * Checks a store without changing it, beside a running writer if there is one: the files
 * in the directory, the database header, the WAL's checksum chain, SQLite's integrity
 * check, every row's checksum and the filesystem's invariants. Damage of any kind is a
 * problem in the report, never an exception or a crash; if the database cannot be opened
 * at all, that is the problem reported.
 */
export async function fsck(dirArg: string, options: FsckOptions = {}): Promise<FsckReport> {
  const dir = resolve(dirArg);
  const problems: FileProblem[] = [];
  const report: FsckReport = { dir, clean: false, problems, counts: null, writerPid: null };
  const problem = (file: string, severity: FileProblem['severity'], message: string): void =>
    void problems.push({ file, severity, message });
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    problem('.', 'error', `${dir} does not exist or is not a directory`);
    return report;
  }
  checkDirectoryEntries(dir, problem);
  const writer = currentWriter(dir);
  report.writerPid = writer.pid;
  checkLockFiles(dir, writer, problem);
  checkConfigFile(dir, problem);

  const dbPath = join(dir, DB_FILE);
  if (!existsSync(dbPath)) {
    problem(DB_FILE, 'error', `${DB_FILE} is missing: this is not a store, or its database was deleted`);
    return finish(report);
  }
  const { header, problems: headerProblems } = safe(() => readHeaderHere(dir, dbPath, DB_FILE), DB_FILE, problems) ?? {
    header: null,
    problems: [],
  };
  problems.push(...headerProblems);
  if (header === null) return finish(report);
  if (header.applicationId !== APPLICATION_ID) {
    problem(
      DB_FILE,
      'error',
      `${DB_FILE} is an SQLite database but not a VexFS store (application id 0x${header.applicationId.toString(16)})`,
    );
    return finish(report);
  }
  const current = currentFormatVersion(options.migrations ?? MIGRATIONS);
  if (header.userVersion > current || header.userVersion === 0) {
    problem(
      DB_FILE,
      'error',
      `${DB_FILE} uses format version ${header.userVersion}, which this build does not know (up to ${current})`,
    );
    return finish(report);
  }
  if (header.userVersion < current) {
    problem(
      DB_FILE,
      'warning',
      `${DB_FILE} uses format version ${header.userVersion}; run 'vexctl store migrate ${dirArg}' to bring it to ${current}`,
    );
  }
  const walPath = join(dir, WAL_FILE);
  // A connection this process has open is using the WAL: reading it raw would break that connection's locks.
  if (existsSync(walPath) && !isOpenHere(dir)) {
    const wal = safe(() => checkWal(walPath, WAL_FILE, header.pageSizeBytes), WAL_FILE, problems);
    if (wal !== undefined) problems.push(...wal.problems);
  }
  if (headerProblems.some((p) => p.severity === 'error')) return finish(report);
  checkDatabase(dbPath, header.userVersion, report);
  return finish(report);
}

function checkDatabase(dbPath: string, version: number, report: FsckReport): void {
  let db: Database.Database;
  try {
    db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 5000 });
  } catch (error) {
    report.problems.push({
      file: DB_FILE,
      severity: 'error',
      message: `${DB_FILE} cannot be opened: ${describe(error)}`,
    });
    return;
  }
  try {
    db.pragma('mmap_size = 0');
    db.pragma('cell_size_check = ON');
    // One read transaction: the integrity check and the row checks see the same snapshot.
    db.exec('BEGIN');
    const integrity = db.pragma('integrity_check(100)', { simple: false }) as { integrity_check: string }[];
    const messages = integrity.map((r) => r.integrity_check).filter((m) => m !== 'ok');
    for (const message of messages) {
      report.problems.push({
        file: DB_FILE,
        severity: 'error',
        message: `${DB_FILE}: SQLite integrity check: ${message}`,
      });
    }
    const tables = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
    const missing = ['meta', 'inodes', 'dirents', 'xattrs', 'blocks'].filter((t) => !tables.has(t));
    if (version === FORMAT_VERSION) {
      for (const difference of schemaDifferences(db)) {
        report.problems.push({ file: DB_FILE, severity: 'error', message: `${DB_FILE}: schema: ${difference}` });
      }
    }
    if (missing.length > 0) {
      report.problems.push({
        file: DB_FILE,
        severity: 'error',
        message: `${DB_FILE} lacks the table(s) ${missing.join(', ')}`,
      });
      return;
    }
    const { problems, counts } = checkTables(db, version);
    report.problems.push(...problems);
    report.counts = counts;
  } catch (error) {
    report.problems.push({
      file: DB_FILE,
      severity: 'error',
      message: `${DB_FILE} cannot be read: ${describe(error)}`,
    });
  } finally {
    try {
      if (db.inTransaction) db.exec('COMMIT');
    } catch {
      // A read transaction that cannot end cleanly is closed with the connection.
    }
    db.close();
  }
}

function checkDirectoryEntries(
  dir: string,
  problem: (file: string, s: FileProblem['severity'], m: string) => void,
): void {
  for (const name of readdirSync(dir).sort()) {
    if (name.startsWith(`${WAL_FILE}${DAMAGED_WAL_SUFFIX}`)) {
      problem(
        name,
        'warning',
        `${name} is a copy of a damaged log kept by 'vexctl store recover'; delete it when no longer needed`,
      );
    } else if (!KNOWN_FILES.includes(name)) {
      problem(name, 'warning', `${name} is not a file a store holds (left by another program?)`);
    } else if (name !== 'derived' && lstatSync(join(dir, name)).isDirectory()) {
      problem(name, 'error', `${name} is a directory where the store keeps a file`);
    }
  }
}

function checkLockFiles(
  dir: string,
  writer: { pid: number | null; pidFileAgrees: boolean; known: boolean },
  problem: (file: string, s: FileProblem['severity'], m: string) => void,
): void {
  const lockPath = join(dir, LOCK_FILE);
  // Only a lock file nobody holds can be checked: a raw read would drop this process's own lock,
  // and a held one is in use, so SQLite can read it. An empty file is valid (SQLite fills it on first use).
  if (writer.pid === null && !isOpenHere(dir) && existsSync(lockPath) && lstatSync(lockPath).isFile()) {
    if (statSync(lockPath).size > 0) {
      const { header, problems } = readDbHeader(lockPath, LOCK_FILE);
      const errors = problems.filter((p) => p.severity === 'error');
      if (header === null || errors.length > 0) {
        for (const p of errors)
          problem(LOCK_FILE, 'error', `${p.message} (it holds no data: the next writer open resets it)`);
      }
    }
  }
  const pidPath = join(dir, PID_FILE);
  if (!existsSync(pidPath) || !lstatSync(pidPath).isFile()) {
    if (writer.pid !== null)
      problem(PID_FILE, 'error', `${PID_FILE} is missing although pid ${writer.pid} holds the writer lock`);
    return;
  }
  const parsed = parsePidFile(readFileSync(pidPath, 'latin1'));
  if ('problem' in parsed) {
    problem(PID_FILE, 'error', `${PID_FILE} ${parsed.problem}`);
  } else if (writer.known && writer.pid === null) {
    problem(
      PID_FILE,
      'warning',
      `${PID_FILE} names pid ${parsed.pid}, but no writer holds the store: left by a writer that did not close (the next writer rewrites it)`,
    );
  } else if (writer.pid !== null && writer.pid !== parsed.pid) {
    problem(PID_FILE, 'error', `${PID_FILE} names pid ${parsed.pid}, but pid ${writer.pid} holds the writer lock`);
  }
}

function checkConfigFile(dir: string, problem: (file: string, s: FileProblem['severity'], m: string) => void): void {
  const path = join(dir, CONFIG_FILE);
  if (!existsSync(path)) return;
  try {
    const check = checkConfigText(readFileSync(path, 'utf8'), CONFIG_FILE);
    for (const d of check.diagnostics) {
      problem(
        CONFIG_FILE,
        d.severity === 'error' ? 'error' : 'warning',
        `${CONFIG_FILE}:${d.line}:${d.column}: ${d.message}`,
      );
    }
  } catch (error) {
    problem(CONFIG_FILE, 'error', `${CONFIG_FILE} cannot be read: ${describe(error)}`);
  }
}

function safe<T>(body: () => T, file: string, problems: FileProblem[]): T | undefined {
  try {
    return body();
  } catch (error) {
    problems.push({ file, severity: 'error', message: `${file} cannot be read: ${describe(error)}` });
    return undefined;
  }
}

function describe(error: unknown): string {
  const code = (error as { code?: unknown }).code;
  const message = error instanceof Error ? error.message : String(error);
  return typeof code === 'string' ? `${message} (${code})` : message;
}

function finish(report: FsckReport): FsckReport {
  report.clean = !report.problems.some((p) => p.severity === 'error');
  return report;
}
