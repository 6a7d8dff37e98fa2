import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { LatencyHistogram } from '../../engine/metrics/histogram.js';
import { parseProfile } from '../../engine/bench/profile/load.js';
import { parseSweep } from '../../engine/bench/profile/overrides.js';
import { validateResult } from '../../engine/bench/results/parse.js';
import type { BenchRun } from '../../engine/bench/runner/BenchRun.js';
import { type BenchRunOptions, type LiveSample } from '../../engine/bench/runner/BenchRun.js';
import { LatestChannel } from '../../engine/bench/runner/LatestChannel.js';
import { bucketMidNs, bucketOf, bucketsToHistogram, LIVE_BUCKETS } from '../../engine/bench/runner/shared.js';
import { startRun } from './fixtures/startRun.js';

const long = process.env.VEXFS_TEST_TIER === 'long';

function profile(body: string, head = ''): string {
  return `name = "t"\ndescription = "runner test"\n${head}primary = ["ops_per_s.w"]\n${body}`;
}

function start(text: string, extra: Partial<BenchRunOptions> = {}): BenchRun {
  const loaded = parseProfile(text, 'test.toml');
  return startRun(loaded, { harnessMs: 30, ...extra });
}

const NOOP = profile(
  `[warmup]\nduration_ms = 20\n[measure]\nduration_ms = ${long ? 400 : 120}\n` +
    '[[workloads]]\nname = "per_op"\nmix = { noop = 1 }\n' +
    '[[workloads]]\nname = "batched"\ntiming = "batched"\nbatch_size = 500\nmix = { noop = 1 }\n',
  'module = "noop"\ntrials = 3\n',
).replace('primary = ["ops_per_s.w"]', 'primary = ["harness_overhead_ns"]');

describe('live buckets', () => {
  it('round-trip values within 0.4% and convert to an HDR histogram', () => {
    for (const ns of [0, 1, 63, 511, 512, 1000, 12_345, 9_999_999, 2 ** 31 - 1]) {
      const mid = bucketMidNs(bucketOf(ns));
      assert.ok(Math.abs(mid - ns) <= Math.max(1, ns * 0.004), `${ns} → ${mid}`);
    }
    const buckets = new Int32Array(LIVE_BUCKETS);
    buckets[bucketOf(1000)] = 99;
    buckets[bucketOf(50_000)] = 1;
    const summary = bucketsToHistogram(buckets, null).summary();
    assert.equal(summary.count, 100);
    assert.ok(Math.abs(summary.p50 - 1000) < 10);
    assert.ok(Math.abs(summary.max - 50_000) < 250);
  });
});

describe('LatestChannel', () => {
  it('gives a slow consumer the latest value, never a queue', async () => {
    const seen: number[] = [];
    let release: () => void = () => {};
    const channel = new LatestChannel<number>((value) => {
      seen.push(value);
      return new Promise<void>((resolve) => (release = resolve));
    });
    for (let i = 1; i <= 10; i++) channel.push(i);
    assert.deepEqual(seen, [1]);
    release();
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(seen, [1, 10]);
    assert.equal(channel.replaced, 8);
    release();
  });
});

