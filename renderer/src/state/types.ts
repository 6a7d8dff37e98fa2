import type { EventPayload, RequestInput, RequestName, RequestOutput } from '../../../engine/api/contract/index.js';

/** What the state needs of a transport: typed calls (the ApiClient's shape, without events). */
export interface Caller {
  call<N extends RequestName>(name: N, input: RequestInput<N>): Promise<RequestOutput<N>>;
}

/** Where small preferences live (localStorage in a browser; a Map in tests). */
export interface KeyValueStorage {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export type StoreSummary = RequestOutput<'store/create'>;
export type DirEntry = RequestOutput<'fs/readdir'>['entries'][number];
export type FileStat = RequestOutput<'fs/stat'>;
export type ProfileSummary = RequestOutput<'bench/profiles'>['profiles'][number];
export type ProfileParameter = ProfileSummary['parameters'][number];
export type LiveSample = EventPayload<'bench/sample'>['sample'];
export type RunStatus = EventPayload<'bench/status'>;
export type RunLogLine = EventPayload<'bench/log'>;
export type RunEntry = RequestOutput<'bench/list'>['runs'][number];
export type Comparison = RequestOutput<'bench/compare'>;
export type BenchResult = RequestOutput<'bench/result'>['result'];
export type History = RequestOutput<'bench/history'>;
export type ConfigField = RequestOutput<'config/fields'>['fields'][number];
export type ConfigDiagnostic = RequestOutput<'config/validate'>['diagnostics'][number];
export type ConfigChange = RequestOutput<'config/diff'>['changes'][number];
export type Advisory = RequestOutput<'config/advise'>['advisories'][number];
export type Effective = RequestOutput<'config/effective'>;
export type ApplyOutcome = RequestOutput<'config/apply'>;

/** The sentence of any failure, as the UI shows it. */
export function messageOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as Error & { code?: string }).code;
    return code ? `${code}: ${error.message}` : error.message;
  }
  return String(error);
}
export type CollectionInfo = RequestOutput<'collection/info'>;
export type CollectionPoint = RequestOutput<'collection/points'>['points'][number];
export type SearchResult = RequestOutput<'vector/search'>;
export type SearchHit = SearchResult['hits'][number];
