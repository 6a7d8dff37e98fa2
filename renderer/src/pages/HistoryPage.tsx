import { useEffect, useMemo, useState } from 'react';
import { CartesianGrid, Legend, Line, LineChart, ResponsiveContainer, Tooltip, XAxis, YAxis } from 'recharts';
import { historySeries, SERIES_COLOURS } from '../charts/transforms.js';
import { EmptyState, ErrorNote } from '../components/Notice.js';
import { useWorkbench } from '../state/useWorkbench.js';

/** Each profile's complete runs over time on one chart, to spot drift. */
export function HistoryPage() {
  const runs = useWorkbench((s) => s.runs);
  const history = useWorkbench((s) => s.history);
  const historyError = useWorkbench((s) => s.historyError);
  const loadRuns = useWorkbench((s) => s.loadRuns);
  const loadHistory = useWorkbench((s) => s.loadHistory);
  const profiles = useMemo(() => [...new Set(runs.map((r) => r.profile))].sort(), [runs]);
  const [profile, setProfile] = useState('');
  useEffect(() => void loadRuns(), [loadRuns]);
  const chosen = profile || profiles[0] || '';
  useEffect(() => {
    if (chosen !== '') void loadHistory(chosen);
  }, [chosen, loadHistory]);
  const data = useMemo(() => (history ? historySeries(history) : null), [history]);

  return (
    <div className="page-body">
      <h2>History</h2>
      {profiles.length === 0 ? (
        <EmptyState title="No runs yet">Each profile's runs appear here over time once you have run it.</EmptyState>
      ) : (
        <label>
          Profile
          <select value={chosen} onChange={(e) => setProfile(e.target.value)}>
            {profiles.map((p) => (
              <option key={p}>{p}</option>
            ))}
          </select>
        </label>
      )}
      <ErrorNote error={historyError} />
      {data && data.rows.length > 0 ? (
        <figure className="chart" aria-label="Runs over time">
          <figcaption>Primary metrics of each complete run of {history?.profile}</figcaption>
          <ResponsiveContainer width="100%" height={320}>
            <LineChart data={data.rows}>
              <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
              <XAxis dataKey="at" tick={{ fontSize: 11 }} />
              <YAxis width={72} tick={{ fontSize: 11 }} />
              <Tooltip />
              <Legend />
              {data.series.map((s, i) => (
                <Line
                  key={s.key}
                  dataKey={s.key}
                  name={s.name}
                  stroke={SERIES_COLOURS[i % SERIES_COLOURS.length]}
                  isAnimationActive={false}
                  connectNulls
                />
              ))}
            </LineChart>
          </ResponsiveContainer>
        </figure>
      ) : data ? (
        <EmptyState title="No complete runs">
          Cancelled and failed runs are not drawn; run {chosen} to completion.
        </EmptyState>
      ) : null}
    </div>
  );
}
