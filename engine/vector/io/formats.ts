import { extname } from 'node:path';
import { VexError } from '../../errors.js';

/** The vector file formats vexctl reads. `f32` is raw little-endian float32 with no header (needs a dim). */
export const VECTOR_FORMATS = ['json', 'csv', 'f32', 'fvecs', 'ivecs', 'npy'] as const;
export type VectorFormat = (typeof VECTOR_FORMATS)[number];

/** Vectors read from a file: `count` rows of `dim` numbers, row-major. */
export interface VectorTable {
  format: VectorFormat;
  count: number;
  dim: number;
  /** float32 components (ivecs: the int32 values, e.g. ground-truth neighbour ids). */
  data: Float32Array | Int32Array;
  /** Ids and payloads when the file gave them (JSON points), else null. */
  ids: string[] | null;
  payloads: unknown[] | null;
}

const EXTENSIONS: Record<string, VectorFormat> = {
  '.json': 'json',
  '.csv': 'csv',
  '.f32': 'f32',
  '.fbin': 'f32',
  '.raw': 'f32',
  '.bin': 'f32',
  '.fvecs': 'fvecs',
  '.ivecs': 'ivecs',
  '.npy': 'npy',
};

/** The format named explicitly, or the one the file's extension implies. */
export function formatOf(path: string, explicit?: string): VectorFormat {
  if (explicit !== undefined) {
    if (!(VECTOR_FORMATS as readonly string[]).includes(explicit)) {
      throw new VexError('E_INVALID', `format '${explicit}' is not one of ${VECTOR_FORMATS.join(', ')}`);
    }
    return explicit as VectorFormat;
  }
  const format = EXTENSIONS[extname(path).toLowerCase()];
  if (format === undefined) {
    throw new VexError(
      'E_INVALID',
      `cannot tell the format of '${path}' from its extension; use .json, .csv, .f32 (raw float32), .fvecs, .ivecs or .npy, or give the format`,
    );
  }
  return format;
}

export function formatError(source: string, what: string): VexError {
  return new VexError('E_FORMAT', `${source}: ${what}`);
}

export function checkFinite(source: string, data: Float32Array, dim: number): void {
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i])) {
      throw new VexError(
        'E_INVALID',
        `${source}: vector ${Math.floor(i / dim)}, component ${i % dim} is ${String(data[i])}; vectors must be finite numbers`,
      );
    }
  }
}

export const MAX_FILE_DIM = 65_536;

export function checkFileDim(source: string, dim: number, where: string): void {
  if (!Number.isInteger(dim) || dim < 1 || dim > MAX_FILE_DIM) {
    throw formatError(source, `${where}: dimension ${dim} is not from 1 to ${MAX_FILE_DIM}`);
  }
}
