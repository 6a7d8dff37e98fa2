import { availableParallelism } from 'node:os';
import { isAbsolute } from 'node:path';
import { z } from 'zod';
import { booleanField, enumField, integerField, sizeField, stringField } from './fields.js';

/**
 * The one schema of vexfs.toml / vexfs.conf. Validation, defaults, `docs/config.md`, the
 * advisories and the app's config form all derive from it. Status words: see fields.ts.
 */

const KiB = 1024;
const MiB = 1024 * KiB;
const GiB = 1024 * MiB;
const TiB = 1024 * GiB;

const FUSE = 'FUSE mounts (vexctl mount over the native libfuse3 binding)';
const API = 'the API server (vexctl serve and the desktop app)';

const general = z.strictObject({
  sync_on_close: booleanField({
    default: true,
    apply: 'restart',
    status: 'effective',
    description: 'Closing a store fsyncs it, so that closed means synced.',
    effect:
      'The store checkpoints the WAL and fsyncs the database file on close; false skips that sync (a faster close, but a power loss just after it may lose the last commits).',
  }),
  commit_window_us: integerField({
    default: 0,
    min: 0,
    max: 1_000_000,
    unit: 'µs',
    apply: 'restart',
    status: 'effective',
    description: 'Group-commit window: writes arriving within it share one transaction and one WAL sync.',
    effect:
      'Trades per-write latency (up to the window) for fewer syncs per second; compare write throughput and latency in the store write profiles with 0 and with a window.',
    note: '0 commits at the end of the current event-loop turn.',
  }),
  atime: enumField({
    default: 'relatime',
    choices: ['relatime', 'noatime'] as const,
    apply: 'restart',
    status: 'effective',
    description: 'When reads update a file access time.',
    effect:
      'relatime writes atime on a read only when it is older than mtime/ctime or than 24 hours; noatime never writes on reads, saving a write transaction per first read.',
  }),
});

const performance = z.strictObject({
  memory_pool_size: sizeField({
    default: 0,
    min: 0,
    max: 64 * TiB,
    apply: 'restart',
    status: 'effective',
    description: 'Upper bound on the bytes held by the 1 KiB / 4 KiB / 16 KiB buffer pools; 0 turns the pools off.',
    effect:
      'Bounds the tiered pools serving the write path (partial-block merges); a request beyond a tier or the bound is a plain allocation, counted as a fallback. Measured: the pools did not pay on top of V8 allocation (write path 0.89x, within noise; engine/memory/README.md), so the default is 0 (off).',
    note: '0 (the default) turns the pools off; any size turns them on when enable_memory_optimization is true.',
  }),
  enable_simd: booleanField({
    default: true,
    apply: 'restart',
    status: 'effective',
    description: 'Use the native SIMD distance kernels where they were built and the CPU supports them.',
    effect:
      'false makes every distance run on the scalar kernels (the native scalar build, or the TypeScript ones where the addon is missing) through setSimdEnabled(simdKernelsEnabled(config)) in engine/vector/kernels; true leaves the choice to VEXFS_SIMD or the best the CPU runs. Compare with the vector distance profiles.',
  }),
  max_concurrent_operations: integerField({
    default: 1000,
    min: 1,
    max: 100_000,
    unit: 'operations',
    apply: 'restart',
    status: 'later',
    capability: API,
    description: 'Bound on operations the engine host accepts in flight.',
    effect: 'A request beyond the bound is refused with E_UNAVAILABLE instead of queueing without limit.',
  }),
  io_threads: integerField({
    default: 0,
    min: 0,
    max: 256,
    unit: 'threads',
    apply: 'live',
    status: 'effective',
    description: 'Native threads a large vector scan is split across, off the event loop.',
    effect:
      'scanThreads(config) is the `threads` option of the async scan kernels (batchDistancesAsync, batchTopKAsync, topKAsync in engine/vector/kernels); compare scan throughput at 1 and at the core count.',
    note: '0 means one per available core (os.availableParallelism()).',
  }),
  cache_size: sizeField({
    default: 256 * MiB,
    min: 0,
    max: 64 * TiB,
    apply: 'restart',
    status: 'effective',
    description: 'Upper bound on the bytes held by the content cache.',
    effect: 'Bounds the file-content cache; its hit rate is reported beside the optimum (Belady) for the same trace.',
    note: '0 disables the content cache.',
  }),
});

const optimization = z.strictObject({
  enable_memory_optimization: booleanField({
    default: true,
    apply: 'restart',
    status: 'effective',
    description: 'Serve buffers from the pools and content from the cache.',
    effect: 'false bypasses both (plain allocations, no cache): the A/B switch of the memory benchmarks.',
  }),
  enable_simd_optimization: booleanField({
    default: true,
    apply: 'restart',
    status: 'effective',
    description: "The seed's [optimization] twin of performance.enable_simd.",
    effect:
      'One meaning here: the SIMD kernels run only when this and performance.enable_simd are both true; false forces the scalar kernels.',
  }),
  enable_stack_optimization: booleanField({
    default: true,
    apply: 'restart',
    status: 'inert',
    description: "Accepted for the seed's configs; does nothing in this engine.",
    effect:
      'In the seed it kept the in-kernel FUSE path under 4 KiB of stack. Here FUSE runs in user space (libfuse3) and the engine in V8, where stack use is not a setting: there is nothing to switch. `config validate` warns when it is set.',
  }),
  enable_cross_layer_optimization: booleanField({
    default: true,
    apply: 'restart',
    status: 'inert',
    description: "Accepted for the seed's configs; does nothing in this engine.",
    effect:
      'In the seed it tuned a bridge between the filesystem layer and the vector layer. Here files, vectors and the journal commit in one SQLite transaction in one process: there is no bridge to tune. `config validate` warns when it is set.',
  }),
});

