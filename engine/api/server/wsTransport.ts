import type { WebSocket } from 'ws';
import type { EngineHost } from '../EngineHost.js';

/**
 * The contract over one WebSocket: `{ t: 'req', id, name, input }` is answered by
 * `{ t: 'res', id, ok, result | error }`; events arrive as `{ t: 'event', name, payload }`.
 * Backpressure: while the socket's send buffer is above the limit, events are coalesced
 * (the latest per event name is kept and sent once the buffer drains), so a slow client
 * gets fewer samples, never an unbounded queue. Replies are never dropped.
 */
export const MAX_BUFFERED_BYTES = 1 << 20;
const MAX_MESSAGE_BYTES = 32 << 20;

export function serveContractOverWebSocket(socket: WebSocket, host: EngineHost): void {
  const pending = new Map<string, unknown>();
  let drainTimer: NodeJS.Timeout | null = null;

  const flushPending = (): void => {
    drainTimer = null;
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      drainTimer = setTimeout(flushPending, 20);
      return;
    }
    for (const [name, payload] of pending) socket.send(JSON.stringify({ t: 'event', name, payload }));
    pending.clear();
  };

  const unsubscribe = host.subscribe((name, payload) => {
    if (socket.readyState !== socket.OPEN) return;
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES || pending.size > 0) {
      pending.set(name, payload);
      drainTimer ??= setTimeout(flushPending, 20);
      return;
    }
    socket.send(JSON.stringify({ t: 'event', name, payload }));
  });

  socket.on('message', (data, isBinary) => {
    void handleMessage(data as Buffer, isBinary);
  });
  socket.on('close', () => {
    unsubscribe();
    if (drainTimer !== null) clearTimeout(drainTimer);
  });

  async function handleMessage(data: Buffer, isBinary: boolean): Promise<void> {
    let message: { t?: unknown; id?: unknown; name?: unknown; input?: unknown };
    try {
      if (isBinary || data.length > MAX_MESSAGE_BYTES) throw new Error('expected a JSON text message');
      message = JSON.parse(data.toString('utf8')) as typeof message;
      if (typeof message !== 'object' || message === null) throw new Error('expected a JSON object');
    } catch (error) {
      socket.send(
        JSON.stringify({
          t: 'res',
          id: null,
          ok: false,
          error: { code: 'E_INVALID', message: `bad message: ${(error as Error).message}` },
        }),
      );
      return;
    }
    const id = typeof message.id === 'string' || typeof message.id === 'number' ? message.id : null;
    if (message.t !== 'req' || id === null || typeof message.name !== 'string') {
      socket.send(
        JSON.stringify({
          t: 'res',
          id,
          ok: false,
          error: { code: 'E_INVALID', message: "a request is { t: 'req', id, name, input }" },
        }),
      );
      return;
    }
    const outcome = await host.call(message.name, message.input);
    if (socket.readyState === socket.OPEN) socket.send(JSON.stringify({ t: 'res', id, ...outcome }));
  }
}
