// Measures the renderer while a ~30 s fs-ops benchmark streams live charts, with the engine
// pinned to core 0 and this script (and so Chromium) to core 1, and the time from starting
// the served workbench to its first rendered page. Reports figures; asserts nothing.
//
//   taskset -c 1 node --import tsx test/e2e/measureRenderer.ts
//
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { build } from 'esbuild';
import { browserMissing, launchBrowser, RENDER_MARKS_SCRIPT, renderMarks } from './browser.js';
import { buildRenderer, ROOT } from './buildRenderer.js';

interface LongTask {
  startTime: number;
  duration: number;
}

const missing = browserMissing();
if (missing !== null) {
  console.log(`skipped: ${missing}`);
  process.exit(0);
}
const staticDir = await buildRenderer();
const scratch = mkdtempSync(join(tmpdir(), 'vexfs-measure-'));
const bundle = join(scratch, 'served.mjs');
// Bundled like dist/vexctl.mjs, so start-up is what a user's `vexctl serve` pays, not tsx's compile.
for (const [entry, outfile] of [
  [join(ROOT, 'test', 'e2e', 'servedChild.ts'), bundle],
  // The benchmark worker is started from beside the bundle (engine/bench/runner/startWorker.ts).
  [join(ROOT, 'engine', 'bench', 'runner', 'worker.ts'), join(scratch, 'bench-worker.mjs')],
] as const) {
  await build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    external: ['better-sqlite3', 'usearch', 'simsimd', 'memfs', 'hdr-histogram-js', 'ws', 'smol-toml', 'zod'],
    banner: { js: "import { createRequire as __r } from 'node:module'; const require = __r(import.meta.url);" },
    logLevel: 'warning',
    nodePaths: [join(ROOT, 'node_modules')],
  });
}
const workspace = join(scratch, 'workspace');
const { mkdirSync, symlinkSync } = await import('node:fs');
mkdirSync(workspace);
// The bundle resolves its external packages from beside itself.
symlinkSync(join(ROOT, 'node_modules'), join(scratch, 'node_modules'));

const { context, userDataDir } = await launchBrowser();
// Runs in the page (kept as text: this file is type-checked without the DOM).
await context.addInitScript({
  content: `window.__longTasks = [];
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) window.__longTasks.push({ startTime: entry.startTime, duration: entry.duration });
}).observe({ type: 'longtask', buffered: true });`,
});
await context.addInitScript({ content: RENDER_MARKS_SCRIPT });
const page = context.pages()[0] ?? (await context.newPage());

const loadBefore = loadavg()[0];
const startedAt = performance.now();
const child = spawn('taskset', ['-c', '0', process.execPath, bundle, workspace, staticDir], {
  cwd: scratch,
  env: {
    ...process.env,
    VEXFS_RESULTS_DIR: join(scratch, 'results'),
    VEXFS_PROFILES_DIR: join(ROOT, 'bench-profiles'),
  },
  stdio: ['ignore', 'pipe', 'inherit'],
});
try {
  const url = await new Promise<string>((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the served workbench exited with ${code}`)));
    createInterface({ input: child.stdout }).once('line', (line) => resolve((JSON.parse(line) as { url: string }).url));
  });
  const listeningMs = performance.now() - startedAt;
  await page.goto(url);
  // By the page's own clock (Playwright's waitFor polls too coarsely to time this).
  const firstPageMs = (await renderMarks(page)).engineAt - (performance.timeOrigin + startedAt);

  await page.getByRole('button', { name: 'Benchmarks' }).click();
  await page.getByRole('combobox', { name: 'Profile' }).selectOption('fs-ops');
  await page.getByLabel('Quick (a smoke run of at most 15 s)').uncheck();
  await page.locator('label', { hasText: 'trials' }).locator('input').fill('1');
  // The same page idle for 10 s first: long tasks the machine's load causes without any samples.
  const idleStart = (await page.evaluate('performance.now()')) as number;
  await page.waitForTimeout(10_000);
  const idleEnd = (await page.evaluate('performance.now()')) as number;
  const runStart = (await page.evaluate('performance.now()')) as number;
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  await page
    .locator('figure[aria-label="Throughput"] .legend-item', { hasText: 'ops/s: ' })
    .waitFor({ timeout: 60_000 });
  await page.locator('.state-complete').waitFor({ timeout: 180_000 });
  const runEnd = (await page.evaluate('performance.now()')) as number;
  const all = (await page.evaluate('window.__longTasks')) as LongTask[];
  const tasks = all.filter((t) => t.startTime >= runStart && t.startTime <= runEnd);
  const idle = all.filter((t) => t.startTime >= idleStart && t.startTime <= idleEnd);
  const worst = tasks.reduce((max, t) => Math.max(max, t.duration), 0);
  const drawn = await page.locator('figure[aria-label="Throughput"] canvas').getAttribute('aria-label');
  console.log(
    JSON.stringify(
      {
        served_listening_ms: Math.round(listeningMs),
        first_rendered_page_ms: Math.round(firstPageMs),
        run_seconds: Math.round((runEnd - runStart) / 100) / 10,
        load_average_1m: [loadBefore, loadavg()[0]].map((l) => Math.round((l ?? 0) * 10) / 10),
        idle_10s_long_tasks: idle.length,
        idle_10s_worst_long_task_ms: Math.round(idle.reduce((max, t) => Math.max(max, t.duration), 0)),
        long_tasks_during_run: tasks.length,
        worst_long_task_ms: Math.round(worst),
        long_tasks_ms: tasks.map((t) => Math.round(t.duration)),
        live_chart: drawn,
      },
      null,
      2,
    ),
  );
} finally {
  child.kill('SIGTERM');
  await context.close();
  rmSync(userDataDir, { recursive: true, force: true });
  rmSync(scratch, { recursive: true, force: true });
}