const cache = z.strictObject({
  max_entry_size: sizeField({
    default: 1 * MiB,
    min: 1 * KiB,
    max: 1 * GiB,
    apply: 'restart',
    status: 'effective',
    description: 'Content larger than this bypasses the content cache.',
    effect: 'Keeps one large file from evicting the working set; bypasses are counted.',
  }),
});

const fuse = z.strictObject({
  allow_other: booleanField({
    default: false,
    apply: 'restart',
    status: 'later',
    capability: FUSE,
    description: 'Let users other than the mounter access the mount (libfuse3 allow_other).',
    effect: 'Passed to libfuse3 at mount; a non-root mounter needs user_allow_other in /etc/fuse.conf.',
  }),
  default_permissions: booleanField({
    default: true,
    apply: 'restart',
    status: 'later',
    capability: FUSE,
    description: 'Let the kernel check mode bits against the caller (libfuse3 default_permissions).',
    effect: 'Passed to libfuse3 at mount; false leaves permission checks to the engine.',
  }),
  max_write: sizeField({
    default: 128 * KiB,
    min: 4 * KiB,
    max: 1 * MiB,
    apply: 'restart',
    status: 'later',
    capability: FUSE,
    description: 'Largest write the kernel sends in one FUSE request.',
    effect: 'Passed to libfuse3 at mount; larger writes mean fewer requests for sequential writes.',
  }),
  entry_timeout_ms: integerField({
    default: 1000,
    min: 0,
    max: 3_600_000,
    unit: 'ms',
    apply: 'restart',
    status: 'later',
    capability: FUSE,
    description: 'How long the kernel caches a name lookup.',
    effect: 'Passed to libfuse3 at mount; 0 makes every path walk ask the engine.',
  }),
  attr_timeout_ms: integerField({
    default: 1000,
    min: 0,
    max: 3_600_000,
    unit: 'ms',
    apply: 'restart',
    status: 'later',
    capability: FUSE,
    description: 'How long the kernel caches file attributes.',
    effect: 'Passed to libfuse3 at mount; 0 makes every stat ask the engine.',
  }),
});

const api = z.strictObject({
  host: enumField({
    default: '127.0.0.1',
    choices: ['127.0.0.1', '::1', 'localhost'] as const,
    apply: 'restart',
    status: 'later',
    capability: API,
    description: 'Loopback address the API server listens on.',
    effect:
      'Served mode accepts only loopback Host headers (no DNS rebinding) and a per-launch token, so only loopback addresses are accepted here.',
  }),
  port: integerField({
    default: 0,
    min: 0,
    max: 65_535,
    apply: 'restart',
    status: 'later',
    capability: API,
    description: 'TCP port the API server listens on.',
    effect: 'The WebSocket transport binds here.',
    note: '0 picks a free port; the server prints its URL.',
  }),
  workspace_root: stringField({
    default: '',
    apply: 'restart',
    status: 'later',
    capability: API,
    description: 'Stores opened over the API must lie under this directory.',
    effect:
      'The engine host refuses paths outside it (EACCES), symlinks resolved, so a page cannot open arbitrary files.',
    note: 'An empty string leaves requests unconfined (the host default without a root).',
    check: (value) =>
      value === '' || isAbsolute(value) || value.startsWith('~/')
        ? value.includes('\0')
          ? 'must not contain a NUL character'
          : undefined
        : 'must be an absolute path, a path starting with ~/, or empty',
  }),
});

const search = z.strictObject({
  default_k: integerField({
    default: 10,
    min: 1,
    max: 10_000,
    unit: 'results',
    apply: 'live',
    status: 'later',
    capability: 'vector search (vexctl search and the API)',
    description: 'Results a vector or semantic search returns when the query names no k.',
    effect: 'Read at each query that does not pass k.',
  }),
  index_memory_size: sizeField({
    default: 512 * MiB,
    min: 0,
    max: 64 * TiB,
    apply: 'restart',
    status: 'later',
    capability: 'HNSW indexes (contiguous vector arrays and graphs in memory)',
    description: 'Budget for in-memory vector indexes.',
    effect: 'Counted with the pools and the cache in the memory budget that `vexctl store info` reports.',
  }),
});

/** Each section's schema, in the order files, docs and `config show` list them. */
export const CONFIG_SECTIONS = { general, performance, optimization, cache, fuse, api, search } as const;
export type SectionName = keyof typeof CONFIG_SECTIONS;
export const SECTION_NAMES = Object.keys(CONFIG_SECTIONS) as SectionName[];

export const ConfigSchema = z.strictObject({
  general: general.prefault({}),
  performance: performance.prefault({}),
  optimization: optimization.prefault({}),
  cache: cache.prefault({}),
  fuse: fuse.prefault({}),
  api: api.prefault({}),
  search: search.prefault({}),
});

/** The effective configuration: every key present, sizes in bytes. */
export type VexfsConfig = z.output<typeof ConfigSchema>;
/** A config value after parsing. */
export type ConfigValue = boolean | number | string;

export function defaultConfig(): VexfsConfig {
  return ConfigSchema.parse({});
}

/** The kernels facade asks this one question: both SIMD switches must be on. */
export function simdKernelsEnabled(config: VexfsConfig): boolean {
  return config.performance.enable_simd && config.optimization.enable_simd_optimization;
}

/** io_threads as the kernels' `threads` option: 0 means one per available core (the kernels accept 1-256). */
export function scanThreads(config: VexfsConfig, cores: number = availableParallelism()): number {
  const threads = config.performance.io_threads === 0 ? cores : config.performance.io_threads;
  return Math.min(256, Math.max(1, threads));
}
