import { execFileSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { arch, cpus, platform, release, totalmem, type } from 'node:os';
import type { Environment } from './result.js';

/**
 * The environment fingerprint stored with every result: what the run ran on. The machine
 * fingerprint hashes only what makes two machines' numbers comparable (CPU, cores, memory,
 * OS, kernel, runtime, kernel backend), not volatile details like the git commit.
 */
function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

export function cpuInfo(): { model: string; flags: string[] } {
  const text = readText('/proc/cpuinfo') ?? '';
  const field = (name: string): string | undefined => new RegExp(`^${name}\\s*:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const model = field('model name') ?? cpus()[0]?.model ?? 'unknown';
  const flags = (field('flags') ?? field('Features') ?? '').split(/\s+/).filter(Boolean).sort();
  return { model, flags };
}

/** The commit of the checkout the engine runs from, or null outside a git checkout (or without git). */
export function gitCommit(cwd: string): string | null {
  try {
    const out = execFileSync('git', ['rev-parse', 'HEAD'], { cwd, stdio: ['ignore', 'pipe', 'ignore'], timeout: 2000 });
    const commit = out.toString().trim();
    return /^[0-9a-f]{40}$/.test(commit) ? commit : null;
  } catch {
    return null;
  }
}

/** JSON with object keys sorted, so equal configs hash equally whatever their key order. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
  }
  return JSON.stringify(value) ?? 'null';
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The SIMD kernel backend the vector kernels use in this process (e.g. `avx2`, `typescript`). */
export async function kernelBackend(): Promise<string> {
  try {
    const kernels = await import('../vector/kernels/index.js');
    return kernels.capabilities().backend;
  } catch {
    // The kernels could not even load their fallback: say so rather than guess.
    return 'none';
  }
}

export interface EnvironmentInput {
  /** The effective configuration of the run (store overrides, workload params, load). */
  config: Record<string, unknown>;
  datasetChecksum: string | null;
  cwd: string;
  kernelBackend: string;
}

export function captureEnvironment(input: EnvironmentInput): Environment {
  const cpu = cpuInfo();
  const osName = `${type()} ${platform()} ${arch()}`;
  const electron = (process.versions as Record<string, string | undefined>).electron ?? null;
  const machine = {
    cpu_model: cpu.model,
    cpu_flags: cpu.flags,
    cores: Math.max(1, cpus().length),
    memory_bytes: totalmem(),
    os: osName,
    kernel: release(),
    node_version: process.version,
    electron_version: electron,
    kernel_backend: input.kernelBackend,
  };
  return {
    ...machine,
    git_commit: gitCommit(input.cwd),
    config: input.config,
    config_hash: sha256(canonicalJson(input.config)),
    dataset_checksum: input.datasetChecksum,
    machine_fingerprint: sha256(canonicalJson(machine)).slice(0, 16),
  };
}
