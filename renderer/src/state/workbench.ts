import { createStore, type StoreApi } from 'zustand/vanilla';
import type { EventName, EventPayload } from '../../../engine/api/contract/index.js';
import { createBenchSlice, type BenchSlice } from './benchSlice.js';
import { createCollectionsSlice, type CollectionsSlice } from './collectionsSlice.js';
import { createConfigSlice, type ConfigSlice } from './configSlice.js';
import { createResultsSlice, type ResultsSlice } from './resultsSlice.js';
import { createStoresSlice, type StoresSlice } from './storesSlice.js';
import type { Caller, KeyValueStorage } from './types.js';
import { createUiSlice, type UiSlice } from './uiSlice.js';

/** The whole UI state: one bound store built from typed slices (the zustand slices pattern). */
export type Workbench = UiSlice & StoresSlice & CollectionsSlice & BenchSlice & ResultsSlice & ConfigSlice;
export type WorkbenchStore = StoreApi<Workbench>;

export interface Deps {
  client: Caller;
  storage: KeyValueStorage;
}

export type SliceCreator<T> = (
  set: (partial: Partial<Workbench> | ((state: Workbench) => Partial<Workbench>)) => void,
  get: () => Workbench,
  deps: Deps,
) => T;

/** A vanilla store: React reads it through hooks, transport events feed it outside React. */
export function createWorkbench(deps: Deps): WorkbenchStore {
  return createStore<Workbench>()((set, get) => ({
    ...createUiSlice(set, get, deps),
    ...createStoresSlice(set, get, deps),
    ...createCollectionsSlice(set, get, deps),
    ...createBenchSlice(set, get, deps),
    ...createResultsSlice(set, get, deps),
    ...createConfigSlice(set, get, deps),
  }));
}

export interface EventSource {
  on<N extends EventName>(name: N, listener: (payload: EventPayload<N>) => void): () => void;
}

/** Routes the engine's event streams into the store; returns a function that stops them. */
export function connectEvents(store: WorkbenchStore, source: EventSource): () => void {
  const stops = [
    source.on('bench/sample', (payload) => store.getState().receiveSample(payload)),
    source.on('bench/status', (payload) => store.getState().receiveStatus(payload)),
    source.on('bench/log', (payload) => store.getState().receiveLog(payload)),
  ];
  return () => stops.forEach((stop) => stop());
}
