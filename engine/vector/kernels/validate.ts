// Argument checks run before anything crosses into C++: each failure is a VexError naming the argument.
import { VexError } from '../../errors.js';
import { metricIds, metrics, type Storage, type StoredArray, type VectorArray } from './types.js';

/** Hamming counts are returned as float32, exact up to 2^24 bits: 2^21 bytes per vector. */
export const maxHammingBytes = 2 ** 21;
/** Indices are 32-bit. */
export const maxVectors = 2 ** 32 - 1;
export const maxThreads = 256;

export interface ScanRange {
  /** Int8Array storage only: a stored value x means scale * x (finite, > 0). */
  scale?: number;
  /** Elements (not bytes, not vectors) from the start of `base` to the first vector. */
  offset?: number;
  /** Vectors to scan; by default every whole vector from `offset` to the end of `base`. */
  count?: number;
}

export function checkMetric(metric: unknown): number {
  // A switch, not a lookup: it runs on every pairwise call and must not see Object.prototype keys.
  switch (metric) {
    case 'l2':
      return metricIds.l2;
    case 'dot':
      return metricIds.dot;
    case 'cosine':
      return metricIds.cosine;
    case 'manhattan':
      return metricIds.manhattan;
    case 'hamming':
      return metricIds.hamming;
    default:
      throw new VexError('E_INVALID', `metric must be one of ${metrics.join(', ')}; got ${String(metric)}`);
  }
}

export function checkVector(metricId: number, value: unknown, name: string): VectorArray {
  if (metricId === metricIds.hamming) {
    if (!(value instanceof Uint8Array)) {
      throw new VexError('E_INVALID', `${name} must be a Uint8Array of packed bits for the hamming metric`);
    }
    return value;
  }
  if (!(value instanceof Float32Array)) {
    throw new VexError('E_INVALID', `${name} must be a Float32Array`);
  }
  return value;
}

function isCount(value: unknown, min: number): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= min;
}

/** A stored vector or base: the query types, or f16 (Uint16Array) / i8 (Int8Array) for l2, dot and cosine. */
export function checkStored(metricId: number, value: unknown, name: string): [StoredArray, Storage] {
  return [value as StoredArray, storageOf(metricId, value, name)];
}

/** Which storage `value` is, or an E_INVALID error naming `name`. */
export function storageOf(metricId: number, value: unknown, name: string): Storage {
  if (value instanceof Float32Array && metricId !== metricIds.hamming) return 'f32';
  if (value instanceof Uint16Array || value instanceof Int8Array) {
    if (metricId !== metricIds.l2 && metricId !== metricIds.dot && metricId !== metricIds.cosine) {
      throw new VexError(
        'E_INVALID',
        `${name}: f16 (Uint16Array) and i8 (Int8Array) storage serve l2, dot and cosine only`,
      );
    }
    return value instanceof Uint16Array ? 'f16' : 'i8';
  }
  if (metricId !== metricIds.hamming) {
    throw new VexError('E_INVALID', `${name} must be a Float32Array, or a Uint16Array (f16) / Int8Array (i8)`);
  }
  checkVector(metricId, value, name);
  return 'f32';
}

/** The i8 scale: required for Int8Array storage, refused for any other. Returns the value to pass on (1 if none). */
export function checkScale(storage: Storage, scale: unknown): number {
  if (storage !== 'i8') {
    if (scale !== undefined) throw new VexError('E_INVALID', 'scale applies to Int8Array (i8) storage only');
    return 1;
  }
  if (typeof scale !== 'number' || !Number.isFinite(scale) || scale <= 0 || !Number.isFinite(Math.fround(scale))) {
    throw new VexError('E_INVALID', `Int8Array storage needs a finite scale > 0; got ${String(scale)}`);
  }
  return scale;
}

export function checkDim(metricId: number, dim: unknown): number {
  if (!isCount(dim, 1)) throw new VexError('E_INVALID', `dim must be a positive integer; got ${String(dim)}`);
  if (metricId === metricIds.hamming && dim > maxHammingBytes) {
    throw new VexError('E_INVALID', `hamming vectors are limited to ${maxHammingBytes} bytes; got dim ${dim}`);
  }
  return dim;
}

