import { useEffect, useState } from 'react';
import { EmptyState, ErrorNote } from '../components/Notice.js';
import { Markdown } from '../markdown/Markdown.js';
import { completeRunsNewestFirst } from '../state/resultsSlice.js';
import { useWorkbench } from '../state/useWorkbench.js';

/** The markdown report of a run (optionally against a baseline), previewed here and exported to a folder. */
export function ReportsPage() {
  const runs = useWorkbench((s) => s.runs);
  const baselines = useWorkbench((s) => s.baselines);
  const report = useWorkbench((s) => s.report);
  const reportError = useWorkbench((s) => s.reportError);
  const exported = useWorkbench((s) => s.exported);
  const compareBaseline = useWorkbench((s) => s.compareBaseline);
  const compareCurrent = useWorkbench((s) => s.compareCurrent);
  const loadRuns = useWorkbench((s) => s.loadRuns);
  const loadReport = useWorkbench((s) => s.loadReport);
  const exportReport = useWorkbench((s) => s.exportReport);
  const [ref, setRef] = useState('');
  const [baseline, setBaseline] = useState('');
  const [dir, setDir] = useState('reports');

  useEffect(() => void loadRuns(), [loadRuns]);
  useEffect(() => {
    if (ref === '' && compareCurrent !== '') setRef(compareCurrent);
    if (baseline === '' && compareBaseline !== '') setBaseline(compareBaseline);
  }, [compareCurrent, compareBaseline, ref, baseline]);
  const complete = completeRunsNewestFirst(runs);

  return (
    <div className="page-body">
      <h2>Reports</h2>
      {complete.length === 0 ? (
        <EmptyState title="No complete run yet">
          Run a profile on the Benchmarks page; its report can be previewed and exported here.
        </EmptyState>
      ) : (
        <section className="panel row" aria-label="Report">
          <label>
            Run
            <select value={ref} onChange={(e) => setRef(e.target.value)}>
              <option value="">choose…</option>
              {complete.map((r) => (
                <option key={r.id}>{r.id}</option>
              ))}
            </select>
          </label>
          <label>
            Against
            <select value={baseline} onChange={(e) => setBaseline(e.target.value)}>
              <option value="">no baseline</option>
              {baselines.map((b) => (
                <option key={`b-${b}`}>{b}</option>
              ))}
              {complete.map((r) => (
                <option key={r.id}>{r.id}</option>
              ))}
            </select>
          </label>
          <button
            type="button"
            className="primary"
            disabled={ref === ''}
            onClick={() => void loadReport(ref, baseline === '' ? null : baseline)}
          >
            Preview
          </button>
          <label>
            Export folder
            <input value={dir} onChange={(e) => setDir(e.target.value)} />
          </label>
          <button type="button" disabled={report === null} onClick={() => void exportReport(dir)}>
            Export
          </button>
        </section>
      )}
      <ErrorNote error={reportError} />
      {exported ? (
        <div className="notice" role="status">
          Exported to {exported.dir}:
          <ul>
            {exported.files.map((f) => (
              <li key={f}>
                <code>{f}</code>
              </li>
            ))}
          </ul>
        </div>
      ) : null}
      {report ? <Markdown text={report.markdown} charts={report.charts} /> : null}
    </div>
  );
}
