import { eventChannel, requestChannel } from './channels.js';

/** What the bridge needs of Electron's ipcRenderer (injected, so tests can run it in Node). */
export interface IpcRendererLike {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

export type CallOutcome = { ok: boolean; result?: unknown; error?: { code: string; message: string } };

/** `window.vexfs` as renderer/src/api/electronClient.ts reads it. */
export interface WorkbenchBridge {
  readonly requests: Readonly<Record<string, (input: unknown) => Promise<CallOutcome>>>;
  subscribe(name: string, listener: (payload: unknown) => void): () => void;
}

/**
 * Builds the page's whole view of the engine: one function per contract request, each bound
 * to its own channel and passing exactly one argument, and `subscribe` for the contract's
 * event streams only. The IPC event object never reaches the page (it carries the sender).
 */
export function buildBridge(
  ipc: IpcRendererLike,
  requestNames: readonly string[],
  eventNames: readonly string[],
): WorkbenchBridge {
  const requests: Record<string, (input: unknown) => Promise<CallOutcome>> = {};
  for (const name of requestNames) {
    const channel = requestChannel(name);
    requests[name] = (input: unknown) => ipc.invoke(channel, input) as Promise<CallOutcome>;
  }
  const streams = new Set(eventNames);
  return {
    requests: Object.freeze(requests),
    subscribe(name: string, listener: (payload: unknown) => void): () => void {
      if (!streams.has(name)) throw new Error(`'${name}' is not an event stream of the engine contract`);
      if (typeof listener !== 'function') throw new Error('subscribe needs a listener function');
      const channel = eventChannel(name);
      const wrapped = (_event: unknown, payload: unknown): void => listener(payload);
      ipc.on(channel, wrapped);
      return () => void ipc.removeListener(channel, wrapped);
    },
  };
}
