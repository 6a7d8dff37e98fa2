import { VexError } from '../errors.js';

/**
 * Belady's MIN for equal-size items: the most hits any cache of `capacity` items can get
 * on a trace known in advance. On a miss with the cache full it evicts the item whose
 * next use is farthest away. With `bypass` the missed item itself competes: it is not
 * admitted when its own next use is the farthest (a cache that may decline to admit, as
 * ours does for oversize blocks, is bounded by this; without bypass, by demand MIN).
 * Exact for equal sizes; for variable sizes the optimum is NP-hard, which is why the
 * cache profile reads whole, equal 64 KiB blocks. O(n log n): next uses in one backward
 * pass, then a max-heap keyed by next use with lazy deletion.
 */
export interface OptimumResult {
  readonly hits: number;
  readonly misses: number;
  readonly hitRate: number;
}

/** next[i]: the position of the next access to trace[i]'s key, or trace.length when there is none. */
export function nextUses(trace: ArrayLike<number>): Int32Array {
  const next = new Int32Array(trace.length);
  const seen = new Map<number, number>();
  for (let i = trace.length - 1; i >= 0; i--) {
    const key = trace[i]!;
    next[i] = seen.get(key) ?? trace.length;
    seen.set(key, i);
  }
  return next;
}

export function beladyOptimum(
  trace: ArrayLike<number>,
  capacity: number,
  options: { bypass?: boolean } = {},
): OptimumResult {
  if (!Number.isSafeInteger(capacity) || capacity < 0) {
    throw new VexError('E_INVALID', `the optimum needs a capacity in items ≥ 0, got ${capacity}`);
  }
  const bypass = options.bypass ?? false;
  const next = nextUses(trace);
  const cached = new Map<number, number>(); // key → its next use
  const heap = new MaxHeap();
  let hits = 0;
  for (let i = 0; i < trace.length; i++) {
    const key = trace[i]!;
    const nextUse = next[i]!;
    if (cached.has(key)) {
      hits += 1;
      cached.set(key, nextUse);
      heap.push(nextUse, key);
      continue;
    }
    if (capacity === 0) continue;
    if (cached.size >= capacity) {
      // The farthest next use among the cached items (stale heap entries skipped).
      while (heap.size > 0 && cached.get(heap.topKey()) !== heap.topPriority()) heap.pop();
      if (bypass && nextUse >= heap.topPriority()) continue;
      cached.delete(heap.topKey());
      heap.pop();
    }
    cached.set(key, nextUse);
    heap.push(nextUse, key);
  }
  const misses = trace.length - hits;
  return { hits, misses, hitRate: trace.length === 0 ? 0 : hits / trace.length };
}

/** A binary max-heap of (priority, key) pairs in two parallel arrays. */
class MaxHeap {
  private priorities: number[] = [];
  private keys: number[] = [];

  get size(): number {
    return this.priorities.length;
  }

  topPriority(): number {
    return this.priorities[0] ?? -1;
  }

  topKey(): number {
    return this.keys[0] ?? Number.NaN;
  }

  push(priority: number, key: number): void {
    const p = this.priorities;
    const k = this.keys;
    let i = p.length;
    p.push(priority);
    k.push(key);
    while (i > 0) {
      const parent = (i - 1) >> 1;
      if (p[parent]! >= priority) break;
      p[i] = p[parent]!;
      k[i] = k[parent]!;
      i = parent;
    }
    p[i] = priority;
    k[i] = key;
  }

  pop(): void {
    const p = this.priorities;
    const k = this.keys;
    const lastPriority = p.pop()!;
    const lastKey = k.pop()!;
    const n = p.length;
    if (n === 0) return;
    let i = 0;
    for (;;) {
      const left = 2 * i + 1;
      if (left >= n) break;
      const right = left + 1;
      const child = right < n && p[right]! > p[left]! ? right : left;
      if (p[child]! <= lastPriority) break;
      p[i] = p[child]!;
      k[i] = k[child]!;
      i = child;
    }
    p[i] = lastPriority;
    k[i] = lastKey;
  }
}
