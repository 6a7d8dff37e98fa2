import { VexError } from '../errors.js';
import { METRICS } from '../store/layout.js';
import type { Metric } from './kernels/index.js';

/** The store's files with `user.vexfs.vector`: the default collection (read-only here; ids are paths). */
export const FILES_COLLECTION = '_files';
export const INDEX_TYPES = ['flat', 'hnsw'] as const;
export type IndexType = (typeof INDEX_TYPES)[number];
export const MAX_ID_BYTES = 1024;
export const MAX_PAYLOAD_BYTES = 64 * 1024;
export const MAX_COLLECTION_DIM = 65_536;

const NAME_PATTERN = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

export function checkCollectionName(name: unknown): string {
  if (typeof name !== 'string' || !NAME_PATTERN.test(name)) {
    throw new VexError(
      'E_INVALID',
      `collection name '${String(name)}' is invalid: use 1-64 letters, digits, '_', '.' or '-', starting with a letter or digit`,
    );
  }
  return name;
}

export function checkMetric(metric: unknown): Metric {
  if (typeof metric !== 'string' || !(METRICS as readonly string[]).includes(metric)) {
    throw new VexError('E_INVALID', `metric must be one of ${METRICS.join(', ')}, got '${String(metric)}'`);
  }
  return metric as Metric;
}

export function checkDim(dim: unknown): number {
  if (typeof dim !== 'number' || !Number.isInteger(dim) || dim < 1 || dim > MAX_COLLECTION_DIM) {
    throw new VexError(
      'E_INVALID',
      `dimension must be a whole number from 1 to ${MAX_COLLECTION_DIM}, got ${String(dim)}`,
    );
  }
  return dim;
}

export function checkIndexType(index: unknown): 'flat' {
  if (index === 'hnsw') {
    throw new VexError(
      'E_UNAVAILABLE',
      "index type 'hnsw' is not available yet: HNSW comes with its own capability; create the collection with index 'flat' (exact search)",
    );
  }
  if (index !== 'flat')
    throw new VexError('E_INVALID', `index type must be 'flat' (or 'hnsw' once available), got '${String(index)}'`);
  return 'flat';
}

export function checkPointId(id: unknown): string {
  if (typeof id !== 'string' || id.length === 0)
    throw new VexError('E_INVALID', 'a point id must be a non-empty string');
  if (id.includes('\0')) throw new VexError('E_INVALID', 'a point id may not contain a NUL character');
  if (Buffer.byteLength(id) > MAX_ID_BYTES) {
    throw new VexError('E_INVALID', `a point id may be at most ${MAX_ID_BYTES} bytes; '${id.slice(0, 40)}…' is longer`);
  }
  return id;
}

/** A payload is a JSON object (or absent: `{}`); returns its JSON text. */
export function payloadText(payload: unknown, what = 'the payload'): string {
  if (payload === undefined || payload === null) return '{}';
  if (typeof payload !== 'object' || Array.isArray(payload)) {
    throw new VexError(
      'E_INVALID',
      `${what} must be a JSON object, not ${Array.isArray(payload) ? 'an array' : typeof payload}`,
    );
  }
  let text: string;
  try {
    text = JSON.stringify(payload);
  } catch (error) {
    throw new VexError('E_INVALID', `${what} cannot be written as JSON: ${(error as Error).message}`);
  }
  if (Buffer.byteLength(text) > MAX_PAYLOAD_BYTES) {
    throw new VexError(
      'E_INVALID',
      `${what} is ${Buffer.byteLength(text)} bytes as JSON; the limit is ${MAX_PAYLOAD_BYTES}`,
    );
  }
  return text;
}