describe('BenchRun', () => {
  it('runs noop in a worker: harness cost per op and batched, CIs over trials, live samples', async () => {
    const run = start(NOOP);
    const samples: LiveSample[] = [];
    run.onSample((s) => void samples.push(s));
    const result = await run.result;
    assert.equal(result.status, 'complete');
    validateResult(JSON.parse(JSON.stringify(result)), 'the noop result');
    const overhead = result.metrics.filter((m) => m.name === 'harness_overhead_ns');
    assert.deepEqual(overhead.map((m) => m.labels.mode).sort(), ['batched', 'per_op']);
    for (const m of overhead) {
      assert.equal(m.samples.length, 3);
      assert.ok(m.ci95[0] <= m.value && m.value <= m.ci95[1]);
      assert.ok(m.value > 0);
      assert.equal(m.primary, true);
    }
    assert.ok(result.harness.per_op_overhead_ns !== null && result.harness.batched_overhead_ns !== null);
    assert.ok(result.timeseries.length > 0);
    assert.ok(samples.some((s) => s.phase === 'measure' && s.ops_per_s > 0));
    assert.ok(samples.every((s, i) => i === 0 || s.t_ms > (samples[i - 1]?.t_ms ?? 0)));
    assert.equal(result.latencies.length, 2);
    assert.ok(result.environment.cores >= 1 && result.environment.machine_fingerprint.length > 0);
  });

  it('keeps sampling while the worker is stuck, and cancels under load into a cancelled result', async () => {
    // Every op holds the worker for 400 ms: only the shared counters can show progress.
    const text = profile(
      '[params]\nservice_us = 400000\nstall_every = 1000000\n[measure]\nduration_ms = 60000\n[[workloads]]\nname = "w"\nmix = { work = 1 }\n',
      'module = "stall"\ntrials = 2\n',
    );
    const run = start(text, { harnessMs: 0 });
    const samples: LiveSample[] = [];
    const cancelled = new Promise<void>((resolve) => {
      run.onSample((sample) => {
        samples.push(sample);
        if (samples.filter((s) => s.phase === 'measure').length === 6) {
          run.cancel();
          resolve();
        }
      });
    });
    await cancelled;
    const result = await run.result;
    assert.equal(result.status, 'cancelled');
    // Samples came in windows where the worker completed nothing: they do not wait for it.
    assert.ok(samples.some((s) => s.phase === 'measure' && s.ops === 0));
    validateResult(JSON.parse(JSON.stringify(result)), 'the cancelled result');
  });

  it('checksums an imported dataset file into the environment, and refuses a missing one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'vexfs-dataset-'));
    try {
      const data = join(dir, 'data.bin');
      writeFileSync(data, 'vectors');
      const text = profile(
        `[dataset]\nfile = "data.bin"\n[measure]\nduration_ms = 30\n[[workloads]]\nname = "w"\nmix = { noop = 1 }\n`,
        'module = "noop"\ntrials = 1\n',
      );
      const write = (name: string, body: string): string => (writeFileSync(join(dir, name), body), join(dir, name));
      const loaded = parseProfile(text, write('t.toml', text));
      const result = await startRun(loaded).result;
      assert.equal(result.environment.dataset_checksum, createHash('sha256').update('vectors').digest('hex'));
      const missing = parseProfile(text.replace('data.bin', 'absent.bin'), write('m.toml', text));
      assert.throws(() => startRun(missing), /m\.toml:\d+:1: dataset\.file: .*absent\.bin does not exist/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('gives a slow sample consumer fewer samples, the latest each time', async () => {
    const text = profile(
      '[measure]\nduration_ms = 900\n[[workloads]]\nname = "w"\nmix = { noop = 1 }\n',
      'module = "noop"\ntrials = 1\n',
    );
    const run = start(text, { harnessMs: 0 });
    let inFlight = 0;
    let maxInFlight = 0;
    const delivered: number[] = [];
    run.onSample(async (sample) => {
      inFlight++;
      maxInFlight = Math.max(maxInFlight, inFlight);
      delivered.push(sample.t_ms);
      await new Promise((resolve) => setTimeout(resolve, 350));
      inFlight--;
    });
    const all: number[] = [];
    run.onSample((sample) => void all.push(sample.t_ms));
    await run.result;
    assert.equal(maxInFlight, 1);
    assert.ok(delivered.length < all.length, `${delivered.length} of ${all.length}`);
    assert.ok(delivered.every((t, i) => i === 0 || t > (delivered[i - 1] ?? 0)));
  });

  it('measures open-load latency from the intended start: stalls show in latency, not service time', async () => {
    const text = profile(
      '[params]\nservice_us = 20\nstall_ms = 40\nstall_every = 150\n[measure]\nduration_ms = 1200\n' +
        '[load]\nmodel = "open"\nrate_per_s = 1500\nlate_after_us = 1000\n[[workloads]]\nname = "w"\nmix = { work = 1 }\n',
      'module = "stall"\ntrials = 1\n',
    );
    const result = await start(text, { harnessMs: 0 }).result;
    assert.equal(result.status, 'complete');
    const summary = result.latencies.find((l) => l.op === 'w');
    assert.ok(summary?.service_p99_us !== undefined);
    // With 40 ms stalls every 150 ops at 1500 ops/s, ~40% of ops queue behind a stall.
    assert.ok(summary.p99_us > 10_000, `latency p99 ${summary.p99_us} µs`);
    assert.ok(
      summary.p99_us > 5 * summary.service_p99_us,
      `latency ${summary.p99_us} vs service ${summary.service_p99_us}`,
    );
    const late = result.metrics.find((m) => m.name === 'late_ops.w');
    assert.ok(late && late.value > 0);
    assert.ok(result.metrics.some((m) => m.name === 'dropped_ops.w'));
    const histogram = LatencyHistogram.decode(summary.histogram);
    assert.equal(histogram.count, summary.count);
  });

  it('counts errors by code and sweeps a parameter into one result with labels', async () => {
    const text = profile(
      '[params]\nservice_us = 0\nstall_ms = 0\nfail_every = 10\n[measure]\nduration_ms = 80\n[[workloads]]\nname = "w"\nmix = { work = 1 }\n',
      'module = "stall"\ntrials = 2\n',
    );
    const result = await start(text, { harnessMs: 0, sweeps: [parseSweep('params.fail_every=10,20')] }).result;
    assert.equal(result.status, 'complete');
    assert.ok((result.errors.EIO ?? 0) > 0);
    const rates = result.metrics.filter((m) => m.name === 'ops_per_s.w');
    assert.deepEqual(rates.map((m) => m.labels['params.fail_every']).sort(), ['10', '20']);
    assert.ok(rates.every((m) => m.samples.length === 2));
  });

  it('runs fs-ops on the Vfs, memfs and node:fs interleaved by trial', async () => {
    const text = profile(
      '[dataset]\ngenerator = "files"\nsize = 300\n[params]\nopen_files = 8\nlisting_entries = 16\n' +
        `[warmup]\nduration_ms = 20\n[measure]\nduration_ms = ${long ? 500 : 80}\n` +
        '[[workloads]]\nname = "mixed"\nmix = { create = 1, stat = 4, write_4k = 2, read_4k = 4, readdir = 1, unlink = 1 }\n',
      'module = "fs-ops"\ntrials = 2\n',
    ).replace('ops_per_s.w', 'ops_per_s.mixed');
    const run = start(text, { harnessMs: 0 });
    const order: string[] = [];
    run.onUnit((u) => order.push(`${u.unit.trial}:${u.unit.subject}`));
    const result = await run.result;
    assert.equal(result.status, 'complete', JSON.stringify(result.warnings));
    assert.deepEqual(order, ['0:vexfs', '0:memfs', '0:node_fs', '1:vexfs', '1:memfs', '1:node_fs']);
    for (const subject of ['vexfs', 'memfs', 'node_fs']) {
      const rate = result.metrics.find((m) => m.name === 'ops_per_s.mixed' && m.subject === subject);
      assert.ok(rate && rate.value > 0, subject);
    }
    assert.deepEqual(result.errors, {});
    const ratios = result.metrics.filter((m) => m.name === 'ratio.ops_per_s.mixed');
    assert.deepEqual(ratios.map((m) => m.labels.peer).sort(), ['memfs', 'node_fs']);
    assert.ok(ratios.every((m) => m.subject === 'vexfs' && m.samples.length === 2 && m.value > 0));
    assert.match(result.environment.dataset_checksum ?? '', /^[0-9a-f]{64}/);
  });
});
