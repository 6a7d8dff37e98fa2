import { VexError } from '../../errors.js';
import { checkFileDim, formatError, type VectorTable } from './formats.js';

function toRow(value: unknown, source: string, where: string): number[] {
  if (!Array.isArray(value)) throw formatError(source, `${where} is not a list of numbers`);
  for (let j = 0; j < value.length; j++) {
    const x: unknown = value[j];
    if (typeof x !== 'number') {
      throw new VexError(
        'E_INVALID',
        `${source}: ${where}, component ${j} is ${JSON.stringify(x) ?? String(x)}, not a number`,
      );
    }
  }
  return value as number[];
}

function table(rows: number[][], source: string, ids: string[] | null, payloads: unknown[] | null): VectorTable {
  if (rows.length === 0) throw formatError(source, 'the file holds no vectors');
  const dim = (rows[0] as number[]).length;
  checkFileDim(source, dim, 'vector 0');
  const data = new Float32Array(rows.length * dim);
  rows.forEach((row, i) => {
    if (row.length !== dim) {
      throw new VexError('E_DIM_MISMATCH', `${source}: vector ${i} has ${row.length} components; vector 0 has ${dim}`);
    }
    row.forEach((x, j) => {
      if (!Number.isFinite(x) || !Number.isFinite(Math.fround(x))) {
        throw new VexError(
          'E_INVALID',
          `${source}: vector ${i}, component ${j} is ${x}; vectors must be finite float32 numbers`,
        );
      }
      data[i * dim + j] = x;
    });
  });
  return {
    format: 'json',
    count: rows.length,
    dim,
    data,
    ids,
    payloads,
  };
}

/**
 * JSON: a list of vectors (`[[0.1, 0.2], ...]`), one vector (`[0.1, 0.2]`), a list of points
 * (`[{ "id": "a", "vector": [...], "payload": {...} }, ...]`) or one point.
 */
export function parseJsonVectors(text: string, source: string): VectorTable {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw formatError(source, `not valid JSON: ${(error as Error).message}`);
  }
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) value = [value];
  if (!Array.isArray(value)) throw formatError(source, 'expected a list of vectors or points');
  if (typeof value[0] === 'number') return table([toRow(value, source, 'the vector')], source, null, null);
  if (value.length > 0 && value.every((x) => x !== null && typeof x === 'object' && !Array.isArray(x))) {
    const ids: string[] = [];
    const payloads: unknown[] = [];
    const rows = value.map((point: Record<string, unknown>, i) => {
      const id = point.id;
      if (typeof id !== 'string' && !(typeof id === 'number' && Number.isInteger(id))) {
        throw new VexError('E_INVALID', `${source}: point ${i} needs an "id" (a string or a whole number)`);
      }
      const extra = Object.keys(point).filter((k) => !['id', 'vector', 'payload'].includes(k));
      if (extra.length > 0)
        throw new VexError(
          'E_INVALID',
          `${source}: point ${i} has unknown field(s) ${extra.join(', ')} (known: id, vector, payload)`,
        );
      ids.push(String(id));
      payloads.push(point.payload ?? null);
      return toRow(point.vector, source, `point ${i} ("${String(id)}") vector`);
    });
    return table(rows, source, ids, payloads);
  }
  return table(
    value.map((row, i) => toRow(row, source, `vector ${i}`)),
    source,
    null,
    null,
  );
}

/** CSV: one vector per line, numbers separated by commas; blank lines and lines starting with '#' are skipped. */
export function parseCsvVectors(text: string, source: string): VectorTable {
  const rows: number[][] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((line, index) => {
    const trimmed = line.trim();
    if (trimmed === '' || trimmed.startsWith('#')) return;
    rows.push(
      trimmed.split(',').map((cell, j) => {
        const t = cell.trim();
        const x = t === '' ? NaN : Number(t);
        if (Number.isNaN(x) && !/^[+-]?nan$/i.test(t)) {
          throw new VexError('E_INVALID', `${source}: line ${index + 1}, column ${j + 1}: '${t}' is not a number`);
        }
        if (!Number.isFinite(x)) {
          throw new VexError(
            'E_INVALID',
            `${source}: line ${index + 1}, column ${j + 1} is ${t}; vectors must be finite numbers`,
          );
        }
        return x;
      }),
    );
  });
  const result = table(rows, `${source}`, null, null);
  return { ...result, format: 'csv' };
}
