import { VexError } from '../errors.js';

/**
 * Payload filters, as JSON: `{ "field": value }` (equality), or `{ "field": { "$in": [...] } }`,
 * `{ "field": { "$gte": 1, "$lt": 9 } }` (range: numbers or strings), `{ "field": { "$eq": v } }`.
 * Several fields must all match. A field may be a dotted path into nested objects. A point whose
 * field is missing or of another type never matches.
 */
export type Scalar = string | number | boolean | null;
export type FieldCondition =
  Scalar | { $eq?: Scalar; $in?: Scalar[]; $gt?: Bound; $gte?: Bound; $lt?: Bound; $lte?: Bound };
export type Bound = number | string;
export type PayloadFilter = Record<string, FieldCondition>;
export type Predicate = (payload: unknown) => boolean;

const OPERATORS = new Set(['$eq', '$in', '$gt', '$gte', '$lt', '$lte']);
const MAX_IN_VALUES = 10_000;

function isScalar(value: unknown): value is Scalar {
  return (
    value === null ||
    ['string', 'boolean'].includes(typeof value) ||
    (typeof value === 'number' && Number.isFinite(value))
  );
}

function bad(field: string, what: string): VexError {
  return new VexError('E_INVALID', `filter on '${field}': ${what}`);
}

function fieldPath(field: string): string[] {
  const parts = field.split('.');
  if (field.length === 0 || parts.some((p) => p.length === 0)) {
    throw new VexError('E_INVALID', `filter field '${field}' is not a field name (use names separated by single dots)`);
  }
  return parts;
}

function lookup(payload: unknown, path: readonly string[]): unknown {
  let value: unknown = payload;
  for (const part of path) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = Object.hasOwn(value, part) ? (value as Record<string, unknown>)[part] : undefined;
  }
  return value;
}

function compileBound(field: string, op: string, bound: unknown): (value: unknown) => boolean {
  if (!(typeof bound === 'string' || (typeof bound === 'number' && Number.isFinite(bound)))) {
    throw bad(field, `${op} takes a finite number or a string, not ${JSON.stringify(bound)}`);
  }
  const sameType = (value: unknown): value is Bound => typeof value === typeof bound;
  switch (op) {
    case '$gt':
      return (v) => sameType(v) && v > bound;
    case '$gte':
      return (v) => sameType(v) && v >= bound;
    case '$lt':
      return (v) => sameType(v) && v < bound;
    default:
      return (v) => sameType(v) && v <= bound;
  }
}

function compileCondition(field: string, condition: unknown): (value: unknown) => boolean {
  if (isScalar(condition)) return (v) => v === condition;
  if (condition === null || typeof condition !== 'object' || Array.isArray(condition)) {
    throw bad(
      field,
      `${JSON.stringify(condition)} is neither a value (string, finite number, boolean, null) nor an operator object`,
    );
  }
  const entries = Object.entries(condition);
  if (entries.length === 0) throw bad(field, 'an operator object needs at least one of $eq, $in, $gt, $gte, $lt, $lte');
  const tests = entries.map(([op, operand]): ((value: unknown) => boolean) => {
    if (!OPERATORS.has(op)) throw bad(field, `unknown operator '${op}' (known: ${[...OPERATORS].join(', ')})`);
    if (op === '$eq') {
      if (!isScalar(operand)) throw bad(field, '$eq takes a string, finite number, boolean or null');
      return (v) => v === operand;
    }
    if (op === '$in') {
      if (
        !Array.isArray(operand) ||
        operand.length === 0 ||
        operand.length > MAX_IN_VALUES ||
        !operand.every(isScalar)
      ) {
        throw bad(field, `$in takes a list of 1 to ${MAX_IN_VALUES} strings, finite numbers, booleans or nulls`);
      }
      const set = new Set<unknown>(operand);
      return (v) => set.has(v);
    }
    return compileBound(field, op, operand);
  });
  return (value) => tests.every((test) => test(value));
}

/** Validates a filter (typed E_INVALID naming what is wrong) and compiles it to a predicate. */
export function compileFilter(filter: unknown): Predicate {
  if (filter === null || typeof filter !== 'object' || Array.isArray(filter)) {
    throw new VexError(
      'E_INVALID',
      `a filter must be a JSON object of field conditions, not ${JSON.stringify(filter)}`,
    );
  }
  const fields = Object.entries(filter).map(([field, condition]) => {
    const path = fieldPath(field);
    const test = compileCondition(field, condition);
    return (payload: unknown): boolean => test(lookup(payload, path));
  });
  return (payload) => fields.every((test) => test(payload));
}

/** Parses a filter given as JSON text (CLI `--filter`). */
export function parseFilter(text: string): Predicate {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new VexError('E_INVALID', `the filter is not valid JSON: ${(error as Error).message}`);
  }
  return compileFilter(value);
}

/** Normalises a path prefix: absolute, no trailing slash (except '/'), so '/docs' matches '/docs/a' but not '/docsx'. */
export function normalizePathPrefix(prefix: string): string {
  if (typeof prefix !== 'string' || !prefix.startsWith('/') || prefix.includes('\0')) {
    throw new VexError(
      'E_INVALID',
      `path prefix '${String(prefix)}' must be an absolute path inside the store (start with '/')`,
    );
  }
  const trimmed = prefix.replace(/\/+$/, '');
  return trimmed === '' ? '/' : trimmed;
}

export function matchesPathPrefix(path: string, prefix: string): boolean {
  return prefix === '/' || path === prefix || path.startsWith(`${prefix}/`);
}
