import type { FromHost, ToHost } from '../engine/api/hostPort.js';
import type { ShutdownReport } from '../engine/api/hostLifecycle.js';
import type { HostInit } from '../engine/api/hostProcess.js';
import type { Outcome } from './ipc.js';

/** The parts of Electron's utility process and ports this module uses (injected for tests). */
export interface PortMainLike {
  postMessage(message: unknown): void;
  on(event: 'message', listener: (event: { data: unknown }) => void): unknown;
  start(): void;
  close(): void;
}
export interface ChildLike {
  postMessage(message: unknown, transfer?: PortMainLike[]): void;
  on(event: 'exit', listener: (code: number) => void): unknown;
  on(event: 'message', listener: (message: unknown) => void): unknown;
  kill(): boolean;
}
export interface ElectronProcessApi {
  fork(modulePath: string): ChildLike;
  channel(): { port1: PortMainLike; port2: PortMainLike };
}

/** What the host reports once it listens: its CLI socket, the store it opened, and problems. */
export interface HostReady {
  socketPath: string | null;
  openedStore: string | null;
  notes: string[];
}

/**
 * The engine host in its Electron utility process, seen from main: requests go over a
 * MessagePort that only main and that process hold; replies and events come back on it.
 * If the process dies, every call in flight and after answers E_UNAVAILABLE (never hangs).
 */
export class EngineProcess {
  private readonly pending = new Map<number, (outcome: Outcome) => void>();
  private readonly eventListeners = new Set<(name: string, payload: unknown) => void>();
  private nextId = 1;
  private exitCode: number | null = null;
  private closed: ((report: ShutdownReport | null) => void) | null = null;
  readonly ready: Promise<HostReady>;

  private constructor(
    private readonly child: ChildLike,
    private readonly port: PortMainLike,
  ) {
    let readyResolve: (value: HostReady) => void = () => {};
    this.ready = new Promise((resolve) => (readyResolve = resolve));
    child.on('message', (message) => {
      const m = message as Partial<HostReady> & { t?: string };
      if (m.t === 'ready')
        readyResolve({ socketPath: m.socketPath ?? null, openedStore: m.openedStore ?? null, notes: m.notes ?? [] });
    });
    port.on('message', ({ data }) => this.receive(data as FromHost));
    child.on('exit', (code) => {
      this.exitCode = code;
      port.close();
      readyResolve({ socketPath: null, openedStore: null, notes: [`the engine process exited with code ${code}`] });
      for (const [, answer] of this.pending) answer(this.unavailable());
      this.pending.clear();
      this.closed?.(null);
    });
    port.start();
  }

  static start(api: ElectronProcessApi, hostEntry: string, init: HostInit): EngineProcess {
    const child = api.fork(hostEntry);
    const { port1, port2 } = api.channel();
    // Listen first: the host may answer as soon as it has the port.
    const engine = new EngineProcess(child, port1);
    child.postMessage(init, [port2]);
    return engine;
  }

  get running(): boolean {
    return this.exitCode === null;
  }

  call(name: string, input: unknown): Promise<Outcome> {
    if (!this.running) return Promise.resolve(this.unavailable());
    const id = this.nextId++;
    return new Promise((resolve) => {
      this.pending.set(id, resolve);
      this.send({ t: 'req', id, name, input });
    });
  }

  onEvent(listener: (name: string, payload: unknown) => void): () => void {
    this.eventListeners.add(listener);
    return () => this.eventListeners.delete(listener);
  }

  /**
   * Asks the host to cancel and save running benchmarks and close its stores, then ends the
   * process; resolves with the host's report, or null when it did not answer within `timeoutMs`
   * (it is killed then) or had already exited.
   */
  shutdown(timeoutMs: number): Promise<ShutdownReport | null> {
    if (!this.running) return Promise.resolve(null);
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.child.kill();
        resolve(null);
      }, timeoutMs);
      this.closed = (report) => {
        clearTimeout(timer);
        this.closed = null;
        // The host has saved its runs and closed its stores: nothing is left to lose.
        if (report !== null) this.child.kill();
        resolve(report);
      };
      this.send({ t: 'shutdown' });
    });
  }

  private send(message: ToHost): void {
    this.port.postMessage(message);
  }

  private receive(message: FromHost): void {
    if (message.t === 'res') {
      const answer = this.pending.get(message.id);
      this.pending.delete(message.id);
      answer?.(message.ok ? { ok: true, result: message.result } : { ok: false, error: message.error });
    } else if (message.t === 'event') {
      for (const listener of this.eventListeners) listener(message.name, message.payload);
    } else if (message.t === 'closed') {
      this.closed?.(message.report);
    }
  }

  private unavailable(): Outcome {
    return {
      ok: false,
      error: {
        code: 'E_UNAVAILABLE',
        message: `the engine process stopped (exit code ${this.exitCode ?? 'unknown'}); restart the app, and report it if it happens again`,
      },
    };
  }
}
