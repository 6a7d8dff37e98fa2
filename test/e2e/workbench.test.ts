import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import WebSocket from 'ws';
import { EngineHost } from '../../engine/api/EngineHost.js';
import { serveWorkbench, SESSION_COOKIE } from '../../engine/api/server/servedMode.js';
import { browserMissing, launchBrowser } from './browser.js';
import { buildRenderer, ROOT } from './buildRenderer.js';
import { createStoreWithVectorFile, vectorsJourney } from './journeySteps.js';

const SCREENSHOTS = join(ROOT, 'test-results', 'screenshots');

async function shot(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`) });
}

function httpStatus(url: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

/** Opens the API socket with the given headers: the reply to a request, or the HTTP status of a refusal. */
function apiCall(url: string, headers: Record<string, string>, name: string, input: unknown): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(url, { headers });
    socket.on('unexpected-response', (_req, res) => {
      resolve({ refused: res.statusCode });
      socket.terminate();
    });
    socket.on('error', (error) => reject(error));
    socket.on('open', () => socket.send(JSON.stringify({ t: 'req', id: 1, name, input })));
    socket.on('message', (data) => {
      const message = JSON.parse(String(data)) as { t: string };
      if (message.t !== 'res') return;
      resolve(message);
      socket.close();
    });
  });
}

async function runProfile(page: Page, baseline: string): Promise<void> {
  await page.getByRole('button', { name: 'Benchmarks' }).click();
  await page.getByRole('combobox', { name: 'Profile' }).selectOption('fs-ops');
  await page.getByLabel('Save as baseline').fill(baseline);
  await page.getByRole('button', { name: 'Run', exact: true }).click();
  // Live charts: a drawn throughput line while the run is going.
  await page
    .locator('figure[aria-label="Throughput"] .legend-item', { hasText: 'ops/s: ' })
    .waitFor({ timeout: 60_000 });
}

async function waitForComplete(page: Page): Promise<void> {
  await page.locator('.state-complete').waitFor({ timeout: 90_000 });
}

test('the served workbench, as a new user goes', { skip: browserMissing() ?? false, timeout: 240_000 }, async () => {
  const staticDir = await buildRenderer();
  const workspace = mkdtempSync(join(tmpdir(), 'vexfs-e2e-'));
  const previousResults = process.env.VEXFS_RESULTS_DIR;
  process.env.VEXFS_RESULTS_DIR = join(workspace, '.results');
  const host = new EngineHost({ workspaceRoot: workspace, checkOutputs: true });
  const served = await serveWorkbench({ host, staticDir });
  const { context, userDataDir } = await launchBrowser();
  const pageErrors: string[] = [];
  try {
    const page = context.pages()[0] ?? (await context.newPage());
    page.on('pageerror', (error) => pageErrors.push(error.message));
    await page.goto(served.url);
    await page.locator('.sidebar h1').waitFor();
    assert.ok(!page.url().includes('token='), 'the token is dropped from the address bar');
    await page.locator('.engine-status', { hasText: 'engine 0.1.0' }).waitFor();

    // Stores: a path outside the workspace is refused, a new store is created, files and a vector added.
    await page.getByLabel('Store directory').fill('../outside-the-workspace');
    await page.getByRole('button', { name: 'Create' }).click();
    await page.locator('.error-note', { hasText: 'outside the workspace root' }).waitFor();
    await createStoreWithVectorFile(page, 'stores/demo');
    await page.getByLabel('Vector (comma-separated)').fill('');
    await page.getByLabel('Path').fill('/readme.md');
    await page.getByRole('button', { name: 'Add file' }).click();
    await page.getByText('File /readme.md added.').waitFor();
    // Browse: the tree shows both entries; selecting the file shows its details and vector.
    await page.getByRole('treeitem', { name: /docs/ }).click();
    await page.getByRole('treeitem', { name: /a\.txt/ }).click();
    await page.locator('.details h3', { hasText: '/docs/a.txt' }).waitFor();
    await page.getByText('Vector (4 dimensions)').waitFor();
    assert.equal(await page.getByRole('treeitem').count(), 3);
    await shot(page, '1-stores');
    await vectorsJourney(page, shot);

    // Benchmarks: fs-ops, quick, live charts while it runs, saved as baseline "before".
    await runProfile(page, 'before');
    await page.locator('.chart-grid').scrollIntoViewIfNeeded();
    await shot(page, '2-benchmarks-live');
    await waitForComplete(page);
    await page.getByText('saved as baseline before').first().waitFor();
    await page.locator('.sidebar h1').scrollIntoViewIfNeeded();
    await shot(page, '3-benchmarks-done');

    // Config: a bad value shows an inline error at its line and column; a good one is saved and applied.
    await page.getByRole('button', { name: 'Config' }).click();
    const raw = page.getByLabel('vexfs.toml');
    await raw.waitFor();
    await raw.fill('[general]\ncommit_window_us = "soon"\n');
    await page.locator('.diagnostic-error', { hasText: 'line 2, column 20' }).waitFor();
    await page.locator('.gutter-error').first().waitFor();
    await shot(page, '4-config-error');
    await raw.fill('');
    const commitWindow = page.locator('[id="cfg-general.commit_window_us"]');
    await commitWindow.fill('2000');
    await commitWindow.press('Enter');
    await page.locator('td', { hasText: 'general.commit_window_us' }).first().waitFor();
    assert.match(await raw.inputValue(), /\[general\]\ncommit_window_us = 2000/);
    await page.getByRole('button', { name: 'Save and apply to the open store' }).click();
    await page.getByText('Takes effect when the store is reopened: general.commit_window_us').waitFor();
    await shot(page, '5-config-applied');
    assert.match(readFileSync(join(workspace, 'stores', 'demo', 'vexfs.toml'), 'utf8'), /commit_window_us = 2000/);

    // Run again with the store's config applied.
    await runProfile(page, '');
    await waitForComplete(page);
    await page.locator('.log li', { hasText: 'store.commit_window_us = 2000' }).first().waitFor();

    // Compare the new run against the baseline: the config changed, so comparability is forced.
    await page.getByRole('button', { name: 'Compare', exact: true }).click();
    await page.getByRole('combobox', { name: 'Baseline' }).selectOption('before');
    await page.getByLabel('Compare even if not comparable').check();
    await page.locator('section[aria-label="Runs to compare"]').getByRole('button', { name: 'Compare' }).click();
    await page.locator('table.verdicts tbody tr').first().waitFor();
    await page.locator('section[aria-label="Config diff"] code', { hasText: 'store.commit_window_us' }).waitFor();
    await page.getByText('Comparability:').waitFor();
    await shot(page, '6-compare');
    // fs-ops measures no recall: the frontier section says where frontiers come from instead of drawing nothing.
    await page.getByText('Recall–QPS frontiers appear for runs that report recall').waitFor();
    await page.locator('figure[aria-label="Change per metric"]').scrollIntoViewIfNeeded();
    await shot(page, '6-compare-charts');

    // Reports: preview against the baseline, export, and the files are on disk.
    await page.getByRole('button', { name: 'Reports' }).click();
    await page.getByRole('combobox', { name: 'Against' }).selectOption('before');
    await page.getByRole('button', { name: 'Preview' }).click();
    await page.locator('.markdown img.report-chart').first().waitFor();
    await page.getByLabel('Export folder').fill('exports/first');
    await page.getByRole('button', { name: 'Export' }).click();
    await page.getByText(/Exported to/).waitFor();
    await shot(page, '7-reports');
    const exported = readdirSync(join(workspace, 'exports', 'first')).sort();
    assert.ok(exported.includes('report.md'), exported.join(', '));
    assert.ok(
      exported.includes('report-throughput.svg') && exported.includes('report-latency.svg'),
      exported.join(', '),
    );
    assert.ok(
      exported.some((f) => f.startsWith('fs-ops') && f.endsWith('.json')),
      exported.join(', '),
    );
    assert.match(readFileSync(join(workspace, 'exports', 'first', 'report.md'), 'utf8'), /before/);
    // Exporting outside the workspace is refused.
    await page.getByLabel('Export folder').fill('/tmp/not-the-workspace');
    await page.getByRole('button', { name: 'Export' }).click();
    await page.locator('.error-note', { hasText: 'outside the workspace root' }).waitFor();

    // History: both runs on one chart.
    await page.getByRole('button', { name: 'History' }).click();
    await page.locator('figure[aria-label="Runs over time"] .recharts-line').first().waitFor();
    await shot(page, '8-history');

    // The theme switches and the page keeps working in dark.
    await page.getByRole('button', { name: 'Dark theme' }).click();
    assert.equal(await page.locator('html').getAttribute('data-theme'), 'dark');
    await page.getByRole('button', { name: 'Stores' }).click();
    await shot(page, '9-stores-dark');
    assert.deepEqual(pageErrors, []);
    assert.equal(await page.locator('.page-crash').count(), 0);

    // Security: no cookie or token, a foreign Origin, a path outside the workspace.
    const base = `http://127.0.0.1:${served.port}`;
    const api = `ws://127.0.0.1:${served.port}/api`;
    const cookie = `${SESSION_COOKIE}=${served.token}`;
    assert.equal(await httpStatus(`${base}/`), 401);
    assert.equal(await httpStatus(`${base}/`, { Cookie: cookie }), 200);
    assert.equal(await httpStatus(`${base}/`, { Cookie: cookie, Origin: 'http://evil.example' }), 403);
    assert.deepEqual(await apiCall(api, { Origin: base }, 'engine/hello', {}), { refused: 403 });
    assert.deepEqual(await apiCall(api, { Cookie: cookie, Origin: 'http://evil.example' }, 'engine/hello', {}), {
      refused: 403,
    });
    const outside = (await apiCall(api, { Cookie: cookie, Origin: base }, 'store/create', {
      dir: '/tmp/vexfs-e2e-escape',
    })) as {
      ok: boolean;
      error?: { code: string };
    };
    assert.equal(outside.ok, false);
    assert.equal(outside.error?.code, 'EACCES');
    assert.equal(existsSync('/tmp/vexfs-e2e-escape'), false);
  } catch (error) {
    await shot(context.pages()[0] as Page, 'failure').catch(() => {});
    if (pageErrors.length > 0) (error as Error).message += `\npage errors: ${pageErrors.join('\n')}`;
    throw error;
  } finally {
    await context.close();
    await served.close();
    await host.close();
    if (previousResults === undefined) delete process.env.VEXFS_RESULTS_DIR;
    else process.env.VEXFS_RESULTS_DIR = previousResults;
    rmSync(userDataDir, { recursive: true, force: true });
    rmSync(workspace, { recursive: true, force: true });
  }
});
