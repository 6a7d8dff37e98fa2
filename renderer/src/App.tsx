import { lazy, Suspense, useEffect, useState, type KeyboardEvent } from 'react';
import type { RequestOutput } from '../../engine/api/contract/index.js';
import type { ApiClient } from './api/client.js';
import { PageErrorBoundary } from './components/PageErrorBoundary.js';
import { StoresPage } from './pages/StoresPage.js';
import { PAGES } from './state/uiSlice.js';
import { useWorkbench } from './state/useWorkbench.js';

// Pages other than the first load on first visit, so the first page is up before the chart library is parsed.
const BenchmarksPage = lazy(() => import('./pages/BenchmarksPage.js').then((m) => ({ default: m.BenchmarksPage })));
const CollectionsPage = lazy(() => import('./pages/CollectionsPage.js').then((m) => ({ default: m.CollectionsPage })));
const SearchPage = lazy(() => import('./pages/SearchPage.js').then((m) => ({ default: m.SearchPage })));
const ComparePage = lazy(() => import('./pages/ComparePage.js').then((m) => ({ default: m.ComparePage })));
const ConfigPage = lazy(() => import('./pages/ConfigPage.js').then((m) => ({ default: m.ConfigPage })));
const HistoryPage = lazy(() => import('./pages/HistoryPage.js').then((m) => ({ default: m.HistoryPage })));
const ReportsPage = lazy(() => import('./pages/ReportsPage.js').then((m) => ({ default: m.ReportsPage })));

/** The workbench shell: navigation (arrow keys, Alt+1…8), the theme, the engine's identity and the page. */
export function App({ client, hello }: { client: ApiClient; hello: Promise<RequestOutput<'engine/hello'>> }) {
  const page = useWorkbench((s) => s.page);
  const setPage = useWorkbench((s) => s.setPage);
  const theme = useWorkbench((s) => s.theme);
  const setTheme = useWorkbench((s) => s.setTheme);
  const running = useWorkbench((s) => s.run?.state === 'running');
  const [engine, setEngine] = useState<string>('connecting to the engine…');

  useEffect(() => {
    hello.then(
      (answer) => setEngine(`engine ${answer.version} · Node ${answer.nodeVersion} · kernels: ${answer.kernelBackend}`),
      (error: Error) =>
        setEngine(`the engine did not answer: ${error.message}. Reload the page or restart vexctl serve.`),
    );
  }, [hello]);

  useEffect(() => {
    document.documentElement.dataset.theme = theme;
  }, [theme]);

  useEffect(() => {
    const onKey = (event: globalThis.KeyboardEvent): void => {
      const index = Number(event.key) - 1;
      const target = PAGES[index];
      if (event.altKey && target) {
        event.preventDefault();
        setPage(target.id);
      }
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [setPage]);

  const onNavKey = (event: KeyboardEvent<HTMLElement>): void => {
    const at = PAGES.findIndex((p) => p.id === page);
    const step = event.key === 'ArrowDown' ? 1 : event.key === 'ArrowUp' ? -1 : 0;
    if (step === 0) return;
    event.preventDefault();
    const next = PAGES[(at + step + PAGES.length) % PAGES.length];
    if (next) {
      setPage(next.id);
      document.getElementById(`nav-${next.id}`)?.focus();
    }
  };

  return (
    <div className="app">
      <a className="skip" href="#main">
        Skip to the page
      </a>
      <nav className="sidebar" aria-label="Pages" onKeyDown={onNavKey}>
        <h1>VexFS Workbench</h1>
        {PAGES.map((entry, i) => (
          <button
            key={entry.id}
            id={`nav-${entry.id}`}
            type="button"
            className={entry.id === page ? 'nav-item active' : 'nav-item'}
            aria-current={entry.id === page ? 'page' : undefined}
            aria-keyshortcuts={`Alt+${i + 1}`}
            onClick={() => setPage(entry.id)}
          >
            {entry.label}
            {entry.id === 'benchmarks' && running ? (
              <span className="running-dot" aria-label="a run is in progress" />
            ) : null}
          </button>
        ))}
        <button type="button" className="theme-toggle" onClick={() => setTheme(theme === 'dark' ? 'light' : 'dark')}>
          {theme === 'dark' ? 'Light theme' : 'Dark theme'}
        </button>
        <p className="engine-status">{engine}</p>
      </nav>
      <main className="page" id="main" tabIndex={-1}>
        <PageErrorBoundary page={page}>
          <Suspense fallback={<p className="muted">Loading the page…</p>}>
            {page === 'stores' ? <StoresPage client={client} /> : null}
            {page === 'collections' ? <CollectionsPage /> : null}
            {page === 'search' ? <SearchPage /> : null}
            {page === 'benchmarks' ? <BenchmarksPage /> : null}
            {page === 'compare' ? <ComparePage /> : null}
            {page === 'config' ? <ConfigPage /> : null}
            {page === 'reports' ? <ReportsPage /> : null}
            {page === 'history' ? <HistoryPage /> : null}
          </Suspense>
        </PageErrorBoundary>
      </main>
    </div>
  );
}
