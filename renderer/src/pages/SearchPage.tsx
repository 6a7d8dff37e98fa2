import type { FormEvent } from 'react';
import { formatDistance } from '../charts/format.js';
import { ErrorNote, NoStorePage } from '../components/Notice.js';
import type { SearchResult } from '../state/types.js';
import { useWorkbench } from '../state/useWorkbench.js';
import { useOpenStoreWithCollections } from './useOpenStore.js';

/** How the engine ran the search, in words. */
function Explain({ explain }: { explain: SearchResult['explain'] }) {
  return (
    <section className="panel" aria-label="Explain">
      <h3>Explain</h3>
      <dl className="facts">
        <dt>Index</dt>
        <dd>
          {explain.index}: {explain.exact ? 'exact, every candidate scanned' : 'approximate'}
        </dd>
        <dt>Query</dt>
        <dd>{explain.query === 'point' ? "a stored point's vector" : 'the vector given'}</dd>
        <dt>Metric</dt>
        <dd>
          {explain.metric}, {explain.dim} dimensions
        </dd>
        <dt>Candidates</dt>
        <dd>
          {explain.candidates.toLocaleString('en-US')} of {explain.points.toLocaleString('en-US')} points
          {explain.filter ? ' passed the filter' : ''}
          {explain.pathPrefix !== null ? ` under ${explain.pathPrefix}` : ''}
        </dd>
        <dt>Top k</dt>
        <dd>{explain.k}</dd>
        <dt>Kernels</dt>
        <dd>
          {explain.kernelBackend}, {explain.offThread ? `${explain.threads} native threads` : 'on the engine thread'}
          {explain.sharedScan > 1 ? `, one pass shared with ${explain.sharedScan - 1} concurrent searches` : ''}
        </dd>
        <dt>Took</dt>
        <dd>{explain.elapsedMs.toFixed(2)} ms in the engine (one search, not a benchmark)</dd>
        {explain.derived !== null ? (
          <>
            <dt>Arrays</dt>
            <dd>
              version {explain.derived.version}, {explain.derived.points.toLocaleString('en-US')} points
            </dd>
          </>
        ) : null}
      </dl>
    </section>
  );
}

/** Top-k over a collection from a vector or a stored point (a file in `_files`), with filters and an explanation. */
export function SearchPage() {
  const current = useOpenStoreWithCollections();
  const collections = useWorkbench((s) => s.collections);
  const form = useWorkbench((s) => s.searchForm);
  const result = useWorkbench((s) => s.searchResult);
  const error = useWorkbench((s) => s.searchError);
  const searching = useWorkbench((s) => s.searching);
  const setForm = useWorkbench((s) => s.setSearchForm);
  const runSearch = useWorkbench((s) => s.runSearch);
  const searchFrom = useWorkbench((s) => s.searchFrom);
  const setPage = useWorkbench((s) => s.setPage);
  const selectPath = useWorkbench((s) => s.selectPath);

  if (current === null) {
    return (
      <NoStorePage title="Search">Create or open a store on the Stores page, then search its vectors here.</NoStorePage>
    );
  }
  const chosen = collections.find((c) => c.name === form.collection);
  const files = form.collection === '_files';

  const onSubmit = (event: FormEvent): void => {
    event.preventDefault();
    void runSearch();
  };

  return (
    <div className="page-body">
      <h2>Search</h2>
      <form className="param-form search-form" aria-label="Search" onSubmit={onSubmit}>
        <label>
          Collection
          <select
            aria-label="Collection"
            value={form.collection}
            onChange={(e) => setForm({ collection: e.target.value })}
          >
            {(collections.length ? collections.map((c) => c.name) : ['_files']).map((name) => (
              <option key={name}>{name}</option>
            ))}
          </select>
        </label>
        <fieldset className="row">
          <legend>Query</legend>
          <label>
            <input
              type="radio"
              name="query-kind"
              checked={form.queryKind === 'vector'}
              onChange={() => setForm({ queryKind: 'vector' })}
            />
            a vector
          </label>
          <label>
            <input
              type="radio"
              name="query-kind"
              checked={form.queryKind === 'point'}
              onChange={() => setForm({ queryKind: 'point' })}
            />
            {files ? 'a file' : 'a point'}
          </label>
        </fieldset>
        <label>
          {form.queryKind === 'vector'
            ? `Vector (${chosen?.dim ?? current.dim} numbers, comma-separated or a JSON array)`
            : files
              ? 'File path'
              : 'Point id'}
          <input
            value={form.query}
            onChange={(e) => setForm({ query: e.target.value })}
            placeholder={form.queryKind === 'vector' ? '0.1, 0.2, …' : files ? '/docs/readme.md' : 'p1'}
          />
        </label>
        {form.queryKind === 'point' ? (
          <label>
            <input
              type="checkbox"
              checked={form.excludeQuery}
              onChange={(e) => setForm({ excludeQuery: e.target.checked })}
            />
            leave the query {files ? 'file' : 'point'} out of the results
          </label>
        ) : null}
        <label>
          Top k
          <input value={form.k} onChange={(e) => setForm({ k: e.target.value })} inputMode="numeric" />
        </label>
        <label>
          Payload filter (JSON, optional)
          <input
            value={form.filter}
            onChange={(e) => setForm({ filter: e.target.value })}
            placeholder='{"lang": "en"} or {"year": {"$gte": 2020}}'
          />
        </label>
        {files ? (
          <label>
            Under directory (optional)
            <input
              value={form.pathPrefix}
              onChange={(e) => setForm({ pathPrefix: e.target.value })}
              placeholder="/docs"
            />
          </label>
        ) : null}
        <button type="submit" disabled={searching}>
          {searching ? 'Searching…' : 'Search'}
        </button>
      </form>
      <ErrorNote error={error} />
      {result === null && error === null ? (
        <p className="muted">
          Typing a whole vector is tedious: choose {files ? 'a file and give its path' : 'a point and give its id'} (its
          vector becomes the query), or start from a point on the Collections page or from a file's nearest neighbours.
        </p>
      ) : null}
      {result !== null ? (
        <div className="split">
          <section className="panel" aria-label="Results">
            <h3>Results</h3>
            {result.hits.length === 0 ? (
              <p className="muted">No point matched: loosen the filter or the directory.</p>
            ) : (
              <table className="search-results">
                <thead>
                  <tr>
                    <th>#</th>
                    <th>{files ? 'File' : 'Point'}</th>
                    <th>Distance</th>
                    <th>Payload</th>
                  </tr>
                </thead>
                <tbody>
                  {result.hits.map((hit, rank) => (
                    <tr key={hit.id}>
                      <td className="num">{rank + 1}</td>
                      <td>
                        <button
                          type="button"
                          className="link-button"
                          title="Search from this one"
                          onClick={() => void searchFrom(form.collection, hit.id)}
                        >
                          {hit.id}
                        </button>
                        {files ? (
                          <button
                            type="button"
                            className="link-button"
                            onClick={() => {
                              setPage('stores');
                              void selectPath(hit.id);
                            }}
                          >
                            details
                          </button>
                        ) : null}
                      </td>
                      <td className="num">{formatDistance(hit.distance)}</td>
                      <td>
                        <code>{JSON.stringify(hit.payload)}</code>
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
          <Explain explain={result.explain} />
        </div>
      ) : null}
    </div>
  );
}
