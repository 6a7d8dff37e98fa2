import { closeSync, fstatSync, openSync, readSync } from 'node:fs';

/**
 * Checks of SQLite's own files made before SQLite sees them, so that damage is
 * reported by name instead of surfacing as an unexplained error later, and so that
 * a damaged write-ahead log is not silently cut short (SQLite stops reading a WAL
 * at its first bad frame, which would quietly drop every later commit).
 */
export interface FileProblem {
  file: string;
  severity: 'error' | 'warning';
  message: string;
}

export interface DbHeader {
  pageSizeBytes: number;
  pageCount: number;
  pageCountValid: boolean;
  userVersion: number;
  applicationId: number;
  fileSizeBytes: number;
}

const SQLITE_MAGIC = Buffer.from('SQLite format 3\0', 'latin1');

export function readDbHeader(path: string, fileName: string): { header: DbHeader | null; problems: FileProblem[] } {
  const fd = openSync(path, 'r');
  try {
    const fileSizeBytes = fstatSync(fd).size;
    const bytes = Buffer.alloc(100);
    const read = readSync(fd, bytes, 0, 100, 0);
    if (read < 100) {
      return {
        header: null,
        problems: [error(fileName, `is ${fileSizeBytes} bytes long: truncated below SQLite's 100-byte header`)],
      };
    }
    if (!bytes.subarray(0, 16).equals(SQLITE_MAGIC)) {
      return {
        header: null,
        problems: [error(fileName, 'does not start with the SQLite header: the file is garbage or overwritten')],
      };
    }
    const rawPageSize = bytes.readUInt16BE(16);
    const pageSizeBytes = rawPageSize === 1 ? 65536 : rawPageSize;
    const header: DbHeader = {
      pageSizeBytes,
      pageCount: bytes.readUInt32BE(28),
      pageCountValid: bytes.readUInt32BE(24) === bytes.readUInt32BE(92),
      userVersion: bytes.readUInt32BE(60),
      applicationId: bytes.readUInt32BE(68),
      fileSizeBytes,
    };
    const problems: FileProblem[] = [];
    if (pageSizeBytes < 512 || pageSizeBytes > 65536 || (pageSizeBytes & (pageSizeBytes - 1)) !== 0) {
      problems.push(error(fileName, `has an impossible page size (${rawPageSize}) in its header`));
    } else if (fileSizeBytes % pageSizeBytes !== 0) {
      problems.push(
        error(
          fileName,
          `is ${fileSizeBytes} bytes long, not a whole number of ${pageSizeBytes}-byte pages: truncated or extended`,
        ),
      );
    } else if (header.pageCountValid && fileSizeBytes < header.pageCount * pageSizeBytes) {
      problems.push(
        error(
          fileName,
          `is ${fileSizeBytes} bytes long but its header counts ${header.pageCount} pages (${header.pageCount * pageSizeBytes} bytes): truncated`,
        ),
      );
    }
    return { header, problems };
  } finally {
    closeSync(fd);
  }
}

export interface WalReport {
  frames: number;
  committedFrames: number;
  problems: FileProblem[];
}

const WAL_HEADER_BYTES = 32;
const FRAME_HEADER_BYTES = 24;

