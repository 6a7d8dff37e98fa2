import { memo } from 'react';
import {
  Bar,
  BarChart,
  CartesianGrid,
  Legend,
  Line,
  LineChart,
  ResponsiveContainer,
  Tooltip,
  XAxis,
  YAxis,
} from 'recharts';
import type { LivePoint } from '../state/liveSeries.js';
import type { LiveSample } from '../state/types.js';
import { useWorkbench } from '../state/useWorkbench.js';

interface SeriesSpec {
  key: keyof LivePoint;
  name: string;
  colour: string;
}

/** One live time chart; memoised on the points array, redrawn only when a sample arrives. */
const TimeChart = memo(function TimeChart({
  title,
  points,
  series,
  unit,
}: {
  title: string;
  points: LivePoint[];
  series: SeriesSpec[];
  unit: string;
}) {
  return (
    <figure className="chart" aria-label={title}>
      <figcaption>{title}</figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <LineChart data={points} margin={{ top: 4, right: 12, bottom: 0, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="tSec" type="number" domain={['dataMin', 'dataMax']} unit="s" tick={{ fontSize: 11 }} />
          <YAxis width={56} unit={unit} tick={{ fontSize: 11 }} />
          <Tooltip isAnimationActive={false} />
          {series.length > 1 ? <Legend /> : null}
          {series.map((s) => (
            <Line
              key={s.key}
              dataKey={s.key}
              name={s.name}
              stroke={s.colour}
              dot={false}
              isAnimationActive={false}
              strokeWidth={1.5}
            />
          ))}
        </LineChart>
      </ResponsiveContainer>
    </figure>
  );
});

const WindowDistribution = memo(function WindowDistribution({ sample }: { sample: LiveSample | null }) {
  const data = sample
    ? [
        { percentile: 'p50', us: sample.p50_us },
        { percentile: 'p99', us: sample.p99_us },
        { percentile: 'p99.9', us: sample.p999_us },
      ]
    : [];
  return (
    <figure className="chart" aria-label="Latency percentile distribution">
      <figcaption>
        Latency percentiles, last measured 100 ms{sample ? ` (${sample.subject}/${sample.workload})` : ''}
      </figcaption>
      <ResponsiveContainer width="100%" height={170}>
        <BarChart data={data} margin={{ top: 4, right: 12, bottom: 0, left: 4 }}>
          <CartesianGrid strokeDasharray="3 3" stroke="var(--border)" />
          <XAxis dataKey="percentile" tick={{ fontSize: 11 }} />
          <YAxis width={56} unit="µs" tick={{ fontSize: 11 }} />
          <Bar dataKey="us" name="latency" fill="#9c36b5" isAnimationActive={false} />
        </BarChart>
      </ResponsiveContainer>
    </figure>
  );
});

/** The live charts of the running benchmark, fed at 10 Hz from the engine's samples. */
export function LiveCharts() {
  const points = useWorkbench((s) => s.live);
  const sample = useWorkbench((s) => s.lastMeasured);
  if (points.length === 0 && sample === null)
    return <p className="muted">The live charts start with the run's first measured sample.</p>;
  return (
    <div className="chart-grid">
      <TimeChart
        title="Throughput"
        unit=""
        points={points}
        series={[{ key: 'opsPerSec', name: 'ops/s', colour: '#2f6fde' }]}
      />
      <TimeChart
        title="Latency over time"
        unit="µs"
        points={points}
        series={[
          { key: 'p50Us', name: 'p50', colour: '#2b8a3e' },
          { key: 'p99Us', name: 'p99', colour: '#e67700' },
          { key: 'p999Us', name: 'p99.9', colour: '#c2255c' },
        ]}
      />
      <WindowDistribution sample={sample} />
      <TimeChart
        title="Errors per sample"
        unit=""
        points={points}
        series={[{ key: 'errors', name: 'errors', colour: '#d9480f' }]}
      />
      <TimeChart
        title="CPU (user + system)"
        unit="%"
        points={points}
        series={[{ key: 'cpuPct', name: 'CPU %', colour: '#0c8599' }]}
      />
      <TimeChart
        title="RSS and event-loop delay"
        unit=""
        points={points}
        series={[
          { key: 'rssMiB', name: 'RSS MiB', colour: '#5c7cfa' },
          { key: 'eventLoopDelayMs', name: 'event-loop delay ms', colour: '#d9480f' },
        ]}
      />
    </div>
  );
}
