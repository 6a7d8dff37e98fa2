import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { requestNames, type RequestName } from '../../engine/api/contract/index.js';
import { EngineHost } from '../../engine/api/EngineHost.js';
import { eventChannel, requestChannel } from '../../electron/channels.js';
import { registerContractIpc, relayEvent, type InvokeEventLike, type Outcome } from '../../electron/ipc.js';
import { APP_ENTRY_URL, isWorkbenchUrl } from '../../electron/security.js';

type Listener = (event: InvokeEventLike, ...args: unknown[]) => unknown;

/** Electron's ipcMain, reduced to what the wrapper uses: handlers by channel. */
class FakeIpcMain {
  readonly handlers = new Map<string, Listener>();
  handle(channel: string, listener: Listener): void {
    if (this.handlers.has(channel)) throw new Error(`second handler for ${channel}`);
    this.handlers.set(channel, listener);
  }
  removeHandler(channel: string): void {
    this.handlers.delete(channel);
  }
  invoke(channel: string, frame: InvokeEventLike['senderFrame'], ...args: unknown[]): Promise<Outcome> {
    const handler = this.handlers.get(channel);
    if (!handler) throw new Error(`no handler for ${channel}`);
    return Promise.resolve(handler({ senderFrame: frame }, ...args)) as Promise<Outcome>;
  }
}

const workbenchFrame = { url: APP_ENTRY_URL, parent: null };

describe('main-side IPC wrapper', () => {
  let dir: string;
  let host: EngineHost;
  let ipc: FakeIpcMain;
  const forwarded: { name: RequestName; input: unknown }[] = [];
  const refusals: string[] = [];
  let unregister: () => void;

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vexfs-ipc-'));
    host = new EngineHost({ checkOutputs: true });
    ipc = new FakeIpcMain();
    unregister = registerContractIpc(ipc, {
      isTrustedUrl: isWorkbenchUrl,
      forward: (name, input) => {
        forwarded.push({ name, input });
        return host.call(name, input);
      },
      onRefused: (_channel, reason) => refusals.push(reason),
    });
  });
  after(async () => {
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers exactly one handler per contract request', () => {
    assert.deepEqual([...ipc.handlers.keys()].sort(), requestNames.map(requestChannel).sort());
  });

  it('forwards a valid request from the workbench frame to the host and returns its answer', async () => {
    const hello = await ipc.invoke(requestChannel('engine/hello'), workbenchFrame, {});
    assert.equal(hello.ok, true);
    const created = await ipc.invoke(requestChannel('store/create'), workbenchFrame, { dir: join(dir, 's1'), dim: 4 });
    assert.equal(created.ok, true, JSON.stringify(created));
    assert.equal((created as { result: { dim: number } }).result.dim, 4);
    assert.deepEqual(
      forwarded.map((f) => f.name),
      ['engine/hello', 'store/create'],
    );
  });

  it('refuses a foreign frame URL, a subframe and a vanished frame without reaching the host', async () => {
    const before = forwarded.length;
    for (const frame of [
      { url: 'https://evil.example/', parent: null },
      { url: 'file:///work/main/dist/renderer/index.html', parent: null },
      { url: 'vexfs-app://other/index.html', parent: null },
      { url: 'vexfs-app://user@workbench/index.html', parent: null },
      { url: '', parent: null },
      { url: APP_ENTRY_URL, parent: { url: APP_ENTRY_URL } },
      null,
    ]) {
      const answer = await ipc.invoke(requestChannel('store/list'), frame, {});
      assert.equal(answer.ok, false);
      assert.equal((answer as { error: { code: string } }).error.code, 'EACCES', JSON.stringify(frame));
    }
    assert.equal(forwarded.length, before);
    assert.ok(refusals.some((r) => r.includes('https://evil.example/')));
  });

  it('rejects bad payloads before they reach the host, naming what was wrong', async () => {
    const before = forwarded.length;
    const cases: [RequestName, unknown[]][] = [
      ['store/create', [{ dir: '' }]],
      ['store/create', [{ dir: join(dir, 'x'), dim: 0 }]],
      ['store/create', [{ dir: join(dir, 'x'), extra: true }]],
      ['store/open', ['not an object']],
      ['store/open', [{ dir: 42 }]],
      ['bench/run', [{ profile: '../etc/passwd' }]],
      ['store/list', [{}, 'a second argument']],
    ];
    for (const [name, args] of cases) {
      const answer = await ipc.invoke(requestChannel(name), workbenchFrame, ...args);
      assert.equal(answer.ok, false, `${name} ${JSON.stringify(args)}`);
      const error = (answer as { error: { code: string; message: string } }).error;
      assert.equal(error.code, 'E_INVALID');
      assert.match(error.message, new RegExp(`invalid input for '${name.replace('/', '\\/')}'`));
    }
    assert.equal(forwarded.length, before);
  });

  it('relays only contract events, each on its own channel, and not to a destroyed window', () => {
    const sent: [string, unknown][] = [];
    const target = {
      destroyed: false,
      isDestroyed: () => target.destroyed,
      send: (c: string, p: unknown) => void sent.push([c, p]),
    };
    const payload = { level: 'info', message: 'hi', at: new Date().toISOString() };
    assert.equal(relayEvent(target, 'engine/log', payload), true);
    assert.equal(relayEvent(target, 'not/an-event', payload), false);
    assert.equal(relayEvent(null, 'engine/log', payload), false);
    target.destroyed = true;
    assert.equal(relayEvent(target, 'engine/log', payload), false);
    assert.deepEqual(sent, [[eventChannel('engine/log'), payload]]);
  });

  it('removes every handler it registered', () => {
    unregister();
    assert.equal(ipc.handlers.size, 0);
  });
});
