import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  changeBars,
  historySeries,
  isHeadlineMetric,
  overlaidDistributions,
  percentileDistribution,
} from '../../renderer/src/charts/transforms.js';
import { appendPoint, formatEta, toLivePoint } from '../../renderer/src/state/liveSeries.js';
import type { BenchResult, Comparison, History, LiveSample } from '../../renderer/src/state/types.js';

function sample(tMs: number, phase: LiveSample['phase'] = 'measure'): LiveSample {
  return {
    t_ms: tMs,
    trial: 0,
    phase,
    ops: 100,
    ops_per_s: 1000.4,
    p50_us: 10.123,
    p99_us: 50,
    p999_us: 90,
    errors: 1,
    cpu_user_pct: 30,
    cpu_sys_pct: 5.5,
    rss_bytes: 64 * 1024 * 1024,
    rss_anon_bytes: 0,
    event_loop_delay_ms: 1.5,
    cpu_steal_pct: 0,
    machine_other_pct: 0,
    load_avg_1m: 0,
    point: 0,
    labels: {},
    unit: 0,
    units: 1,
    subject: 'vexfs',
    workload: 'mixed',
    late: 0,
    dropped: 0,
    progress: 0.5,
    eta_ms: 1000,
  };
}

describe('live series', () => {
  it('turns a sample into a point with units in the names', () => {
    assert.deepEqual(toLivePoint(sample(1234)), {
      tSec: 1.2,
      opsPerSec: 1000,
      p50Us: 10.12,
      p99Us: 50,
      p999Us: 90,
      errors: 1,
      cpuPct: 35.5,
      rssMiB: 64,
      eventLoopDelayMs: 1.5,
      phase: 'measure',
    });
  });

  it('keeps a bounded window, newest last, and skips setup samples', () => {
    let points = appendPoint([], sample(0, 'setup'));
    assert.equal(points.length, 0);
    for (let i = 0; i < 25; i++) points = appendPoint(points, sample(i * 100), 10);
    assert.equal(points.length, 10);
    assert.equal(points[0]?.tSec, 1.5);
    assert.equal(points[9]?.tSec, 2.4);
    const before = points;
    const after = appendPoint(before, sample(2500), 10);
    assert.notEqual(after, before, 'a new array, so memoised charts redraw');
    assert.equal(before.length, 10, 'the old array is left as it was');
  });

  it('formats an ETA', () => {
    assert.equal(formatEta(null), '—');
    assert.equal(formatEta(12_400), '12s');
    assert.equal(formatEta(65_000), '1m05s');
  });
});

const latency = (subject: string, op: string, p50: number) => ({
  op,
  subject,
  labels: {},
  count: 10,
  mean_us: p50,
  p50_us: p50,
  p90_us: p50 * 2,
  p99_us: p50 * 3,
  p999_us: p50 * 4,
  max_us: p50 * 5,
  histogram: '',
});

describe('chart data', () => {
  it('lays out percentile distributions per series', () => {
    const { rows, series } = percentileDistribution([latency('vexfs', 'read', 10), latency('memfs', 'read', 1)]);
    assert.deepEqual(series, ['vexfs/read', 'memfs/read']);
    assert.deepEqual(
      rows.map((r) => r.percentile),
      ['p50', 'p90', 'p99', 'p99.9', 'max'],
    );
    assert.equal(rows[2]?.['vexfs/read'], 30);
    assert.equal(rows[4]?.['memfs/read'], 5);
  });

  it('overlays baseline and current, with null where a run lacks the series', () => {
    const base = { latencies: [latency('vexfs', 'read', 10)] } as unknown as BenchResult;
    const current = { latencies: [latency('vexfs', 'read', 12)] } as unknown as BenchResult;
    const rows = overlaidDistributions(base, current, 'vexfs', 'read');
    assert.deepEqual(rows[0], { percentile: 'p50', baselineUs: 10, currentUs: 12 });
    assert.deepEqual(overlaidDistributions(base, current, 'memfs', 'read')[0], {
      percentile: 'p50',
      baselineUs: null,
      currentUs: null,
    });
  });

  it('makes change bars with CI whiskers relative to the bar, skipping figures that could not be computed', () => {
    const metric = (name: string, changePct: number | null, ci: [number | null, number | null], primary = false) => ({
      key: name,
      name,
      labels: {},
      subject: 'vexfs',
      unit: 'ops/s',
      higherIsBetter: true,
      primary,
      baseline: { value: 1, ci95: [1, 1], samples: 2 },
      current: { value: 1, ci95: [1, 1], samples: 2 },
      changePct,
      changeCiPct: ci,
      pValue: 0.5,
      holmPValue: null,
      verdict: 'within noise',
      holmVerdict: 'within noise',
    });
    const comparison = {
      metrics: [
        metric('ops_per_s.read', 10, [4, 20]),
        metric('latency_us.read.p99', -5, [-8, 1]),
        metric('ops_per_s.write', null, [null, null]),
        metric('harness', 1, [0, 2], true),
      ],
    } as unknown as Comparison;
    const bars = changeBars(comparison, isHeadlineMetric);
    assert.deepEqual(
      bars.map((b) => [b.key, b.changePct, b.whisker, b.better]),
      [
        ['ops_per_s.read', 10, [6, 10], true],
        ['harness', 1, [1, 1], true],
      ],
    );
    assert.equal(changeBars(comparison).length, 3);
  });

  it('puts each run of a profile on one axis, one series per metric and subject', () => {
    const history: History = {
      profile: 'fs-ops',
      runs: [
        {
          id: 'a',
          started_at: '2026-01-01T10:00:00.000Z',
          quick: true,
          baseline_name: null,
          metrics: [
            { name: 'ops_per_s.mixed', subject: 'vexfs', labels: {}, unit: 'ops/s', value: 100, ci95: [90, 110] },
          ],
        },
        {
          id: 'b',
          started_at: '2026-01-02T10:00:00.000Z',
          quick: true,
          baseline_name: null,
          metrics: [
            { name: 'ops_per_s.mixed', subject: 'vexfs', labels: {}, unit: 'ops/s', value: 120, ci95: [110, 130] },
            { name: 'ops_per_s.mixed', subject: 'memfs', labels: { c: '4' }, unit: 'ops/s', value: 80, ci95: [70, 90] },
          ],
        },
      ],
    };
    const { rows, series } = historySeries(history);
    assert.deepEqual(series, [
      { key: 's0', name: 'memfs ops_per_s.mixed c=4' },
      { key: 's1', name: 'vexfs ops_per_s.mixed' },
    ]);
    assert.deepEqual(rows[0], { run: 'a', at: '2026-01-01 10:00', s1: 100 });
    assert.equal(rows[1]?.s0, 80);
  });
});
