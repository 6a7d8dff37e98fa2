import type { EngineHost } from './EngineHost.js';
import { shutdownHost, type ShutdownReport } from './hostLifecycle.js';

/**
 * The contract between the desktop shell's main process and the engine host in its utility
 * process, over the MessagePort only those two hold. Main sends requests it has already
 * checked (sender frame, payload); the host validates them again, as at every boundary.
 */
export type ToHost = { t: 'req'; id: number; name: string; input: unknown } | { t: 'shutdown' };
export type FromHost =
  | { t: 'res'; id: number; ok: true; result: unknown }
  | { t: 'res'; id: number; ok: false; error: { code: string; message: string } }
  | { t: 'event'; name: string; payload: unknown }
  | { t: 'closed'; report: ShutdownReport };

/** The two calls the host needs from a port, so plain Node ports can stand in for Electron's in tests. */
export interface HostPort {
  postMessage(message: FromHost): void;
  onMessage(listener: (message: unknown) => void): void;
}

/** Answers requests arriving on `port` and forwards every engine event; `shutdown` ends the host gracefully. */
export function serveHostOnPort(host: EngineHost, port: HostPort, onClosed: (report: ShutdownReport) => void): void {
  host.subscribe((name, payload) => port.postMessage({ t: 'event', name, payload }));
  let closing = false;
  port.onMessage((raw) => {
    const message = raw as Partial<ToHost> | null;
    if (message === null || typeof message !== 'object') return;
    if (message.t === 'shutdown') {
      if (closing) return;
      closing = true;
      void shutdownHost(host).then((report) => {
        port.postMessage({ t: 'closed', report });
        onClosed(report);
      });
      return;
    }
    if (message.t !== 'req' || typeof message.id !== 'number' || typeof message.name !== 'string') return;
    const id = message.id;
    if (closing) {
      port.postMessage({
        t: 'res',
        id,
        ok: false,
        error: { code: 'E_CLOSED', message: 'the engine is shutting down' },
      });
      return;
    }
    void host.call(message.name, message.input).then((outcome) => port.postMessage({ t: 'res', id, ...outcome }));
  });
}
