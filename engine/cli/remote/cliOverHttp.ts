import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { checkHostAndOrigin, SESSION_COOKIE } from '../../api/server/servedMode.js';
import { MAX_LINE_BYTES } from './protocol.js';
import { remoteSession, type CliRunner } from './runRemote.js';

/** The served workbench's path for `vexctl --connect URL`. */
export const CLI_PATH = '/cli';

type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

/**
 * Adds the remote CLI to a served workbench as a WebSocket at /cli, under the same rules as
 * its API: a loopback Host and Origin, and the per-launch token (Bearer or the session cookie).
 * The server's own upgrade handling keeps every other path.
 */
export function attachCliEndpoint(
  server: Server,
  options: { port: number; token: string; run: CliRunner },
): { close(): void } {
  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_LINE_BYTES });
  const previous = server.listeners('upgrade') as UpgradeListener[];
  server.removeAllListeners('upgrade');
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== CLI_PATH) {
      for (const listener of previous) listener.call(server, req, socket, head);
      return;
    }
    const refusal = checkHostAndOrigin(req, options.port) ?? (hasToken(req, options.token) ? null : 'no token');
    if (refusal !== null) {
      socket.end(`HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Type: text/plain\r\n\r\n${refusal}\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const session = remoteSession(
        options.run,
        (message) => {
          if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
        },
        () => ws.close(1000),
      );
      ws.on('message', (data, isBinary) => session.onMessage(isBinary ? '' : String(data)));
      ws.on('close', () => session.onClose());
      ws.on('error', () => ws.terminate());
    });
  });
  return {
    close() {
      for (const client of wss.clients) client.terminate();
      wss.close();
    },
  };
}

function hasToken(req: IncomingMessage, token: string): boolean {
  const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
  const cookie = (req.headers.cookie ?? '')
    .split(';')
    .map((part) => part.trim())
    .find((part) => part.startsWith(`${SESSION_COOKIE}=`))
    ?.slice(SESSION_COOKIE.length + 1);
  return [bearer, cookie].some((offered) => offered !== undefined && safeEqual(offered, token));
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}
