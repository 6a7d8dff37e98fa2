import { EMPTY_SEARCH } from './searchForm.js';
import type { SliceCreator } from './workbench.js';
import { messageOf, type DirEntry, type FileStat, type SearchHit, type StoreSummary } from './types.js';

const RECENT_KEY = 'vexfs.recentStores';
const RECENT_LIMIT = 10;
/** Directory pages are fetched this many entries at a time, as the list scrolls. */
export const PAGE_ENTRIES = 500;
/** How many nearest neighbours a file's details show. */
export const NEIGHBOURS = 5;

export interface DirListing {
  entries: DirEntry[];
  nextOffset: number | null;
  loading: boolean;
  error: string | null;
}

export interface FileDetails {
  path: string;
  stat: FileStat | null;
  vector: number[] | null;
  /** The files nearest to this one's vector (itself left out); null without a vector or while loading. */
  neighbours: SearchHit[] | null;
  neighboursError: string | null;
  error: string | null;
}

/** What a store switch resets: the tree, the selection, and everything shown of the last store's collections. */
const FRESH_STORE_VIEW = {
  listings: {},
  expanded: { '/': true },
  selectedPath: null,
  details: null,
  collections: [],
  collectionInfo: null,
  points: null,
  searchForm: EMPTY_SEARCH,
  searchResult: null,
  searchError: null,
};

export interface StoresSlice {
  stores: StoreSummary[];
  currentStoreId: string | null;
  recent: string[];
  storeError: string | null;
  storeBusy: boolean;
  listings: Record<string, DirListing>;
  expanded: Record<string, boolean>;
  selectedPath: string | null;
  details: FileDetails | null;
  /** Picks up the stores the engine already holds open (the demo store `npm start` opens, say). */
  loadOpenStores(): Promise<void>;
  createStore(dir: string, dim: number | undefined): Promise<void>;
  openStore(dir: string): Promise<void>;
  closeStore(storeId: string): Promise<void>;
  selectStore(storeId: string): void;
  loadDir(path: string, more?: boolean): Promise<void>;
  toggleDir(path: string): void;
  selectPath(path: string): Promise<void>;
  refreshTree(): Promise<void>;
}

export function rememberRecent(recent: readonly string[], dir: string): string[] {
  return [dir, ...recent.filter((d) => d !== dir)].slice(0, RECENT_LIMIT);
}

function readRecent(text: string | null): string[] {
  try {
    const parsed: unknown = JSON.parse(text ?? '[]');
    return Array.isArray(parsed) ? parsed.filter((d): d is string => typeof d === 'string').slice(0, RECENT_LIMIT) : [];
  } catch {
    return [];
  }
}

export function joinPath(dir: string, name: string): string {
  return dir === '/' ? `/${name}` : `${dir}/${name}`;
}

