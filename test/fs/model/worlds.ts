import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import { isVexError } from '../../../engine/errors.js';
import { renamePath } from '../../../engine/fs/pathOps.js';
import { resolveParent, resolvePath } from '../../../engine/fs/paths.js';
import { O_APPEND, O_RDONLY, O_TRUNC, O_WRONLY, type Attr, type Cred } from '../../../engine/fs/types.js';
import type { Vfs } from '../../../engine/fs/Vfs.js';

/** What one operation answered: a value, or an errno name. */
export type Outcome = { ok: true; value?: unknown } | { ok: false; code: string };

/**
 * The same path-level operations on both sides of the model test. Each is the
 * sequence of system calls a program would make (open + write + close, and so on),
 * so that the oracle is plain Linux on tmpfs and the store side is the Vfs through
 * the path helpers, with the same credentials.
 */
export interface World {
  mkdir(path: string, mode: number): Promise<Outcome>;
  rmdir(path: string): Promise<Outcome>;
  createExcl(path: string, mode: number): Promise<Outcome>;
  writeAt(path: string, offset: number, data: Buffer): Promise<Outcome>;
  append(path: string, data: Buffer): Promise<Outcome>;
  openTrunc(path: string): Promise<Outcome>;
  ftruncate(path: string, size: number): Promise<Outcome>;
  unlink(path: string): Promise<Outcome>;
  rename(from: string, to: string): Promise<Outcome>;
  link(from: string, to: string): Promise<Outcome>;
  symlink(target: string, path: string): Promise<Outcome>;
  chmod(path: string, mode: number): Promise<Outcome>;
  chown(path: string, uid: number, gid: number): Promise<Outcome>;
  access(path: string, mode: number): Promise<Outcome>;
  readFile(path: string): Promise<Outcome>;
  readdir(path: string): Promise<Outcome>;
  lstat(path: string): Promise<Outcome>;
  /** Every entry, one line each, sorted: what is compared after each step. */
  snapshot(): Promise<string[]>;
}

function digest(data: Uint8Array): string {
  return `${data.length}:${createHash('sha1').update(data).digest('hex').slice(0, 16)}`;
}

interface Stat {
  kind: 'file' | 'dir' | 'symlink';
  mode: number;
  uid: number;
  gid: number;
  nlink: number;
  size: number;
  ino: number;
}

/**
 * The normalised view of a stat. Normalisations, each for a difference that is not a bug:
 * - directory sizes: tmpfs reports a size that depends on its own entry bookkeeping; a
 *   store directory reports 0. Dropped for directories.
 * - inode numbers differ between any two filesystems: compared only as "which paths
 *   name the same inode" (the link group in the snapshot).
 * - times (atime, mtime, ctime) are not compared: they come from two clocks a few
 *   microseconds apart; the unit tests check the time rules (relatime included).
 * - st_blocks and st_blksize depend on the allocator; unit tests check sparse accounting.
 */
function describeStat(stat: Stat): string {
  const size = stat.kind === 'dir' ? '' : ` size=${stat.size}`;
  return `${stat.kind} mode=${(stat.mode & 0o7777).toString(8)} uid=${stat.uid} gid=${stat.gid} nlink=${stat.nlink}${size}`;
}

async function outcome(body: () => unknown): Promise<Outcome> {
  try {
    const value = await body();
    return value === undefined ? { ok: true } : { ok: true, value };
  } catch (error) {
    if (isVexError(error)) return { ok: false, code: error.code };
    const code = (error as { code?: unknown }).code;
    if (typeof code === 'string' && /^E[A-Z0-9]+$/.test(code)) return { ok: false, code };
    throw error;
  }
}

const S_IFMT = 0o170000;
function kindOfMode(mode: number): Stat['kind'] {
  const type = mode & S_IFMT;
  return type === 0o040000 ? 'dir' : type === 0o120000 ? 'symlink' : 'file';
}

