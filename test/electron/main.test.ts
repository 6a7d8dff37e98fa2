// electron/main.ts bundled as for the app, with `electron` resolved to stand-ins that record
// what main asks of it: the wiring (single-instance lock, private scheme, window options,
// hardening, one IPC handler per contract entry, engine events to the window, recent stores,
// graceful quit) runs for real against a real engine host behind a MessagePort.
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { MessageChannel } from 'node:worker_threads';
import { build } from 'esbuild';
import { requestNames } from '../../engine/api/contract/index.js';
import { eventChannel, requestChannel } from '../../electron/channels.js';
import type { InvokeEventLike, Outcome } from '../../electron/ipc.js';
import { RECENT_FILE } from '../../electron/recentStores.js';
import { APP_ENTRY_URL, APP_SCHEME, CONTENT_SECURITY_POLICY } from '../../electron/security.js';
import { InProcessChild, PortMain } from './fakes.js';

const ROOT = join(import.meta.dirname, '..', '..');

type Listener = (...args: never[]) => unknown;

class FakeWebContents {
  readonly sent: [string, unknown][] = [];
  openHandler: ((details: { url: string }) => { action: string }) | null = null;
  readonly hooks = new Map<string, Listener>();
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  on(event: string, listener: Listener): this {
    this.hooks.set(event, listener);
    return this;
  }
  send(channel: string, payload: unknown): void {
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return false;
  }
}

class FakeWindow {
  static created: FakeWindow[] = [];
  readonly webContents = new FakeWebContents();
  loaded: string | null = null;
  constructor(readonly options: Record<string, unknown>) {
    FakeWindow.created.push(this);
  }
  once(): this {
    return this;
  }
  on(): this {
    return this;
  }
  loadURL(url: string): Promise<void> {
    this.loaded = url;
    return Promise.resolve();
  }
  getNormalBounds() {
    return { x: 10, y: 10, width: 1200, height: 800 };
  }
  isMaximized(): boolean {
    return false;
  }
}

