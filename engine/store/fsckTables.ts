import type Database from 'better-sqlite3';
import type { FileProblem } from './fileChecks.js';
import { BLOCK_SIZE, DB_FILE, METRICS, NAME_MAX_BYTES, ROOT_INO, VECTOR_XATTR, vectorByteLength } from './layout.js';
import type { Metric } from './layout.js';
import { blockChecksum, direntChecksum, inodeChecksum, metaChecksum, xattrChecksum } from './rows.js';
import type { DirentRow, InodeRow, XattrRow } from './rows.js';
import { BLOCKS_PER_FILE } from './schema.js';
import { checkVectorTables } from './fsckVectors.js';

const S_IFMT = 0o170000;
const S_IFREG = 0o100000;
const S_IFDIR = 0o040000;
const S_IFLNK = 0o120000;

interface InodeFacts {
  type: number;
  nlink: number;
  size: number;
  alloc: number;
  names: number;
  subdirs: number;
  blockBytes: number;
}

export interface TableCounts {
  inodes: number;
  dirents: number;
  xattrs: number;
  blocks: number;
}

/** Reports at most this many problems of one kind, then how many more there were. */
const PER_KIND_LIMIT = 20;

/**
 * Every row's checksum in every table, then the filesystem's invariants (the ones
 * engine/fs keeps): names point at existing inodes in directories, everything is reachable
 * from the root, nlink counts names (2 + subdirectories for a directory), blocks belong to
 * regular files and stop at the file's size, alloc is the bytes the blocks hold, xattrs
 * belong to existing inodes, vectors have the store's length, and the metadata is complete.
 * Runs inside the caller's read transaction, so it sees one snapshot beside a live writer.
 */
