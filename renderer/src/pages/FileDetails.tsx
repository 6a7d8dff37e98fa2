import { lazy, Suspense } from 'react';
import { NotLanded } from '../components/Notice.js';
import { useWorkbench } from '../state/useWorkbench.js';

// The chart library loads with the first vector shown, not with the first page.
const VectorChart = lazy(() => import('./VectorChart.js'));

function time(spec: { sec: number; nsec: number }): string {
  return new Date(spec.sec * 1000 + Math.floor(spec.nsec / 1e6)).toISOString().replace('T', ' ').slice(0, 23);
}

/** The selected entry: size, times, mode, xattrs, and its vector as a small chart. */
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
          <Suspense fallback={<p className="muted">Drawing the vector…</p>}>
            <VectorChart vector={vector} />
          </Suspense>
        )
      ) : null}
      <NotLanded what="Nearest neighbours">
        They appear here once vector collections are wired into the workbench.
      </NotLanded>
    </section>
  );
}
