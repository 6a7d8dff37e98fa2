import assert from 'node:assert/strict';
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import type { CliIo } from '../../engine/cli/command.js';
import { runCli } from '../../engine/cli/main.js';
import { defaultSocketPath } from '../../engine/cli/remote/protocol.js';
import { Store } from '../../engine/store/Store.js';

const ROOT = join(import.meta.dirname, '..', '..');
const BIN = join(ROOT, 'engine', 'cli', 'bin.ts');

function capture(): CliIo & { out_: string[]; err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return { out_, err_, out: (t) => void out_.push(t), err: (t) => void err_.push(t), outBytes: () => {}, isTty: false };
}

function vexctl(args: string[], env: NodeJS.ProcessEnv): ChildProcess {
  return spawn(process.execPath, ['--import', 'tsx', BIN, ...args], {
    cwd: ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

function finished(child: ChildProcess): Promise<{ code: number | null; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  child.stdout?.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function httpGet(
  port: number,
  path: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; cookie: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      { host: '127.0.0.1', port, path, headers: { host: `127.0.0.1:${port}`, ...headers } },
      (res) => {
        res.resume();
        resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') });
      },
    );
    req.on('error', reject);
    req.end();
  });
}

function wsRefusal(url: string, headers: Record<string, string>): Promise<number> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, { headers });
    ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
    ws.on('open', () => {
      ws.close();
      reject(new Error('the socket was accepted'));
    });
    ws.on('error', reject);
  });
}

