import { useEffect, useMemo, useState } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Cell,
  ErrorBar,
  Legend,
  Line,
  LineChart,
  ReferenceLine,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import { compareFrontiers } from '../charts/frontier.js';
import {
  changeBars,
  commonLatencyKeys,
  formatNumber,
  formatPct,
  isHeadlineMetric,
  overlaidDistributions,
} from '../charts/transforms.js';
import { EmptyState, ErrorNote } from '../components/Notice.js';
import { completeRunsNewestFirst } from '../state/resultsSlice.js';
import { useWorkbench } from '../state/useWorkbench.js';
import { RecallFrontier } from './RecallFrontier.js';

/** A baseline (named or any past run) against a current run: verdicts, bars, distributions, warnings, config diff. */
export function ComparePage() {
  const runs = useWorkbench((s) => s.runs);
  const baselines = useWorkbench((s) => s.baselines);
  const resultsError = useWorkbench((s) => s.resultsError);
  const baseline = useWorkbench((s) => s.compareBaseline);
  const current = useWorkbench((s) => s.compareCurrent);
  const force = useWorkbench((s) => s.compareForce);
  const comparison = useWorkbench((s) => s.comparison);
  const compared = useWorkbench((s) => s.compared);
  const compareError = useWorkbench((s) => s.compareError);
  const notice = useWorkbench((s) => s.notice);
  const loadRuns = useWorkbench((s) => s.loadRuns);
  const setCompare = useWorkbench((s) => s.setCompare);
  const compare = useWorkbench((s) => s.compare);
  const saveBaseline = useWorkbench((s) => s.saveBaseline);
  const [baselineName, setBaselineName] = useState('');
  const [overlay, setOverlay] = useState('');

  useEffect(() => void loadRuns(), [loadRuns]);
  const complete = completeRunsNewestFirst(runs);
  const bars = useMemo(() => (comparison ? changeBars(comparison, isHeadlineMetric) : []), [comparison]);
  const overlayKeys = useMemo(
    () => (compared ? commonLatencyKeys(compared.baseline, compared.current) : []),
    [compared],
  );
  const frontiers = useMemo(() => (compared ? compareFrontiers(compared.baseline, compared.current) : []), [compared]);
  const chosenOverlay = overlayKeys.find((k) => `${k.subject}/${k.op}` === overlay) ?? overlayKeys[0];
  const overlayData = useMemo(
    () =>
      compared && chosenOverlay
        ? overlaidDistributions(compared.baseline, compared.current, chosenOverlay.subject, chosenOverlay.op)
        : [],
    [compared, chosenOverlay],
  );

  if (runs.length === 0)
    return (
      <div className="page-body">
        <h2>Compare</h2>
        <ErrorNote error={resultsError} />
        <EmptyState title="No runs to compare yet">
          Run a profile on the Benchmarks page twice (or save one run as a baseline), then come back.
        </EmptyState>
      </div>
    );

  return (
    <div className="page-body">
      <h2>Compare</h2>
      <ErrorNote error={resultsError} />
      <section className="panel row" aria-label="Runs to compare">
        <label>
          Baseline
          <select value={baseline} onChange={(e) => setCompare({ compareBaseline: e.target.value })}>
            <option value="">choose…</option>
            <optgroup label="Named baselines">
              {baselines.map((b) => (
                <option key={`b-${b}`} value={b}>
                  {b}
                </option>
              ))}
            </optgroup>
            <optgroup label="Runs">
              {complete.map((r) => (
                <option key={r.id} value={r.id}>
                  {r.id}
                </option>
              ))}
            </optgroup>
          </select>
        </label>
        <label>
          Current
          <select value={current} onChange={(e) => setCompare({ compareCurrent: e.target.value })}>
            <option value="">choose…</option>
            {complete.map((r) => (
              <option key={r.id} value={r.id}>
                {r.id}
              </option>
            ))}
          </select>
        </label>
        <label className="check">
          <input type="checkbox" checked={force} onChange={(e) => setCompare({ compareForce: e.target.checked })} />
          Compare even if not comparable
        </label>
        <button type="button" className="primary" onClick={() => void compare()}>
          Compare
        </button>
      </section>
      <section className="panel row" aria-label="Save a baseline">
        <label>
          Save the current run as baseline
          <input value={baselineName} onChange={(e) => setBaselineName(e.target.value)} placeholder="name" />
        </label>
        <button
          type="button"
          disabled={current === '' || baselineName === ''}
          onClick={() => void saveBaseline(current, baselineName)}
        >
          Save baseline
        </button>
        {notice ? <span className="notice">{notice}</span> : null}
      </section>
      <ErrorNote
        error={compareError}
        hint={
          compareError?.includes('comparable') || compareError?.includes('differ')
            ? 'Tick “Compare even if not comparable” to see the differences as warnings.'
            : undefined
        }
      />
      {comparison ? (
        <>
          {comparison.comparability.differences.length > 0 ? (
            <div className="warning-note" role="status">
              <strong>Comparability:</strong> these runs differ in {comparison.comparability.differences.length} way(s);
              their figures are not like for like.
              <ul>
                {comparison.comparability.differences.map((d, i) => (
                  <li key={i}>
                    <code>{d.field}</code>: {d.baseline} → {d.current}
                  </li>
                ))}
              </ul>
            </div>
          ) : null}
          {comparison.warnings.length > 0 ? (
            <details className="warning-note">
              <summary>
                {comparison.warnings.length} warning{comparison.warnings.length === 1 ? '' : 's'} about noise and
                comparability (open to read them)
              </summary>
              <ul>
                {comparison.warnings.map((w, i) => (
                  <li key={i}>{w}</li>
                ))}
              </ul>
            </details>
          ) : null}
          <section className="panel" aria-label="Verdicts">
            <h3>Verdicts</h3>
            <p className={comparison.gate.failed ? 'gate failed' : 'gate'}>{comparison.gate.note}</p>
            <div className="table-scroll">
              <table className="verdicts">
                <thead>
                  <tr>
                    <th>Subject</th>
                    <th>Metric</th>
                    <th>Baseline</th>
                    <th>Current</th>
                    <th>Change</th>
                    <th>95% CI</th>
                    <th>p</th>
                    <th>Verdict</th>
                  </tr>
                </thead>
                <tbody>
                  {comparison.metrics.map((m) => (
                    <tr key={`${m.subject}-${m.key}`} className={`verdict-${m.verdict.replace(/ /g, '-')}`}>
                      <td>{m.subject}</td>
                      <td>
                        {m.key}
                        {m.primary ? ' ★' : ''}
                      </td>
                      <td className="num">
                        {formatNumber(m.baseline.value)} {m.unit}
                      </td>
                      <td className="num">
                        {formatNumber(m.current.value)} {m.unit}
                      </td>
                      <td className="num">{formatPct(m.changePct)}</td>
                      <td className="num">
                        [{formatPct(m.changeCiPct[0])}, {formatPct(m.changeCiPct[1])}]
                      </td>
                      <td className="num">{m.pValue === null ? '—' : m.pValue.toPrecision(2)}</td>
                      <td>{m.verdict}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <div className="chart-grid two">
            <figure className="chart" aria-label="Change per metric">
              <figcaption>Change in throughput and primary metrics, with the 95% CI as whiskers</figcaption>
              <ResponsiveContainer width="100%" height={Math.max(200, bars.length * 22)}>
                <BarChart data={bars} layout="vertical" margin={{ left: 8, right: 16 }}>
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                  <XAxis
                    type="number"
                    tick={{ fontSize: 11 }}
                    domain={[(min: number) => Math.max(min, -100), (max: number) => Math.min(max, 300)]}
                    tickFormatter={(value: number) => `${Math.round(value)}%`}
                    allowDataOverflow
                  />
                  <YAxis type="category" dataKey="key" width={220} tick={{ fontSize: 10 }} />
                  <Tooltip />
                  <ReferenceLine x={0} stroke="var(--muted)" />
                  <Bar dataKey="changePct" name="change %" isAnimationActive={false}>
                    {bars.map((b) => (
                      <Cell
                        key={b.key}
                        fill={b.verdict === 'regressed' ? '#d9480f' : b.verdict === 'improved' ? '#2b8a3e' : '#868e96'}
                      />
                    ))}
                    <ErrorBar dataKey="whisker" width={4} stroke="var(--fg)" direction="x" />
                  </Bar>
                </BarChart>
              </ResponsiveContainer>
            </figure>
            <figure className="chart" aria-label="Latency distributions">
              <figcaption>
                Latency distributions:{' '}
                <select
                  value={chosenOverlay ? `${chosenOverlay.subject}/${chosenOverlay.op}` : ''}
                  onChange={(e) => setOverlay(e.target.value)}
                >
                  {overlayKeys.map((k) => (
                    <option key={`${k.subject}/${k.op}`}>{`${k.subject}/${k.op}`}</option>
                  ))}
                </select>
              </figcaption>
              <ResponsiveContainer width="100%" height={220}>
                <LineChart data={overlayData}>
                  <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
                  <XAxis dataKey="percentile" tick={{ fontSize: 11 }} />
                  <YAxis
                    scale="log"
                    domain={['auto', 'auto']}
                    unit="µs"
                    width={64}
                    tick={{ fontSize: 11 }}
                    allowDataOverflow
                  />
                  <Tooltip />
                  <Legend />
                  <Line dataKey="baselineUs" name="baseline" stroke="#868e96" isAnimationActive={false} />
                  <Line dataKey="currentUs" name="current" stroke="#2f6fde" isAnimationActive={false} />
                </LineChart>
              </ResponsiveContainer>
            </figure>
          </div>
          <RecallFrontier series={frontiers} />
          <section className="panel" aria-label="Config diff">
            <h3>Config diff</h3>
            {comparison.configDiff.length === 0 ? (
              <p className="muted">Both runs used the same effective configuration.</p>
            ) : (
              <table>
                <thead>
                  <tr>
                    <th>Key</th>
                    <th>Baseline</th>
                    <th>Current</th>
                  </tr>
                </thead>
                <tbody>
                  {comparison.configDiff.map((d) => (
                    <tr key={d.field}>
                      <td>
                        <code>{d.field}</code>
                      </td>
                      <td>{d.baseline}</td>
                      <td>{d.current}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </section>
        </>
      ) : compareError === null ? (
        <EmptyState title="Nothing compared yet">Choose a baseline and a current run, then press Compare.</EmptyState>
      ) : null}
    </div>
  );
}
