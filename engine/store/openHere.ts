import Database from 'better-sqlite3';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { readDbHeader, type DbHeader } from './fileChecks.js';

/**
 * Stores this process has open (any connection to their database). POSIX record locks
 * belong to a process, and closing *any* descriptor of a file drops all of them
 * ("How To Corrupt An SQLite Database File", §2.2): so while this process has a store's
 * database open, its raw file checks read through SQLite instead of opening the files.
 */
const counts = new Map<string, number>();

export function noteOpened(dir: string): void {
  const key = resolve(dir);
  counts.set(key, (counts.get(key) ?? 0) + 1);
}

export function noteClosed(dir: string): void {
  const key = resolve(dir);
  const left = (counts.get(key) ?? 0) - 1;
  if (left > 0) counts.set(key, left);
  else counts.delete(key);
}

export function isOpenHere(dir: string): boolean {
  return (counts.get(resolve(dir)) ?? 0) > 0;
}

/** The database header: read raw (before SQLite trusts the file), or through SQLite when this process has it open. */
export function readHeaderHere(dir: string, dbPath: string, fileName: string): ReturnType<typeof readDbHeader> {
  if (!isOpenHere(dir)) return readDbHeader(dbPath, fileName);
  const db = new Database(dbPath, { readonly: true, fileMustExist: true, timeout: 5000 });
  try {
    const value = (pragma: string): number => Number(db.pragma(pragma, { simple: true }));
    const header: DbHeader = {
      pageSizeBytes: value('page_size'),
      pageCount: value('page_count'),
      pageCountValid: true,
      userVersion: value('user_version'),
      applicationId: value('application_id'),
      fileSizeBytes: statSync(dbPath).size,
    };
    return { header, problems: [] };
  } finally {
    db.close();
  }
}