async function walkSnapshot(
  list: (path: string) => string[],
  lstat: (path: string) => Stat,
  readlink: (path: string) => string,
  readFile: (path: string) => Buffer | Promise<Buffer>,
): Promise<string[]> {
  const lines: string[] = [];
  const firstPathOfIno = new Map<number, string>();
  const visit = async (dir: string): Promise<void> => {
    let names: string[];
    try {
      names = list(dir).sort();
    } catch (error) {
      lines.push(`${dir || '/'} list: ${(error as { code: string }).code}`);
      return;
    }
    for (const name of names) {
      const path = dir === '' ? name : `${dir}/${name}`;
      let stat: Stat;
      try {
        stat = lstat(path);
      } catch (error) {
        lines.push(`${path} lstat: ${(error as { code: string }).code}`);
        continue;
      }
      let line = `${path} ${describeStat(stat)}`;
      if (stat.kind === 'file' && stat.nlink > 1) {
        const first = firstPathOfIno.get(stat.ino);
        if (first === undefined) firstPathOfIno.set(stat.ino, path);
        else line += ` same-inode-as=${first}`;
      }
      if (stat.kind === 'symlink') line += ` -> ${readlink(path)}`;
      if (stat.kind === 'file') {
        try {
          line += ` content=${digest(await readFile(path))}`;
        } catch (error) {
          line += ` content: ${(error as { code: string }).code}`;
        }
      }
      lines.push(line);
      if (stat.kind === 'dir') await visit(path);
    }
  };
  await visit('');
  return lines;
}

/** The oracle: a directory on tmpfs, through node:fs system calls. */
export class DiskWorld implements World {
  constructor(private readonly root: string) {}

  /** Concatenated, not path.join: join would resolve 'file/..' textually, which the kernel refuses (ENOTDIR). */
  private p(path: string): string {
    return path === '' ? this.root : `${this.root}/${path}`;
  }

  private withFd(path: string, flags: number, body: (fd: number) => unknown, mode?: number): Promise<Outcome> {
    return outcome(() => {
      const fd = fs.openSync(this.p(path), flags, mode);
      try {
        return body(fd);
      } finally {
        fs.closeSync(fd);
      }
    });
  }

  mkdir(path: string, mode: number) {
    return outcome(() => void fs.mkdirSync(this.p(path), mode));
  }
  rmdir(path: string) {
    return outcome(() => fs.rmdirSync(this.p(path)));
  }
  createExcl(path: string, mode: number) {
    return this.withFd(path, fs.constants.O_WRONLY | fs.constants.O_CREAT | fs.constants.O_EXCL, () => undefined, mode);
  }
  writeAt(path: string, offset: number, data: Buffer) {
    return this.withFd(path, fs.constants.O_WRONLY, (fd) => fs.writeSync(fd, data, 0, data.length, offset));
  }
  append(path: string, data: Buffer) {
    return this.withFd(path, fs.constants.O_WRONLY | fs.constants.O_APPEND, (fd) => fs.writeSync(fd, data));
  }
  openTrunc(path: string) {
    return this.withFd(path, fs.constants.O_WRONLY | fs.constants.O_TRUNC, () => undefined);
  }
  ftruncate(path: string, size: number) {
    return this.withFd(path, fs.constants.O_WRONLY, (fd) => fs.ftruncateSync(fd, size));
  }
  unlink(path: string) {
    return outcome(() => fs.unlinkSync(this.p(path)));
  }
  rename(from: string, to: string) {
    return outcome(() => fs.renameSync(this.p(from), this.p(to)));
  }
  link(from: string, to: string) {
    return outcome(() => fs.linkSync(this.p(from), this.p(to)));
  }
  symlink(target: string, path: string) {
    return outcome(() => fs.symlinkSync(target, this.p(path)));
  }
  chmod(path: string, mode: number) {
    return outcome(() => fs.chmodSync(this.p(path), mode));
  }
  chown(path: string, uid: number, gid: number) {
    return outcome(() => fs.chownSync(this.p(path), uid, gid));
  }
  access(path: string, mode: number) {
    return outcome(() => fs.accessSync(this.p(path), mode));
  }
  readFile(path: string) {
    return this.withFd(path, fs.constants.O_RDONLY, (fd) => digest(fs.readFileSync(fd)));
  }
  readdir(path: string) {
    return outcome(() => fs.readdirSync(this.p(path)).sort());
  }
  lstat(path: string) {
    return outcome(() => describeStat(this.stat(path)));
  }

