// Measures `npm start` in served mode (no Electron runtime): the time from starting
// scripts/start.mjs to (1) its line with the URL, (2) the first HTTP 200 of the page
// (token exchanged for the cookie, then GET /), and (3) with Debian's Chromium, the first
// rendered page (the workbench's sidebar drawn and its engine status shown), as
// test/e2e/measureRenderer.ts waits for it. Bundles are built first and not counted.
// Reports figures; asserts nothing. Run 1 creates the demo store; the others reopen it.
//
//   node --import tsx test/electron/measureStart.ts [RUNS]
//
import { spawn, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, statSync } from 'node:fs';
import { loadavg } from 'node:os';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { browserMissing, launchBrowser, RENDER_MARKS_SCRIPT, renderMarks } from '../e2e/browser.js';

const ROOT = join(import.meta.dirname, '..', '..');
const runs = Number(process.argv[2] ?? 5);

function get(url: string, headers: Record<string, string> = {}): Promise<{ status: number; cookie: string }> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode ?? 0, cookie: String(res.headers['set-cookie'] ?? '') }));
    });
    req.on('error', reject);
    req.end();
  });
}

const built = spawnSync(process.execPath, [join(ROOT, 'scripts', 'build.mjs')], { stdio: 'inherit' });
if (built.status !== 0) process.exit(1);
const home = mkdtempSync(join(tmpdir(), 'vexfs-measure-start-'));
mkdirSync(join(home, 'run'), { mode: 0o700 });
const browser = browserMissing() === null ? await launchBrowser() : null;
await browser?.context.addInitScript({ content: RENDER_MARKS_SCRIPT });
/** Now on the epoch clock the page's marks use. */
const epochNow = (): number => performance.timeOrigin + performance.now();
const results: {
  url_line_ms: number;
  first_http_200_ms: number;
  first_rendered_page_ms: number | null;
  /** Where the rendered page's time went after the URL line: opening a tab (the harness), navigation to the drawn sidebar, the engine's answer. */
  breakdown_ms: Record<string, number> | null;
  rebuilt: boolean;
  load_avg_1m: number;
}[] = [];
const bundleTime = (): number => statSync(join(ROOT, 'dist', 'vexctl.mjs')).mtimeMs;
try {
  for (let i = 0; i < runs; i++) {
    const bundleBefore = bundleTime();
    const startedAt = performance.now();
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
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const exited = new Promise<void>((resolve) => child.on('close', () => resolve()));
    try {
      const line = await new Promise<string>((resolve) =>
        createInterface({ input: child.stdout }).once('line', resolve),
      );
      const urlLineMs = performance.now() - startedAt;
      const url = line.match(/http:\/\/127\.0\.0\.1:\d+\/\?token=[A-Za-z0-9_-]+/)?.[0];
      if (url === undefined) throw new Error(`no URL in: ${line}`);
      const exchanged = await get(url);
      const page = await get(new URL('/', url).href, { cookie: exchanged.cookie.split(';')[0] ?? '' });
      if (page.status !== 200) throw new Error(`the page answered ${page.status}`);
      const first200Ms = performance.now() - startedAt;
      let renderedMs: number | null = null;
      let breakdown: Record<string, number> | null = null;
      if (browser !== null) {
        const lineAt = epochNow();
        const tab = await browser.context.newPage();
        const tabAt = epochNow();
        await tab.goto(url);
        const { sidebarAt, engineAt } = await renderMarks(tab);
        renderedMs = engineAt - (performance.timeOrigin + startedAt);
        breakdown = {
          tab_opened: Math.round(tabAt - lineAt),
          sidebar_drawn: Math.round(sidebarAt - tabAt),
          engine_answered: Math.round(engineAt - sidebarAt),
        };
        await tab.close();
      }
      results.push({
        url_line_ms: Math.round(urlLineMs),
        first_http_200_ms: Math.round(first200Ms),
        first_rendered_page_ms: renderedMs === null ? null : Math.round(renderedMs),
        breakdown_ms: breakdown,
        // Sources edited since the last build make start.mjs rebuild first: such runs measure the build too.
        rebuilt: bundleTime() !== bundleBefore,
        load_avg_1m: Math.round((loadavg()[0] ?? 0) * 10) / 10,
      });
    } finally {
      child.kill('SIGINT');
      await exited;
    }
  }
} finally {
  if (browser !== null) {
    await browser.context.close();
    rmSync(browser.userDataDir, { recursive: true, force: true });
  }
  rmSync(home, { recursive: true, force: true });
}
const median = (values: number[]): number => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)] ?? NaN;
const warm = results.slice(1).filter((r) => !r.rebuilt);
console.log(
  JSON.stringify(
    {
      runs: results,
      browser: browserMissing() ?? 'chromium',
      median_after_first_run_without_rebuild: {
        url_line_ms: median(warm.map((r) => r.url_line_ms)),
        first_http_200_ms: median(warm.map((r) => r.first_http_200_ms)),
        first_rendered_page_ms: browser === null ? null : median(warm.map((r) => r.first_rendered_page_ms ?? NaN)),
      },
    },
    null,
    2,
  ),
);
