import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  analyzePaired,
  calibrateResult,
  checkComparability,
  compareResults,
  configDiff,
  describeDifferences,
  metricKey,
} from '../../engine/bench/compare/index.js';
import type { BenchResult } from '../../engine/bench/result.js';
import { isVexError } from '../../engine/errors.js';
import { syntheticResult } from './fixtures/syntheticResult.js';

const FAST = { resamples: 2000 };

describe('compareResults', () => {
  it('finds a 10 % regression on the primary metric and fails the gate', () => {
    const base = syntheticResult({ id: 'base', seed: 1 });
    const current = syntheticResult({ id: 'cur', seed: 2, throughputFactor: 0.9 });
    const comparison = compareResults(base, current, FAST);
    const mixed = comparison.metrics.find((m) => m.key === 'vexfs:ops_per_s.mixed');
    assert.ok(mixed);
    assert.equal(mixed.verdict, 'regressed');
    assert.ok(mixed.changeCiPct[0] < -2 && mixed.changeCiPct[1] < -2);
    assert.equal(comparison.gate.mode, 'primary');
    assert.deepEqual(comparison.gate.considered, ['vexfs:ops_per_s.mixed']);
    assert.equal(comparison.gate.failed, true);
    assert.equal(comparison.comparability.comparable, true);
  });

  it('passes the gate on an A/A comparison and is reproducible', () => {
    const a = syntheticResult({ id: 'a', seed: 3 });
    const b = syntheticResult({ id: 'b', seed: 4 });
    const comparison = compareResults(a, b, FAST);
    assert.equal(comparison.gate.failed, false);
    assert.ok(comparison.metrics.every((m) => m.verdict !== 'regressed' && m.verdict !== 'improved'));
    assert.deepEqual(compareResults(a, b, FAST), comparison);
  });

  it('reports an improvement the other way round, and latency direction from higher_is_better', () => {
    const slow = syntheticResult({ id: 'slow', seed: 5, throughputFactor: 0.8 });
    const fast = syntheticResult({ id: 'fast', seed: 6 });
    assert.equal(compareResults(slow, fast, FAST).metrics[0]?.verdict, 'improved');
    const asLatency = (r: BenchResult): BenchResult => ({
      ...r,
      metrics: r.metrics.map((m) => ({
        ...m,
        name: m.name.replace('ops_per_s', 'latency_us'),
        unit: 'us',
        higher_is_better: false,
      })),
    });
    // The same numbers read as latencies: going up is now a regression.
    assert.equal(compareResults(asLatency(slow), asLatency(fast), FAST).metrics[0]?.verdict, 'regressed');
  });

  it('honours a configurable noise threshold', () => {
    const base = syntheticResult({ id: 'base', seed: 7, cv: 0.005 });
    const current = syntheticResult({ id: 'cur', seed: 8, cv: 0.005, throughputFactor: 0.97 });
    assert.equal(compareResults(base, current, FAST).metrics[0]?.verdict, 'regressed');
    assert.equal(compareResults(base, current, { ...FAST, noiseThresholdPct: 5 }).metrics[0]?.verdict, 'within noise');
    assert.throws(
      () => compareResults(base, current, { noiseThresholdPct: -2 }),
      (e) => isVexError(e, 'E_INVALID'),
    );
  });

  it('matches metrics by subject, name and labels (in any order) and lists the unmatched', () => {
    const base = syntheticResult({ id: 'base', seed: 9 });
    const current = syntheticResult({ id: 'cur', seed: 10 });
    const labelled = current.metrics[3];
    assert.ok(labelled);
    labelled.labels = { threads: '2', backend: 'scalar' }; // reversed key order
    current.metrics.push({ ...labelled, name: 'ops_per_s.only_current' });
    base.metrics.push({ ...labelled, subject: 'nodefs' });
    const comparison = compareResults(base, current, FAST);
    assert.equal(comparison.metrics.length, 4);
    assert.equal(metricKey(labelled), 'vexfs:ops_per_s.mixed{backend=scalar,threads=2}');
    assert.deepEqual(comparison.onlyInCurrent, ['vexfs:ops_per_s.only_current{backend=scalar,threads=2}']);
    assert.deepEqual(comparison.onlyInBaseline, ['nodefs:ops_per_s.mixed{backend=scalar,threads=2}']);
    assert.ok(comparison.warnings.some((w) => w.includes('Only in the baseline')));
  });

  it('refuses a metric whose unit or direction changed, unless forced', () => {
    const base = syntheticResult({ id: 'base', seed: 37 });
    const current = syntheticResult({ id: 'cur', seed: 38 });
    const metric = current.metrics[1];
    assert.ok(metric);
    metric.unit = 'ops/min';
    assert.throws(
      () => compareResults(base, current, FAST),
      (e) => isVexError(e, 'E_RESULT') && e.message.includes('metric vexfs:ops_per_s.create unit: ops/s → ops/min'),
    );
    assert.equal(compareResults(base, current, { ...FAST, force: true }).forced, true);
  });

  it('refuses a result that lists one metric twice', () => {
    const base = syntheticResult({ id: 'base', seed: 11 });
    const current = syntheticResult({ id: 'cur', seed: 12 });
    current.metrics.push({ ...(current.metrics[0] as BenchResult['metrics'][number]) });
    assert.throws(
      () => compareResults(base, current),
      (e) => isVexError(e, 'E_RESULT') && /twice/.test(e.message),
    );
  });
});

