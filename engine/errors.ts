import { constants as osConstants } from 'node:os';

/** Filesystem errors carry a POSIX errno name; everything else a domain code. */
export type ErrnoCode =
  | 'ENOENT'
  | 'EEXIST'
  | 'ENOTEMPTY'
  | 'ENOTDIR'
  | 'EISDIR'
  | 'ENAMETOOLONG'
  | 'EINVAL'
  | 'ERANGE'
  | 'ENODATA'
  | 'EACCES'
  | 'EPERM'
  | 'EBADF'
  | 'ELOOP'
  | 'EXDEV'
  | 'EFBIG'
  | 'E2BIG'
  | 'EROFS'
  | 'ENOTSUP'
  | 'ENOSPC'
  | 'EILSEQ'
  | 'EBUSY'
  | 'EIO';

export type DomainCode =
  | 'E_USAGE'
  | 'E_CONFIG'
  | 'E_PROFILE'
  | 'E_FORMAT'
  | 'E_CORRUPT'
  | 'E_LOCKED'
  | 'E_READONLY'
  | 'E_CLOSED'
  | 'E_NOT_FOUND'
  | 'E_EXISTS'
  | 'E_DIM_MISMATCH'
  | 'E_INVALID'
  | 'E_RESULT'
  | 'E_CANCELLED'
  | 'E_UNAVAILABLE'
  | 'E_INTERNAL';

export type ErrorCode = ErrnoCode | DomainCode;

/**
 * The one error type the engine throws on purpose: a stable `code` and a sentence
 * that says what happened and, where there is something to do, what to do.
 */
export class VexError extends Error {
  readonly code: ErrorCode;
  readonly details: Readonly<Record<string, unknown>>;

  constructor(code: ErrorCode, message: string, details: Record<string, unknown> = {}) {
    super(message);
    this.name = 'VexError';
    this.code = code;
    this.details = details;
  }

  toJSON(): { code: ErrorCode; message: string; details: Readonly<Record<string, unknown>> } {
    return { code: this.code, message: this.message, details: this.details };
  }
}

export function isVexError(value: unknown, code?: ErrorCode): value is VexError {
  return value instanceof VexError && (code === undefined || value.code === code);
}

/** The errno number FUSE replies with; domain codes map to EIO. */
export function errnoNumber(code: ErrorCode): number {
  const table = osConstants.errno as Record<string, number | undefined>;
  const name = code === 'ENOTSUP' ? 'EOPNOTSUPP' : code;
  return table[name] ?? table.EIO ?? 5;
}
