import { lazy, Suspense } from 'react';
import { formatDistance } from '../charts/format.js';
import { ErrorNote } from '../components/Notice.js';
import type { SearchHit } from '../state/types.js';
import { useWorkbench } from '../state/useWorkbench.js';

// The chart library loads with the first vector shown, not with the first page.
const VectorChart = lazy(() => import('./VectorChart.js'));

function time(spec: { sec: number; nsec: number }): string {
  return new Date(spec.sec * 1000 + Math.floor(spec.nsec / 1e6)).toISOString().replace('T', ' ').slice(0, 23);
}

/** The files nearest to the selected one, each a link to its own details. */
function Neighbours({ path, hits, error }: { path: string; hits: SearchHit[] | null; error: string | null }) {
  const selectPath = useWorkbench((s) => s.selectPath);
  const searchFrom = useWorkbench((s) => s.searchFrom);
  if (error !== null) return <ErrorNote error={error} />;
  if (hits === null) return <p className="muted">Finding the nearest files…</p>;
  return (
    <section aria-label="Nearest neighbours">
      <h4>Nearest neighbours</h4>
      {hits.length === 0 ? (
        <p className="muted">No other file has a vector yet.</p>
      ) : (
        <ol className="neighbours">
          {hits.map((hit) => (
            <li key={hit.id}>
              <button type="button" className="link-button" onClick={() => void selectPath(hit.id)}>
                {hit.id}
              </button>{' '}
              <span className="muted">distance {formatDistance(hit.distance)}</span>
            </li>
          ))}
        </ol>
      )}
      <button type="button" onClick={() => void searchFrom('_files', path)}>
        Open in the search playground
      </button>
    </section>
  );
}

/** The selected entry: size, times, mode, xattrs, its vector as a small chart and its nearest neighbours. */
export function FileDetails() {
  const details = useWorkbench((s) => s.details);
  if (details === null) return <p className="muted">Select a file or a directory to see its details.</p>;
  if (details.error !== null)
    return (
      <div className="error-note" role="alert">
        {details.error}
      </div>
    );
  const { stat, vector } = details;
  if (stat === null) return <p className="muted">Loading {details.path}…</p>;
  return (
    <section className="details" aria-label="File details">
      <h3>{details.path}</h3>
      <dl className="facts">
        <dt>Kind</dt>
        <dd>{stat.kind}</dd>
        <dt>Size</dt>
        <dd>{stat.size.toLocaleString('en-US')} bytes</dd>
        <dt>Mode</dt>
        <dd>{(stat.mode & 0o7777).toString(8).padStart(4, '0')}</dd>
        <dt>Inode</dt>
        <dd>{stat.ino}</dd>
        <dt>Modified</dt>
        <dd>{time(stat.mtime)}</dd>
        <dt>Changed</dt>
        <dd>{time(stat.ctime)}</dd>
        <dt>Created</dt>
        <dd>{time(stat.birthtime)}</dd>
        <dt>Xattrs</dt>
        <dd>{stat.xattrs.length ? stat.xattrs.join(', ') : 'none'}</dd>
      </dl>
      {stat.kind === 'file' ? (
        vector === null ? (
          <p className="muted">No vector: set one with the form below (user.vexfs.vector).</p>
        ) : (
          <>
            <Suspense fallback={<p className="muted">Drawing the vector…</p>}>
              <VectorChart vector={vector} />
            </Suspense>
            <Neighbours path={details.path} hits={details.neighbours} error={details.neighboursError} />
          </>
        )
      ) : null}
    </section>
  );
}
