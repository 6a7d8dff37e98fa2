import type { RequestInput } from '../../../engine/api/contract/index.js';

/** The search playground's form as typed: text fields, checked here before a request is sent. */
export interface SearchForm {
  collection: string;
  queryKind: 'vector' | 'point';
  /** A JSON array or comma/space-separated numbers (queryKind 'vector'), or a point id / file path. */
  query: string;
  k: string;
  /** A payload filter as JSON; empty for none. */
  filter: string;
  /** `_files` only: files under this directory; empty for all. */
  pathPrefix: string;
  /** Leave the query point itself out of the results. */
  excludeQuery: boolean;
}

export const EMPTY_SEARCH: SearchForm = {
  collection: '_files',
  queryKind: 'vector',
  query: '',
  k: '10',
  filter: '',
  pathPrefix: '',
  excludeQuery: true,
};

/** Numbers from "[0.1, 0.2]" or "0.1, 0.2" or "0.1 0.2"; throws a sentence naming the bad part. */
export function parseVectorText(text: string): number[] {
  const trimmed = text.trim();
  if (trimmed === '') throw new Error('the vector is empty: type numbers separated by commas, or a JSON array');
  const body = trimmed.startsWith('[') && trimmed.endsWith(']') ? trimmed.slice(1, -1) : trimmed;
  const parts = body.split(/[\s,]+/).filter((p) => p !== '');
  return parts.map((part, i) => {
    const value = Number(part);
    if (!Number.isFinite(value)) throw new Error(`component ${i} of the vector ('${part}') is not a number`);
    return value;
  });
}

/** The vector/search request for a form, or a sentence saying what to fix. */
export function searchRequest(storeId: string, form: SearchForm): RequestInput<'vector/search'> {
  const k = Number(form.k);
  if (!Number.isInteger(k) || k < 1 || k > 1000)
    throw new Error(`k must be a whole number from 1 to 1000, not '${form.k}'`);
  let filter: unknown;
  if (form.filter.trim() !== '') {
    try {
      filter = JSON.parse(form.filter);
    } catch (error) {
      throw new Error(`the filter is not valid JSON: ${(error as Error).message}`, { cause: error });
    }
  }
  const byPoint = form.queryKind === 'point';
  const id = form.query.trim();
  if (byPoint && id === '') throw new Error('name a point id (a file path in _files) to search from');
  const prefix = form.pathPrefix.trim();
  return {
    storeId,
    collection: form.collection,
    query: byPoint ? { id } : { vector: parseVectorText(form.query) },
    k,
    ...(filter === undefined ? {} : { filter }),
    ...(prefix === '' ? {} : { pathPrefix: prefix }),
    exclude: byPoint && form.excludeQuery ? [id] : [],
  };
}
