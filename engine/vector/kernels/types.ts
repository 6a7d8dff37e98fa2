// Types shared by the kernels facade, the native binding and the TypeScript fallback.

/**
 * Distance metrics. Every one is "smaller is closer":
 * - `l2`: squared Euclidean distance, sum (a-b)^2.
 * - `dot`: the negative inner product, -sum a*b (so the largest inner product ranks first).
 * - `cosine`: 1 - cos(a, b), clamped to [0, 2]. Two zero vectors: 0; exactly one zero vector: 1.
 * - `manhattan`: sum |a-b|.
 * - `hamming`: differing bits between packed binary vectors (Uint8Array, `dim` counts bytes).
 * NaN and Inf follow IEEE-754 arithmetic: a NaN in either input gives NaN, Inf gives Inf or NaN as the
 * arithmetic says (for cosine any Inf gives NaN); nothing throws. Top-k ranks NaN after every number.
 */
export type Metric = 'l2' | 'dot' | 'cosine' | 'manhattan' | 'hamming';
export const metrics: readonly Metric[] = ['l2', 'dot', 'cosine', 'manhattan', 'hamming'];

/** Numeric ids the native binding and the fallback take (the order of `metrics`). */
export const metricIds: Readonly<Record<Metric, number>> = { l2: 0, dot: 1, cosine: 2, manhattan: 3, hamming: 4 };

/** Float32Array for the float metrics, Uint8Array (packed bits) for hamming. Queries are always these. */
export type VectorArray = Float32Array | Uint8Array;

/**
 * Stored vectors (the `base` of a scan, `b` of a pair) may also be held more compactly, for l2, dot and cosine:
 * Uint16Array of IEEE half-precision bits (f16), or Int8Array quantised symmetrically (i8: the value is
 * scale * x, `scale` passed with the call). Cosine does not depend on the scale.
 */
export type StoredArray = VectorArray | Uint16Array | Int8Array;
export type Storage = 'f32' | 'f16' | 'i8';

export type NativeBackend = 'avx512' | 'avx2' | 'neon' | 'scalar';
/** `typescript` is the fallback in this process (no addon). */
export type BackendName = NativeBackend | 'typescript';
export type BackendRequest = 'auto' | BackendName;
export const backendRequests: readonly BackendRequest[] = ['auto', 'avx512', 'avx2', 'neon', 'scalar', 'typescript'];

/**
 * The positional, pre-validated surface both the addon and the fallback implement. Distances are row-major by
 * query (`out[q * count + i]`); top-k writes `k` slots per query (`outIndices[q * k + r]`) and returns how many
 * results each query has (min(k, eligible vectors)); `allow` bit (i & 7) of byte i >> 3 admits vector i.
 */
export interface RawKernels {
  pairwise(metric: number, a: VectorArray, b: StoredArray, scale?: number): number;
  distances(
    metric: number,
    queries: VectorArray,
    queryCount: number,
    base: StoredArray,
    baseOffset: number,
    count: number,
    dim: number,
    scale: number,
    out: Float32Array,
  ): void;
  topK(
    metric: number,
    queries: VectorArray,
    queryCount: number,
    base: StoredArray,
    baseOffset: number,
    count: number,
    dim: number,
    scale: number,
    k: number,
    allow: Uint8Array | null,
    outIndices: Uint32Array,
    outDistances: Float32Array,
  ): number;
  distancesAsync(
    metric: number,
    queries: VectorArray,
    queryCount: number,
    base: StoredArray,
    baseOffset: number,
    count: number,
    dim: number,
    scale: number,
    out: Float32Array,
    threads: number,
  ): Promise<number>;
  topKAsync(
    metric: number,
    queries: VectorArray,
    queryCount: number,
    base: StoredArray,
    baseOffset: number,
    count: number,
    dim: number,
    scale: number,
    k: number,
    allow: Uint8Array | null,
    outIndices: Uint32Array,
    outDistances: Float32Array,
    threads: number,
  ): Promise<number>;
}

export interface CpuFeatures {
  avx2: boolean;
  fma: boolean;
  popcnt: boolean;
  avx512f: boolean;
  avx512bw: boolean;
  avx512vpopcntdq: boolean;
  neon: boolean;
}

export interface NativeCapabilities {
  arch: string;
  cpu: CpuFeatures;
  available: NativeBackend[];
  active: NativeBackend;
}

/** Measured machine limits, single core (see roofline.ts). */
export interface NativeRoofline {
  backend: NativeBackend;
  fmaGflops: number;
  l1LoadGbps: number;
  l2LoadGbps: number;
  ramReadGbps: number;
  l1Bytes: number;
  l2Bytes: number;
  ramBytes: number;
  l1CacheBytes: number;
  l2CacheBytes: number;
  llcBytes: number;
}

/** What the addon exports beyond the kernels themselves. */
export interface NativeKernels extends RawKernels {
  capabilities(): NativeCapabilities;
  setBackend(name: string): NativeBackend;
  roofline(backend: string, ramBytes: number): Promise<NativeRoofline>;
}

export interface TopKResult {
  /** Indices of the vectors, counted from `offset` (0 is the first scanned vector). */
  indices: Uint32Array;
  distances: Float32Array;
}