export function checkTables(
  db: Database.Database,
  expectedVersion: number,
): { problems: FileProblem[]; counts: TableCounts } {
  const problems: FileProblem[] = [];
  const seen = new Map<string, number>();
  const report = (kind: string, message: string, severity: FileProblem['severity'] = 'error'): void => {
    const n = (seen.get(kind) ?? 0) + 1;
    seen.set(kind, n);
    if (n <= PER_KIND_LIMIT) problems.push({ file: DB_FILE, severity, message: `${DB_FILE}: ${message}` });
  };
  const meta = checkMeta(db, expectedVersion, report);
  const inodes = new Map<number, InodeFacts>();
  const counts: TableCounts = { inodes: 0, dirents: 0, xattrs: 0, blocks: 0 };

  for (const row of db.prepare('SELECT * FROM inodes').iterate() as IterableIterator<InodeRow>) {
    counts.inodes += 1;
    if (inodeChecksum(row) !== row.crc) report('inode-crc', `inode ${row.ino} fails its checksum`);
    const type = row.mode & S_IFMT;
    if (type !== S_IFREG && type !== S_IFDIR && type !== S_IFLNK) {
      report('inode-type', `inode ${row.ino} has an unknown file type (mode 0${row.mode.toString(8)})`);
    }
    if (type === S_IFLNK && (row.target === null || row.target.length !== row.size)) {
      report('symlink', `symlink inode ${row.ino} has no target or a size (${row.size}) unlike its target's length`);
    }
    for (const which of ['atime', 'mtime', 'ctime', 'btime'] as const) {
      const nanos = row[`${which}_ns`];
      if (!Number.isInteger(nanos) || nanos < 0 || nanos > 999_999_999) {
        report('inode-time', `inode ${row.ino} has an impossible ${which} (${nanos} ns)`);
      }
    }
    if (row.size < 0 || row.alloc < 0 || row.nlink < 0) {
      report('inode-negative', `inode ${row.ino} has a negative size, alloc or nlink`);
    }
    inodes.set(row.ino, {
      type,
      nlink: row.nlink,
      size: row.size,
      alloc: row.alloc,
      names: 0,
      subdirs: 0,
      blockBytes: 0,
    });
  }
  const root = inodes.get(ROOT_INO);
  if (root === undefined || root.type !== S_IFDIR)
    report('root', `the root directory (inode ${ROOT_INO}) is missing or not a directory`);

  const children = new Map<number, number[]>();
  for (const row of db.prepare('SELECT * FROM dirents').iterate() as IterableIterator<DirentRow>) {
    counts.dirents += 1;
    const where = `entry '${row.name}' in directory inode ${row.parent}`;
    if (direntChecksum(row.parent, row.name, row.ino, row.cookie) !== row.crc)
      report('dirent-crc', `${where} fails its checksum`);
    const nameProblem = badName(row.name);
    if (nameProblem !== null) report('dirent-name', `${where}: ${nameProblem}`);
    if (!Number.isSafeInteger(row.cookie) || row.cookie < 3)
      report('dirent-cookie', `${where} has an invalid readdir cookie ${row.cookie}`);
    const parent = inodes.get(row.parent);
    if (parent === undefined) report('dirent-parent', `${where}: the directory does not exist`);
    else if (parent.type !== S_IFDIR) report('dirent-parent', `${where}: inode ${row.parent} is not a directory`);
    const child = inodes.get(row.ino);
    if (child === undefined) {
      report('dirent-target', `${where} points at inode ${row.ino}, which does not exist`);
      continue;
    }
    if (row.ino === ROOT_INO) report('dirent-root', `${where} names the root directory`);
    child.names += 1;
    if (child.type === S_IFDIR && parent !== undefined) parent.subdirs += 1;
    const list = children.get(row.parent);
    if (list === undefined) children.set(row.parent, [row.ino]);
    else list.push(row.ino);
  }

  for (const row of db.prepare('SELECT key, data, crc FROM blocks').iterate() as IterableIterator<{
    key: number;
    data: Buffer;
    crc: number;
  }>) {
    counts.blocks += 1;
    const ino = Math.floor(row.key / BLOCKS_PER_FILE);
    const index = row.key - ino * BLOCKS_PER_FILE;
    const where = `block ${index} of inode ${ino}`;
    if (blockChecksum(row.key, row.data) !== row.crc) report('block-crc', `${where} fails its checksum`);
    if (row.data.length > BLOCK_SIZE)
      report('block-size', `${where} holds ${row.data.length} bytes, more than a block`);
    const owner = inodes.get(ino);
    if (owner === undefined) {
      report('block-owner', `${where} belongs to no inode`);
      continue;
    }
    if (owner.type !== S_IFREG) report('block-owner', `${where}: only regular files have blocks`);
    if (index * BLOCK_SIZE + row.data.length > owner.size) {
      report(
        'block-past-size',
        `${where} reaches byte ${index * BLOCK_SIZE + row.data.length}, past the file's size ${owner.size}`,
      );
    }
    owner.blockBytes += row.data.length;
  }

  const vectorBytes = meta === null ? null : vectorByteLength(meta.dim, meta.metric);
  for (const row of db.prepare('SELECT * FROM xattrs').iterate() as IterableIterator<XattrRow>) {
    counts.xattrs += 1;
    const where = `attribute '${row.name}' of inode ${row.ino}`;
    if (xattrChecksum(row.ino, row.name, row.value) !== row.crc) report('xattr-crc', `${where} fails its checksum`);
    if (!inodes.has(row.ino)) report('xattr-owner', `${where}: the inode does not exist`);
    if (row.name === VECTOR_XATTR && vectorBytes !== null && row.value.length !== vectorBytes) {
      report('vector-length', `${where} is ${row.value.length} bytes; the store's vectors are ${vectorBytes}`);
    }
  }

  const reachable = new Set<number>();
  if (root !== undefined) {
    const queue = [ROOT_INO];
    reachable.add(ROOT_INO);
    while (queue.length > 0) {
      const dir = queue.pop()!;
      for (const ino of children.get(dir) ?? []) {
        if (reachable.has(ino)) continue;
        reachable.add(ino);
        if (inodes.get(ino)?.type === S_IFDIR) queue.push(ino);
      }
    }
  }
  for (const [ino, facts] of inodes) {
    if (facts.nlink === 0 && facts.names === 0) {
      report(
        'orphan',
        `inode ${ino} has no name (unlinked while open, or left by a crash): the next writer open frees it`,
        'warning',
      );
    } else if (!reachable.has(ino)) {
      report('unreachable', `inode ${ino} cannot be reached from the root directory`);
    }
    const expectedNlink =
      facts.type === S_IFDIR ? (facts.nlink === 0 && facts.names === 0 ? 0 : 2 + facts.subdirs) : facts.names;
    if (facts.nlink !== expectedNlink) {
      report('nlink', `inode ${ino} has nlink ${facts.nlink} but ${describeLinks(facts)}`);
    }
    if (facts.type === S_IFDIR && ino !== ROOT_INO && facts.names > 1) {
      report('dir-names', `directory inode ${ino} has ${facts.names} names (a directory has one)`);
    }
    if (facts.alloc !== facts.blockBytes) {
      report('alloc', `inode ${ino} counts ${facts.alloc} stored bytes but its blocks hold ${facts.blockBytes}`);
    }
  }
  checkVectorTables(db, report);
  for (const [kind, n] of seen) {
    if (n > PER_KIND_LIMIT) {
      problems.push({
        file: DB_FILE,
        severity: 'error',
        message: `${DB_FILE}: ${n - PER_KIND_LIMIT} more problems of kind '${kind}' not listed`,
      });
    }
  }
  return { problems, counts };
}

