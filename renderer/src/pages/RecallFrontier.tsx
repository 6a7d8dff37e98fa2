import {
  CartesianGrid,
  LabelList,
  Legend,
  ResponsiveContainer,
  Scatter,
  ScatterChart,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import {
  frontierRows,
  labelledPoints,
  recallAxis,
  qpsDomain,
  recallAxisLabel,
  type FrontierSeries,
} from '../charts/frontier.js';
import type { FrontierPoint } from '../../../engine/api/shared/frontier.js';
import { formatNumber } from '../charts/transforms.js';

const RUN_COLOURS: Record<FrontierSeries['role'], readonly string[]> = {
  baseline: ['#868e96', '#495057', '#adb5bd'],
  current: ['#2f6fde', '#1864ab', '#74c0fc'],
};

/** A point's op name (when `labelledPoints` chose it), left of baseline points and right of current ones. */
function opLabel(side: 'left' | 'right') {
  return function OpLabel(props: { x?: unknown; y?: unknown; width?: unknown; height?: unknown; value?: unknown }) {
    const text = String(props.value ?? '');
    if (text === '') return null;
    const centre = Number(props.x ?? 0) + Number(props.width ?? 0) / 2;
    const middle = Number(props.y ?? 0) + Number(props.height ?? 0) / 2;
    return (
      <text
        x={side === 'right' ? centre + 7 : centre - 7}
        y={middle}
        dy="0.35em"
        textAnchor={side === 'right' ? 'start' : 'end'}
        fontSize={10}
        fill="var(--fg)"
      >
        {text}
      </text>
    );
  };
}

/** The hovered point: its op, recall and queries per second. */
function FrontierTooltip(props: { active?: boolean; payload?: readonly { payload?: unknown }[] }) {
  const point = props.payload?.[0]?.payload as FrontierPoint | undefined;
  if (!props.active || !point) return null;
  return (
    <div style={{ background: 'var(--bg)', border: '1px solid var(--border)', padding: '4px 8px', fontSize: 12 }}>
      <strong>{point.op}</strong>: recall {point.recall.toFixed(4)}, {formatNumber(point.qps)} queries/s
    </div>
  );
}

/**
 * Recall against queries per second, one series per run (and subject), points labelled by op, each run's
 * Pareto frontier as a line: ann-benchmarks' rule that speed compares only at equal recall.
 */
export function RecallFrontier({ series }: { series: readonly FrontierSeries[] }) {
  if (series.length === 0)
    return (
      <section className="panel" aria-label="Recall–QPS frontier">
        <h3>Recall–QPS frontier</h3>
        <p className="muted">
          Recall–QPS frontiers appear for runs that report recall (the quantized-search profile; HNSW has not landed).
        </p>
      </section>
    );
  const recallLabel = recallAxisLabel(series);
  const axis = recallAxis(series);
  const labelled = labelledPoints(series);
  const count = { baseline: 0, current: 0 };
  return (
    <section className="panel" aria-label="Recall–QPS frontier">
      <h3>Recall–QPS frontier</h3>
      <p className="muted">
        Each point is one op: its measured {recallLabel} (x) against its queries per second (y, log scale). The line
        joins the points no other point of the same run beats on both.
      </p>
      <ResponsiveContainer width="100%" height={340}>
        <ScatterChart margin={{ top: 16, right: 48, bottom: 8, left: 8 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis
            type="number"
            dataKey="recall"
            name={recallLabel}
            domain={axis.domain}
            ticks={axis.ticks}
            tick={{ fontSize: 11 }}
            tickFormatter={(value: number) => value.toFixed(3)}
            allowDataOverflow
          />
          <YAxis
            type="number"
            dataKey="qps"
            name="queries/s"
            scale="log"
            domain={qpsDomain(series)}
            width={72}
            tick={{ fontSize: 11 }}
            tickFormatter={(value: number) => formatNumber(value)}
            allowDataOverflow
          />
          <Tooltip content={FrontierTooltip} />
          <Legend verticalAlign="top" />
          {series.flatMap((s) => {
            const colour = RUN_COLOURS[s.role][count[s.role]++ % RUN_COLOURS[s.role].length];
            return [
              <Scatter
                key={`${s.name}-points`}
                name={s.name}
                data={s.points.map((p) => ({ ...p, label: labelled.has(`${s.name}|${p.op}`) ? p.op : '' }))}
                fill={colour}
                isAnimationActive={false}
              >
                <LabelList dataKey="label" content={opLabel(s.role === 'baseline' ? 'left' : 'right')} />
              </Scatter>,
              <Scatter
                key={`${s.name}-frontier`}
                name={`${s.name} frontier`}
                data={s.frontier}
                line={{ stroke: colour }}
                shape={() => <g />}
                legendType="none"
                isAnimationActive={false}
              />,
            ];
          })}
        </ScatterChart>
      </ResponsiveContainer>
      <div className="table-scroll">
        <table>
          <thead>
            <tr>
              <th>Run</th>
              <th>Op</th>
              <th>{recallLabel}</th>
              <th>Queries/s</th>
              <th>On the frontier</th>
            </tr>
          </thead>
          <tbody>
            {frontierRows(series).map((row) => (
              <tr key={`${row.run}-${row.op}`}>
                <td>{row.run}</td>
                <td>{row.op}</td>
                <td className="num">{row.recall.toFixed(4)}</td>
                <td className="num">{formatNumber(row.qps)}</td>
                <td>{row.pareto ? 'yes' : ''}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}