  private stat(path: string): Stat {
    const s = fs.lstatSync(this.p(path));
    return { kind: kindOfMode(s.mode), mode: s.mode, uid: s.uid, gid: s.gid, nlink: s.nlink, size: s.size, ino: s.ino };
  }

  snapshot(): Promise<string[]> {
    return walkSnapshot(
      (dir) => fs.readdirSync(this.p(dir)),
      (path) => this.stat(path),
      (path) => fs.readlinkSync(this.p(path), 'utf8'),
      (path) => fs.readFileSync(this.p(path)),
    );
  }
}

/** The store side: the Vfs through path resolution, as a process would reach it through a mount. */
export class VfsWorld implements World {
  constructor(
    public vfs: Vfs,
    private readonly cred: Cred,
  ) {}

  private async withHandle(path: string, flags: number, body: (fh: number) => unknown): Promise<unknown> {
    const { ino } = resolvePath(this.vfs, path, this.cred, true);
    const fh = await this.vfs.open(ino, flags, this.cred);
    try {
      return await body(fh);
    } finally {
      await this.vfs.release(fh);
    }
  }

  mkdir(path: string, mode: number) {
    return outcome(async () => {
      const { parent, name } = resolveParent(this.vfs, path, this.cred);
      await this.vfs.mkdir(parent, name, mode, this.cred);
    });
  }
  rmdir(path: string) {
    return outcome(async () => {
      const { parent, name } = resolveParent(this.vfs, path, this.cred);
      await this.vfs.rmdir(parent, name, this.cred);
    });
  }
  createExcl(path: string, mode: number) {
    return outcome(async () => {
      const { parent, name } = resolveParent(this.vfs, path, this.cred);
      const { fh } = await this.vfs.create(parent, name, mode, O_WRONLY, this.cred);
      await this.vfs.release(fh);
    });
  }
  writeAt(path: string, offset: number, data: Buffer) {
    return outcome(() => this.withHandle(path, O_WRONLY, (fh) => this.vfs.write(fh, offset, data, this.cred)));
  }
  append(path: string, data: Buffer) {
    return outcome(() => this.withHandle(path, O_WRONLY | O_APPEND, (fh) => this.vfs.write(fh, 0, data, this.cred)));
  }
  openTrunc(path: string) {
    return outcome(() => this.withHandle(path, O_WRONLY | O_TRUNC, () => undefined));
  }
  ftruncate(path: string, size: number) {
    return outcome(() =>
      this.withHandle(path, O_WRONLY, async (fh) => {
        const { ino } = resolvePath(this.vfs, path, this.cred, true);
        await this.vfs.setattr(ino, { size }, this.cred, fh);
      }),
    );
  }
  unlink(path: string) {
    return outcome(async () => {
      const { parent, name } = resolveParent(this.vfs, path, this.cred);
      await this.vfs.unlink(parent, name, this.cred);
    });
  }
  rename(from: string, to: string) {
    return outcome(() => renamePath(this.vfs, from, to, 0, this.cred));
  }
  link(from: string, to: string) {
    return outcome(async () => {
      const { ino } = resolvePath(this.vfs, from, this.cred, false);
      const { parent, name } = resolveParent(this.vfs, to, this.cred);
      await this.vfs.link(ino, parent, name, this.cred);
    });
  }
  symlink(target: string, path: string) {
    return outcome(async () => {
      const { parent, name } = resolveParent(this.vfs, path, this.cred);
      await this.vfs.symlink(target, parent, name, this.cred);
    });
  }
  chmod(path: string, mode: number) {
    return outcome(async () => {
      const { ino } = resolvePath(this.vfs, path, this.cred, true);
      await this.vfs.setattr(ino, { mode }, this.cred);
    });
  }
  chown(path: string, uid: number, gid: number) {
    return outcome(async () => {
      const { ino } = resolvePath(this.vfs, path, this.cred, true);
      await this.vfs.setattr(ino, { uid: uid === -1 ? undefined : uid, gid: gid === -1 ? undefined : gid }, this.cred);
    });
  }
  access(path: string, mode: number) {
    return outcome(() => {
      const { ino } = resolvePath(this.vfs, path, this.cred, true);
      this.vfs.access(ino, mode, this.cred);
    });
  }
  readFile(path: string) {
    return outcome(() =>
      this.withHandle(path, O_RDONLY, (fh) => {
        const { ino } = resolvePath(this.vfs, path, this.cred, true);
        return digest(this.vfs.read(fh, 0, this.vfs.getattr(ino).size));
      }),
    );
  }
  readdir(path: string) {
    return outcome(() => this.list(path).sort());
  }
  lstat(path: string) {
    return outcome(() => describeStat(this.stat(path)));
  }

