import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineProcess } from '../../electron/engineProcess.js';
import { fakeElectron, InProcessChild } from './fakes.js';

describe('the engine host behind a MessagePort', () => {
  let dir: string;
  const savedResultsDir = process.env.VEXFS_RESULTS_DIR;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vexfs-engineprocess-'));
    process.env.VEXFS_RESULTS_DIR = join(dir, 'results');
  });
  after(() => {
    if (savedResultsDir === undefined) delete process.env.VEXFS_RESULTS_DIR;
    else process.env.VEXFS_RESULTS_DIR = savedResultsDir;
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers requests and validates them again on the host side', async () => {
    const child = new InProcessChild();
    const engine = EngineProcess.start(fakeElectron(child), '/dist/electron-host.mjs', {
      workspaceRoot: dir,
      openAtStart: null,
    });
    assert.deepEqual((await engine.ready).notes, []);
    const hello = await engine.call('engine/hello', {});
    assert.equal(hello.ok, true);
    const outside = await engine.call('store/create', { dir: join(tmpdir(), 'elsewhere-not-in-workspace') });
    assert.equal(outside.ok, false);
    assert.equal((outside as { error: { code: string } }).error.code, 'EACCES');
    const invalid = await engine.call('store/create', { dir: 5 });
    assert.equal((invalid as { error: { code: string } }).error.code, 'E_INVALID');
    assert.notEqual(await engine.shutdown(10_000), null);
  });

  it('shuts down gracefully: a running benchmark is cancelled and saved as cancelled, stores closed', async () => {
    const child = new InProcessChild();
    const engine = EngineProcess.start(fakeElectron(child), '/dist/electron-host.mjs', {
      workspaceRoot: dir,
      openAtStart: null,
    });
    const created = await engine.call('store/create', { dir: join(dir, 'store') });
    assert.equal(created.ok, true, JSON.stringify(created));
    const running = new Promise<void>((resolve) => {
      const off = engine.onEvent((name) => {
        if (name === 'bench/sample' || name === 'bench/log') {
          off();
          resolve();
        }
      });
    });
    const started = await engine.call('bench/run', { profile: 'noop', quick: true });
    assert.equal(started.ok, true, JSON.stringify(started));
    const runId = (started as { result: { runId: string } }).result.runId;
    await running;
    const report = await engine.shutdown(60_000);
    assert.ok(report !== null, 'the host reported its shutdown');
    assert.deepEqual(report.cancelledRuns, [runId]);
    assert.deepEqual(report.unsavedRuns, []);
    assert.equal(report.closedStores, 1);
    assert.equal(child.killed, true, 'main ends the process once the host reported');
    const runsDir = join(dir, 'results');
    const saved = readdirSync(runsDir, { recursive: true })
      .map(String)
      .filter((file) => file.endsWith('.json'))
      .map(
        (file) =>
          JSON.parse(readFileSync(join(runsDir, file), 'utf8')) as { status?: string; profile?: { name?: string } },
      )
      .filter((result) => result.profile?.name === 'noop');
    assert.deepEqual(
      saved.map((result) => result.status),
      ['cancelled'],
    );
    const after = await engine.call('engine/hello', {});
    assert.equal((after as { error: { code: string } }).error.code, 'E_UNAVAILABLE');
  });

  it('answers E_UNAVAILABLE, never hangs, when the host process dies', async () => {
    const child = new InProcessChild();
    const engine = EngineProcess.start(fakeElectron(child), '/dist/electron-host.mjs', {
      workspaceRoot: null,
      openAtStart: null,
    });
    await engine.ready;
    child.kill();
    const outcome = await engine.call('engine/hello', {});
    assert.equal(outcome.ok, false);
    assert.match((outcome as { error: { message: string } }).error.message, /exit code 9/);
    assert.equal(await engine.shutdown(1000), null);
    await child.host?.close();
  });
});
