import { availableParallelism, totalmem } from 'node:os';
import { listConfigFields } from './describe.js';
import { simdKernelsEnabled } from './schema.js';
import type { VexfsConfig } from './schema.js';
import { approximateSize } from './sizes.js';

/** One performance advisory: the key it is about, what to consider, and why. */
export interface Advisory {
  readonly severity: 'warning' | 'info';
  readonly key: string;
  readonly message: string;
  readonly reason: string;
}

export interface AdviseOptions {
  /** Keys the file sets explicitly (inert keys are only flagged when set). */
  readonly isSet: (key: string) => boolean;
  readonly totalMemoryBytes?: number;
  readonly cores?: number;
}

const LARGEST_POOL_TIER_BYTES = 16 * 1024;

/** `vexctl config advise`: what the seed guide's rules of thumb and this engine's design say about a config. */
export function adviseConfig(config: VexfsConfig, options: AdviseOptions): Advisory[] {
  const ram = options.totalMemoryBytes ?? totalmem();
  const cores = options.cores ?? availableParallelism();
  const { performance, optimization, general, api, fuse } = config;
  const advisories: Advisory[] = [];
  const add = (severity: Advisory['severity'], key: string, message: string, reason: string): void =>
    void advisories.push({ severity, key, message, reason });
  const percent = (bytes: number): string => `${((100 * bytes) / ram).toFixed(1)}% of RAM`;

  const pool = performance.memory_pool_size;
  add(
    pool > ram / 2 ? 'warning' : 'info',
    'performance.memory_pool_size',
    `${pool} bytes (${approximateSize(pool)}) is ${percent(pool)} (${approximateSize(ram)}); the seed guide says 25-50%`,
    'Here the pools hold only buffers in flight on the read/write path; memory beyond them serves the OS page cache that the memory-mapped store reads through, so more than half of RAM starves it.',
  );
  const peakInFlight = performance.max_concurrent_operations * LARGEST_POOL_TIER_BYTES;
  if (pool > 2 * peakInFlight) {
    add(
      'info',
      'performance.memory_pool_size',
      `more than twice an estimate of the peak in flight: max_concurrent_operations × 16 KiB (one largest-tier buffer each) = ${approximateSize(peakInFlight)}`,
      'Pooled buffers beyond what operations hold at once sit idle; size the pool from the utilisation counters of the memory-pool benchmark.',
    );
  }
  const budgets = pool + performance.cache_size + config.search.index_memory_size;
  if (budgets > ram * 0.75) {
    add(
      'warning',
      'performance.cache_size',
      `pools + cache + index budgets = ${approximateSize(budgets)}, ${percent(budgets)}`,
      'Less than a quarter of RAM would be left for the OS page cache, SQLite and the rest of the system; expect swapping under load.',
    );
  }

  if (performance.io_threads === 0) {
    add(
      'info',
      'performance.io_threads',
      `0 means automatic: ${cores} threads on this machine`,
      'One per available core (os.availableParallelism()), as the seed guide advises.',
    );
  } else if (performance.io_threads > cores) {
    add(
      'warning',
      'performance.io_threads',
      `${performance.io_threads} threads on ${cores} available cores`,
      'Scan threads are CPU-bound; more threads than cores only add context switches. Set it to the core count or 0 (automatic).',
    );
  } else if (performance.io_threads < cores) {
    add(
      'info',
      'performance.io_threads',
      `${performance.io_threads} of ${cores} available cores`,
      'Large scans will leave some cores idle; fine if the machine runs other work.',
    );
  }

  if (!simdKernelsEnabled(config)) {
    const key = performance.enable_simd ? 'optimization.enable_simd_optimization' : 'performance.enable_simd';
    add(
      'warning',
      key,
      'SIMD is off: every distance runs on the scalar kernels',
      'Useful to measure the scalar baseline; otherwise vector search and index builds run slower.',
    );
  }
  for (const field of listConfigFields()) {
    if (field.meta.status === 'inert' && options.isSet(field.key)) {
      add('warning', field.key, 'set, but inert in this engine', field.meta.effect);
    }
  }
  if (!optimization.enable_memory_optimization) {
    add(
      'info',
      'optimization.enable_memory_optimization',
      'pools and content cache are bypassed',
      'Every buffer is a plain allocation and no content is cached: the baseline side of the memory A/B run.',
    );
  }
  add(
    'info',
    'performance.cache_size',
    performance.cache_size === 0
      ? 'the content cache is disabled'
      : `${approximateSize(performance.cache_size)} of content cache`,
    'Whether the cache is large enough depends on the working set, which a config file cannot tell; the `cache` benchmark profile reports the hit rate beside the optimum for a trace.',
  );

  if (!general.sync_on_close) {
    add(
      'warning',
      'general.sync_on_close',
      'closing a store does not fsync it',
      'A power loss right after close can lose the last commits.',
    );
  }
  if (general.commit_window_us > 0) {
    add(
      'info',
      'general.commit_window_us',
      `writes may wait up to ${general.commit_window_us} µs to share a commit`,
      'Fewer syncs per second at the cost of that much latency per write.',
    );
  }
  if (api.workspace_root === '') {
    add(
      'info',
      'api.workspace_root',
      'API requests are not confined to a directory',
      'The page may name any path the server process can reach; set a root to confine it.',
    );
  }
  if (fuse.allow_other) {
    add(
      fuse.default_permissions ? 'info' : 'warning',
      'fuse.allow_other',
      fuse.default_permissions
        ? 'other users may use the mount'
        : 'other users may use the mount with no permission checks by the kernel',
      'A non-root mounter needs user_allow_other in /etc/fuse.conf; without default_permissions, mode bits are not enforced by the kernel.',
    );
  }
  for (const key of ['entry_timeout_ms', 'attr_timeout_ms'] as const) {
    if (fuse[key] === 0) {
      add(
        'info',
        `fuse.${key}`,
        '0: the kernel caches nothing',
        'Every lookup or stat becomes a FUSE request to the engine, which slows path walks.',
      );
    }
  }
  return advisories;
}
