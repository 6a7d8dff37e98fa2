import { VexError } from '../errors.js';
import { DB_FILE } from './layout.js';

/** Maps SQLite's error codes to the engine's: damage is E_CORRUPT naming the file, never a raw library error. */
export function translateSqliteError(error: unknown, dir: string): unknown {
  if (error instanceof VexError) return error;
  const code = (error as { code?: unknown }).code;
  if (typeof code !== 'string' || !code.startsWith('SQLITE_')) return error;
  const detail = error instanceof Error ? error.message : String(error);
  if (code.startsWith('SQLITE_CORRUPT') || code === 'SQLITE_NOTADB') {
    return new VexError('E_CORRUPT', `${DB_FILE} is damaged (${detail}); run 'vexctl fsck ${dir}'`, { file: DB_FILE });
  }
  if (code === 'SQLITE_FULL') return new VexError('ENOSPC', `the disk holding ${dir} is full (${detail})`);
  if (code.startsWith('SQLITE_READONLY'))
    return new VexError('EROFS', `the store at ${dir} cannot be written (${detail})`);
  if (code.startsWith('SQLITE_BUSY')) {
    return new VexError('E_LOCKED', `the store at ${dir} is busy in another process (${detail}); try again`);
  }
  if (code.startsWith('SQLITE_IOERR') || code === 'SQLITE_CANTOPEN') {
    return new VexError('EIO', `reading or writing ${dir} failed (${detail})`);
  }
  return error;
}
