import { searchRequest, EMPTY_SEARCH, type SearchForm } from './searchForm.js';
import { messageOf, type CollectionInfo, type CollectionPoint, type SearchResult } from './types.js';
import type { SliceCreator } from './workbench.js';

/** Point ids are listed this many at a time. */
export const POINTS_PAGE = 100;

export interface PointsListing {
  points: CollectionPoint[];
  total: number;
  nextOffset: number | null;
}

export interface CollectionsSlice {
  collections: CollectionInfo[];
  collectionsError: string | null;
  /** The collection whose statistics and points are shown, fully loaded (derived arrays built). */
  collectionInfo: CollectionInfo | null;
  points: PointsListing | null;
  searchForm: SearchForm;
  searchResult: SearchResult | null;
  searchError: string | null;
  searching: boolean;
  loadCollections(): Promise<void>;
  selectCollection(name: string): Promise<void>;
  loadMorePoints(): Promise<void>;
  createCollection(name: string, dim: number, metric: string): Promise<boolean>;
  dropCollection(name: string): Promise<void>;
  upsertPoint(collection: string, id: string, vector: number[], payload: Record<string, unknown>): Promise<boolean>;
  setSearchForm(change: Partial<SearchForm>): void;
  runSearch(): Promise<void>;
  /** Opens the playground on a point (a file path in `_files`): its nearest neighbours. */
  searchFrom(collection: string, id: string): Promise<void>;
}

export const createCollectionsSlice: SliceCreator<CollectionsSlice> = (set, get, { client }) => {
  const storeId = (): string => {
    const id = get().currentStoreId;
    if (id === null) throw new Error('no store is open: open or create one on the Stores page');
    return id;
  };
  /** Runs a change; a failure lands in collectionsError. True when it went through. */
  const attempt = async (action: () => Promise<void>): Promise<boolean> => {
    set({ collectionsError: null });
    try {
      await action();
      return true;
    } catch (error) {
      set({ collectionsError: messageOf(error) });
      return false;
    }
  };
  return {
    collections: [],
    collectionsError: null,
    collectionInfo: null,
    points: null,
    searchForm: EMPTY_SEARCH,
    searchResult: null,
    searchError: null,
    searching: false,
    loadCollections: async () => {
      await attempt(async () => {
        const { collections } = await client.call('collection/list', { storeId: storeId() });
        set({ collections });
        const shown = get().collectionInfo?.name;
        if (shown !== undefined && !collections.some((c) => c.name === shown))
          set({ collectionInfo: null, points: null });
      });
    },
    selectCollection: async (name) => {
      await attempt(async () => {
        const id = storeId();
        const [info, page] = await Promise.all([
          client.call('collection/info', { storeId: id, name }),
          client.call('collection/points', { storeId: id, name, limit: POINTS_PAGE }),
        ]);
        set({ collectionInfo: info, points: page });
      });
    },
    loadMorePoints: async () => {
      const { collectionInfo, points } = get();
      if (collectionInfo === null || points === null || points.nextOffset === null) return;
      await attempt(async () => {
        const page = await client.call('collection/points', {
          storeId: storeId(),
          name: collectionInfo.name,
          offset: points.nextOffset ?? 0,
          limit: POINTS_PAGE,
        });
        set({ points: { ...page, points: [...points.points, ...page.points] } });
      });
    },
    createCollection: (name, dim, metric) =>
      attempt(async () => {
        await client.call('collection/create', { storeId: storeId(), name, dim, metric });
        await get().loadCollections();
        await get().selectCollection(name);
      }),
    dropCollection: async (name) => {
      await attempt(async () => {
        await client.call('collection/drop', { storeId: storeId(), name });
        if (get().collectionInfo?.name === name) set({ collectionInfo: null, points: null });
        await get().loadCollections();
      });
    },
    upsertPoint: (collection, id, vector, payload) =>
      attempt(async () => {
        await client.call('vector/upsert', { storeId: storeId(), collection, points: [{ id, vector, payload }] });
        await get().loadCollections();
        await get().selectCollection(collection);
      }),
    setSearchForm: (change) => set((state) => ({ searchForm: { ...state.searchForm, ...change } })),
    runSearch: async () => {
      set({ searching: true, searchError: null });
      try {
        const result = await client.call('vector/search', searchRequest(storeId(), get().searchForm));
        set({ searchResult: result });
      } catch (error) {
        set({ searchError: messageOf(error), searchResult: null });
      } finally {
        set({ searching: false });
      }
    },
    searchFrom: async (collection, id) => {
      get().setSearchForm({ collection, queryKind: 'point', query: id, excludeQuery: true });
      set({ page: 'search' });
      await get().runSearch();
    },
  };
};