function describeLinks(facts: InodeFacts): string {
  return facts.type === S_IFDIR
    ? `${facts.names} name(s) and ${facts.subdirs} subdirectories (expected ${2 + facts.subdirs})`
    : `${facts.names} name(s)`;
}

function badName(name: string): string | null {
  if (name.length === 0) return 'the name is empty';
  if (name === '.' || name === '..') return `'${name}' may not be stored`;
  if (name.includes('/') || name.includes('\0')) return 'the name holds a slash or a NUL byte';
  if (Buffer.byteLength(name) > NAME_MAX_BYTES) return `the name is longer than ${NAME_MAX_BYTES} bytes`;
  return null;
}

const META_KEYS = ['format_version', 'store_id', 'dim', 'metric', 'created_at'] as const;

function checkMeta(
  db: Database.Database,
  expectedVersion: number,
  report: (kind: string, message: string) => void,
): { dim: number; metric: Metric } | null {
  const values = new Map<string, string>();
  for (const row of db.prepare('SELECT key, value, crc FROM meta').all() as {
    key: string;
    value: string;
    crc: number;
  }[]) {
    if (metaChecksum(row.key, row.value) !== row.crc)
      report('meta-crc', `metadata row '${row.key}' fails its checksum`);
    else values.set(row.key, row.value);
  }
  for (const key of META_KEYS) {
    if (!values.has(key)) report('meta-missing', `metadata row '${key}' is missing or damaged`);
  }
  const version = values.get('format_version');
  if (version !== undefined && Number(version) !== expectedVersion) {
    report('meta-version', `metadata says format version ${version}, the database header ${expectedVersion}`);
  }
  const dim = Number(values.get('dim'));
  const metric = values.get('metric') as Metric | undefined;
  const dimOk = Number.isInteger(dim) && dim >= 1 && dim <= 65536;
  const metricOk = metric !== undefined && METRICS.includes(metric);
  if (values.has('dim') && !dimOk)
    report('meta-dim', `metadata dimension '${values.get('dim')}' is not a valid dimension`);
  if (values.has('metric') && !metricOk)
    report('meta-metric', `metadata metric '${String(metric)}' is not one of ${METRICS.join(', ')}`);
  return dimOk && metricOk ? { dim, metric: metric! } : null;
}
