import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProfile } from '../../engine/bench/profile/load.js';
import { paretoFrontier, recallQpsPoints, type FrontierPoint } from '../../engine/api/shared/frontier.js';
import {
  compareFrontiers,
  frontierRows,
  labelledPoints,
  qpsDomain,
  recallAxis,
  recallAxisLabel,
} from '../../renderer/src/charts/frontier.js';
import type { BenchResult } from '../../renderer/src/state/types.js';
import { startRun } from '../bench/fixtures/startRun.js';

type Metric = BenchResult['metrics'][number];

function metric(name: string, value: number, unit: string, extra: Partial<Metric> = {}): Metric {
  return {
    name,
    labels: {},
    unit,
    higher_is_better: true,
    primary: false,
    subject: 'vexfs',
    value,
    ci95: [value, value],
    samples: [value],
    ...extra,
  };
}

function result(id: string, metrics: Metric[], params: Record<string, unknown> = { k: 10 }): BenchResult {
  return { id, metrics, environment: { config: { params } } } as unknown as BenchResult;
}

const point = (op: string, recall: number, qps: number): FrontierPoint => ({ op, recall, qps });

describe('recall–QPS frontier', () => {
  it('pairs recall_at_k.<name> with qps.<name>, else ops_per_s.<name>, on the same subject and labels', () => {
    const run = result('r1', [
      metric('recall_at_k.exact', 1, 'recall'),
      metric('ops_per_s.exact', 500, 'ops/s'),
      metric('recall_at_k.batched', 0.9, 'recall'),
      metric('qps.batched', 8000, 'queries/s'),
      metric('ops_per_s.batched', 500, 'ops/s'),
      // No throughput of its own: left out.
      metric('recall_at_k.orphan', 0.5, 'recall'),
      // Same name on another subject and on a sweep point: separate groups.
      metric('recall_at_k.exact', 0.8, 'recall', { subject: 'peer' }),
      metric('ops_per_s.exact', 900, 'ops/s', { subject: 'peer' }),
      metric('recall_at_k.exact', 0.95, 'recall', { labels: { 'params.k': '20' } }),
      metric('ops_per_s.exact', 450, 'ops/s', { labels: { 'params.k': '20' } }),
      metric('ops_per_s.exact', 1, 'ops/s', { labels: { other: 'x' } }),
      // A recall-looking name in another unit is not a recall.
      metric('recall_at_k.rate', 3, 'ops/s'),
      metric('ops_per_s.rate', 3, 'ops/s'),
    ]);
    assert.deepEqual(recallQpsPoints(run), [
      { subject: 'vexfs', labels: '', points: [point('exact', 1, 500), point('batched', 0.9, 8000)] },
      { subject: 'peer', labels: '', points: [point('exact', 0.8, 900)] },
      { subject: 'vexfs', labels: 'params.k=20', points: [point('exact', 0.95, 450)] },
    ]);
  });

  it('keeps the points no other point beats on both recall and QPS, by recall ascending', () => {
    const points = [
      point('f32_exact', 1, 500),
      point('i8_r8', 1, 900),
      point('i8_r2', 1, 1000),
      point('i8_r1', 0.98, 1100),
      point('f16_r1', 0.97, 1000),
      point('slow_and_bad', 0.5, 100),
      point('fast', 0.6, 5000),
      point('fast_twin', 0.6, 5000),
    ];
    assert.deepEqual(
      paretoFrontier(points).map((p) => p.op),
      ['fast', 'i8_r1', 'i8_r2'],
    );
    assert.deepEqual(paretoFrontier([]), []);
  });

  it('draws nothing for runs that report no recall', () => {
    const plain = result('p', [metric('ops_per_s.mixed', 100, 'ops/s')]);
    assert.deepEqual(compareFrontiers(plain, plain), []);
    assert.equal(recallAxisLabel([]), 'recall@k');
  });

  it('gives baseline and current one series each, with k from the params', () => {
    const a = result('a', [metric('recall_at_k.x', 0.9, 'recall'), metric('ops_per_s.x', 10, 'ops/s')]);
    const b = result('b', [metric('ops_per_s.y', 10, 'ops/s')]);
    const series = compareFrontiers(a, b);
    assert.deepEqual(
      series.map((s) => [s.name, s.role, s.runId, s.k, s.frontier.length]),
      [['baseline', 'baseline', 'a', 10, 1]],
    );
    assert.equal(recallAxisLabel(series), 'recall@10');
    const mixedK = compareFrontiers(a, result('c', a.metrics, { k: 5 }));
    assert.equal(recallAxisLabel(mixedK), 'recall@k');
  });

  it('lists every point in a table, fits the axes around the points, and labels points that do not collide', () => {
    const metrics = (qps: number[]) => [
      metric('recall_at_k.exact', 1, 'recall'),
      metric('ops_per_s.exact', qps[0] as number, 'ops/s'),
      metric('recall_at_k.near', 1, 'recall'),
      metric('ops_per_s.near', qps[1] as number, 'ops/s'),
      metric('recall_at_k.coarse', 0.8, 'recall'),
      metric('ops_per_s.coarse', qps[2] as number, 'ops/s'),
    ];
    const series = compareFrontiers(result('a', metrics([500, 505, 2000])), result('b', metrics([400, 1000, 3000])));
    assert.deepEqual(
      frontierRows(series).map((r) => `${r.run} ${r.op} ${r.pareto ? 'pareto' : '-'}`),
      [
        'baseline near pareto',
        'baseline exact -',
        'baseline coarse pareto',
        'current near pareto',
        'current exact -',
        'current coarse pareto',
      ],
    );
    const axis = recallAxis(series);
    assert.ok(axis.domain[0] < 0.8 && axis.domain[1] > 1);
    assert.equal(axis.ticks.at(-1), 1);
    assert.ok(axis.ticks.every((t) => t >= axis.domain[0] && t <= 1));
    const [low, high] = qpsDomain(series);
    assert.ok(low < 400 && high > 3000);
    // Baseline's exact (500) and near (505) sit on one spot: only the frontier's label is written.
    assert.deepEqual([...labelledPoints(series)].sort(), [
      'baseline|coarse',
      'baseline|near',
      'current|coarse',
      'current|exact',
      'current|near',
    ]);
  });

  it('reads a real quantized-search run: every op paired with its throughput', async () => {
    const ops = ['f32_exact', 'i8_r1', 'i8_r4'];
    const text =
      `name = "qs"\ndescription = "t"\nmodule = "quantized-search"\ntrials = 1\nprimary = ["ops_per_s.f32_exact"]\n` +
      `[dataset]\nsize = 300\ndim = 8\nseed = 3\n[params]\nk = 5\nqueries = 20\n` +
      `[warmup]\nduration_ms = 5\n[measure]\nduration_ms = 30\n` +
      ops.map((op) => `[[workloads]]\nname = "${op}"\nmix = { ${op} = 1 }\n`).join('');
    const run = (await startRun(parseProfile(text, 'qs.toml')).result) as unknown as BenchResult;
    assert.equal(run.status, 'complete');
    const [series] = compareFrontiers(run, run);
    assert.ok(series);
    assert.equal(series.k, 5);
    assert.deepEqual(series.points.map((p) => p.op).sort(), [...ops].sort());
    for (const p of series.points) {
      const ops = run.metrics.find((m) => m.name === `ops_per_s.${p.op}` && m.subject === 'vexfs');
      assert.equal(p.qps, ops?.value);
      assert.ok(p.recall >= 0 && p.recall <= 1);
    }
    assert.equal(series.points.find((p) => p.op === 'f32_exact')?.recall, 1);
    assert.deepEqual(series.frontier, paretoFrontier(recallQpsPoints(run)[0]?.points ?? []));
  });
});
