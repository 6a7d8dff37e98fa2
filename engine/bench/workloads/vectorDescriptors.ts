import { z } from 'zod';
import type { WorkloadDescriptor } from './types.js';

/** Kernel entry points, in op order. */
export const KERNEL_OPS = ['pairwise', 'distances', 'topk', 'batch_topk', 'topk_async'] as const;
/** The dimensions flat-search measures; op names carry them. */
export const FLAT_SEARCH_DIMS = [128, 768] as const;
/** Per dim: one query on one thread, then a batch on one thread and on all. */
export const FLAT_SEARCH_OPS = FLAT_SEARCH_DIMS.flatMap((d) => [`single_d${d}`, `batch_t1_d${d}`, `batch_tall_d${d}`]);
export const VECTOR_OPS = ['upsert', 'get', 'search'] as const;

/**
 * The vector workloads' registry entries (registry.ts lists them). Light on purpose: the
 * implementations (kernels, store) load only inside the benchmark worker.
 */
export const kernelsDescriptor: WorkloadDescriptor = {
  name: 'kernels',
  description:
    'Distance kernels per metric, dim, backend and entry point (pairwise, distances, top-k, batched top-k, threaded top-k), with simsimd and a plain TypeScript loop as peers and the roofline probes.',
  ops: KERNEL_OPS,
  subjects: ['vexfs', 'simsimd', 'typescript_loop'],
  defaultSubjects: ['vexfs', 'simsimd', 'typescript_loop'],
  // The roofline probes, once per trial: about 0.8 s measured here (128 MiB RAM probe, 2 cores under load).
  untimedMsPerTrial: 1000,
  paramsSchema: z.strictObject({
    metric: z.enum(['l2', 'dot', 'cosine', 'manhattan', 'hamming']).default('l2'),
    dim: z.number().int().min(1).max(65_536).default(128),
    backend: z.enum(['auto', 'avx512', 'avx2', 'neon', 'scalar', 'typescript']).default('auto'),
    base_vectors: z.number().int().min(256).max(10_000_000).default(4096),
    queries: z.number().int().min(1).max(1024).default(16),
    k: z.number().int().min(1).max(10_000).default(10),
    threads: z.number().int().min(0).max(256).default(0),
    roofline_ram_bytes: z
      .number()
      .int()
      .min(2 ** 20)
      .max(2 ** 34)
      .default(128 * 2 ** 20),
  }),
  load: async () => (await import('./kernelsBench.js')).kernelsWorkload,
};

export const flatSearchDescriptor: WorkloadDescriptor = {
  name: 'flat-search',
  description:
    'Exact top-k (squared L2) over seeded vectors at 128 and 768 dims: one query on one thread, batches on one thread and on all, with usearch exactSearch as the peer.',
  ops: FLAT_SEARCH_OPS,
  subjects: ['vexfs', 'usearch'],
  defaultSubjects: ['vexfs', 'usearch'],
  paramsSchema: z.strictObject({
    k: z.number().int().min(1).max(10_000).default(10),
    batch: z.number().int().min(2).max(256).default(16),
    threads_all: z.number().int().min(0).max(256).default(0),
  }),
  load: async () => (await import('./flatSearch.js')).flatSearchWorkload,
};

export const vectorOpsDescriptor: WorkloadDescriptor = {
  name: 'vector-ops',
  description: 'Committed single upserts, gets and exact top-k searches on a collection in a real store (closed loop).',
  ops: VECTOR_OPS,
  subjects: ['vexfs'],
  defaultSubjects: ['vexfs'],
  paramsSchema: z.strictObject({
    k: z.number().int().min(1).max(10_000).default(10),
    metric: z.enum(['l2', 'dot', 'cosine', 'manhattan']).default('cosine'),
  }),
  storeSchema: z.strictObject({
    commit_window_us: z.number().int().min(0).max(1_000_000).optional(),
  }),
  load: async () => (await import('./vectorOps.js')).vectorOpsWorkload,
};

/**
 * quantized-search ops: `f32_exact` scans the f32 vectors; `<storage>_r<r>` scans f16 or i8 copies for the
 * top k x r candidates and reranks them exactly in f32. One op is one query on one thread.
 */
export const QUANTIZED_SEARCH_OPS = ['f32_exact', 'f16_r1', 'i8_r1', 'i8_r2', 'i8_r4', 'i8_r8'] as const;

export const quantizedSearchDescriptor: WorkloadDescriptor = {
  name: 'quantized-search',
  description:
    'Top-k over seeded vectors scanned as f32 (exact), f16 or i8 with an exact f32 rerank of k x r candidates: queries per second beside recall@k measured against the exact top-k.',
  ops: QUANTIZED_SEARCH_OPS,
  subjects: ['vexfs'],
  defaultSubjects: ['vexfs'],
  paramsSchema: z.strictObject({
    k: z.number().int().min(1).max(1000).default(10),
    /** The query pool: ops cycle through it, and recall@k is the mean over all of it. */
    queries: z.number().int().min(1).max(10_000).default(100),
    metric: z.enum(['l2', 'dot', 'cosine']).default('l2'),
  }),
  load: async () => (await import('./quantizedSearch.js')).quantizedSearchWorkload,
};

export const vectorDescriptors: readonly WorkloadDescriptor[] = [
  kernelsDescriptor,
  flatSearchDescriptor,
  vectorOpsDescriptor,
  quantizedSearchDescriptor,
];
