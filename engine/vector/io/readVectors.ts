import { readFileSync, statSync } from 'node:fs';
import { VexError } from '../../errors.js';
import { parseNpy, parseRawFloat32, parseVecs } from './binaryFormats.js';
import { formatOf, type VectorFormat, type VectorTable } from './formats.js';
import { parseCsvVectors, parseJsonVectors } from './textFormats.js';

export { formatOf, VECTOR_FORMATS, type VectorFormat, type VectorTable } from './formats.js';

export interface ReadOptions {
  /** Overrides the format the extension implies. */
  format?: string;
  /** The dimension of a raw float32 file (which has no header). */
  dim?: number;
}

/** Largest vector file read into memory at once. */
export const MAX_VECTOR_FILE_BYTES = 2 ** 31 - 1;

/** Parses bytes already in memory (e.g. from stdin). */
export function parseVectors(bytes: Uint8Array, format: VectorFormat, source: string, dim?: number): VectorTable {
  switch (format) {
    case 'json':
      return parseJsonVectors(Buffer.from(bytes).toString('utf8'), source);
    case 'csv':
      return parseCsvVectors(Buffer.from(bytes).toString('utf8'), source);
    case 'f32':
      return parseRawFloat32(bytes, dim, source);
    case 'fvecs':
    case 'ivecs':
      return parseVecs(bytes, format, source);
    case 'npy':
      return parseNpy(bytes, source);
  }
}

/** Reads and validates a vector file (JSON, CSV, raw float32, .fvecs, .ivecs, .npy). */
export function readVectorFile(path: string, options: ReadOptions = {}): VectorTable {
  const format = formatOf(path, options.format);
  let size: number;
  try {
    const stat = statSync(path);
    if (!stat.isFile()) throw new VexError('E_INVALID', `${path} is not a regular file`);
    size = stat.size;
  } catch (error) {
    if (error instanceof VexError) throw error;
    throw new VexError(
      'E_NOT_FOUND',
      `cannot read vectors from ${path}: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
    );
  }
  if (size > MAX_VECTOR_FILE_BYTES) {
    throw new VexError(
      'E_INVALID',
      `${path} is ${size} bytes; vector files are read whole, up to ${MAX_VECTOR_FILE_BYTES} bytes`,
    );
  }
  return parseVectors(readFileSync(path), format, path, options.dim);
}

/** Row i of a table as a fresh Float32Array. */
export function rowOf(table: VectorTable, i: number): Float32Array {
  return new Float32Array(table.data.subarray(i * table.dim, (i + 1) * table.dim));
}