  private list(path: string): string[] {
    const { ino } = resolvePath(this.vfs, path, this.cred, true);
    const fh = this.vfs.opendir(ino, this.cred);
    try {
      const names: string[] = [];
      let offset = 2;
      for (;;) {
        const page = this.vfs.readdir(fh, offset, 64);
        if (page.length === 0) return names;
        for (const entry of page) names.push(entry.name);
        offset = page.at(-1)!.offset;
      }
    } finally {
      this.vfs.releasedir(fh);
    }
  }

  private stat(path: string): Stat {
    const attr: Attr = this.vfs.getattr(resolvePath(this.vfs, path, this.cred, false).ino);
    return { ...attr, ino: attr.ino };
  }

  /**
   * The same walk as the oracle's, by inode rather than by path (cheaper), with the
   * checks the kernel makes on the way: listing needs read on the directory, a stat
   * needs search on it, content needs read on the file.
   */
  async snapshot(): Promise<string[]> {
    const inoOf = new Map<string, number>([['', 1]]);
    const dirIno = (path: string): number => inoOf.get(path)!;
    const parentAndName = (path: string): [string, string] => {
      const cut = path.lastIndexOf('/');
      return cut < 0 ? ['', path] : [path.slice(0, cut), path.slice(cut + 1)];
    };
    const inoAt = (path: string): number => {
      const [dir, name] = parentAndName(path);
      const parent = dirIno(dir);
      this.vfs.access(parent, 1, this.cred);
      const ino = this.vfs.childIno(parent, name);
      inoOf.set(path, ino);
      return ino;
    };
    return walkSnapshot(
      (dir) => {
        const fh = this.vfs.opendir(dirIno(dir), this.cred);
        try {
          return this.vfs.readdir(fh, 2, 1 << 20).map((entry) => entry.name);
        } finally {
          this.vfs.releasedir(fh);
        }
      },
      (path) => {
        const attr = this.vfs.getattr(inoAt(path));
        return { ...attr };
      },
      (path) => this.vfs.readlink(inoOf.get(path)!),
      async (path) => {
        const ino = inoOf.get(path)!;
        const fh = await this.vfs.open(ino, O_RDONLY, this.cred);
        try {
          return Buffer.from(this.vfs.read(fh, 0, this.vfs.getattr(ino).size));
        } finally {
          await this.vfs.release(fh);
        }
      },
    );
  }
}
