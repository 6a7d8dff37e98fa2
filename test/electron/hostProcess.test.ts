// engine/api/hostProcess.ts, the utility process entry, run in a worker thread whose
// `process.parentPort` stands in for Electron's: main's init and port arrive on it, the
// demo store is created and opened, the CLI socket listens, requests and a graceful
// shutdown go over the port, and `vexctl --connect` reaches the host meanwhile.
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { MessageChannel, Worker, type MessagePort } from 'node:worker_threads';
import type { CliIo } from '../../engine/cli/command.js';
import { runCli } from '../../engine/cli/main.js';
import { defaultSocketPath } from '../../engine/cli/remote/protocol.js';

const ROOT = join(import.meta.dirname, '..', '..');

// Runs in the worker: a parentPort like Electron's over two Node ports, then the real entry through tsx.
const WORKER = `
const { workerData } = require('node:worker_threads');
const { control, port, api, target } = workerData;
const wrap = (p) => ({ postMessage: (m) => p.postMessage(m), on: (e, l) => p.on('message', (data) => l({ data })), start: () => p.start() });
process.parentPort = {
  once: (event, listener) => control.once('message', (init) => listener({ data: init, ports: [wrap(port)] })),
  postMessage: (message) => control.postMessage(message),
};
import(api).then((tsx) => tsx.tsImport(target, target));
`;

function next(
  port: MessagePort,
  accept: (message: Record<string, unknown>) => boolean,
): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const listener = (message: Record<string, unknown>): void => {
      if (!accept(message)) return;
      port.off('message', listener);
      resolve(message);
    };
    port.on('message', listener);
  });
}

describe('the engine host entry (utility process)', () => {
  let dir: string;
  let worker: Worker;
  let control: MessagePort;
  let port: MessagePort;
  let env: Record<string, string | undefined>;
  let ready: Record<string, unknown>;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vexfs-hostprocess-'));
    mkdirSync(join(dir, 'run'), { mode: 0o700 });
    env = {
      ...process.env,
      XDG_DATA_HOME: join(dir, 'data'),
      XDG_RUNTIME_DIR: join(dir, 'run'),
      VEXFS_RESULTS_DIR: join(dir, 'results'),
    };
    const controlChannel = new MessageChannel();
    const engineChannel = new MessageChannel();
    control = controlChannel.port1;
    port = engineChannel.port1;
    worker = new Worker(WORKER, {
      eval: true,
      env,
      workerData: {
        control: controlChannel.port2,
        port: engineChannel.port2,
        api: import.meta.resolve('tsx/esm/api'),
        target: pathToFileURL(join(ROOT, 'engine', 'api', 'hostProcess.ts')).href,
      },
      transferList: [controlChannel.port2, engineChannel.port2],
    });
    const readyMessage = next(control, (m) => m.t === 'ready');
    control.postMessage({ workspaceRoot: null, openAtStart: 'demo' });
    ready = await readyMessage;
  });
  after(async () => {
    await worker.terminate();
    control.close();
    port.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('creates and opens the demo store and listens on the per-user socket', () => {
    const demo = join(dir, 'data', 'vexfs', 'demo-store');
    assert.deepEqual(ready, { t: 'ready', socketPath: defaultSocketPath(env), openedStore: demo, notes: [] });
    assert.ok(existsSync(join(demo, 'store.db')));
    assert.equal(statSync(defaultSocketPath(env)).mode & 0o777, 0o600);
  });

  it('answers requests over the port main handed it', async () => {
    const answer = next(port, (m) => m.t === 'res' && m.id === 1);
    port.postMessage({ t: 'req', id: 1, name: 'store/list', input: {} });
    const reply = (await answer) as { ok: boolean; result: { stores: { dir: string }[] } };
    assert.equal(reply.ok, true);
    assert.deepEqual(
      reply.result.stores.map((s) => s.dir),
      [join(dir, 'data', 'vexfs', 'demo-store')],
    );
    const bad = next(port, (m) => m.t === 'res' && m.id === 2);
    port.postMessage({ t: 'req', id: 2, name: 'store/open', input: { dir: 7 } });
    assert.equal(((await bad) as { error: { code: string } }).error.code, 'E_INVALID');
  });

  it('runs vexctl --connect commands in the host, on the store it holds open', async () => {
    const out: string[] = [];
    const io: CliIo = { out: (t) => void out.push(t), err: (t) => void out.push(t), outBytes: () => {}, isTty: false };
    const code = await runCli(['--connect', 'store', 'info', join(dir, 'data', 'vexfs', 'demo-store')], io, {
      env,
      cwd: dir,
    });
    assert.equal(code, 0, out.join('\n'));
    assert.match(out.join('\n'), /6 files carry user\.vexfs\.vector/);
  });

  it('shuts down on request: stores closed, socket removed, then refuses new requests', async () => {
    const closed = next(port, (m) => m.t === 'closed');
    port.postMessage({ t: 'shutdown' });
    const report = (await closed) as { report: { closedStores: number; cancelledRuns: string[] } };
    assert.equal(report.report.closedStores, 1);
    assert.deepEqual(report.report.cancelledRuns, []);
    const late = next(port, (m) => m.t === 'res' && m.id === 3);
    port.postMessage({ t: 'req', id: 3, name: 'engine/hello', input: {} });
    assert.equal(((await late) as { error: { code: string } }).error.code, 'E_CLOSED');
    for (let i = 0; i < 100 && existsSync(defaultSocketPath(env)); i++) await new Promise((r) => setTimeout(r, 10));
    assert.equal(existsSync(defaultSocketPath(env)), false);
  });
});