describe('comparability', () => {
  it('refuses, listing exactly what differs, unless forced', () => {
    const base = syntheticResult({ id: 'base', seed: 13 });
    const current = syntheticResult({ id: 'cur', seed: 14, profile: 'noop', machine: 'machine-2' });
    current.profile.params = { trials: 10, durationMs: 5000, effective: { subjects: ['vexfs', 'memfs'] } };
    current.environment.dataset_checksum = 'sha256:1';
    current.environment.cores = 4;
    const { differences } = checkComparability(base, current);
    assert.deepEqual(
      differences.map((d) => d.field),
      [
        'profile.name',
        'profile.params.durationMs',
        'environment.dataset_checksum',
        'environment.machine_fingerprint',
        'environment.cores',
      ],
    );
    assert.throws(
      () => compareResults(base, current),
      (e) =>
        isVexError(e, 'E_RESULT') &&
        e.message.includes('profile.name: fs-ops → noop') &&
        e.message.includes('profile.params.durationMs: 2000 → 5000') &&
        e.message.includes('environment.cores: 2 → 4') &&
        e.message.includes('--force'),
    );
    const kernels = syntheticResult({ id: 'k', seed: 31, machine: 'machine-3' });
    kernels.environment.kernel_backend = 'avx512';
    kernels.environment.cpu_flags = ['avx2', 'avx512f'];
    assert.deepEqual(checkComparability(base, kernels).differences.slice(1), [
      { field: 'environment.kernel_backend', baseline: 'scalar', current: 'avx512' },
      { field: 'environment.cpu_flags', baseline: '(fewer flags)', current: 'has avx512f' },
    ]);
    const hidden = syntheticResult({ id: 'h', seed: 32, machine: 'machine-4' });
    assert.match(
      describeDifferences(checkComparability(base, hidden).differences),
      /no recorded machine field differs/,
    );
    const forced = compareResults(base, current, { ...FAST, force: true });
    assert.equal(forced.forced, true);
    assert.ok(forced.warnings[0]?.startsWith('Compared although the runs differ (forced)'));
  });

  it('never compares a cancelled or failed run, even when forced', () => {
    const base = syntheticResult({ id: 'base', seed: 15 });
    const cancelled = syntheticResult({ id: 'cur', seed: 16, status: 'cancelled' });
    const failed = syntheticResult({ id: 'cur', seed: 16, status: 'failed' });
    assert.throws(
      () => compareResults(base, cancelled, { force: true }),
      (e) => isVexError(e, 'E_RESULT') && /cancelled/.test(e.message),
    );
    assert.throws(
      () => compareResults(failed, base, { force: true }),
      (e) => isVexError(e, 'E_RESULT') && /failed/.test(e.message),
    );
    assert.throws(
      () => analyzePaired(base, cancelled),
      (e) => isVexError(e, 'E_RESULT'),
    );
  });

  it('diffs the two runs’ effective configs', () => {
    const base = syntheticResult({
      id: 'base',
      seed: 17,
      config: { performance: { cache_mb: 64, ack: 'committed' }, old: 1 },
    });
    const current = syntheticResult({
      id: 'cur',
      seed: 18,
      config: { performance: { cache_mb: 128, ack: 'committed' }, added: [1, 2] },
    });
    assert.deepEqual(configDiff(base, current), [
      { field: 'added', baseline: '(absent)', current: '[1,2]' },
      { field: 'old', baseline: '1', current: '(absent)' },
      { field: 'performance.cache_mb', baseline: '64', current: '128' },
    ]);
    assert.equal(checkComparability(base, current).comparable, true);
    assert.equal(compareResults(base, current, FAST).configDiff.length, 3);
  });
});

