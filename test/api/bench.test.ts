import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { EventName } from '../../engine/api/contract/index.js';
import { EngineHost, type CallOutcome } from '../../engine/api/EngineHost.js';

type Ok = Extract<CallOutcome, { ok: true }>;

function ok<T>(outcome: CallOutcome): T {
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return (outcome as Ok).result as T;
}

function failure(outcome: CallOutcome): { code: string; message: string } {
  assert.equal(outcome.ok, false, JSON.stringify(outcome).slice(0, 300));
  return (outcome as Extract<CallOutcome, { ok: false }>).error;
}

describe('bench/* through the engine host', () => {
  let root: string;
  let host: EngineHost;
  let previous: string | undefined;
  const events: { name: EventName; payload: Record<string, unknown> }[] = [];

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'vexfs-bench-api-'));
    previous = process.env.VEXFS_RESULTS_DIR;
    process.env.VEXFS_RESULTS_DIR = join(root, 'results');
    host = new EngineHost({ workspaceRoot: root, checkOutputs: true });
    host.subscribe((name, payload) => events.push({ name, payload: payload as Record<string, unknown> }));
  });
  after(async () => {
    await host.close();
    if (previous === undefined) delete process.env.VEXFS_RESULTS_DIR;
    else process.env.VEXFS_RESULTS_DIR = previous;
    rmSync(root, { recursive: true, force: true });
  });

  /** Starts a run and waits for its final status event. */
  async function run(input: Record<string, unknown>): Promise<{ runId: string; resultId: string; state: string }> {
    const { runId } = ok<{ runId: string }>(await host.call('bench/run', input));
    for (;;) {
      const done = events.find(
        (e) => e.name === 'bench/status' && e.payload.runId === runId && e.payload.state !== 'running',
      );
      if (done) return { runId, resultId: String(done.payload.resultId), state: String(done.payload.state) };
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  it('describes each profile with form parameters derived from its schemas', async () => {
    const { profiles } = ok<{ profiles: { name: string; parameters: Record<string, unknown>[] }[] }>(
      await host.call('bench/profiles', {}),
    );
    const fsOps = profiles.find((p) => p.name === 'fs-ops');
    assert.ok(fsOps);
    const byKey = new Map(fsOps.parameters.map((p) => [p.key, p]));
    assert.deepEqual(byKey.get('params.open_files'), {
      key: 'params.open_files',
      kind: 'integer',
      value: 32,
      min: 1,
      max: 512,
      choices: null,
      sweepable: true,
    });
    assert.equal(byKey.get('start')?.kind, 'enum');
    assert.deepEqual(byKey.get('start')?.choices, ['warm', 'cold']);
    assert.equal(byKey.get('store.commit_window_us')?.value, null);
    assert.equal(byKey.get('load.concurrency')?.min, 1);
  });

  it('refuses a bad form value with the key and where it came from, before running anything', async () => {
    const error = failure(
      await host.call('bench/run', { profile: 'noop', overrides: [{ key: 'load.concurrency', value: 0 }] }),
    );
    assert.equal(error.code, 'E_PROFILE');
    assert.match(error.message, /load\.concurrency/);
    assert.match(error.message, /the form's load\.concurrency/);
    assert.equal(failure(await host.call('bench/run', { profile: '../noop' })).code, 'E_INVALID');
    assert.equal(failure(await host.call('bench/run', { profile: 'no-such-profile' })).code, 'E_PROFILE');
    assert.equal(failure(await host.call('bench/cancel', { runId: 'nope' })).code, 'E_NOT_FOUND');
  });

  it('runs with live samples and a log, saves, compares, reports, exports and keeps history', async () => {
    const short = [
      { key: 'warmup.duration_ms', value: 50 },
      { key: 'measure.duration_ms', value: 300 },
    ];
    const first = await run({ profile: 'noop', trials: 2, overrides: short, saveBaseline: 'base' });
    assert.equal(first.state, 'complete');
    const samples = events.filter((e) => e.name === 'bench/sample' && e.payload.runId === first.runId);
    assert.ok(samples.length > 0, 'live samples arrive while it runs');
    const logs = events.filter((e) => e.name === 'bench/log' && e.payload.runId === first.runId);
    assert.ok(
      logs.some((e) => /per_op/.test(String(e.payload.message))),
      'each finished unit is logged',
    );

    const second = await run({
      profile: 'noop',
      trials: 2,
      overrides: [...short, { key: 'load.concurrency', value: 1 }],
      sweeps: [{ key: 'workloads.per_op.batch_size', values: [100, 200] }],
    });
    assert.equal(second.state, 'complete');

    const list = ok<{ runs: { id: string }[]; baselines: string[] }>(await host.call('bench/list', {}));
    assert.deepEqual(
      list.runs.map((r) => r.id),
      [first.resultId, second.resultId],
    );
    assert.deepEqual(list.baselines, ['base']);
    assert.equal(
      ok<{ result: { id: string } }>(await host.call('bench/result', { ref: 'base' })).result.id,
      first.resultId,
    );
    for (const ref of ['../runs/x', 'x.json', '/etc/passwd']) {
      assert.notEqual(failure(await host.call('bench/result', { ref })).code, 'E_INTERNAL');
    }

    // The sweep changed the parameters: incomparable unless forced, and then the differences are listed.
    assert.equal(
      failure(await host.call('bench/compare', { baseline: 'base', current: second.resultId })).code,
      'E_RESULT',
    );
    const comparison = ok<{
      comparability: { comparable: boolean };
      configDiff: { field: string }[];
      metrics: unknown[];
    }>(await host.call('bench/compare', { baseline: 'base', current: second.resultId, force: true }));
    assert.equal(comparison.comparability.comparable, false);
    assert.ok(
      comparison.configDiff.some((d) => d.field.startsWith('sweep')),
      JSON.stringify(comparison.configDiff),
    );
    const same = ok<{ comparability: { comparable: boolean }; metrics: unknown[] }>(
      await host.call('bench/compare', { baseline: 'base', current: first.resultId }),
    );
    assert.equal(same.comparability.comparable, true);
    assert.ok(same.metrics.length > 0);

    const report = ok<{ markdown: string; charts: { file: string; svg: string }[] }>(
      await host.call('bench/report', { ref: first.resultId, baseline: null }),
    );
    assert.match(report.markdown, /^# /m);
    assert.deepEqual(
      report.charts.map((c) => c.file),
      ['report-throughput.svg', 'report-latency.svg'],
    );
    assert.ok(report.charts.every((c) => c.svg.startsWith('<svg')));

    const exported = ok<{ dir: string; files: string[] }>(
      await host.call('bench/export', { ref: first.resultId, dir: 'exports/one' }),
    );
    assert.deepEqual(readdirSync(join(root, 'exports', 'one')).sort(), [
      `${first.resultId}.json`,
      'report-latency.svg',
      'report-throughput.svg',
      'report.md',
    ]);
    assert.equal(exported.files.length, 4);
    assert.equal(
      failure(await host.call('bench/export', { ref: first.resultId, dir: '/tmp/vexfs-outside' })).code,
      'EACCES',
    );
    assert.equal(existsSync('/tmp/vexfs-outside'), false);

    const history = ok<{ runs: { id: string; metrics: { name: string }[] }[] }>(
      await host.call('bench/history', { profile: 'noop' }),
    );
    assert.deepEqual(
      history.runs.map((r) => r.id),
      [first.resultId, second.resultId],
    );
    assert.ok(history.runs[0]?.metrics.some((m) => m.name === 'harness_overhead_ns'));
  });

  it('cancels a running benchmark and saves it as cancelled', async () => {
    const { runId } = ok<{ runId: string }>(
      await host.call('bench/run', { profile: 'noop', overrides: [{ key: 'measure.duration_ms', value: 60_000 }] }),
    );
    const listed = ok<{ active: { runId: string }[] }>(await host.call('bench/list', {}));
    assert.ok(listed.active.some((a) => a.runId === runId));
    ok(await host.call('bench/cancel', { runId }));
    for (;;) {
      const done = events.find(
        (e) => e.name === 'bench/status' && e.payload.runId === runId && e.payload.state !== 'running',
      );
      if (done) {
        assert.equal(done.payload.state, 'cancelled');
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  });
});
