import { availableParallelism } from 'node:os';
import { VexError } from '../errors.js';
import { batchTopK, batchTopKAsync, topK, topKAsync, type TopKResult, type VectorArray } from './kernels/index.js';
import { kernelDim, type VectorSpec } from './vectors.js';

/** One result of a search, nearest first. */
export interface SearchHit {
  id: string;
  distance: number;
  payload: unknown;
}

export interface ScanOptions {
  k: number;
  /** Only points it accepts are candidates (payload filter, path prefix). */
  accept?: ((id: string, payload: unknown) => boolean) | undefined;
  /** Native threads for a scan taken off the event loop (default: all cores for large scans). */
  threads?: number | undefined;
  /** Filled in with how the scan ran, for a search's explanation. */
  explain?: ScanExplain | undefined;
}

/** How one exact scan ran: what it looked at and where. */
export interface ScanExplain {
  /** Points in the arrays when the scan ran. */
  points: number;
  /** Points the filter accepted (all of them without a filter). */
  candidates: number;
  /** True when the scan ran on native threads off the event loop. */
  offThread: boolean;
  threads: number;
  /** Queries answered by the same pass over the arrays (concurrent unfiltered searches share one scan). */
  sharedScan: number;
}

/** An unfiltered off-thread search waiting for the next shared scan. */
interface WaitingSearch {
  query: VectorArray;
  k: number;
  explain: ScanExplain | undefined;
  resolve(hits: SearchHit[]): void;
  reject(error: unknown): void;
}

type PendingChange =
  { kind: 'set'; id: string; vector: VectorArray; payload: unknown } | { kind: 'delete'; id: string };

/** Scans at or above this many components run on native threads, off the event loop. */
export const ASYNC_SCAN_ELEMENTS = 1 << 20;
export const MAX_K = 10_000;
/** At most this many waiting searches share one scan (bounds the batch's buffers and its latency). */
export const MAX_SHARED_SCAN = 64;

export function checkK(k: unknown): number {
  if (typeof k !== 'number' || !Number.isInteger(k) || k < 1 || k > MAX_K) {
    throw new VexError('E_INVALID', `k must be a whole number from 1 to ${MAX_K}, got ${String(k)}`);
  }
  return k;
}

/**
 * The derived contiguous arrays of one collection: every vector back to back (what the kernels
 * scan), with ids and payloads by slot. A delete moves the last point into the hole, so the scan
 * never meets a gap. Changes that arrive while an off-thread scan reads the arrays wait until it
 * settles, and the next search applies them first: a committed change is seen by the next search.
 * `version` is the collection version (committed mutations) the arrays reflect.
 */
export class FlatIndex {
  readonly kdim: number;
  version = 0;
  private base: VectorArray;
  private ids: string[] = [];
  private payloads: unknown[] = [];
  private readonly slots = new Map<string, number>();
  private pending: PendingChange[] = [];
  private inflight = 0;
  private idle: (() => void)[] = [];
  private waiting: WaitingSearch[] = [];
  private scansRunning = 0;

  constructor(
    readonly spec: VectorSpec,
    capacity = 64,
  ) {
    this.kdim = kernelDim(spec);
    this.base = this.allocate(Math.max(1, capacity));
  }

  get count(): number {
    return this.ids.length - this.pendingDelta();
  }

  /** Records a committed change (applied now, or before the next search if a scan is reading the arrays). */
  set(id: string, vector: VectorArray, payload: unknown): void {
    if (this.inflight > 0) this.pending.push({ kind: 'set', id, vector, payload });
    else this.apply({ kind: 'set', id, vector, payload });
  }

  delete(id: string): void {
    if (this.inflight > 0) this.pending.push({ kind: 'delete', id });
    else this.apply({ kind: 'delete', id });
  }

  has(id: string): boolean {
    return this.lookup(id) !== null;
  }

