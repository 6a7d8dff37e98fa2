import type { SliceCreator } from './workbench.js';

export type Page = 'stores' | 'collections' | 'search' | 'benchmarks' | 'compare' | 'config' | 'reports' | 'history';
export type Theme = 'light' | 'dark';

export const PAGES: readonly { id: Page; label: string }[] = [
  { id: 'stores', label: 'Stores' },
  { id: 'collections', label: 'Collections' },
  { id: 'search', label: 'Search' },
  { id: 'benchmarks', label: 'Benchmarks' },
  { id: 'compare', label: 'Compare' },
  { id: 'config', label: 'Config' },
  { id: 'reports', label: 'Reports' },
  { id: 'history', label: 'History' },
];

const THEME_KEY = 'vexfs.theme';

export interface UiSlice {
  page: Page;
  theme: Theme;
  setPage(page: Page): void;
  setTheme(theme: Theme): void;
}

export const createUiSlice: SliceCreator<UiSlice> = (set, _get, { storage }) => ({
  page: 'stores',
  theme: storage.getItem(THEME_KEY) === 'dark' ? 'dark' : 'light',
  setPage: (page) => set({ page }),
  setTheme: (theme) => {
    storage.setItem(THEME_KEY, theme);
    set({ theme });
  },
});
