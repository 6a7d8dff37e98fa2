import { EventEmitter } from 'node:events';
import { MessageChannel, type MessagePort } from 'node:worker_threads';
import { EngineHost } from '../../engine/api/EngineHost.js';
import type { HostInit } from '../../engine/api/hostProcess.js';
import { serveHostOnPort } from '../../engine/api/hostPort.js';
import type { ChildLike, ElectronProcessApi, PortMainLike } from '../../electron/engineProcess.js';

// Stand-ins for Electron's utility process and MessagePortMain, shared by the shell's tests.

/** Electron's MessagePortMain over a Node MessagePort: `message` listeners get `{ data }`. */
export class PortMain implements PortMainLike {
  constructor(readonly port: MessagePort) {}
  postMessage(message: unknown): void {
    this.port.postMessage(message);
  }
  on(_event: 'message', listener: (event: { data: unknown }) => void): this {
    this.port.on('message', (data: unknown) => listener({ data }));
    return this;
  }
  start(): void {
    this.port.start();
  }
  close(): void {
    this.port.close();
  }
}

/**
 * A utility process stand-in: it runs a real EngineHost on the port it is handed, as
 * engine/api/hostProcess.ts does in the app, and "exits" when the host has shut down.
 */
export class InProcessChild extends EventEmitter implements ChildLike {
  host: EngineHost | null = null;
  port: PortMain | null = null;
  killed = false;
  postMessage(message: unknown, transfer?: PortMainLike[]): void {
    const port = transfer?.[0] as PortMain | undefined;
    if (!port) throw new Error('the shell must hand the host a port');
    this.port = port;
    const init = message as HostInit;
    this.host = new EngineHost({ workspaceRoot: init.workspaceRoot });
    serveHostOnPort(
      this.host,
      {
        postMessage: (m) => port.postMessage(m),
        onMessage: (listener) => void port.on('message', (e) => listener(e.data)),
      },
      () => {},
    );
    port.start();
    this.emit('message', { t: 'ready', socketPath: null, openedStore: null, notes: [] });
  }
  kill(): boolean {
    this.killed = true;
    this.port?.close();
    this.emit('exit', 9);
    return true;
  }
}

export function fakeElectron(child: InProcessChild): ElectronProcessApi {
  return {
    fork: () => child,
    channel: () => {
      const { port1, port2 } = new MessageChannel();
      return { port1: new PortMain(port1), port2: new PortMain(port2) };
    },
  };
}
