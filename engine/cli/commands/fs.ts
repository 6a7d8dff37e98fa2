import { closeSync, fstatSync, openSync, readSync, writeSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VexError, type ErrnoCode } from '../../errors.js';
import { listDir, makeDirectory, removePath, renamePath } from '../../fs/pathOps.js';
import { resolveParent, resolvePath } from '../../fs/paths.js';
import { O_RDONLY, O_TRUNC, O_WRONLY, processCred, type Attr, type Cred } from '../../fs/types.js';
import type { Vfs } from '../../fs/Vfs.js';
import { XATTR_VALUE_MAX_BYTES } from '../../store/layout.js';
import { openSession } from '../../session.js';
import type { CliIo, Command } from '../command.js';

const usage = `Usage: vexctl fs STORE [--read-only] COMMAND ARGS...

Scriptable access to the files in a store, as the calling user (uid, gid, groups):
  ls [PATH] [--json]            list a directory (or show one entry)
  stat PATH [--json]            an entry's attributes (a symlink itself, not its target)
  cat PATH                      a file's bytes to stdout
  put LOCAL_FILE PATH           copy a local file into the store (streamed, replaces PATH's content)
  get PATH LOCAL_FILE           copy a file out of the store (streamed)
  mkdir [-p] PATH               make a directory (-p: with parents, no error if it exists)
  rm [-r] PATH                  remove a file, symlink or empty directory (-r: a whole tree)
  mv FROM TO                    rename(2): replaces TO if it is a file or an empty directory
  ln [-s] TARGET PATH           a hard link to TARGET (-s: a symlink holding TARGET)
  xattr ls PATH [--json]        attribute names
  xattr get PATH NAME           an attribute's raw bytes to stdout
  xattr set PATH NAME VALUE_FILE  set an attribute from a local file's bytes
  xattr rm PATH NAME            remove an attribute

--read-only opens the store beside a running writer (changes then fail with EROFS).
Exit codes: 0 success, 1 the operation failed (CODE: what happened), 2 bad usage.`;

/** Files are copied in pieces of this size, so a large file never sits in memory whole. */
const CHUNK_BYTES = 1024 * 1024;

const options = {
  'read-only': { type: 'boolean' },
  json: { type: 'boolean' },
  parents: { type: 'boolean', short: 'p' },
  recursive: { type: 'boolean', short: 'r' },
  symbolic: { type: 'boolean', short: 's' },
} as const;
type Flag = 'json' | 'parents' | 'recursive' | 'symbolic';

/** Which flags each action takes, and how many positionals (after the action word). */
const ACTIONS: Record<string, { flags: Flag[]; args: [number, number] }> = {
  ls: { flags: ['json'], args: [0, 1] },
  stat: { flags: ['json'], args: [1, 1] },
  cat: { flags: [], args: [1, 1] },
  put: { flags: [], args: [2, 2] },
  get: { flags: [], args: [2, 2] },
  mkdir: { flags: ['parents'], args: [1, 1] },
  rm: { flags: ['recursive'], args: [1, 1] },
  mv: { flags: [], args: [2, 2] },
  ln: { flags: ['symbolic'], args: [2, 2] },
  'xattr ls': { flags: ['json'], args: [1, 1] },
  'xattr get': { flags: [], args: [2, 2] },
  'xattr set': { flags: [], args: [3, 3] },
  'xattr rm': { flags: [], args: [2, 2] },
};

interface Invocation {
  storeDir: string;
  readOnly: boolean;
  action: string;
  args: string[];
  flags: Partial<Record<Flag, boolean>>;
}

function parse(argv: readonly string[], cwd: string): Invocation {
  let parsed;
  try {
    parsed = parseArgs({ args: [...argv], options, strict: true, allowPositionals: true });
  } catch (error) {
    throw new VexError('E_USAGE', `${(error as Error).message}\n${usage}`);
  }
  const [storeDir, first, ...rest] = parsed.positionals;
  if (storeDir === undefined || first === undefined) {
    throw new VexError('E_USAGE', `vexctl fs needs a store directory and a command\n${usage}`);
  }
  let action = first;
  let args = rest;
  if (first === 'xattr') {
    action = `xattr ${rest[0] ?? ''}`;
    args = rest.slice(1);
  }
  const spec = ACTIONS[action];
  if (spec === undefined) throw new VexError('E_USAGE', `unknown fs command '${action.trim()}'\n${usage}`);
  const [min, max] = spec.args;
  if (args.length < min || args.length > max) {
    const wanted = min === max ? `${min}` : `${min} to ${max}`;
    throw new VexError('E_USAGE', `'fs ${action}' takes ${wanted} argument(s), got ${args.length}\n${usage}`);
  }
  const flags: Invocation['flags'] = {};
  for (const flag of ['json', 'parents', 'recursive', 'symbolic'] as const) {
    if (parsed.values[flag] !== true) continue;
    if (!spec.flags.includes(flag)) throw new VexError('E_USAGE', `'fs ${action}' does not take --${flag}\n${usage}`);
    flags[flag] = true;
  }
  return { storeDir: resolve(cwd, storeDir), readOnly: parsed.values['read-only'] === true, action, args, flags };
}

