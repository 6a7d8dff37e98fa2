// The engine host's process in the desktop app: an Electron utility process started by
// electron/engineProcess.ts. Main hands it one MessagePort (the only way in besides the
// per-user CLI socket); benchmarks and store I/O run here, never in main or the window.
// This file is an entry point: it imports no Electron module, only reads process.parentPort.
import { defaultDemoDir, ensureDemoStore } from '../demo/demoStore.js';
import { isVexError } from '../errors.js';
import { runCli } from '../cli/main.js';
import { CliSocketServer } from '../cli/remote/CliSocketServer.js';
import { defaultSocketPath } from '../cli/remote/protocol.js';
import { EngineHost } from './EngineHost.js';
import { serveHostOnPort } from './hostPort.js';

/** What main sends with the port: where requests may name paths, and which store to open first. */
export interface HostInit {
  workspaceRoot: string | null;
  /** The store to open at start; 'demo' is the demo store, created on first run. */
  openAtStart: string | null;
}

interface PortMain {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): void;
  start(): void;
}
interface ParentPort {
  once(event: 'message', listener: (event: { data: unknown; ports: PortMain[] }) => void): void;
  postMessage(message: unknown): void;
}

const parentPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
if (parentPort === undefined) {
  process.stderr.write('E_USAGE: hostProcess is started by the desktop shell as an Electron utility process\n');
  process.exit(2);
}

parentPort.once('message', ({ data, ports }) => {
  const port = ports[0];
  if (port === undefined) {
    parentPort.postMessage({ t: 'failed', message: 'the shell sent no MessagePort' });
    return;
  }
  void start(data as HostInit, port);
});

async function start(init: HostInit, port: PortMain): Promise<void> {
  const host = new EngineHost({ workspaceRoot: init.workspaceRoot });
  let socket: CliSocketServer | null = null;
  serveHostOnPort(
    host,
    {
      postMessage: (message) => port.postMessage(message),
      onMessage: (listener) => port.on('message', (e) => listener(e.data)),
    },
    // Main ends this process once it has the report; the socket goes first so no command starts late.
    () => void socket?.close(),
  );
  port.start();
  const notes: string[] = [];
  try {
    socket = await CliSocketServer.listen(defaultSocketPath(process.env), (argv, io, options) =>
      runCli(argv, io, { ...options, env: process.env }),
    );
  } catch (error) {
    notes.push(`vexctl --connect is not available: ${isVexError(error) ? error.message : String(error)}`);
  }
  let openedStore: string | null = null;
  if (init.openAtStart !== null) {
    const dir = init.openAtStart === 'demo' ? defaultDemoDir(process.env) : init.openAtStart;
    try {
      if (init.openAtStart === 'demo') await ensureDemoStore(dir);
      const opened = await host.call('store/open', { dir });
      if (opened.ok) openedStore = dir;
      else notes.push(`could not open ${dir}: ${opened.error.message}`);
    } catch (error) {
      notes.push(`could not create the demo store at ${dir}: ${(error as Error).message}`);
    }
  }
  const at = new Date().toISOString();
  for (const message of notes) host.emit('engine/log', { level: 'warn', message, at });
  parentPort?.postMessage({ t: 'ready', socketPath: socket?.path ?? null, openedStore, notes });
}
