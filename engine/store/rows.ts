import { rowChecksum, TABLE } from './checksum.js';

/** An inode row as stored (engine/store/schema.ts). */
export interface InodeRow {
  ino: number;
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  rdev: number;
  atime_s: number;
  atime_ns: number;
  mtime_s: number;
  mtime_ns: number;
  ctime_s: number;
  ctime_ns: number;
  btime_s: number;
  btime_ns: number;
  alloc: number;
  target: Buffer | null;
  crc: number;
}

export interface DirentRow {
  parent: number;
  name: string;
  ino: number;
  cookie: number;
  crc: number;
}

export interface XattrRow {
  ino: number;
  name: string;
  value: Buffer;
  crc: number;
}

export interface BlockRow {
  key: number;
  data: Buffer;
  crc: number;
}

/** An inode's fields in INODE_COLUMNS order (without crc): what is checksummed and what is written. */
export function inodeFieldValues(row: Omit<InodeRow, 'crc'>): [...number[], Buffer | null] {
  return [
    row.ino,
    row.mode,
    row.uid,
    row.gid,
    row.nlink,
    row.size,
    row.rdev,
    row.atime_s,
    row.atime_ns,
    row.mtime_s,
    row.mtime_ns,
    row.ctime_s,
    row.ctime_ns,
    row.btime_s,
    row.btime_ns,
    row.alloc,
    row.target,
  ];
}

export function inodeChecksum(row: Omit<InodeRow, 'crc'>): number {
  return rowChecksum(TABLE.inode, inodeFieldValues(row));
}

export function direntChecksum(parent: number, name: string, ino: number, cookie: number): number {
  return rowChecksum(TABLE.dirent, [parent, name, ino, cookie]);
}

export function xattrChecksum(ino: number, name: string, value: Uint8Array): number {
  return rowChecksum(TABLE.xattr, [ino, name, value]);
}

export function blockChecksum(key: number, data: Uint8Array): number {
  return rowChecksum(TABLE.block, [key, data]);
}

export function metaChecksum(key: string, value: string): number {
  return rowChecksum(TABLE.meta, [key, value]);
}

/** Column lists in the order of the INSERT statements that write rows. */
export const INODE_COLUMNS =
  'ino, mode, uid, gid, nlink, size, rdev, atime_s, atime_ns, mtime_s, mtime_ns, ctime_s, ctime_ns, btime_s, btime_ns, alloc, target, crc';

/** An inode's fields without its checksum: what code builds before writing. */
export type InodeFields = Omit<InodeRow, 'crc'>;
