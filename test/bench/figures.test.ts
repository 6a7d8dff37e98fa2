import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseProfile } from '../../engine/bench/profile/load.js';
import { validateResult } from '../../engine/bench/results/parse.js';
import { planUnits, type PlannedPoint } from '../../engine/bench/runner/plan.js';
import type { UnitFigure, UnitOutcome } from '../../engine/bench/runner/protocol.js';
import { figureMetrics } from '../../engine/bench/runner/unitMetrics.js';
import type { BenchResult, Metric } from '../../engine/bench/result.js';
import { capabilities } from '../../engine/vector/kernels/index.js';
import { startRun } from './fixtures/startRun.js';

const long = process.env.VEXFS_TEST_TIER === 'long';
const measureMs = long ? 300 : 60;

async function run(text: string): Promise<BenchResult> {
  const result = await startRun(text).result;
  assert.equal(result.status, 'complete');
  validateResult(JSON.parse(JSON.stringify(result)), 'the result');
  return result;
}

function find(result: BenchResult, name: string, labels: Record<string, string> = {}): Metric {
  const found = result.metrics.find(
    (m) => m.name === name && Object.entries(labels).every(([k, v]) => m.labels[k] === v),
  );
  assert.ok(found, `no metric ${name} ${JSON.stringify(labels)} in ${result.metrics.map((m) => m.name).join(', ')}`);
  return found;
}

