import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

/** Debian's Chromium; the tests never download a browser. */
export const CHROMIUM = process.env.VEXFS_CHROMIUM ?? '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** Why the browser tests cannot run here, or null when they can. */
export function browserMissing(): string | null {
  return existsSync(CHROMIUM) ? null : `Chromium is not installed at ${CHROMIUM} (apt-get install chromium)`;
}

/** A fresh browser profile each time, so every run is a new user. */
export async function launchBrowser(): Promise<{ context: BrowserContext; userDataDir: string }> {
  const userDataDir = mkdtempSync(join(tmpdir(), 'vexfs-chromium-'));
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    args: CHROMIUM_ARGS,
    headless: true,
    viewport: { width: 1400, height: 900 },
  });
  return { context, userDataDir };
}

/**
 * Runs in each page (as text: these files are type-checked without the DOM): records, on the
 * page's own clock, when the sidebar is drawn and when the engine's status line has answered.
 * Playwright's waitFor polls at up to 500 ms intervals, too coarse to time a first page with.
 */
export const RENDER_MARKS_SCRIPT = `window.__renderMarks = {};
new MutationObserver((_, observer) => {
  const marks = window.__renderMarks;
  if (marks.sidebar === undefined && document.querySelector('.sidebar h1')) marks.sidebar = performance.now();
  const status = document.querySelector('.engine-status');
  if (marks.engine === undefined && status && status.textContent.startsWith('engine ')) {
    marks.engine = performance.now();
    observer.disconnect();
  }
}).observe(document, { childList: true, subtree: true, characterData: true });`;

/** When (epoch ms) the page drew its sidebar and showed the engine's answer, by RENDER_MARKS_SCRIPT. */
export async function renderMarks(page: Page): Promise<{ sidebarAt: number; engineAt: number }> {
  await page.waitForFunction('window.__renderMarks && window.__renderMarks.engine !== undefined');
  const { origin, sidebar, engine } = (await page.evaluate(
    '({ origin: performance.timeOrigin, sidebar: window.__renderMarks.sidebar, engine: window.__renderMarks.engine })',
  )) as { origin: number; sidebar: number; engine: number };
  return { sidebarAt: origin + sidebar, engineAt: origin + engine };
}
