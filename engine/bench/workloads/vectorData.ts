import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { VexError } from '../../errors.js';
import { loadDataset } from '../../vector/io/datasets.js';
import { readVectorFile } from '../../vector/io/readVectors.js';
import type { DatasetSpec } from './types.js';

/** A seeded xorshift32 stream: the same seed gives the same vectors on every machine and subject. */
export function seededStream(seed: number): () => number {
  let s = (seed >>> 0) ^ 0x9e3779b9 || 1;
  return () => {
    s ^= s << 13;
    s >>>= 0;
    s ^= s >>> 17;
    s ^= s << 5;
    s >>>= 0;
    return s;
  };
}

/** `count` vectors of `dim` components uniform in [-1, 1), from `seed`. */
export function randomVectors(count: number, dim: number, seed: number): Float32Array {
  const next = seededStream(seed);
  const out = new Float32Array(count * dim);
  for (let i = 0; i < out.length; i++) out[i] = next() / 2 ** 31 - 1;
  return out;
}

/** Random packed bits (hamming): `count` vectors of `bytes` bytes. */
export function randomBits(count: number, bytes: number, seed: number): Uint8Array {
  const next = seededStream(seed);
  const out = new Uint8Array(count * bytes);
  for (let i = 0; i < out.length; i++) out[i] = next() & 0xff;
  return out;
}

export function checksumOf(data: ArrayBufferView): string {
  return createHash('sha256')
    .update(new Uint8Array(data.buffer, data.byteOffset, data.byteLength))
    .digest('hex')
    .slice(0, 16);
}

/**
 * The profile's `dataset.file`: a vector file path, or the name of a dataset imported with
 * `vexctl dataset import` (the runner resolves the name against the profile's directory; when
 * no such file exists, its last component is taken as the dataset name).
 */
export function loadDatasetFile(file: string): { data: Float32Array; count: number; dim: number; checksum: string } {
  if (existsSync(file)) {
    const table = readVectorFile(file);
    if (!(table.data instanceof Float32Array))
      throw new VexError('E_PROFILE', `dataset.file ${file} holds integers, not vectors`);
    return { data: table.data, count: table.count, dim: table.dim, checksum: checksumOf(table.data) };
  }
  const name = basename(file, extname(file) === '.json' ? '.json' : '');
  const loaded = loadDataset(name);
  const data = loaded.vectors.data;
  if (!(data instanceof Float32Array)) throw new VexError('E_PROFILE', `dataset '${name}' holds integers, not vectors`);
  return { data, count: loaded.vectors.count, dim: loaded.vectors.dim, checksum: loaded.manifest.sha256.slice(0, 16) };
}

/** Rejects a dataset table the workload does not read, so that a profile never carries a setting that does nothing. */
export function refuseDatasetFile(dataset: DatasetSpec, workload: string): void {
  if (dataset.file !== null) {
    throw new VexError(
      'E_PROFILE',
      `${workload} generates its vectors from dataset.seed; it does not read dataset.file (remove it).`,
    );
  }
}