describe('vexctl serve (a real child process) and vexctl --connect', () => {
  let dir: string;
  let storeDir: string;
  let env: NodeJS.ProcessEnv;
  let serve: ChildProcess;
  let serveEnded: Promise<{ code: number | null; stdout: string; stderr: string }>;
  let url: string;
  let port: number;
  const stdoutLines: string[] = [];

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'vexfs-serve-'));
    mkdirSync(join(dir, 'run'), { mode: 0o700 });
    env = {
      ...process.env,
      XDG_RUNTIME_DIR: join(dir, 'run'),
      XDG_DATA_HOME: join(dir, 'data'),
      VEXFS_RESULTS_DIR: join(dir, 'results'),
    };
    storeDir = join(dir, 'workspace', 'store');
    await (await Store.create(storeDir, { dim: 4 })).close();
    serve = vexctl(['serve', '--store', storeDir, '--workspace', join(dir, 'workspace')], env);
    const lines = createInterface({ input: serve.stdout! });
    const first = new Promise<string>((resolve) => lines.once('line', resolve));
    lines.on('line', (line) => stdoutLines.push(line));
    let stderr = '';
    serve.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    serveEnded = new Promise((resolve) =>
      serve.on('close', (code) => resolve({ code, stdout: stdoutLines.join('\n'), stderr })),
    );
    url = await Promise.race([
      first,
      serveEnded.then((end) => Promise.reject(new Error(`serve ended early: ${end.stderr}`))),
    ]);
    port = Number(new URL(url).port);
  });
  after(() => {
    if (serve.exitCode === null) serve.kill('SIGKILL');
    rmSync(dir, { recursive: true, force: true });
  });

  it('prints the URL, token included, alone on one line', () => {
    assert.match(url, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]{20,}$/);
    assert.deepEqual(stdoutLines, [url]);
  });

  it('exchanges the token for a cookie and refuses requests without it or from a foreign Host', async () => {
    const token = new URL(url).searchParams.get('token')!;
    const exchanged = await httpGet(port, `/?token=${token}`);
    assert.equal(exchanged.status, 303);
    assert.match(exchanged.cookie, /HttpOnly/);
    assert.equal((await httpGet(port, '/')).status, 401);
    assert.equal((await httpGet(port, '/?token=wrong')).status, 401);
    assert.equal((await httpGet(port, `/?token=${token}`, { host: `evil.example:${port}` })).status, 403);
  });

  it('listens on a per-user socket closed to others', () => {
    const socketPath = defaultSocketPath(env);
    assert.equal(statSync(socketPath).mode & 0o777, 0o600);
    assert.equal(statSync(join(dir, 'run', 'vexfs')).mode & 0o777, 0o700);
  });

  it('runs a command through --connect on the socket, in the process that holds the store open', async () => {
    const io = capture();
    const code = await runCli(['--connect', 'store', 'info', storeDir], io, { env, cwd: dir });
    assert.equal(code, 0, io.err_.join('\n'));
    const text = io.out_.join('\n');
    assert.match(text, new RegExp(`at ${storeDir.replace(/[/\\]/g, '.')}`));
    assert.match(text, new RegExp(`writer\\s+pid ${serve.pid}`), 'the serve process is the writer');
  });

  it('runs a command through --connect URL, and as a real vexctl child', async () => {
    const io = capture();
    assert.equal(
      await runCli(['--connect', url, 'store', 'info', storeDir], io, { env, cwd: dir }),
      0,
      io.err_.join('\n'),
    );
    assert.match(io.out_.join('\n'), /format version/);
    const child = await finished(vexctl(['--connect', 'store', 'info', storeDir], env));
    assert.equal(child.code, 0, child.stderr);
    assert.match(child.stdout, new RegExp(`writer\\s+pid ${serve.pid}`));
  });

  it('runs a writing command on the store the server holds open (the process shares its open store)', async () => {
    const io = capture();
    const code = await runCli(
      ['--connect', 'collection', 'create', storeDir, 'c1', '--dim', '4', '--metric', 'l2'],
      io,
      { env, cwd: dir },
    );
    assert.equal(code, 0, io.err_.join('\n'));
    const listed = capture();
    assert.equal(await runCli(['--connect', 'collection', 'list', storeDir], listed, { env, cwd: dir }), 0);
    assert.match(listed.out_.join('\n'), /c1/);
  });

  it('passes the remote exit code and errors through', async () => {
    const io = capture();
    assert.equal(await runCli(['--connect', 'store', 'info', join(dir, 'missing')], io, { env, cwd: dir }), 1);
    assert.match(io.err_.join('\n'), /^E_NOT_FOUND: /);
    const usage = capture();
    assert.equal(await runCli(['--connect', 'no-such-command'], usage, { env, cwd: dir }), 2);
    assert.match(usage.err_.join('\n'), /unknown command/);
    const nested = capture();
    assert.equal(await runCli(['--connect', 'serve'], nested, { env, cwd: dir }), 2);
    assert.match(nested.err_.join('\n'), /cannot run through --connect/);
  });

  it('is refused without the token, with a wrong one, or from a foreign Origin', async () => {
    const wrong = capture();
    const badUrl = url.replace(/token=.*/, 'token=not-the-token');
    assert.equal(await runCli(['--connect', badUrl, 'store', 'info', storeDir], wrong, { env, cwd: dir }), 1);
    assert.match(wrong.err_.join('\n'), /^EACCES: .*refused/);
    const none = capture();
    assert.equal(
      await runCli(['--connect', `http://127.0.0.1:${port}/`, 'store', 'info', storeDir], none, { env, cwd: dir }),
      2,
    );
    assert.match(none.err_.join('\n'), /carries no token/);
    const token = new URL(url).searchParams.get('token')!;
    assert.equal(await wsRefusal(`ws://127.0.0.1:${port}/cli`, {}), 403);
    assert.equal(
      await wsRefusal(`ws://127.0.0.1:${port}/cli`, {
        authorization: `Bearer ${token}`,
        origin: 'https://evil.example',
      }),
      403,
    );
    const remote = capture();
    assert.equal(
      await runCli(['--connect', 'https://example.com/?token=x', 'store', 'info'], remote, { env, cwd: dir }),
      2,
    );
  });

  it('answers a malformed socket message with a usage error, not a crash', async () => {
    const reply = await new Promise<string>((resolve, reject) => {
      const socket = connect(defaultSocketPath(env));
      let text = '';
      socket.on('data', (chunk) => (text += chunk.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', reject);
      socket.write('{"t":"run","argv":"store info","cwd":"relative"}\n');
    });
    const messages = reply
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { t: string; text?: string; code?: number });
    assert.equal(messages.at(-1)?.t, 'exit');
    assert.equal(messages.at(-1)?.code, 2);
    assert.match(messages[0]?.text ?? '', /E_INVALID: bad remote CLI message/);
  });

  it('says plainly when nothing listens', async () => {
    const io = capture();
    const elsewhere = { ...env, XDG_RUNTIME_DIR: join(dir, 'nobody-here') };
    assert.equal(await runCli(['--connect', 'store', 'info', storeDir], io, { env: elsewhere, cwd: dir }), 1);
    assert.match(io.err_.join('\n'), /^E_UNAVAILABLE: cannot reach a VexFS app or 'vexctl serve'/);
    const usage = capture();
    assert.equal(await runCli(['--connect'], usage, { env, cwd: dir }), 2);
  });

  it('exits 0 on SIGINT after closing its stores and removing its socket', async () => {
    serve.kill('SIGINT');
    const end = await serveEnded;
    assert.equal(end.code, 0, end.stderr);
    assert.match(end.stderr, /1 store\(s\) closed/);
    assert.equal(existsSync(defaultSocketPath(env)), false);
    // The writer lock is free again: this process can open the store for writing.
    await (await Store.open(storeDir)).close();
  });
});

describe('vexctl serve usage errors', () => {
  for (const args of [
    ['--port', 'abc'],
    ['--port', '70000'],
    ['--demo', '--store', '/tmp/x'],
    ['--workspace', '/no/such/dir'],
    ['extra'],
  ]) {
    it(`refuses ${args.join(' ')} with exit 2`, async () => {
      const io = capture();
      assert.equal(await runCli(['serve', ...args], io, { env: process.env, cwd: tmpdir() }), 2);
      assert.match(io.err_.join('\n'), /^E_USAGE: /);
    });
  }
});
