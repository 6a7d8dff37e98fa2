/** File types and mode bits as in <sys/stat.h>. */
export const S_IFMT = 0o170000;
export const S_IFREG = 0o100000;
export const S_IFDIR = 0o040000;
export const S_IFLNK = 0o120000;
export const S_ISUID = 0o4000;
export const S_ISGID = 0o2000;
export const S_ISVTX = 0o1000;
export const PERMISSION_BITS = 0o7777;

/** access(2) masks. */
export const R_OK = 4;
export const W_OK = 2;
export const X_OK = 1;
export const F_OK = 0;

/** open(2) flags (Linux values), as FUSE passes them. */
export const O_ACCMODE = 0o3;
export const O_RDONLY = 0o0;
export const O_WRONLY = 0o1;
export const O_RDWR = 0o2;
export const O_CREAT = 0o100;
export const O_EXCL = 0o200;
export const O_TRUNC = 0o1000;
export const O_APPEND = 0o2000;

/** renameat2(2) flags. */
export const RENAME_NOREPLACE = 1;
export const RENAME_EXCHANGE = 2;

/** setxattr(2) flags. */
export const XATTR_CREATE = 1;
export const XATTR_REPLACE = 2;

export type FileKind = 'file' | 'dir' | 'symlink';

export function kindOf(mode: number): FileKind {
  const type = mode & S_IFMT;
  return type === S_IFDIR ? 'dir' : type === S_IFLNK ? 'symlink' : 'file';
}

export interface Timespec {
  sec: number;
  nsec: number;
}

/** What getattr answers: struct stat's fields, times as seconds + nanoseconds. */
export interface Attr {
  ino: number;
  mode: number;
  kind: FileKind;
  nlink: number;
  uid: number;
  gid: number;
  rdev: number;
  size: number;
  /** 512-byte units actually stored (less than size/512 for a sparse file). */
  blocks: number;
  blksize: number;
  atime: Timespec;
  mtime: Timespec;
  ctime: Timespec;
  birthtime: Timespec;
}

/** The caller's identity, as FUSE reports it per request. */
export interface Cred {
  uid: number;
  gid: number;
  /** Supplementary groups. */
  groups: readonly number[];
}

export const ROOT_CRED: Cred = Object.freeze({ uid: 0, gid: 0, groups: Object.freeze([]) as readonly number[] });

export function processCred(): Cred {
  return {
    uid: process.getuid?.() ?? 0,
    gid: process.getgid?.() ?? 0,
    groups: process.getgroups?.() ?? [],
  };
}

/** setattr's changes; a time of 'now' is UTIME_NOW. */
export interface SetAttrChanges {
  mode?: number;
  uid?: number;
  gid?: number;
  size?: number;
  atime?: Timespec | 'now';
  mtime?: Timespec | 'now';
}

export interface DirEntry {
  name: string;
  ino: number;
  kind: FileKind;
  /** Pass this back to readdir to continue after this entry; stable under concurrent changes. */
  offset: number;
}

export interface StatFs {
  blockSize: number;
  fragmentSize: number;
  blocks: number;
  blocksFree: number;
  blocksAvailable: number;
  files: number;
  filesFree: number;
  nameMax: number;
}