/** A local file's error, as a VexError naming the file (errno codes pass through). */
function localError(error: unknown, what: string): VexError {
  const code = (error as { code?: string }).code;
  const known: ErrnoCode[] = ['ENOENT', 'EACCES', 'EISDIR', 'ENOTDIR', 'EEXIST', 'EPERM', 'ENOSPC', 'ENAMETOOLONG'];
  const errno = known.find((c) => c === code) ?? 'EIO';
  return new VexError(errno, `${what}: ${(error as Error).message}`);
}

function openLocal(path: string, flags: string, what: string): number {
  try {
    return openSync(path, flags, 0o644);
  } catch (error) {
    throw localError(error, what);
  }
}

function modeString(attr: Attr): string {
  const type = attr.kind === 'dir' ? 'd' : attr.kind === 'symlink' ? 'l' : '-';
  const bits = 'rwxrwxrwx'.split('').map((c, i) => ((attr.mode >> (8 - i)) & 1 ? c : '-'));
  if (attr.mode & 0o4000) bits[2] = bits[2] === 'x' ? 's' : 'S';
  if (attr.mode & 0o2000) bits[5] = bits[5] === 'x' ? 's' : 'S';
  if (attr.mode & 0o1000) bits[8] = bits[8] === 'x' ? 't' : 'T';
  return type + bits.join('');
}

function attrJson(vfs: Vfs, attr: Attr, name?: string): Record<string, unknown> {
  return {
    ...(name === undefined ? {} : { name }),
    ino: attr.ino,
    kind: attr.kind,
    mode: `0${(attr.mode & 0o7777).toString(8)}`,
    nlink: attr.nlink,
    uid: attr.uid,
    gid: attr.gid,
    sizeBytes: attr.size,
    blocks: attr.blocks,
    atime: attr.atime,
    mtime: attr.mtime,
    ctime: attr.ctime,
    birthtime: attr.birthtime,
    ...(attr.kind === 'symlink' ? { target: vfs.readlink(attr.ino) } : {}),
  };
}

function lsLine(vfs: Vfs, attr: Attr, name: string): string {
  const target = attr.kind === 'symlink' ? ` -> ${vfs.readlink(attr.ino)}` : '';
  return `${modeString(attr)} ${String(attr.nlink).padStart(3)} ${String(attr.uid).padStart(5)} ${String(attr.gid).padStart(5)} ${String(attr.size).padStart(12)} ${name}${target}`;
}

async function copyIn(vfs: Vfs, local: string, path: string, cred: Cred): Promise<number> {
  const fd = openLocal(local, 'r', `cannot read ${local}`);
  try {
    const mode = fstatSync(fd).mode & 0o777;
    let fh: number;
    try {
      fh = await vfs.open(resolvePath(vfs, path, cred, true).ino, O_WRONLY | O_TRUNC, cred);
    } catch (error) {
      if ((error as { code?: string }).code !== 'ENOENT') throw error;
      const { parent, name } = resolveParent(vfs, path, cred);
      fh = (await vfs.create(parent, name, mode, O_WRONLY, cred)).fh;
    }
    try {
      const buffer = Buffer.alloc(CHUNK_BYTES);
      let offset = 0;
      for (;;) {
        let count: number;
        try {
          count = readSync(fd, buffer, 0, CHUNK_BYTES, offset);
        } catch (error) {
          throw localError(error, `cannot read ${local}`);
        }
        if (count === 0) return offset;
        await vfs.write(fh, offset, buffer.subarray(0, count), cred);
        offset += count;
      }
    } finally {
      await vfs.release(fh);
    }
  } finally {
    closeSync(fd);
  }
}

/** Reads a store file chunk by chunk, handing each to `sink`. */
async function copyOut(vfs: Vfs, path: string, cred: Cred, sink: (chunk: Buffer) => void): Promise<void> {
  const { ino } = resolvePath(vfs, path, cred, true);
  const fh = await vfs.open(ino, O_RDONLY, cred);
  try {
    for (let offset = 0; ;) {
      const chunk = vfs.read(fh, offset, CHUNK_BYTES);
      if (chunk.length === 0) return;
      sink(chunk);
      offset += chunk.length;
    }
  } finally {
    await vfs.release(fh);
  }
}

