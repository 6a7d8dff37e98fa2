import type { ApiError, EventName, RequestName } from '../../../engine/api/contract/index.js';
import { EngineError, type ApiClient } from './client.js';

interface Pending {
  resolve(value: unknown): void;
  reject(error: Error): void;
}

/**
 * The contract over the served workbench's WebSocket (`/api` on the page's own origin; the
 * session cookie travels with the upgrade). Reconnects with backoff; calls made while the
 * socket is down wait for it.
 */
export function connectWebSocketClient(url = defaultUrl()): ApiClient {
  const pending = new Map<number, Pending>();
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  let nextId = 1;
  let socket: WebSocket | null = null;
  let ready: Promise<WebSocket> = open();
  let retryMs = 250;

  function open(): Promise<WebSocket> {
    return new Promise((resolve) => {
      const attempt = () => {
        const ws = new WebSocket(url);
        ws.onopen = () => {
          socket = ws;
          retryMs = 250;
          resolve(ws);
        };
        ws.onmessage = (event) => dispatch(String(event.data));
        ws.onclose = () => {
          if (socket === ws) {
            socket = null;
            for (const [id, waiter] of pending) {
              waiter.reject(
                new EngineError({ code: 'E_UNAVAILABLE', message: 'the connection to the engine was lost' }),
              );
              pending.delete(id);
            }
            ready = open();
          } else {
            setTimeout(attempt, retryMs);
            retryMs = Math.min(retryMs * 2, 4000);
          }
        };
      };
      attempt();
    });
  }

  function dispatch(text: string): void {
    const message = JSON.parse(text) as {
      t: string;
      id?: number;
      ok?: boolean;
      result?: unknown;
      error?: ApiError;
      name?: string;
      payload?: unknown;
    };
    if (message.t === 'res' && typeof message.id === 'number') {
      const waiter = pending.get(message.id);
      if (!waiter) return;
      pending.delete(message.id);
      if (message.ok) waiter.resolve(message.result);
      else waiter.reject(new EngineError(message.error ?? { code: 'E_INTERNAL', message: 'no error given' }));
    } else if (message.t === 'event' && typeof message.name === 'string') {
      for (const listener of listeners.get(message.name) ?? []) listener(message.payload);
    }
  }

  return {
    transport: 'websocket',
    async call(name: RequestName, input: unknown) {
      const ws = socket ?? (await ready);
      const id = nextId++;
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve, reject });
        ws.send(JSON.stringify({ t: 'req', id, name, input }));
      });
    },
    on(name: EventName, listener: (payload: never) => void) {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as (payload: unknown) => void);
      listeners.set(name, set);
      return () => set.delete(listener as (payload: unknown) => void);
    },
  } as ApiClient;
}

function defaultUrl(): string {
  const scheme = location.protocol === 'https:' ? 'wss:' : 'ws:';
  return `${scheme}//${location.host}/api`;
}
