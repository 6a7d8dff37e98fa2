import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';

const ROOT = join(import.meta.dirname, '..', '..');

function get(
  url: string,
  headers: Record<string, string> = {},
): Promise<{ status: number; cookie: string; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      let body = '';
      res.on('data', (chunk: Buffer) => (body += chunk.toString()));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? ''), body }),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

describe('npm start without the Electron runtime', () => {
  it('serves the workbench on 127.0.0.1 over the demo store and says so in one line with the URL', async () => {
    const home = mkdtempSync(join(tmpdir(), 'vexfs-start-'));
    mkdirSync(join(home, 'run'), { mode: 0o700 });
    // VEXFS_NO_ELECTRON forces the fallback where a runtime happens to be installed; here none is.
    const child = spawn(process.execPath, [join(ROOT, 'scripts', 'start.mjs')], {
      cwd: ROOT,
      env: {
        ...process.env,
        VEXFS_NO_ELECTRON: '1',
        HOME: home,
        XDG_DATA_HOME: join(home, 'data'),
        XDG_RUNTIME_DIR: join(home, 'run'),
        VEXFS_RESULTS_DIR: join(home, 'results'),
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    try {
      const line = await Promise.race([
        new Promise<string>((resolve) =>
          createInterface({ input: child.stdout }).on('line', (text) => {
            lines.push(text);
            if (lines.length === 1) resolve(text);
          }),
        ),
        exited.then((code) => Promise.reject(new Error(`npm start ended (${code}) before serving: ${stderr}`))),
      ]);
      assert.match(
        line,
        /^The Electron runtime is not installed here, so the workbench is served to your browser instead: open http:\/\/127\.0\.0\.1:\d+\/\?token=\S+/,
      );
      const url = line.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/)?.[0];
      assert.ok(url !== undefined);
      const exchanged = await get(url);
      assert.equal(exchanged.status, 303);
      const cookie = exchanged.cookie.split(';')[0] ?? '';
      const page = await get(new URL('/', url).href, { cookie });
      assert.equal(page.status, 200, page.body);
      assert.match(page.body, /<div id="root">/);
      assert.ok(existsSync(join(home, 'data', 'vexfs', 'demo-store', 'store.db')), 'the demo store was created');
      assert.deepEqual(lines, [line], 'one line on stdout');
      assert.equal(stderr.includes('Serving the VexFS workbench'), false);
    } finally {
      child.kill('SIGINT');
      const code = await exited;
      rmSync(home, { recursive: true, force: true });
      assert.equal(code, 0, stderr);
    }
  });
});
