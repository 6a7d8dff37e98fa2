import { useEffect, useState } from 'react';
import type { ApiClient } from './api/client.js';

type Page = 'stores' | 'benchmarks' | 'compare' | 'config' | 'reports' | 'history';

const PAGES: { id: Page; label: string }[] = [
  { id: 'stores', label: 'Stores' },
  { id: 'benchmarks', label: 'Benchmarks' },
  { id: 'compare', label: 'Compare' },
  { id: 'config', label: 'Config' },
  { id: 'reports', label: 'Reports' },
  { id: 'history', label: 'History' },
];

/** The workbench shell: navigation, the engine's identity, and the current page. */
export function App({ client }: { client: ApiClient }) {
  const [page, setPage] = useState<Page>('stores');
  const [engine, setEngine] = useState<string>('connecting to the engine…');

  useEffect(() => {
    client.call('engine/hello', {}).then(
      (hello) => setEngine(`engine ${hello.version} · Node ${hello.nodeVersion} · kernels: ${hello.kernelBackend}`),
      (error: Error) => setEngine(`the engine did not answer: ${error.message}`),
    );
  }, [client]);

  return (
    <div className="app">
      <nav className="sidebar" aria-label="Pages">
        <h1>VexFS Workbench</h1>
        {PAGES.map((entry) => (
          <button
            key={entry.id}
            type="button"
            className={entry.id === page ? 'nav-item active' : 'nav-item'}
            aria-current={entry.id === page ? 'page' : undefined}
            onClick={() => setPage(entry.id)}
          >
            {entry.label}
          </button>
        ))}
        <p className="engine-status">{engine}</p>
      </nav>
      <main className="page">
        <p className="not-yet">The {page} page has not landed yet.</p>
      </main>
    </div>
  );
}
