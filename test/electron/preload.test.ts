import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { runInNewContext } from 'node:vm';
import { eventNames, requestNames } from '../../engine/api/contract/index.js';
import { EngineHost } from '../../engine/api/EngineHost.js';
import { buildBridge, type IpcRendererLike, type WorkbenchBridge } from '../../electron/bridge.js';
import { eventChannel, requestChannel } from '../../electron/channels.js';
import { registerContractIpc, relayEvent, type InvokeEventLike, type Outcome } from '../../electron/ipc.js';
import { APP_ENTRY_URL, isWorkbenchUrl } from '../../electron/security.js';

const ROOT = join(import.meta.dirname, '..', '..');

interface ElectronBuild {
  contractNames(): Promise<{ requests: string[]; events: string[] }>;
  buildPreload(outfile: string, names: { requests: string[]; events: string[] }): Promise<void>;
}

type Handler = (event: InvokeEventLike, ...args: unknown[]) => unknown;
type RendererListener = (event: unknown, ...args: unknown[]) => void;

/**
 * Both ends of Electron IPC in one object: the renderer's invoke reaches main's handler with
 * the frame the page runs in; main's send reaches the renderer's listeners.
 */
class FakeIpc implements IpcRendererLike {
  readonly handlers = new Map<string, Handler>();
  readonly listeners = new Map<string, Set<RendererListener>>();
  readonly invoked: { channel: string; args: unknown[] }[] = [];
  frameUrl = APP_ENTRY_URL;
  handle(channel: string, handler: Handler): void {
    this.handlers.set(channel, handler);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  async invoke(channel: string, ...args: unknown[]): Promise<unknown> {
    this.invoked.push({ channel, args });
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`Error invoking remote method '${channel}': No handler registered`);
    return handler({ senderFrame: { url: this.frameUrl, parent: null } }, ...args);
  }
  on(channel: string, listener: RendererListener): void {
    const set = this.listeners.get(channel) ?? new Set();
    set.add(listener);
    this.listeners.set(channel, set);
  }
  removeListener(channel: string, listener: RendererListener): void {
    this.listeners.get(channel)?.delete(listener);
  }
  isDestroyed(): boolean {
    return false;
  }
  send(channel: string, payload: unknown): void {
    for (const listener of this.listeners.get(channel) ?? []) listener({ sender: 'the ipcRenderer itself' }, payload);
  }
}

describe('the preload bundle', () => {
  let dir: string;
  const exposed: { key: string; api: WorkbenchBridge }[] = [];
  let ipc: FakeIpc;
  let host: EngineHost;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vexfs-preload-'));
    const electronBuild = (await import(pathToFileURL(join(ROOT, 'electron', 'build.mjs')).href)) as ElectronBuild;
    const names = await electronBuild.contractNames();
    await electronBuild.buildPreload(join(dir, 'preload.cjs'), names);
    ipc = new FakeIpc();
    host = new EngineHost();
    registerContractIpc(ipc, { isTrustedUrl: isWorkbenchUrl, forward: (name, input) => host.call(name, input) });
    // Run the bundle as Electron's sandboxed preload would: CommonJS with only `electron` to require.
    const code = readFileSync(join(dir, 'preload.cjs'), 'utf8');
    const electron = {
      contextBridge: { exposeInMainWorld: (key: string, api: WorkbenchBridge) => void exposed.push({ key, api }) },
      ipcRenderer: ipc,
    };
    const module = { exports: {} };
    const requireInSandbox = (name: string): unknown => {
      if (name === 'electron') return electron;
      throw new Error(`the sandboxed preload required '${name}'`);
    };
    runInNewContext(code, { require: requireInSandbox, module, exports: module.exports });
  });
  after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exposes one object, window.vexfs, with requests and subscribe only', () => {
    assert.equal(exposed.length, 1);
    assert.equal(exposed[0]?.key, 'vexfs');
    assert.deepEqual(Object.keys(exposed[0]!.api).sort(), ['requests', 'subscribe']);
  });

  it('has one method per contract request, built from the contract at build time', () => {
    const api = exposed[0]!.api;
    assert.deepEqual(Object.keys(api.requests).sort(), [...requestNames].sort());
    for (const method of Object.values(api.requests)) assert.equal(typeof method, 'function');
    assert.ok(Object.isFrozen(api.requests));
  });

  it('wires every contract entry through main to the host: each answers, none is unhandled', async () => {
    const api = exposed[0]!.api;
    for (const name of requestNames) {
      const outcome = (await api.requests[name]!({ surely: 'not valid' })) as Outcome;
      assert.equal(outcome.ok, false, name);
      // Refused by main's validation (E_INVALID) or, for inputs that allow unknown keys, answered by the host.
      assert.ok(typeof (outcome as { error: { code: string } }).error.code === 'string', name);
    }
    assert.deepEqual(
      ipc.invoked.map((call) => call.channel),
      requestNames.map(requestChannel),
    );
    assert.ok(
      ipc.invoked.every((call) => call.args.length === 1),
      'each method passes exactly one argument',
    );
    const hello = (await api.requests['engine/hello']!({})) as Outcome;
    assert.equal(hello.ok, true);
  });

  it('subscribes to contract event streams only and never hands the page the IPC event', () => {
    const api = exposed[0]!.api;
    const received: unknown[][] = [];
    const unsubscribe = api.subscribe('engine/log', (...args: unknown[]) => void received.push(args));
    const payload = { level: 'info', message: 'hello', at: new Date().toISOString() };
    relayEvent(ipc, 'engine/log', payload);
    unsubscribe();
    relayEvent(ipc, 'engine/log', payload);
    assert.deepEqual(received, [[payload]]);
    assert.equal(ipc.listeners.get(eventChannel('engine/log'))?.size, 0);
    assert.throws(() => api.subscribe('fs/secret-channel', () => {}), /not an event stream/);
    for (const name of eventNames) assert.equal(typeof api.subscribe(name, () => {}), 'function');
  });

  it('gets a refusal when the page is not the workbench', async () => {
    ipc.frameUrl = 'https://evil.example/';
    const outcome = (await exposed[0]!.api.requests['store/list']!({})) as Outcome;
    ipc.frameUrl = APP_ENTRY_URL;
    assert.equal(outcome.ok, false);
    assert.equal((outcome as { error: { code: string } }).error.code, 'EACCES');
  });

  it('buildBridge refuses a listener that is not a function', () => {
    const bridge = buildBridge(new FakeIpc(), ['engine/hello'], ['engine/log']);
    assert.throws(() => bridge.subscribe('engine/log', 'x' as never), /listener function/);
  });
});