describe('the main process, wired with Electron stand-ins', () => {
  let dir: string;
  const handlers = new Map<string, (event: InvokeEventLike, ...args: unknown[]) => unknown>();
  const appListeners = new Map<string, Listener>();
  let protocolHandler: ((request: Request) => Response) | null = null;
  const privileged: unknown[] = [];
  const quitCalls: string[] = [];
  const child = new InProcessChild();
  let permissionCheck: ((contents: unknown, permission: string, origin: string) => boolean) | null = null;
  const savedResults = process.env.VEXFS_RESULTS_DIR;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vexfs-main-'));
    process.env.VEXFS_RESULTS_DIR = join(dir, 'results');
    mkdirSync(join(dir, 'renderer'));
    writeFileSync(join(dir, 'renderer', 'index.html'), '<!doctype html><div id="root"></div>');
    const fake = {
      app: {
        requestSingleInstanceLock: () => true,
        on: (event: string, listener: Listener) => void appListeners.set(event, listener),
        whenReady: () => Promise.resolve(),
        getPath: (name: string) => join(dir, name),
        isPackaged: false,
        quit: () => {
          quitCalls.push('quit');
          let prevented = false;
          (appListeners.get('before-quit') as ((event: { preventDefault(): void }) => void) | undefined)?.({
            preventDefault: () => (prevented = true),
          });
          if (!prevented) quitCalls.push('quitted');
        },
      },
      BrowserWindow: FakeWindow,
      dialog: { showErrorBox: () => {}, showOpenDialog: () => Promise.resolve({ canceled: true, filePaths: [] }) },
      ipcMain: {
        handle: (channel: string, listener: (event: InvokeEventLike, ...args: unknown[]) => unknown) =>
          void handlers.set(channel, listener),
        removeHandler: (channel: string) => void handlers.delete(channel),
      },
      Menu: { buildFromTemplate: (template: unknown) => template, setApplicationMenu: () => {} },
      MessageChannelMain: class {
        readonly port1: PortMain;
        readonly port2: PortMain;
        constructor() {
          const { port1, port2 } = new MessageChannel();
          this.port1 = new PortMain(port1);
          this.port2 = new PortMain(port2);
        }
      },
      protocol: {
        registerSchemesAsPrivileged: (schemes: unknown[]) => void privileged.push(...schemes),
        handle: (_scheme: string, handler: (request: Request) => Response) => void (protocolHandler = handler),
      },
      screen: { getAllDisplays: () => [{ workArea: { x: 0, y: 0, width: 1920, height: 1080 } }] },
      session: {
        defaultSession: {
          setPermissionRequestHandler: () => {},
          setPermissionCheckHandler: (check: typeof permissionCheck) => void (permissionCheck = check),
        },
      },
      shell: { openExternal: () => Promise.resolve() },
      utilityProcess: { fork: () => child },
    };
    (globalThis as Record<string, unknown>).__vexfsFakeElectron = fake;
    const fakeModule = join(dir, 'electron-fake.mjs');
    writeFileSync(
      fakeModule,
      [
        'app',
        'BrowserWindow',
        'dialog',
        'ipcMain',
        'Menu',
        'MessageChannelMain',
        'protocol',
        'screen',
        'session',
        'shell',
        'utilityProcess',
      ]
        .map((name) => `export const ${name} = globalThis.__vexfsFakeElectron.${name};`)
        .join('\n'),
    );
    mkdirSync(join(dir, 'electron'));
    await build({
      absWorkingDir: ROOT,
      entryPoints: ['electron/main.ts'],
      outfile: join(dir, 'electron', 'main.mjs'),
      bundle: true,
      platform: 'node',
      format: 'esm',
      alias: { electron: fakeModule },
      logLevel: 'warning',
    });
    await import(pathToFileURL(join(dir, 'electron', 'main.mjs')).href);
    // start() runs after whenReady: wait for the window and the host's ready message.
    for (let i = 0; i < 200 && (FakeWindow.created.length === 0 || child.host === null); i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  });
  after(async () => {
    if (savedResults === undefined) delete process.env.VEXFS_RESULTS_DIR;
    else process.env.VEXFS_RESULTS_DIR = savedResults;
    await child.host?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registers the private scheme as standard and secure before ready, and serves it with the CSP', async () => {
    assert.deepEqual(privileged, [
      { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
    ]);
    assert.ok(protocolHandler !== null);
    const answer = protocolHandler(new Request(APP_ENTRY_URL));
    assert.equal(answer.status, 200);
    assert.equal(answer.headers.get('content-security-policy'), CONTENT_SECURITY_POLICY);
    assert.match(await answer.text(), /id="root"/);
    assert.equal(permissionCheck?.(null, 'media', APP_ENTRY_URL), false);
  });

  it('opens one hardened, sandboxed window on the app URL', () => {
    assert.equal(FakeWindow.created.length, 1);
    const win = FakeWindow.created[0]!;
    const web = win.options.webPreferences as Record<string, unknown>;
    assert.equal(web.sandbox, true);
    assert.equal(web.contextIsolation, true);
    assert.equal(web.nodeIntegration, false);
    assert.equal(web.preload, join(dir, 'electron', 'preload.cjs'));
    assert.equal(win.loaded, APP_ENTRY_URL);
    assert.deepEqual(win.webContents.openHandler?.({ url: 'https://evil.example/' }), { action: 'deny' });
    assert.ok(win.webContents.hooks.has('will-navigate'));
    assert.ok(appListeners.has('second-instance') && appListeners.has('web-contents-created'));
  });

  it('handles every contract request, forwarding checked ones to the host in its own process', async () => {
    assert.deepEqual([...handlers.keys()].sort(), requestNames.map(requestChannel).sort());
    const frame = { url: APP_ENTRY_URL, parent: null };
    const storeDir = join(dir, 'stores', 'a');
    const created = (await handlers.get(requestChannel('store/create'))!(
      { senderFrame: frame },
      { dir: storeDir },
    )) as Outcome;
    assert.equal(created.ok, true, JSON.stringify(created));
    const refused = (await handlers.get(requestChannel('store/list'))!(
      { senderFrame: { url: 'https://evil.example/', parent: null } },
      {},
    )) as Outcome;
    assert.equal(refused.ok, false);
    const recent = JSON.parse(readFileSync(join(dir, 'userData', RECENT_FILE), 'utf8')) as { stores: string[] };
    assert.deepEqual(recent.stores, [storeDir]);
  });

  it('relays engine events to the window', async () => {
    child.host!.emit('engine/log', { level: 'info', message: 'from the host', at: new Date().toISOString() });
    const win = FakeWindow.created[0]!;
    for (
      let i = 0;
      i < 100 && !win.webContents.sent.some(([, p]) => (p as { message?: string }).message === 'from the host');
      i++
    ) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.ok(
      win.webContents.sent.some(
        ([channel, p]) =>
          channel === eventChannel('engine/log') && (p as { message: string }).message === 'from the host',
      ),
    );
  });

  it('quits only after the host has shut down gracefully', async () => {
    const fake = (globalThis as unknown as { __vexfsFakeElectron: { app: { quit(): void } } }).__vexfsFakeElectron;
    fake.app.quit();
    assert.deepEqual(quitCalls, ['quit'], 'the first quit is held for the shutdown');
    for (let i = 0; i < 500 && !quitCalls.includes('quitted'); i++)
      await new Promise((resolve) => setTimeout(resolve, 10));
    assert.deepEqual(quitCalls, ['quit', 'quit', 'quitted']);
    assert.equal(child.killed, true, 'the host process is ended after its report');
  });
});
