import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { buildMenuTemplate, type MenuEntry } from '../../electron/menu.js';
import { forgetStore, MAX_RECENT, readRecentStores, RECENT_FILE, rememberStore } from '../../electron/recentStores.js';
import {
  DEFAULT_WINDOW_STATE,
  readWindowState,
  saveWindowState,
  WINDOW_STATE_FILE,
} from '../../electron/windowState.js';

const display = { x: 0, y: 0, width: 1920, height: 1080 };

describe('recent stores and window state in userData', () => {
  let userData: string;
  before(() => (userData = mkdtempSync(join(tmpdir(), 'vexfs-userdata-'))));
  after(() => rmSync(userData, { recursive: true, force: true }));

  it('keeps recent stores newest first, without duplicates, at most MAX_RECENT, on disk', () => {
    assert.deepEqual(readRecentStores(userData), []);
    for (let i = 0; i < MAX_RECENT + 3; i++) rememberStore(userData, `/stores/s${i}`);
    rememberStore(userData, '/stores/s5');
    const list = readRecentStores(userData);
    assert.equal(list.length, MAX_RECENT);
    assert.equal(list[0], '/stores/s5');
    assert.equal(new Set(list).size, list.length);
    assert.ok(!list.includes('/stores/s0'));
    assert.deepEqual(JSON.parse(readFileSync(join(userData, RECENT_FILE), 'utf8')).stores, list);
    assert.ok(!forgetStore(userData, '/stores/s5').includes('/stores/s5'));
    assert.throws(() => rememberStore(userData, 'relative/dir'), /absolute path/);
  });

  it('reads a damaged or hostile recent file as empty or filtered', () => {
    writeFileSync(join(userData, RECENT_FILE), '{ not json');
    assert.deepEqual(readRecentStores(userData), []);
    writeFileSync(join(userData, RECENT_FILE), JSON.stringify({ stores: ['/ok', 'relative', 42, null] }));
    assert.deepEqual(readRecentStores(userData), ['/ok']);
  });

  it('remembers the window bounds and maximized state', () => {
    assert.deepEqual(readWindowState(userData, [display]), DEFAULT_WINDOW_STATE);
    saveWindowState(userData, { x: 100, y: 50, width: 1300, height: 850, maximized: true });
    assert.deepEqual(readWindowState(userData, [display]), {
      x: 100,
      y: 50,
      width: 1300,
      height: 850,
      maximized: true,
    });
  });

  it('drops a position on no display and rejects absurd sizes', () => {
    saveWindowState(userData, { x: 5000, y: 5000, width: 1300, height: 850, maximized: false });
    assert.deepEqual(readWindowState(userData, [display]), { width: 1300, height: 850, maximized: false });
    writeFileSync(join(userData, WINDOW_STATE_FILE), JSON.stringify({ width: 10, height: 1e9 }));
    assert.deepEqual(readWindowState(userData, [display]), DEFAULT_WINDOW_STATE);
    writeFileSync(join(userData, WINDOW_STATE_FILE), 'garbage');
    assert.deepEqual(readWindowState(userData, [display]), DEFAULT_WINDOW_STATE);
  });
});

describe('the app menu', () => {
  const find = (entries: MenuEntry[], label: string): MenuEntry | undefined =>
    entries.find((entry) => entry.label === label);

  it('lists recent stores under File → Open Recent and opens the one clicked', () => {
    const opened: string[] = [];
    const template = buildMenuTemplate(['/data/a', '/data/b'], {
      openStore: () => {},
      openRecent: (dir) => opened.push(dir),
      clearRecent: () => {},
      showConnectHelp: () => {},
      developerTools: false,
    });
    const recent = find(find(template, 'File')?.submenu ?? [], 'Open Recent')?.submenu ?? [];
    assert.equal(recent.length, 4);
    recent[1]?.click?.();
    assert.deepEqual(opened, ['/data/b']);
    const view = find(template, 'View')?.submenu ?? [];
    assert.ok(!view.some((entry) => entry.role === 'toggleDevTools'), 'no developer tools in a packaged app');
    assert.ok((find(template, 'File')?.submenu ?? []).some((entry) => entry.role === 'quit'));
  });

  it('says so when there are no recent stores', () => {
    const template = buildMenuTemplate([], {
      openStore: () => {},
      openRecent: () => {},
      clearRecent: () => {},
      showConnectHelp: () => {},
      developerTools: true,
    });
    const recent = find(find(template, 'File')?.submenu ?? [], 'Open Recent')?.submenu ?? [];
    assert.deepEqual(recent, [{ label: 'No recent stores', enabled: false }]);
  });
});