/** Walks the WAL's checksum chain the way SQLite's recovery does, but reports what it would discard. */
export function checkWal(path: string, fileName: string, dbPageSizeBytes: number | null): WalReport {
  const fd = openSync(path, 'r');
  try {
    const sizeBytes = fstatSync(fd).size;
    if (sizeBytes === 0) return { frames: 0, committedFrames: 0, problems: [] };
    if (sizeBytes < WAL_HEADER_BYTES) {
      return {
        frames: 0,
        committedFrames: 0,
        problems: [error(fileName, `is ${sizeBytes} bytes long: truncated inside its 32-byte header`)],
      };
    }
    const header = Buffer.alloc(WAL_HEADER_BYTES);
    readSync(fd, header, 0, WAL_HEADER_BYTES, 0);
    const magic = header.readUInt32BE(0);
    if (magic !== 0x377f0682 && magic !== 0x377f0683) {
      return {
        frames: 0,
        committedFrames: 0,
        problems: [error(fileName, 'does not start with a write-ahead-log header: garbage or overwritten')],
      };
    }
    const bigEndian = (magic & 1) === 1;
    const pageSizeBytes = header.readUInt32BE(8);
    let [s0, s1] = walChecksum(header.subarray(0, 24), 0, 0, bigEndian);
    if (s0 !== header.readUInt32BE(24) || s1 !== header.readUInt32BE(28)) {
      return {
        frames: 0,
        committedFrames: 0,
        problems: [error(fileName, 'header fails its checksum: every commit in the log would be lost')],
      };
    }
    if (dbPageSizeBytes !== null && pageSizeBytes !== dbPageSizeBytes) {
      return {
        frames: 0,
        committedFrames: 0,
        problems: [error(fileName, `header names page size ${pageSizeBytes}, the database uses ${dbPageSizeBytes}`)],
      };
    }
    const salt1 = header.readUInt32BE(16);
    const salt2 = header.readUInt32BE(20);
    const frameBytes = FRAME_HEADER_BYTES + pageSizeBytes;
    const frame = Buffer.alloc(frameBytes);
    let frames = 0;
    let committedFrames = 0;
    let offset = WAL_HEADER_BYTES;
    const problems: FileProblem[] = [];
    while (offset + frameBytes <= sizeBytes) {
      readSync(fd, frame, 0, frameBytes, offset);
      const current = frame.readUInt32BE(8) === salt1 && frame.readUInt32BE(12) === salt2;
      if (!current) break; // Frames left over from an earlier log cycle: SQLite ignores them, and so may we.
      const [c0, c1] = frameChecksum(frame, s0, s1, bigEndian);
      if (c0 !== frame.readUInt32BE(16) || c1 !== frame.readUInt32BE(20)) {
        // SQLite never overwrites a committed frame before it restarts the log (new salts), so
        // frames past the valid chain that carry no commit are leftovers of a transaction that
        // never committed (rolled back after spilling, or cut short by a crash; a writer killed
        // between a frame's header and its page leaves exactly one bad frame): SQLite ignores
        // them and nothing acknowledged is lost. A bad frame that later commits chain on from
        // is damage: every commit from there on would be dropped.
        const later = framesAfterBadOne(fd, frame, offset + frameBytes, sizeBytes, [c0, c1], salt1, salt2, bigEndian);
        if (later.commits > 0) {
          problems.push(
            error(
              fileName,
              `frame ${frames + 1} (byte ${offset}) fails its checksum, and ${later.verified} later frames holding ${later.commits} commit(s) follow it: damage inside the log; every commit from there on would be lost`,
            ),
          );
        } else {
          problems.push(
            warning(
              fileName,
              `ends with ${1 + later.verified + later.unverified} frame(s) past its last valid commit from byte ${offset} (the first fails its checksum): an uncommitted transaction cut short by a crash or rolled back, or damage to the last transaction; SQLite ignores them`,
            ),
          );
        }
        return { frames, committedFrames, problems };
      }
      [s0, s1] = [c0, c1];
      frames += 1;
      if (frame.readUInt32BE(4) !== 0) committedFrames = frames;
      offset += frameBytes;
    }
    if (offset < sizeBytes && offset + frameBytes > sizeBytes) {
      problems.push(
        warning(
          fileName,
          `ends inside a frame (${sizeBytes - offset} stray bytes): an interrupted write or a truncation`,
        ),
      );
    }
    if (frames > committedFrames) {
      problems.push(
        warning(
          fileName,
          `ends inside a transaction (${frames - committedFrames} frames after the last commit): an interrupted write or a truncation`,
        ),
      );
    }
    return { frames, committedFrames, problems };
  } finally {
    closeSync(fd);
  }
}

function frameChecksum(frame: Buffer, s0: number, s1: number, bigEndian: boolean): [number, number] {
  const [a, b] = walChecksum(frame.subarray(0, 8), s0, s1, bigEndian);
  return walChecksum(frame.subarray(FRAME_HEADER_BYTES), a, b, bigEndian);
}

/**
 * Frames of the current log after a bad one, and how many of them verify: chained either
 * from the bad frame's stored checksum (its page was damaged) or from the computed one
 * (its checksum field was damaged).
 */
function framesAfterBadOne(
  fd: number,
  bad: Buffer,
  start: number,
  sizeBytes: number,
  computed: [number, number],
  salt1: number,
  salt2: number,
  bigEndian: boolean,
): { verified: number; unverified: number; commits: number } {
  const frameBytes = bad.length;
  const seeds: [number, number][] = [[bad.readUInt32BE(16), bad.readUInt32BE(20)], computed];
  const frame = Buffer.alloc(frameBytes);
  let best = { verified: 0, unverified: 0, commits: 0 };
  for (let [s0, s1] of seeds) {
    let verified = 0;
    let unverified = 0;
    let commits = 0;
    let chained = true;
    for (let offset = start; offset + frameBytes <= sizeBytes; offset += frameBytes) {
      readSync(fd, frame, 0, frameBytes, offset);
      if (frame.readUInt32BE(8) !== salt1 || frame.readUInt32BE(12) !== salt2) break;
      const [c0, c1] = frameChecksum(frame, s0, s1, bigEndian);
      if (chained && c0 === frame.readUInt32BE(16) && c1 === frame.readUInt32BE(20)) {
        verified += 1;
        if (frame.readUInt32BE(4) !== 0) commits += 1;
        [s0, s1] = [c0, c1];
      } else {
        chained = false;
        unverified += 1;
      }
    }
    if (verified > best.verified || (verified === best.verified && unverified > best.unverified)) {
      best = { verified, unverified, commits };
    }
  }
  return best;
}

function walChecksum(data: Buffer, s0: number, s1: number, bigEndian: boolean): [number, number] {
  let a = s0 >>> 0;
  let b = s1 >>> 0;
  for (let i = 0; i + 8 <= data.length; i += 8) {
    const x0 = bigEndian ? data.readUInt32BE(i) : data.readUInt32LE(i);
    const x1 = bigEndian ? data.readUInt32BE(i + 4) : data.readUInt32LE(i + 4);
    a = (a + x0 + b) >>> 0;
    b = (b + x1 + a) >>> 0;
  }
  return [a, b];
}

function error(file: string, message: string): FileProblem {
  return { file, severity: 'error', message: `${file} ${message}` };
}

function warning(file: string, message: string): FileProblem {
  return { file, severity: 'warning', message: `${file} ${message}` };
}
