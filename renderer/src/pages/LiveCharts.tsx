import { memo } from 'react';
import { CanvasTimeChart } from '../charts/CanvasTimeChart.js';
import type { LiveSample } from '../state/types.js';
import { useWorkbench } from '../state/useWorkbench.js';

/** The current window's percentiles as plain bars: cheap enough to redraw at 10 Hz. */
const WindowDistribution = memo(function WindowDistribution({ sample }: { sample: LiveSample | null }) {
  const bars = sample
    ? [
        { percentile: 'p50', us: sample.p50_us },
        { percentile: 'p99', us: sample.p99_us },
        { percentile: 'p99.9', us: sample.p999_us },
      ]
    : [];
  const max = Math.max(1, ...bars.map((b) => b.us));
  return (
    <figure className="chart" aria-label="Latency percentile distribution">
      <figcaption>
        Latency percentiles, last measured 100 ms{sample ? ` (${sample.subject}/${sample.workload})` : ''}
      </figcaption>
      <div className="percentile-bars">
        {bars.map((b) => (
          <div key={b.percentile} className="percentile-bar">
            <span className="percentile-label">{b.percentile}</span>
            <span className="percentile-track">
              <span className="percentile-fill" style={{ width: `${(100 * b.us) / max}%` }} />
            </span>
            <span className="percentile-value">{b.us >= 100 ? Math.round(b.us) : b.us.toFixed(1)} µs</span>
          </div>
        ))}
      </div>
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
      <CanvasTimeChart
        title="Throughput"
        unit=""
        points={points}
        series={[{ key: 'opsPerSec', name: 'ops/s', colour: '#2f6fde' }]}
      />
      <CanvasTimeChart
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
      <CanvasTimeChart
        title="Errors per sample"
        unit=""
        points={points}
        series={[{ key: 'errors', name: 'errors', colour: '#d9480f' }]}
      />
      <CanvasTimeChart
        title="CPU (user + system)"
        unit="%"
        points={points}
        series={[{ key: 'cpuPct', name: 'CPU %', colour: '#0c8599' }]}
      />
      <CanvasTimeChart
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