  /** The committed vector (a copy) and payload of `id`, or null. */
  lookup(id: string): { vector: VectorArray; payload: unknown } | null {
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const change = this.pending[i] as PendingChange;
      if (change.id !== id) continue;
      return change.kind === 'set' ? { vector: change.vector.slice(), payload: change.payload } : null;
    }
    const slot = this.slots.get(id);
    if (slot === undefined) return null;
    return { vector: this.base.slice(slot * this.kdim, (slot + 1) * this.kdim), payload: this.payloads[slot] };
  }

  /** Exact top-k for one query (already validated against the spec). */
  async search(query: VectorArray, options: ScanOptions): Promise<SearchHit[]> {
    await this.settle();
    const count = this.ids.length;
    const k = Math.min(checkK(options.k), Math.max(count, 1));
    if (count === 0) return [];
    const allow = this.allowBitmap(options.accept);
    const elements = count * this.kdim;
    const view = this.base.subarray(0, elements);
    const offThread = elements >= ASYNC_SCAN_ELEMENTS;
    if (offThread && allow === undefined && options.threads === undefined) {
      // Large scans: up to one per core run at once, as before; searches that arrive while they run wait,
      // then share the next pass over the arrays.
      return new Promise((resolve, reject) => {
        this.waiting.push({ query, k, explain: options.explain, resolve, reject });
        if (this.scansRunning < availableParallelism()) void this.scanWaiting();
      });
    }
    const threads = offThread ? (options.threads ?? defaultThreads(elements)) : 1;
    if (options.explain) Object.assign(options.explain, explainScan(count, allow, offThread, threads, 1));
    if (!offThread) {
      return this.hits(topK(this.spec.metric, query, view, this.kdim, k, allow ? { allow } : {}));
    }
    this.inflight++;
    try {
      const result: TopKResult = await topKAsync(this.spec.metric, query, view, this.kdim, k, {
        threads,
        ...(allow ? { allow } : {}),
      });
      // Mapped before release(): queued changes may move slots.
      return this.hits(result);
    } finally {
      this.release();
    }
  }

  /** Exact top-k for `queries.length / kdim` queries in one pass over the arrays, off the event loop. */
  async searchBatch(queries: VectorArray, options: ScanOptions): Promise<SearchHit[][]> {
    await this.settle();
    const count = this.ids.length;
    const k = Math.min(checkK(options.k), Math.max(count, 1));
    const queryCount = queries.length / this.kdim;
    if (count === 0) return Array.from({ length: queryCount }, () => []);
    const allow = this.allowBitmap(options.accept);
    const elements = count * this.kdim;
    const view = this.base.subarray(0, elements);
    if (elements * queryCount < ASYNC_SCAN_ELEMENTS) {
      return batchTopK(this.spec.metric, queries, view, this.kdim, k, allow ? { allow } : {}).map((r) => this.hits(r));
    }
    this.inflight++;
    try {
      const threads = options.threads ?? defaultThreads(elements * queryCount);
      const results = await batchTopKAsync(this.spec.metric, queries, view, this.kdim, k, {
        threads,
        ...(allow ? { allow } : {}),
      });
      return results.map((r) => this.hits(r));
    } finally {
      this.release();
    }
  }

  /**
   * One of at most one-per-core loops that answer waiting searches in batches, one pass over the arrays
   * per batch, until none wait. Changes
   * committed before a search was issued are applied before the batch that answers it. Each search
   * gets the top `kmax` of its batch cut to its own k: ties break by slot, so the prefix is its top k.
   */
  private async scanWaiting(): Promise<void> {
    this.scansRunning++;
    try {
      while (this.waiting.length > 0) {
        await this.settle();
        const batch = this.waiting.splice(0, MAX_SHARED_SCAN);
        const count = this.ids.length;
        if (count === 0) {
          for (const search of batch) search.resolve([]);
          continue;
        }
        const k = Math.min(Math.max(...batch.map((search) => search.k)), count);
        const elements = count * this.kdim;
        const queries = this.allocate(batch.length);
        batch.forEach((search, i) => queries.set(search.query, i * this.kdim));
        const threads = defaultThreads(elements * batch.length);
        this.inflight++;
        try {
          const view = this.base.subarray(0, elements);
          // A lone query takes the single-query kernel: the batch kernel is tiled for several and slower for one.
          const results =
            batch.length === 1
              ? [await topKAsync(this.spec.metric, queries, view, this.kdim, k, { threads })]
              : await batchTopKAsync(this.spec.metric, queries, view, this.kdim, k, { threads });
          batch.forEach((search, i) => {
            if (search.explain)
              Object.assign(search.explain, explainScan(count, undefined, true, threads, batch.length));
            search.resolve(this.hits(results[i] as TopKResult).slice(0, search.k));
          });
        } catch (error) {
          for (const search of batch) search.reject(error);
        } finally {
          this.release();
        }
      }
    } finally {
      this.scansRunning--;
    }
  }

  /** Every committed id, in slot order (after pending changes). */
  listIds(): string[] {
    this.applyPendingIfIdle();
    return this.pending.length === 0
      ? [...this.ids]
      : [...new Set([...this.ids, ...this.pending.map((p) => p.id)])].filter((id) => this.has(id));
  }

  private hits(result: TopKResult): SearchHit[] {
    const hits: SearchHit[] = [];
    for (let r = 0; r < result.indices.length; r++) {
      const slot = result.indices[r] as number;
      hits.push({
        id: this.ids[slot] as string,
        distance: result.distances[r] as number,
        payload: this.payloads[slot],
      });
    }
    return hits;
  }

  private allowBitmap(accept: ScanOptions['accept']): Uint8Array | undefined {
    if (accept === undefined) return undefined;
    const bitmap = new Uint8Array(Math.ceil(this.ids.length / 8));
    for (let i = 0; i < this.ids.length; i++) {
      if (accept(this.ids[i] as string, this.payloads[i])) bitmap[i >> 3] = (bitmap[i >> 3] as number) | (1 << (i & 7));
    }
    return bitmap;
  }

  /** Waits for off-thread scans to settle when changes are queued, then applies them. */
  private async settle(): Promise<void> {
    while (this.pending.length > 0 && this.inflight > 0) {
      await new Promise<void>((resolve) => this.idle.push(resolve));
    }
    this.applyPendingIfIdle();
  }

  private applyPendingIfIdle(): void {
    if (this.inflight > 0 || this.pending.length === 0) return;
    const pending = this.pending;
    this.pending = [];
    for (const change of pending) this.apply(change);
  }

  private release(): void {
    this.inflight--;
    if (this.inflight > 0) return;
    this.applyPendingIfIdle();
    const waiters = this.idle;
    this.idle = [];
    for (const wake of waiters) wake();
  }

  private pendingDelta(): number {
    if (this.pending.length === 0) return 0;
    let delta = 0;
    const seen = new Set<string>();
    for (let i = this.pending.length - 1; i >= 0; i--) {
      const change = this.pending[i] as PendingChange;
      if (seen.has(change.id)) continue;
      seen.add(change.id);
      const present = this.slots.has(change.id);
      if (change.kind === 'set' && !present) delta--;
      if (change.kind === 'delete' && present) delta++;
    }
    return delta;
  }

  private apply(change: PendingChange): void {
    const existing = this.slots.get(change.id);
    if (change.kind === 'set') {
      const slot = existing ?? this.append(change.id);
      this.base.set(change.vector, slot * this.kdim);
      this.payloads[slot] = change.payload;
      return;
    }
    if (existing === undefined) return;
    const last = this.ids.length - 1;
    if (existing !== last) {
      const lastId = this.ids[last] as string;
      this.base.copyWithin(existing * this.kdim, last * this.kdim, (last + 1) * this.kdim);
      this.ids[existing] = lastId;
      this.payloads[existing] = this.payloads[last];
      this.slots.set(lastId, existing);
    }
    this.ids.pop();
    this.payloads.pop();
    this.slots.delete(change.id);
  }

  private append(id: string): number {
    const slot = this.ids.length;
    if ((slot + 1) * this.kdim > this.base.length) {
      const grown = this.allocate(Math.max(64, slot * 2));
      grown.set(this.base.subarray(0, slot * this.kdim));
      this.base = grown;
    }
    this.ids.push(id);
    this.payloads.push(undefined);
    this.slots.set(id, slot);
    return slot;
  }

  private allocate(capacity: number): VectorArray {
    return this.spec.metric === 'hamming'
      ? new Uint8Array(capacity * this.kdim)
      : new Float32Array(capacity * this.kdim);
  }
}

function explainScan(
  points: number,
  allow: Uint8Array | undefined,
  offThread: boolean,
  threads: number,
  sharedScan: number,
): ScanExplain {
  let candidates = points;
  if (allow !== undefined) {
    candidates = 0;
    for (const byte of allow) for (let b = byte; b !== 0; b &= b - 1) candidates++;
  }
  return { points, candidates, offThread, threads, sharedScan };
}

function defaultThreads(elements: number): number {
  return Math.max(1, Math.min(availableParallelism(), Math.ceil(elements / ASYNC_SCAN_ELEMENTS)));
}
