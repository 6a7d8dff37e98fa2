import assert from 'node:assert/strict';
import { request } from 'node:http';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { EngineHost } from '../../engine/api/EngineHost.js';
import { serveWorkbench, SESSION_COOKIE, type ServedWorkbench } from '../../engine/api/server/servedMode.js';

interface HttpAnswer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<HttpAnswer> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        let body = '';
        res.on('data', (chunk: Buffer) => (body += chunk.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function connect(port: number, headers: Record<string, string>): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`ws://127.0.0.1:${port}/api`, { headers });
    socket.once('open', () => resolve(socket));
    socket.once('error', reject);
    socket.once('unexpected-response', (_req, res) => reject(new Error(`refused with ${res.statusCode}`)));
  });
}

function call(socket: WebSocket, id: number, name: string, input: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: Buffer) => {
      const message = JSON.parse(data.toString()) as Record<string, unknown>;
      if (message.t === 'res' && message.id === id) {
        socket.off('message', onMessage);
        resolve(message);
      }
    };
    socket.on('message', onMessage);
    socket.send(JSON.stringify({ t: 'req', id, name, input }));
  });
}

describe('served mode', () => {
  let dir: string;
  let host: EngineHost;
  let served: ServedWorkbench;
  let cookie: string;

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vexfs-served-'));
    mkdirSync(join(dir, 'ui'));
    writeFileSync(join(dir, 'ui', 'index.html'), '<!doctype html><title>workbench</title>');
    host = new EngineHost({ workspaceRoot: dir });
    served = await serveWorkbench({ host, staticDir: join(dir, 'ui') });
  });
  after(async () => {
    await served.close();
    await host.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('exchanges the token for an HttpOnly SameSite=Strict cookie and drops it from the URL', async () => {
    assert.match(served.url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=/);
    const answer = await get(served.port, `/?token=${served.token}`);
    assert.equal(answer.status, 303);
    assert.equal(answer.headers.location, '/');
    const setCookie = String(answer.headers['set-cookie']);
    assert.match(setCookie, /HttpOnly/);
    assert.match(setCookie, /SameSite=Strict/);
    cookie = setCookie.split(';')[0]!;
    assert.ok(cookie.startsWith(`${SESSION_COOKIE}=`));
    const page = await get(served.port, '/', { cookie });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-security-policy']), /default-src 'self'/);
  });

  it('refuses requests without the cookie, with a wrong token, a foreign Origin or a foreign Host', async () => {
    assert.equal((await get(served.port, '/')).status, 401);
    assert.equal((await get(served.port, '/?token=wrong')).status, 401);
    assert.equal((await get(served.port, '/', { cookie, origin: 'http://evil.example' })).status, 403);
    assert.equal((await get(served.port, '/', { cookie, host: `rebind.example:${served.port}` })).status, 403);
  });

  it('carries the contract over the WebSocket and refuses unauthenticated upgrades', async () => {
    await assert.rejects(connect(served.port, {}), /403/);
    await assert.rejects(connect(served.port, { cookie, origin: 'http://evil.example' }), /403/);
    const socket = await connect(served.port, { cookie, origin: `http://127.0.0.1:${served.port}` });
    try {
      const hello = await call(socket, 1, 'engine/hello', {});
      assert.equal(hello.ok, true);
      const created = await call(socket, 2, 'store/create', { dir: 'ws-store', dim: 3 });
      assert.equal(created.ok, true, JSON.stringify(created));
      const outside = await call(socket, 3, 'store/create', { dir: '/tmp/not-in-workspace' });
      assert.deepEqual((outside.error as { code: string }).code, 'EACCES');
      const bad = await call(socket, 4, 'fs/readdir', { storeId: 42 });
      assert.equal((bad.error as { code: string }).code, 'E_INVALID');
    } finally {
      socket.close();
    }
  });

  it('answers malformed messages with an error instead of closing', async () => {
    const socket = await connect(served.port, { cookie });
    try {
      const answer = await new Promise<Record<string, unknown>>((resolve) => {
        socket.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()) as Record<string, unknown>));
        socket.send('{not json');
      });
      assert.equal((answer.error as { code: string }).code, 'E_INVALID');
      assert.equal((await call(socket, 9, 'engine/hello', {})).ok, true);
    } finally {
      socket.close();
    }
  });
});