describe('workload figures and per-op latencies in the result', () => {
  it('memory-pool: tier counters per trial with CIs, and each op of a mix timed on its own', async () => {
    const result = await run(
      `name = "pool"\ndescription = "t"\nmodule = "memory_pool"\nsubjects = ["pools", "uint8array"]\ntrials = 2\n` +
        `primary = ["ops_per_s.mixed"]\n[store]\nmemory_pool_size = "8MiB"\n` +
        `[warmup]\nduration_ms = 10\n[measure]\nduration_ms = ${measureMs}\n` +
        `[[workloads]]\nname = "mixed"\nmix = { small_512 = 3, large_8k = 1 }\n`,
    );
    const hits = find(result, 'pool.tier_1024.hits');
    assert.equal(hits.subject, 'pools');
    assert.equal(hits.unit, 'count');
    assert.equal(hits.samples.length, 2);
    assert.ok(hits.value > 0 && hits.ci95[0] <= hits.value && hits.value <= hits.ci95[1]);
    // The 16 KiB tier serves the 8 KiB ops; the 4 KiB tier serves nothing in this mix.
    assert.ok(find(result, 'pool.tier_16384.hits').value > 0);
    assert.equal(find(result, 'pool.tier_4096.hits').value, 0);
    // Plain allocation has no pool: no figures under its name.
    assert.ok(!result.metrics.some((m) => m.subject === 'uint8array' && m.name.startsWith('pool.')));
    for (const subject of ['pools', 'uint8array']) {
      for (const op of ['small_512', 'large_8k']) {
        const p99 = result.metrics.find((m) => m.name === `latency_us.mixed.${op}.p99` && m.subject === subject);
        assert.ok(p99 && p99.samples.length === 2 && p99.value > 0, `${subject} ${op}`);
      }
      assert.ok(result.metrics.some((m) => m.name === 'latency_us.mixed.p99' && m.subject === subject));
    }
  });

  it('a single-op workload gets no per-op latencies (its latency is the workload own)', async () => {
    const result = await run(
      `name = "pool"\ndescription = "t"\nmodule = "memory_pool"\nsubjects = ["pools"]\ntrials = 1\n` +
        `primary = ["ops_per_s.small"]\n[warmup]\nduration_ms = 5\n[measure]\nduration_ms = 30\n` +
        `[[workloads]]\nname = "small"\nmix = { small_512 = 1 }\n`,
    );
    assert.ok(!result.metrics.some((m) => m.name.startsWith('latency_us.small.small_512')));
  });

  it('flat-search: queries per second = queries per op x ops per second, per trial', async () => {
    const result = await run(
      `name = "fs"\ndescription = "t"\nmodule = "flat-search"\nsubjects = ["vexfs"]\ntrials = 2\n` +
        `primary = ["ops_per_s.batch_t1_d128"]\n[dataset]\nsize = 64\nseed = 3\n[params]\nk = 5\nbatch = 8\n` +
        `[warmup]\nduration_ms = 10\n[measure]\nduration_ms = ${measureMs}\n` +
        `[[workloads]]\nname = "single_d128"\nmix = { single_d128 = 1 }\n` +
        `[[workloads]]\nname = "batch_t1_d128"\nmix = { batch_t1_d128 = 1 }\n`,
    );
    const single = find(result, 'qps.d128', { batch: '1', threads: '1' });
    const batched = find(result, 'qps.d128', { batch: '8', threads: '1' });
    const singleOps = find(result, 'ops_per_s.single_d128');
    const batchOps = find(result, 'ops_per_s.batch_t1_d128');
    assert.equal(batched.samples.length, 2);
    batched.samples.forEach((q, i) => assert.ok(Math.abs(q - 8 * (batchOps.samples[i] as number)) < 1e-6 * q));
    single.samples.forEach((q, i) => assert.ok(Math.abs(q - (singleOps.samples[i] as number)) < 1e-6 * q));
    assert.equal(batched.unit, 'queries/s');
    assert.equal(batched.higher_is_better, true);
  });

  it('kernels: distances per second per subject and entry point, roofline and the fraction of the binding roof', async () => {
    const result = await run(
      `name = "k"\ndescription = "t"\nmodule = "kernels"\nsubjects = ["vexfs", "typescript_loop"]\ntrials = 2\n` +
        `primary = ["ops_per_s.distances"]\n[params]\nmetric = "l2"\ndim = 32\nbase_vectors = 256\n` +
        `roofline_ram_bytes = 4194304\n[warmup]\nduration_ms = 5\n[measure]\nduration_ms = ${measureMs}\n` +
        `[[workloads]]\nname = "pairwise"\nmix = { pairwise = 1 }\n[[workloads]]\nname = "distances"\nmix = { distances = 1 }\n`,
    );
    for (const subject of ['vexfs', 'typescript_loop']) {
      const ops = result.metrics.find((m) => m.name === 'ops_per_s.distances' && m.subject === subject);
      const dist = result.metrics.find(
        (m) => m.name === 'dist_per_s.l2.d32' && m.subject === subject && m.labels.entry === 'distances',
      );
      assert.ok(ops && dist, subject);
      assert.equal(dist.samples.length, 2);
      dist.samples.forEach((d, i) => assert.ok(Math.abs(d - 256 * (ops.samples[i] as number)) < 1e-6 * d));
      assert.ok(typeof dist.labels.backend === 'string');
    }
    const native = capabilities().available.some((b) => b !== 'typescript' && b !== 'scalar');
    if (native) {
      const fma = find(result, 'roofline.fma_gflops');
      assert.equal(fma.subject, 'vexfs');
      assert.equal(fma.samples.length, 2);
      assert.ok(fma.value > 0);
      assert.ok(find(result, 'roofline.read_gbps').value > 0);
      const fraction = find(result, 'roofline_fraction.l2.d32', { entry: 'distances' });
      assert.ok(fraction.value > 0 && ['fma', 'l1', 'l2', 'ram'].includes(fraction.labels.roof ?? ''));
    }
  });

  it('averages trial-wide figures within a trial, keeps a workload label where workloads share a figure', () => {
    const { profile } = parseProfile(
      'name = "p"\ndescription = "t"\nmodule = "noop"\ntrials = 2\nprimary = ["ops_per_s.a"]\n[measure]\nduration_ms = 10\n' +
        '[[workloads]]\nname = "a"\nmix = { noop = 1 }\n[[workloads]]\nname = "b"\nmix = { noop = 1 }\n',
      'test.toml',
    );
    const units = planUnits(profile, ['harness']);
    const point: PlannedPoint = {
      profile,
      labels: {},
      subjects: ['harness'],
      units,
      datasetFile: null,
      quickScaled: [],
    };
    const figure = (name: string, value: number, trialWide = false): UnitFigure => ({
      name,
      labels: {},
      unit: 'count',
      higherIsBetter: true,
      value,
      trialWide,
    });
    const outcomes: UnitOutcome[] = units.map((unit, index) => ({
      unit: index,
      ops: 1,
      errors: 0,
      elapsedNs: 1,
      late: 0,
      dropped: 0,
      histogram: '',
      serviceHistogram: null,
      errorsByCode: {},
      cancelled: index === 3,
      opHistograms: {},
      figures: [
        figure('roof', 10 * (unit.trial + 1) + (unit.workload === 'a' ? 0 : 2), true),
        figure('hits', unit.workload === 'a' ? 100 + unit.trial : 0),
        ...(unit.workload === 'a' ? [figure('only_a', 7)] : []),
      ],
    }));
    const metrics = figureMetrics(point, 'harness', outcomes);
    const roof = metrics.filter((m) => m.name === 'roof');
    assert.equal(roof.length, 1);
    // Trial 0: units a and b (10, 12) average to 11; trial 1: only a (20), b's unit was cancelled.
    assert.deepEqual(roof[0]?.samples, [11, 20]);
    assert.deepEqual(roof[0]?.labels, {});
    const hits = metrics.filter((m) => m.name === 'hits');
    assert.deepEqual(hits.map((m) => m.labels.workload).sort(), ['a', 'b']);
    assert.deepEqual(hits.find((m) => m.labels.workload === 'a')?.samples, [100, 101]);
    assert.deepEqual(hits.find((m) => m.labels.workload === 'b')?.samples, [0]);
    assert.deepEqual(metrics.find((m) => m.name === 'only_a')?.labels, {});
    assert.deepEqual(figureMetrics(point, 'nobody', outcomes), []);
  });
});