describe('the gate', () => {
  it('gates vexfs only: a peer that slowed between runs is machine drift, not a regression', () => {
    const a = syntheticResult({ id: 'a', seed: 31 });
    const b = syntheticResult({ id: 'b', seed: 32 });
    for (const r of [a, b]) for (const m of r.metrics) if (m.subject === 'memfs') m.primary = true;
    const peer = b.metrics.find((m) => m.subject === 'memfs');
    assert.ok(peer);
    peer.samples = peer.samples.map((v) => v * 0.7);
    const comparison = compareResults(a, b, FAST);
    assert.equal(comparison.metrics.find((m) => m.key === 'memfs:ops_per_s.mixed')?.verdict, 'regressed');
    assert.equal(comparison.gate.failed, false);
    assert.ok(comparison.gate.considered.every((key) => key.startsWith('vexfs:')));
  });

  it('with all metrics uses Holm: 30 A/A metrics do not gate, one real regression does', () => {
    const a = syntheticResult({ id: 'a', seed: 19, extraMetrics: 30 });
    const b = syntheticResult({ id: 'b', seed: 20, extraMetrics: 30 });
    const quiet = compareResults(a, b, { ...FAST, gate: 'all' });
    assert.equal(quiet.gate.mode, 'all');
    // 3 of vexfs's own + 30 extra: the memfs peer is compared but never gated.
    assert.equal(quiet.gate.considered.length, 33);
    assert.equal(quiet.gate.failed, false);
    const extra = b.metrics.find((m) => m.name === 'ops_per_s.extra_7');
    assert.ok(extra);
    extra.samples = extra.samples.map((v) => v * 0.8);
    const loud = compareResults(a, b, { ...FAST, gate: 'all' });
    assert.deepEqual(loud.gate.regressions, ['vexfs:ops_per_s.extra_7']);
    const holm = loud.metrics.find((m) => m.key === 'vexfs:ops_per_s.extra_7');
    assert.ok(holm && holm.holmPValue >= holm.pValue);
  });

  it('falls back to all metrics with Holm when none is primary', () => {
    const a = syntheticResult({ id: 'a', seed: 21 });
    const b = syntheticResult({ id: 'b', seed: 22, throughputFactor: 0.85 });
    for (const r of [a, b]) for (const m of r.metrics) m.primary = false;
    const comparison = compareResults(a, b, FAST);
    assert.equal(comparison.gate.mode, 'all');
    assert.match(comparison.gate.note, /No metric is marked primary/);
    assert.equal(comparison.gate.failed, true);
  });

  it('says when too few trials leave the gate unable to fire', () => {
    const a = syntheticResult({ id: 'a', seed: 33, trials: 5, extraMetrics: 6 });
    const b = syntheticResult({ id: 'b', seed: 34, trials: 5, extraMetrics: 6, throughputFactor: 0.5 });
    const all = compareResults(a, b, { ...FAST, gate: 'all' });
    // 10 metrics, 5 trials a side: the smallest p is 2/252, above 0.05/10.
    assert.equal(all.gate.failed, false);
    assert.match(
      all.gate.note,
      /smallest possible p-value is 0\.0079, so no metric can fail this gate: run more trials/,
    );
    const primary = compareResults(a, b, FAST);
    assert.equal(primary.gate.failed, true);
    assert.doesNotMatch(primary.gate.note, /smallest possible/);
  });

  it('does not test metrics with a single sample', () => {
    const a = syntheticResult({ id: 'a', seed: 23, trials: 1 });
    const b = syntheticResult({ id: 'b', seed: 24, trials: 1, throughputFactor: 0.5 });
    a.profile.params = b.profile.params;
    const comparison = compareResults(a, b, FAST);
    assert.ok(comparison.metrics.every((m) => m.verdict === 'insufficient data'));
    assert.equal(comparison.gate.failed, false);
    assert.ok(comparison.warnings.some((w) => w.includes('too few for the permutation test')));
    // 3 trials a side: the smallest p is 2/20 = 0.1, so no verdict either, even for a halving.
    const c = syntheticResult({ id: 'c', seed: 35, trials: 3 });
    const d = syntheticResult({ id: 'd', seed: 36, trials: 3, throughputFactor: 0.5 });
    c.profile.params = d.profile.params;
    assert.ok(compareResults(c, d, FAST).metrics.every((m) => m.verdict === 'insufficient data'));
  });
});

