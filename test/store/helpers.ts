import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { CliIo } from '../../engine/cli/command.js';
import { runCli } from '../../engine/cli/main.js';

export const LONG = process.env.VEXFS_TEST_TIER === 'long';
const here = dirname(fileURLToPath(import.meta.url));
export const repoRoot = join(here, '..', '..');

/**
 * A fresh temp directory, removed by the returned cleanup. `memory` puts it on /dev/shm
 * where there is one (tests that open thousands of stores, where fsync would dominate).
 */
export function tempRoot(prefix: string, memory = false): { root: string; cleanup: () => void } {
  const base = memory && existsSync('/dev/shm') ? '/dev/shm' : tmpdir();
  const root = mkdtempSync(join(base, `vexfs-${prefix}-`));
  return { root, cleanup: () => rmSync(root, { recursive: true, force: true }) };
}

const bundles = new Map<string, string>();

/**
 * Bundles a helper script once per test process (esbuild), so that each of the many child
 * processes starts in a fraction of the time tsx needs. The bundle lives under
 * node_modules/.cache so that its imports of native packages resolve.
 */
export async function bundleHelper(script: string): Promise<string> {
  const cached = bundles.get(script);
  if (cached !== undefined) return cached;
  const { build } = await import('esbuild');
  const outDir = join(repoRoot, 'node_modules', '.cache', 'vexfs-store-tests', String(process.pid));
  mkdirSync(outDir, { recursive: true });
  const outfile = join(outDir, script.replace(/\.ts$/, '.mjs'));
  await build({
    entryPoints: [join(here, script)],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages: 'external',
    outfile,
    logLevel: 'silent',
  });
  bundles.set(script, outfile);
  return outfile;
}

/** Removes this process's bundles. */
export function removeBundles(): void {
  rmSync(join(repoRoot, 'node_modules', '.cache', 'vexfs-store-tests', String(process.pid)), {
    recursive: true,
    force: true,
  });
}

/** Starts a helper of this directory in its own Node process (so an abort there cannot kill the runner). */
export function spawnHelper(script: string, args: readonly string[], shellPrefix?: string): ChildProcess {
  const bundled = bundles.get(script);
  const node =
    bundled === undefined
      ? [process.execPath, '--import', 'tsx', join(here, script), ...args]
      : [process.execPath, bundled, ...args];
  if (shellPrefix === undefined)
    return spawn(node[0]!, node.slice(1), { cwd: repoRoot, stdio: ['ignore', 'pipe', 'pipe'] });
  const quoted = node.map((part) => `'${part.replace(/'/g, "'\\''")}'`).join(' ');
  return spawn('/bin/sh', ['-c', `${shellPrefix}; exec ${quoted}`], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

/** Runs a helper to its end: exit code, signal and output. */
export function runHelper(
  script: string,
  args: readonly string[],
  shellPrefix?: string,
): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawnHelper(script, args, shellPrefix);
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
  });
}

/** vexctl in process, with its output captured. */
export async function vexctl(args: string[]): Promise<{ code: number; out: string; err: string }> {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    outBytes: (bytes) => void out.push(Buffer.from(bytes).toString()),
    isTty: false,
  };
  const code = await runCli(args, io, {
    env: { HOME: tmpdir(), VEXFS_SYSTEM_CONFIG_DIR: join(tmpdir(), 'vexfs-no-system-config') },
  });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

/** A small deterministic PRNG (mulberry32): trials are reproducible from their seed. */
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

/** Deterministic bytes for a seed: what a write op carries. */
export function seededBytes(seed: number, length: number): Buffer {
  const next = prng(seed);
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(next() * 256);
  return out;
}