export const createStoresSlice: SliceCreator<StoresSlice> = (set, get, { client, storage }) => {
  const opened = (summary: StoreSummary): void => {
    const recent = rememberRecent(get().recent, summary.dir);
    storage.setItem(RECENT_KEY, JSON.stringify(recent));
    set((state) => ({
      stores: [...state.stores.filter((s) => s.storeId !== summary.storeId), summary],
      currentStoreId: summary.storeId,
      recent,
      storeError: null,
      ...FRESH_STORE_VIEW,
    }));
    void get().loadDir('/');
  };
  const attempt = async (action: () => Promise<void>): Promise<void> => {
    set({ storeBusy: true, storeError: null });
    try {
      await action();
    } catch (error) {
      set({ storeError: messageOf(error) });
    } finally {
      set({ storeBusy: false });
    }
  };
  return {
    stores: [],
    currentStoreId: null,
    recent: readRecent(storage.getItem(RECENT_KEY)),
    storeError: null,
    storeBusy: false,
    listings: {},
    expanded: {},
    selectedPath: null,
    details: null,
    loadOpenStores: () =>
      attempt(async () => {
        const { stores } = await client.call('store/list', {});
        if (stores.length === 0) return;
        set((state) => ({
          stores: [...state.stores.filter((s) => !stores.some((o) => o.storeId === s.storeId)), ...stores],
        }));
        if (get().currentStoreId === null) get().selectStore(stores[0]!.storeId);
      }),
    createStore: (dir, dim) =>
      attempt(async () => opened(await client.call('store/create', dim === undefined ? { dir } : { dir, dim }))),
    openStore: (dir) => attempt(async () => opened(await client.call('store/open', { dir }))),
    closeStore: (storeId) =>
      attempt(async () => {
        await client.call('store/close', { storeId });
        set((state) => {
          const stores = state.stores.filter((s) => s.storeId !== storeId);
          const current = state.currentStoreId === storeId ? (stores[0]?.storeId ?? null) : state.currentStoreId;
          return { stores, currentStoreId: current, ...FRESH_STORE_VIEW };
        });
        if (get().currentStoreId !== null) await get().loadDir('/');
      }),
    selectStore: (storeId) => {
      set({ currentStoreId: storeId, ...FRESH_STORE_VIEW });
      void get().loadDir('/');
    },
    loadDir: async (path, more = false) => {
      const storeId = get().currentStoreId;
      if (storeId === null) return;
      const previous = get().listings[path];
      if (previous?.loading) return;
      const offset = more && previous ? (previous.nextOffset ?? 0) : 0;
      if (more && previous?.nextOffset === null) return;
      const base = more && previous ? previous.entries : [];
      set((state) => ({
        listings: { ...state.listings, [path]: { entries: base, nextOffset: null, loading: true, error: null } },
      }));
      try {
        const page = await client.call('fs/readdir', { storeId, path, offset, limit: PAGE_ENTRIES });
        set((state) => ({
          listings: {
            ...state.listings,
            [path]: { entries: [...base, ...page.entries], nextOffset: page.nextOffset, loading: false, error: null },
          },
        }));
      } catch (error) {
        set((state) => ({
          listings: {
            ...state.listings,
            [path]: { entries: base, nextOffset: null, loading: false, error: messageOf(error) },
          },
        }));
      }
    },
    toggleDir: (path) => {
      const open = !get().expanded[path];
      set((state) => ({ expanded: { ...state.expanded, [path]: open } }));
      if (open && get().listings[path] === undefined) void get().loadDir(path);
    },
    selectPath: async (path) => {
      const storeId = get().currentStoreId;
      if (storeId === null) return;
      const blank = { path, stat: null, vector: null, neighbours: null, neighboursError: null, error: null };
      set({ selectedPath: path, details: blank });
      const still = (): boolean => get().selectedPath === path && get().currentStoreId === storeId;
      let vector: number[] | null;
      try {
        const stat = await client.call('fs/stat', { storeId, path });
        vector = stat.kind === 'file' ? (await client.call('fs/vector', { storeId, path })).vector : null;
        if (still()) set({ details: { ...blank, stat, vector } });
      } catch (error) {
        if (still()) set({ details: { ...blank, error: messageOf(error) } });
        return;
      }
      if (vector === null) return;
      const request = { storeId, collection: '_files', query: { vector }, k: NEIGHBOURS, exclude: [path] };
      const found = await client.call('vector/search', request).then(
        (result) => ({ neighbours: result.hits, neighboursError: null }),
        (error: unknown) => ({ neighbours: null, neighboursError: messageOf(error) }),
      );
      const details = get().details;
      if (still() && details !== null) set({ details: { ...details, ...found } });
    },
    refreshTree: async () => {
      const open = Object.keys(get().expanded).filter((p) => get().expanded[p]);
      set({ listings: {} });
      await Promise.all(open.map((p) => get().loadDir(p)));
    },
  };
};

/** A visible row of the tree: directories expanded depth-first, a "more" row where a listing has more pages. */
export interface TreeRow {
  path: string;
  name: string;
  depth: number;
  kind: DirEntry['kind'] | 'more' | 'loading' | 'error';
  sizeBytes: number;
  expanded: boolean;
}

export function flattenTree(
  listings: Readonly<Record<string, DirListing>>,
  expanded: Readonly<Record<string, boolean>>,
  root = '/',
): TreeRow[] {
  const rows: TreeRow[] = [];
  const walk = (dir: string, depth: number): void => {
    const listing = listings[dir];
    if (!listing) return;
    for (const entry of listing.entries) {
      const path = joinPath(dir, entry.name);
      const open = entry.kind === 'dir' && expanded[path] === true;
      rows.push({ path, name: entry.name, depth, kind: entry.kind, sizeBytes: entry.size, expanded: open });
      if (open) walk(path, depth + 1);
    }
    if (listing.error !== null)
      rows.push({ path: dir, name: listing.error, depth, kind: 'error', sizeBytes: 0, expanded: false });
    else if (listing.loading)
      rows.push({ path: dir, name: 'loading…', depth, kind: 'loading', sizeBytes: 0, expanded: false });
    else if (listing.nextOffset !== null)
      rows.push({ path: dir, name: 'more…', depth, kind: 'more', sizeBytes: 0, expanded: false });
  };
  walk(root, 0);
  return rows;
}
