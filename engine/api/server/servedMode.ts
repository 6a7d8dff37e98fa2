import { randomBytes, timingSafeEqual } from 'node:crypto';
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, sep } from 'node:path';
import { WebSocketServer } from 'ws';
import type { EngineHost } from '../EngineHost.js';
import { serveContractOverWebSocket } from './wsTransport.js';
import { CONTENT_TYPES } from './contentTypes.js';

/**
 * The workbench served to a browser on loopback. A per-launch token in the printed URL is
 * exchanged on first load for an HttpOnly, SameSite=Strict cookie and dropped from the
 * address bar. Every request and the WebSocket upgrade must carry the cookie (or the token)
 * and name this server by Host (127.0.0.1, localhost or [::1] on our port: no DNS rebinding)
 * and, when an Origin is sent, come from one of those origins (no cross-site requests).
 */
export const SESSION_COOKIE = 'vexfs_session';

export interface ServedWorkbench {
  url: string;
  port: number;
  token: string;
  server: Server;
  close(): Promise<void>;
}

export interface ServeOptions {
  host: EngineHost;
  port?: number;
  /** The built renderer (index.html and assets); without it, pages answer 503 saying how to build it. */
  staticDir?: string | null;
  token?: string;
}

export async function serveWorkbench(options: ServeOptions): Promise<ServedWorkbench> {
  const token = options.token ?? randomBytes(24).toString('base64url');
  const wss = new WebSocketServer({ noServer: true, maxPayload: 32 << 20 });
  let port = 0;
  const server = createServer((req, res) => handleHttp(req, res));

  server.on('upgrade', (req, socket, head) => {
    const refusal = refuse(req, port, token);
    if (refusal !== null || new URL(req.url ?? '/', 'http://x').pathname !== '/api') {
      socket.end(`HTTP/1.1 ${refusal === null ? '404 Not Found' : '403 Forbidden'}\r\nConnection: close\r\n\r\n`);
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => serveContractOverWebSocket(ws, options.host));
  });

  function handleHttp(req: IncomingMessage, res: ServerResponse): void {
    const url = new URL(req.url ?? '/', 'http://x');
    const hostProblem = checkHostAndOrigin(req, port);
    if (hostProblem !== null) return text(res, 403, hostProblem);
    const offered = url.searchParams.get('token');
    if (offered !== null && safeEqual(offered, token)) {
      url.searchParams.delete('token');
      res.writeHead(303, {
        'Set-Cookie': `${SESSION_COOKIE}=${token}; HttpOnly; SameSite=Strict; Path=/`,
        Location: `${url.pathname}${url.search}`,
        'Cache-Control': 'no-store',
      });
      res.end();
      return;
    }
    if (!hasCredential(req, token))
      return text(res, 401, 'open the workbench with the URL vexctl printed (it carries the token)');
    if (req.method !== 'GET' && req.method !== 'HEAD')
      return text(res, 405, 'only GET is served here; the API is the WebSocket at /api');
    serveStatic(res, options.staticDir ?? null, url.pathname);
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}/?token=${token}`,
    port,
    token,
    server,
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function refuse(req: IncomingMessage, port: number, token: string): string | null {
  return checkHostAndOrigin(req, port) ?? (hasCredential(req, token) ? null : 'missing or wrong session');
}

export function checkHostAndOrigin(req: IncomingMessage, port: number): string | null {
  const allowedHosts = [`127.0.0.1:${port}`, `localhost:${port}`, `[::1]:${port}`];
  if (!allowedHosts.includes(req.headers.host ?? ''))
    return `refused: Host '${req.headers.host ?? ''}' is not this workbench`;
  const origin = req.headers.origin;
  if (origin !== undefined && !allowedHosts.map((h) => `http://${h}`).includes(origin)) {
    return `refused: requests from origin '${origin}' are not allowed`;
  }
  return null;
}

function hasCredential(req: IncomingMessage, token: string): boolean {
  const cookies = (req.headers.cookie ?? '').split(';').map((part) => part.trim());
  const cookie = cookies.find((part) => part.startsWith(`${SESSION_COOKIE}=`))?.slice(SESSION_COOKIE.length + 1);
  if (cookie !== undefined && safeEqual(cookie, token)) return true;
  const bearer = req.headers.authorization?.match(/^Bearer (.+)$/)?.[1];
  if (bearer !== undefined && safeEqual(bearer, token)) return true;
  const query = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  return query !== null && safeEqual(query, token);
}

function safeEqual(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

function serveStatic(res: ServerResponse, staticDir: string | null, pathname: string): void {
  if (staticDir === null || !existsSync(join(staticDir, 'index.html'))) {
    return text(res, 503, 'the workbench UI is not built: run `npm run build` in the project, then reload');
  }
  const relative = normalize(decodeURIComponent(pathname)).replace(/^([/\\])+/, '');
  let file = join(staticDir, relative);
  if (!file.startsWith(staticDir + sep) && file !== staticDir) return text(res, 404, 'not found');
  if (!existsSync(file) || statSync(file).isDirectory()) file = join(staticDir, 'index.html');
  res.writeHead(200, {
    'Content-Type': CONTENT_TYPES[extname(file)] ?? 'application/octet-stream',
    'Content-Security-Policy':
      "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'",
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store',
  });
  createReadStream(file).pipe(res);
}

function text(res: ServerResponse, status: number, message: string): void {
  res.writeHead(status, { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(`${message}\n`);
}