describe('analyzePaired on results', () => {
  it('pairs trials metric by metric and refuses mismatched runs', () => {
    const a = syntheticResult({ id: 'a', seed: 25 });
    const b = syntheticResult({ id: 'b', seed: 26, throughputFactor: 0.9 });
    const paired = analyzePaired(a, b, FAST);
    assert.equal(paired.metrics.length, 4);
    assert.ok(paired.metrics.every((m) => m.pairs === 10));
    assert.equal(paired.metrics[0]?.verdict, 'regressed');
    const short = syntheticResult({ id: 'c', seed: 27, trials: 9 });
    assert.throws(
      () => analyzePaired(a, short),
      (e) => isVexError(e, 'E_RESULT') && /9 B trials/.test(e.message),
    );
    const other = syntheticResult({ id: 'd', seed: 28, profile: 'noop' });
    assert.throws(
      () => analyzePaired(a, other),
      (e) => isVexError(e, 'E_RESULT'),
    );
  });
});

describe('calibrateResult', () => {
  it('reports every metric’s noise floor from an A/A run and skips single-sample metrics', () => {
    const aa = syntheticResult({ id: 'aa', seed: 29, trials: 20, cv: 0.03 });
    aa.metrics.push({ ...(aa.metrics[0] as BenchResult['metrics'][number]), name: 'ops_per_s.single', samples: [5] });
    const { calibrations, skipped } = calibrateResult(aa, { trials: 10, targetChangesPct: [10] });
    assert.deepEqual(skipped, ['vexfs:ops_per_s.single']);
    assert.equal(calibrations.length, 4);
    for (const c of calibrations) {
      assert.ok(c.cvPct > 1.5 && c.cvPct < 5, `${c.key} cv ${c.cvPct}`);
      assert.equal(c.forTrials, 10);
      assert.ok(c.trialsNeeded[0]?.trials !== null);
    }
    const cancelled = syntheticResult({ id: 'c', seed: 30, status: 'cancelled' });
    assert.throws(
      () => calibrateResult(cancelled),
      (e) => isVexError(e, 'E_RESULT'),
    );
  });
});