/** Checks a pair in place (no allocation: this runs on every pairwise call); returns the scale to pass on. */
export function checkPair(metricId: number, a: unknown, b: unknown, scale: unknown): number {
  const x = checkVector(metricId, a, 'a');
  const storage = storageOf(metricId, b, 'b');
  const y = b as StoredArray;
  if (x.length !== y.length) {
    throw new VexError('E_DIM_MISMATCH', `a has ${x.length} elements and b has ${y.length}; they must match`);
  }
  if (x.length === 0) throw new VexError('E_INVALID', 'vectors must not be empty');
  checkDim(metricId, x.length);
  return checkScale(storage, scale);
}

/** One query of exactly `dim` elements. */
export function checkQuery(metricId: number, query: unknown, dim: number): VectorArray {
  const q = checkVector(metricId, query, 'query');
  if (q.length !== dim) throw new VexError('E_DIM_MISMATCH', `query has ${q.length} elements; dim is ${dim}`);
  return q;
}

/** Queries packed back to back; returns how many. */
export function checkQueries(metricId: number, queries: unknown, dim: number): [VectorArray, number] {
  const q = checkVector(metricId, queries, 'queries');
  if (q.length % dim !== 0) {
    throw new VexError('E_DIM_MISMATCH', `queries holds ${q.length} elements, not a multiple of dim ${dim}`);
  }
  return [q, q.length / dim];
}

export function checkRange(
  metricId: number,
  base: unknown,
  dim: number,
  range: ScanRange,
): [StoredArray, number, number, number] {
  const [b, storage] = checkStored(metricId, base, 'base');
  const scale = checkScale(storage, range.scale);
  const offset = range.offset ?? 0;
  if (!isCount(offset, 0) || offset > b.length) {
    throw new VexError(
      'E_INVALID',
      `offset must be an integer from 0 to base.length (${b.length}); got ${String(offset)}`,
    );
  }
  let count: number;
  if (range.count === undefined) {
    if ((b.length - offset) % dim !== 0) {
      throw new VexError(
        'E_DIM_MISMATCH',
        `base holds ${b.length - offset} elements after offset ${offset}, not a multiple of dim ${dim}; pass count`,
      );
    }
    count = (b.length - offset) / dim;
  } else {
    if (!isCount(range.count, 0)) {
      throw new VexError('E_INVALID', `count must be a non-negative integer; got ${String(range.count)}`);
    }
    count = range.count;
    if (offset + count * dim > b.length) {
      throw new VexError(
        'E_DIM_MISMATCH',
        `base holds ${b.length} elements; offset ${offset} + ${count} vectors of dim ${dim} need ${offset + count * dim}`,
      );
    }
  }
  if (count > maxVectors) throw new VexError('E_INVALID', `at most ${maxVectors} vectors per scan; got ${count}`);
  return [b, offset, count, scale];
}

export function checkK(k: unknown): number {
  if (!isCount(k, 1)) throw new VexError('E_INVALID', `k must be a positive integer; got ${String(k)}`);
  return k;
}

export function checkAllow(allow: unknown, count: number): Uint8Array | null {
  if (allow === undefined || allow === null) return null;
  if (!(allow instanceof Uint8Array)) {
    throw new VexError('E_INVALID', 'allow must be a Uint8Array bitmap (bit i & 7 of byte i >> 3 admits vector i)');
  }
  const needed = Math.ceil(count / 8);
  if (allow.length < needed) {
    throw new VexError('E_INVALID', `allow bitmap has ${allow.length} bytes; ${count} vectors need ${needed}`);
  }
  return allow;
}

export function checkThreads(threads: unknown): number {
  const value = threads ?? 1;
  if (!isCount(value, 1) || value > maxThreads) {
    throw new VexError('E_INVALID', `threads must be an integer from 1 to ${maxThreads}; got ${String(threads)}`);
  }
  return value;
}