function readValueFile(local: string): Buffer {
  const fd = openLocal(local, 'r', `cannot read ${local}`);
  try {
    const size = fstatSync(fd).size;
    if (size > XATTR_VALUE_MAX_BYTES) {
      throw new VexError(
        'E2BIG',
        `${local} has ${size} bytes; an attribute value may be at most ${XATTR_VALUE_MAX_BYTES}`,
      );
    }
    const value = Buffer.alloc(size);
    let done = 0;
    while (done < size) {
      const count = readSync(fd, value, done, size - done, done);
      if (count === 0) break;
      done += count;
    }
    return value.subarray(0, done);
  } finally {
    closeSync(fd);
  }
}

async function act(vfs: Vfs, inv: Invocation, io: CliIo, cwd: string): Promise<void> {
  const cred = processCred();
  const [a = '/', b = '', c = ''] = inv.args;
  const json = inv.flags.json === true;
  switch (inv.action) {
    case 'ls': {
      const attr = vfs.getattr(resolvePath(vfs, a, cred, true).ino);
      const rows: { name: string; attr: Attr }[] = [];
      if (attr.kind !== 'dir') rows.push({ name: a, attr });
      else {
        for (let offset = 0; ;) {
          const page = listDir(vfs, a, cred, offset, 1000);
          for (const entry of page.entries) rows.push({ name: entry.name, attr: vfs.getattr(entry.ino) });
          if (page.nextOffset === null) break;
          offset = page.nextOffset;
        }
      }
      if (json)
        io.out(
          JSON.stringify(
            rows.map((row) => attrJson(vfs, row.attr, row.name)),
            null,
            2,
          ),
        );
      else for (const row of rows) io.out(lsLine(vfs, row.attr, row.name));
      return;
    }
    case 'stat': {
      const attr = vfs.getattr(resolvePath(vfs, a, cred, false).ino);
      const info = attrJson(vfs, attr);
      if (json) io.out(JSON.stringify({ path: a, ...info }, null, 2));
      else
        io.out(
          [
            `path: ${a}`,
            ...Object.entries(info).map(([k, v]) => `${k}: ${typeof v === 'object' ? JSON.stringify(v) : String(v)}`),
          ].join('\n'),
        );
      return;
    }
    case 'cat':
      return copyOut(vfs, a, cred, (chunk) => io.outBytes(chunk));
    case 'put':
      await copyIn(vfs, resolve(cwd, a), b, cred);
      return;
    case 'get': {
      const local = resolve(cwd, b);
      // Check the source first, so that a failed get leaves no empty local file behind.
      vfs.access(resolvePath(vfs, a, cred, true).ino, 4, cred);
      const fd = openLocal(local, 'w', `cannot write ${local}`);
      try {
        await copyOut(vfs, a, cred, (chunk) => {
          try {
            writeSync(fd, chunk);
          } catch (error) {
            throw localError(error, `cannot write ${local}`);
          }
        });
      } finally {
        closeSync(fd);
      }
      return;
    }
    case 'mkdir':
      await makeDirectory(vfs, a, 0o755, inv.flags.parents === true, cred);
      return;
    case 'rm':
      if (resolvePath(vfs, a, cred, false).ino === 1)
        throw new VexError('EBUSY', 'the root directory cannot be removed');
      return removePath(vfs, a, inv.flags.recursive === true, cred);
    case 'mv':
      return renamePath(vfs, a, b, 0, cred);
    case 'ln': {
      const { parent, name } = resolveParent(vfs, b, cred);
      if (inv.flags.symbolic === true) await vfs.symlink(a, parent, name, cred);
      else await vfs.link(resolvePath(vfs, a, cred, false).ino, parent, name, cred);
      return;
    }
    case 'xattr ls': {
      const names = vfs.xattr.list(resolvePath(vfs, a, cred, true).ino, cred);
      io.out(json ? JSON.stringify(names) : names.join('\n'));
      return;
    }
    case 'xattr get':
      io.outBytes(vfs.xattr.get(resolvePath(vfs, a, cred, true).ino, b, cred));
      return;
    case 'xattr set':
      return vfs.xattr.set(resolvePath(vfs, a, cred, true).ino, b, readValueFile(resolve(cwd, c)), 0, cred);
    case 'xattr rm':
      return vfs.xattr.remove(resolvePath(vfs, a, cred, true).ino, b, cred);
  }
}

export const fsCommand: Command = {
  name: 'fs',
  summary: 'files in a store: ls, stat, cat, put, get, mkdir, rm, mv, ln, xattr',
  usage,
  async run(ctx) {
    const inv = parse(ctx.argv, ctx.cwd);
    const session = await openSession(inv.storeDir, {
      readOnly: inv.readOnly,
      env: ctx.env,
      configFile: ctx.configFile,
    });
    try {
      await act(session.vfs, inv, ctx.io, ctx.cwd);
    } finally {
      await session.close();
    }
    return 0;
  },
};
