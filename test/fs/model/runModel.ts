import assert from 'node:assert/strict';
import { chmodSync, lstatSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { Vfs } from '../../../engine/fs/Vfs.js';
import { processCred, type Cred } from '../../../engine/fs/types.js';
import { Store } from '../../../engine/store/Store.js';
import { DiskWorld, VfsWorld, type Outcome, type World } from './worlds.js';

/** Seeded PRNG (mulberry32): a seed replays a run exactly. */
export function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface Op {
  name: keyof World;
  args: (string | number | Buffer)[];
}

const NAMES = ['a', 'b', 'c'];
const DIR_MODES = [0o755, 0o700, 0o777, 0o555, 0o311, 0o000, 0o1777];
const FILE_MODES = [0o644, 0o600, 0o444, 0o200, 0o000, 0o755, 0o666];

/**
 * Random operations over a small name space (three names, three levels) so that
 * collisions, replacements and errors are frequent. Paths never climb above the root
 * (no leading '..', symlink targets without '..') because the oracle's root has a
 * parent and the store's root does not.
 */
export function randomOp(random: () => number): Op {
  const pick = <T>(items: readonly T[]): T => items[Math.floor(random() * items.length)]!;
  const path = (): string => {
    const roll = random();
    const depth = roll < 0.5 ? 1 : roll < 0.85 ? 2 : 3;
    const parts: string[] = [];
    for (let i = 0; i < depth; i++) {
      parts.push(pick(NAMES));
      if (i < depth - 1 && random() < 0.05) parts.push('..', pick(NAMES));
    }
    return parts.join('/');
  };
  /** A path for a new name: its last part is sometimes one no other path uses, so creations succeed often enough. */
  const newPath = (chance = 0.3): string => {
    if (random() >= chance) return path();
    const fresh = `d${Math.floor(random() * 10)}`;
    return random() < 0.5 ? fresh : `${pick(NAMES)}/${fresh}`;
  };
  const data = (): Buffer => {
    const bytes = Buffer.alloc(1 + Math.floor(random() * 200));
    for (let i = 0; i < bytes.length; i++) bytes[i] = Math.floor(random() * 256);
    return bytes;
  };
  const offset = (): number => (random() < 0.1 ? 65_536 - 50 + Math.floor(random() * 100) : Math.floor(random() * 300));
  const roll = random();
  if (roll < 0.12) return { name: 'mkdir', args: [path(), pick(DIR_MODES)] };
  if (roll < 0.22) return { name: 'createExcl', args: [path(), pick(FILE_MODES)] };
  if (roll < 0.32) return { name: 'writeAt', args: [path(), offset(), data()] };
  if (roll < 0.36) return { name: 'append', args: [path(), data()] };
  if (roll < 0.39) return { name: 'openTrunc', args: [path()] };
  if (roll < 0.43) return { name: 'ftruncate', args: [path(), offset()] };
  if (roll < 0.5) return { name: 'unlink', args: [path()] };
  if (roll < 0.56) return { name: 'rmdir', args: [path()] };
  if (roll < 0.66) return { name: 'rename', args: [path(), newPath()] };
  if (roll < 0.71) return { name: 'link', args: [path(), newPath(0.7)] };
  if (roll < 0.76) return { name: 'symlink', args: [random() < 0.8 ? path() : 'dangling', path()] };
  if (roll < 0.84) return { name: 'chmod', args: [path(), pick(random() < 0.5 ? DIR_MODES : FILE_MODES)] };
  if (roll < 0.86) return { name: 'chown', args: [path(), pick([-1, 0, 65534, 1000]), pick([-1, 0, 65534])] };
  if (roll < 0.9) return { name: 'access', args: [path(), Math.floor(random() * 8)] };
  if (roll < 0.94) return { name: 'readFile', args: [path()] };
  if (roll < 0.97) return { name: 'readdir', args: [path()] };
  return { name: 'lstat', args: [path()] };
}

function describeOp(op: Op): string {
  return `${op.name}(${op.args.map((a) => (Buffer.isBuffer(a) ? `<${a.length} bytes>` : JSON.stringify(typeof a === 'number' && op.name.startsWith('ch') && a > 7 ? `0o${a.toString(8)}` : a))).join(', ')})`;
}

export interface ModelResult {
  ops: number;
  failures: number;
  byOp: Record<string, { ok: number; errors: Record<string, number> }>;
}

/**
 * Applies `count` random operations to a store and to a tmpfs directory, with the
 * given credentials on both sides (the oracle runs with the process's own), and
 * compares the answer of every operation and the whole tree after every step; at
 * the end the store is closed, reopened from disk and compared once more.
 */
export async function runModel(seed: number, count: number, cred: Cred = processCred()): Promise<ModelResult> {
  const random = prng(seed);
  const scratch = mkdtempSync(join(tmpdir(), 'vexfs-model-'));
  const oracleRoot = mkdtempSync(join('/dev/shm', 'vexfs-oracle-'));
  chmodSync(oracleRoot, 0o755);
  const previousUmask = process.umask(0);
  let store = await Store.create(join(scratch, 'store'), { dim: 4, syncOnClose: false });
  const vfsWorld = new VfsWorld(new Vfs(store), cred);
  const disk = new DiskWorld(oracleRoot);
  const history: string[] = [];
  const result: ModelResult = { ops: 0, failures: 0, byOp: {} };
  try {
    for (let step = 0; step < count; step++) {
      const op = randomOp(random);
      history.push(describeOp(op));
      const call = (world: World): Promise<Outcome> =>
        (world[op.name] as (...args: unknown[]) => Promise<Outcome>).apply(world, op.args);
      const before = process.env.VEXFS_MODEL_DEBUG ? (await disk.snapshot()).join('\n  ') : '';
      const expected = await call(disk);
      const actual = await call(vfsWorld);
      const context = () =>
        `seed ${seed}, step ${step}:\n  tree before:\n  ${before}\n  last operations:\n  ${history.slice(-12).join('\n  ')}`;
      assert.deepEqual(actual, expected, `operation answers differ\n  ${context()}`);
      const stats = (result.byOp[op.name] ??= { ok: 0, errors: {} });
      if (expected.ok) stats.ok += 1;
      else stats.errors[expected.code] = (stats.errors[expected.code] ?? 0) + 1;
      assert.deepEqual(await vfsWorld.snapshot(), await disk.snapshot(), `trees differ\n  ${context()}`);
      result.ops += 1;
    }
    await store.close();
    store = await Store.open(join(scratch, 'store'), { syncOnClose: false });
    vfsWorld.vfs = new Vfs(store);
    assert.deepEqual(await vfsWorld.snapshot(), await disk.snapshot(), `trees differ after reopening (seed ${seed})`);
  } finally {
    process.umask(previousUmask);
    await store.close();
    // The oracle side may have left directories without write or search permission.
    chmodTree(oracleRoot);
    rmSync(scratch, { recursive: true, force: true });
    rmSync(oracleRoot, { recursive: true, force: true });
  }
  return result;
}

function chmodTree(dir: string): void {
  const walk = (path: string): void => {
    try {
      if (!lstatSync(path).isSymbolicLink()) chmodSync(path, 0o777);
    } catch {
      return;
    }
    let names: string[];
    try {
      names = readdirNames(path);
    } catch {
      return;
    }
    for (const name of names) walk(join(path, name));
  };
  walk(dir);
}

function readdirNames(path: string): string[] {
  // lstat first: never follow a symlink out of the tree while making it removable.
  return lstatSync(path).isDirectory() ? readdirSync(path) : [];
}

// Run as a script (the unprivileged half of the model test starts this in a child as uid 65534).
if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const seed = Number(process.argv[2] ?? 1);
  const count = Number(process.argv[3] ?? 1000);
  runModel(seed, count).then(
    (result) => process.stdout.write(`${JSON.stringify({ uid: process.getuid?.(), ...result })}\n`),
    (error: unknown) => {
      process.stderr.write(`${error instanceof Error ? error.message : String(error)}\n`);
      process.exitCode = 1;
    },
  );
}
