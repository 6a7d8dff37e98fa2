// The desktop journey with Playwright's Electron driver: the real window, preload, main and
// utility-process host, as a new user goes. It runs where the Electron runtime is installed
// and is skipped, with the reason, where it is not (node_modules/electron without its binary).
// The app's native addons must match Electron's ABI (build/README.md, "Running the shell").
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { _electron, type Page } from 'playwright-core';
import { requestNames } from '../../engine/api/contract/index.js';
import { createStoreWithVectorFile, vectorsJourney } from '../e2e/journeySteps.js';

const ROOT = join(import.meta.dirname, '..', '..');
const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

function electronBinary(): { path: string } | { missing: string } {
  try {
    const path = createRequire(join(ROOT, 'package.json'))('electron') as unknown;
    if (typeof path === 'string' && existsSync(path)) return { path };
    return { missing: `the Electron runtime is not installed (no binary at ${String(path)})` };
  } catch {
    return { missing: "the Electron runtime is not installed (node_modules/electron's binary was never downloaded)" };
  }
}

const runtime = electronBinary();

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `electron-${name}.png`), fullPage: true });
}

test(
  'the desktop workbench, as a new user goes',
  { skip: 'missing' in runtime ? runtime.missing : false, timeout: 300_000 },
  async () => {
    if (!('path' in runtime)) return;
    for (const script of ['scripts/build.mjs', 'electron/build.mjs']) {
      const built = spawnSync(process.execPath, [join(ROOT, script)], { cwd: ROOT, stdio: 'inherit' });
      assert.equal(built.status, 0, `${script} failed`);
    }
    const home = mkdtempSync(join(tmpdir(), 'vexfs-electron-'));
    mkdirSync(join(home, 'run'), { mode: 0o700 });
    const app = await _electron.launch({
      executablePath: runtime.path,
      args: [join(ROOT, 'dist', 'electron', 'main.mjs')],
      env: {
        ...process.env,
        HOME: home,
        XDG_CONFIG_HOME: join(home, 'config'),
        XDG_DATA_HOME: join(home, 'data'),
        XDG_RUNTIME_DIR: join(home, 'run'),
        VEXFS_RESULTS_DIR: join(home, 'results'),
      },
    });
    const pageErrors: string[] = [];
    try {
      const page = await app.firstWindow();
      page.on('pageerror', (error) => pageErrors.push(error.message));
      assert.match(page.url(), /^vexfs-app:\/\/workbench\//);
      await page.locator('.sidebar h1').waitFor();
      await page.locator('.engine-status', { hasText: 'engine 0.1.0' }).waitFor();

      // The page sees the bridge and nothing else: no Node, one method per contract entry.
      const surface = (await page.evaluate(
        '({ require: typeof require, process: typeof process, keys: Object.keys(window.vexfs), methods: Object.keys(window.vexfs.requests), opened: window.open("https://evil.example/") === null })',
      )) as { require: string; process: string; keys: string[]; methods: string[]; opened: boolean };
      assert.equal(surface.require, 'undefined');
      assert.equal(surface.process, 'undefined');
      assert.deepEqual(surface.keys.sort(), ['requests', 'subscribe']);
      assert.deepEqual(surface.methods.sort(), [...requestNames].sort());
      assert.equal(surface.opened, true, 'window.open is denied');
      const before = page.url();
      await page.evaluate('location.href = "https://evil.example/"');
      await page.waitForTimeout(200);
      assert.equal(page.url(), before, 'navigation away is denied');

      // Stores: create one, add a directory and a file with a vector, browse to it.
      const storeDir = join(home, 'stores', 'first');
      await createStoreWithVectorFile(page, storeDir);
      await shot(page, '1-stores');
      await vectorsJourney(page, shot);

      // Benchmarks: fs-ops quick with live charts, saved as a baseline.
      await page.getByRole('button', { name: 'Benchmarks' }).click();
      await page.getByRole('combobox', { name: 'Profile' }).selectOption('fs-ops');
      await page.getByLabel('Save as baseline').fill('before');
      await page.getByRole('button', { name: 'Run', exact: true }).click();
      await page.locator('figure[aria-label="Throughput"] .recharts-line-curve').first().waitFor({ timeout: 60_000 });
      await shot(page, '2-benchmarks-live');
      await page.locator('.state-complete').waitFor({ timeout: 120_000 });
      await page.getByText('saved as baseline before').first().waitFor();

      // Config: an inline error for a bad value.
      await page.getByRole('button', { name: 'Config' }).click();
      const raw = page.getByLabel('vexfs.toml');
      await raw.fill('[general]\ncommit_window_us = "soon"\n');
      await page.locator('.diagnostic-error', { hasText: 'line 2, column 20' }).waitFor();
      await shot(page, '3-config-error');
      await raw.fill('');

      // Reports: export against the baseline; the files are on disk.
      await page.getByRole('button', { name: 'Reports' }).click();
      await page.getByRole('combobox', { name: 'Against' }).selectOption('before');
      await page.getByLabel('Export folder').fill(join(home, 'exports'));
      await page.getByRole('button', { name: 'Export' }).click();
      await page.getByText(/Exported to/).waitFor();
      await shot(page, '4-reports');
      assert.ok(readdirSync(join(home, 'exports')).includes('report.md'));
      assert.deepEqual(pageErrors, []);
    } finally {
      // Quitting shuts the host down gracefully (runs cancelled and saved, stores closed).
      await app.close();
      rmSync(home, { recursive: true, force: true });
    }
  },
);
