import { VexError } from '../errors.js';
import type { Metric, VectorArray } from './kernels/index.js';

/** What every vector of a collection must be: `dim` components (bits for hamming) under `metric`. */
export interface VectorSpec {
  readonly dim: number;
  readonly metric: Metric;
}

/** A vector as callers give it: float32 components, packed bits (hamming) or plain numbers. */
export type VectorInput = Float32Array | Uint8Array | readonly number[];

/** The length the kernels see: components, or bytes of packed bits for hamming. */
export function kernelDim(spec: VectorSpec): number {
  return spec.metric === 'hamming' ? Math.ceil(spec.dim / 8) : spec.dim;
}

export function vectorByteLength(spec: VectorSpec): number {
  return spec.metric === 'hamming' ? kernelDim(spec) : spec.dim * 4;
}

/** Queries checked against the spec and packed back to back, as a batch search takes them. */
export function packQueries(spec: VectorSpec, queries: readonly VectorInput[]): VectorArray {
  const dim = kernelDim(spec);
  const packed =
    spec.metric === 'hamming' ? new Uint8Array(queries.length * dim) : new Float32Array(queries.length * dim);
  queries.forEach((q, i) => packed.set(toKernelVector(spec, q, `query ${i}`), i * dim));
  return packed;
}

function dimMismatch(spec: VectorSpec, got: number, what: string): VexError {
  const unit = spec.metric === 'hamming' ? 'bits' : 'components';
  return new VexError('E_DIM_MISMATCH', `${what} has ${got} ${unit}; this collection's vectors have ${spec.dim}`, {
    expected: spec.dim,
    got,
  });
}

function packBits(spec: VectorSpec, values: ArrayLike<number>, what: string): Uint8Array {
  if (values.length !== spec.dim) throw dimMismatch(spec, values.length, what);
  const packed = new Uint8Array(kernelDim(spec));
  for (let i = 0; i < values.length; i++) {
    const bit = values[i];
    if (bit !== 0 && bit !== 1) {
      throw new VexError('E_INVALID', `${what}: bit ${i} is ${String(bit)}; hamming vectors are bits (0 or 1)`);
    }
    if (bit === 1) packed[i >> 3] = (packed[i >> 3] as number) | (1 << (i & 7));
  }
  return packed;
}

/**
 * Checks a vector against the spec and returns it in the kernels' layout (a fresh copy the caller
 * may keep): wrong length is E_DIM_MISMATCH, NaN or Inf (or a non-bit for hamming) is E_INVALID.
 */
export function toKernelVector(spec: VectorSpec, input: VectorInput, what = 'the vector'): VectorArray {
  if (spec.metric === 'hamming') {
    if (input instanceof Uint8Array) {
      if (input.length !== kernelDim(spec)) throw dimMismatch(spec, input.length * 8, `${what} (packed bytes)`);
      const spare = input.length * 8 - spec.dim;
      const last = input[input.length - 1] ?? 0;
      if (spare > 0 && last >> (8 - spare) !== 0) {
        throw new VexError('E_INVALID', `${what}: the ${spare} padding bits after bit ${spec.dim - 1} must be zero`);
      }
      return new Uint8Array(input);
    }
    return packBits(spec, input, what);
  }
  if (input instanceof Uint8Array) {
    throw new VexError('E_INVALID', `${what} is bytes; a ${spec.metric} collection takes float32 components`);
  }
  if (input.length !== spec.dim) throw dimMismatch(spec, input.length, what);
  const out = new Float32Array(input);
  for (let i = 0; i < out.length; i++) {
    if (!Number.isFinite(out[i])) {
      throw new VexError('E_INVALID', `${what}: component ${i} is ${String(input[i])}; vectors must be finite numbers`);
    }
  }
  return out;
}

/** The bytes stored for a vector: little-endian float32, or the packed bits. */
export function encodeVector(vector: VectorArray): Buffer {
  return Buffer.from(vector.buffer, vector.byteOffset, vector.byteLength);
}

/** Bytes read from the store back into the kernels' layout (a copy, aligned). */
export function decodeVector(spec: VectorSpec, bytes: Uint8Array): VectorArray | null {
  if (bytes.length !== vectorByteLength(spec)) return null;
  if (spec.metric === 'hamming') return Uint8Array.from(bytes);
  const out = new Float32Array(spec.dim);
  new Uint8Array(out.buffer).set(bytes);
  return out;
}

/** A vector as JSON: numbers, or bits for hamming. */
export function vectorToArray(spec: VectorSpec, vector: VectorArray): number[] {
  // Plain loops: Array.from on a typed array is an order of magnitude slower.
  const out: number[] = new Array<number>(spec.dim);
  if (spec.metric !== 'hamming') {
    for (let i = 0; i < spec.dim; i++) out[i] = vector[i] as number;
  } else {
    for (let i = 0; i < spec.dim; i++) out[i] = ((vector[i >> 3] as number) >> (i & 7)) & 1;
  }
  return out;
}
