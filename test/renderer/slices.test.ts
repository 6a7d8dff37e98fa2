import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineHost } from '../../engine/api/EngineHost.js';
import { flattenTree, PAGE_ENTRIES, rememberRecent } from '../../renderer/src/state/storesSlice.js';
import { connectEvents, createWorkbench, type WorkbenchStore } from '../../renderer/src/state/workbench.js';
import { callerFor, memoryStorage, until } from './harness.js';

describe('the workbench slices over a real engine host', () => {
  let root: string;
  let host: EngineHost;
  let store: WorkbenchStore;
  let storage: ReturnType<typeof memoryStorage>;

  before(() => {
    root = mkdtempSync(join(tmpdir(), 'vexfs-slices-'));
    host = new EngineHost({ workspaceRoot: root, checkOutputs: true });
    storage = memoryStorage();
    store = createWorkbench({ client: callerFor(host), storage });
    connectEvents(store, {
      on: (name, listener) => host.subscribe((event, payload) => event === name && listener(payload as never)),
    });
  });
  after(async () => {
    await host.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('keeps recent stores newest first, without repeats, at most ten', () => {
    let recent: string[] = [];
    for (let i = 0; i < 12; i++) recent = rememberRecent(recent, `s${i}`);
    recent = rememberRecent(recent, 's5');
    assert.deepEqual(recent.slice(0, 3), ['s5', 's11', 's10']);
    assert.equal(recent.length, 10);
  });

  it('says why a store cannot be created, then creates one and remembers it', async () => {
    await store.getState().createStore('../elsewhere', 4);
    assert.match(store.getState().storeError ?? '', /EACCES: .*outside the workspace root/);
    await store.getState().createStore('big', 4);
    const state = store.getState();
    assert.equal(state.storeError, null);
    assert.equal(state.stores.length, 1);
    assert.equal(state.currentStoreId, state.stores[0]?.storeId);
    assert.deepEqual(JSON.parse(storage.map.get('vexfs.recentStores') ?? '[]'), [join(root, 'big')]);
  });

  it('pages a large directory through readdir offsets and shows a "more" row until the end', async () => {
    const storeId = store.getState().currentStoreId as string;
    const count = PAGE_ENTRIES + 120;
    await host.call('fs/mkdir', { storeId, path: '/many' });
    for (let i = 0; i < count; i++) {
      const outcome = await host.call('fs/write-file', {
        storeId,
        path: `/many/f${String(i).padStart(4, '0')}`,
        dataBase64: '',
      });
      assert.ok(outcome.ok);
    }
    await store.getState().refreshTree();
    store.getState().toggleDir('/many');
    await until(store, () => store.getState().listings['/many']?.loading === false);
    let rows = flattenTree(store.getState().listings, store.getState().expanded);
    assert.equal(rows.filter((r) => r.kind === 'file').length, PAGE_ENTRIES);
    assert.deepEqual(rows.at(-1), {
      path: '/many',
      name: 'more…',
      depth: 1,
      kind: 'more',
      sizeBytes: 0,
      expanded: false,
    });
    await store.getState().loadDir('/many', true);
    rows = flattenTree(store.getState().listings, store.getState().expanded);
    assert.equal(rows.filter((r) => r.kind === 'file').length, count);
    assert.equal(rows.at(-1)?.kind, 'file', 'no "more" row once the listing is complete');
    assert.deepEqual(rows[0], {
      path: '/many',
      name: 'many',
      depth: 0,
      kind: 'dir',
      sizeBytes: rows[0]?.sizeBytes,
      expanded: true,
    });
  });

  it('shows a file with its xattrs and vector, and an error for a missing one', async () => {
    const storeId = store.getState().currentStoreId as string;
    const vector = Buffer.from(new Float32Array([0.5, -1, 2, 0]).buffer).toString('base64');
    await host.call('fs/write-file', { storeId, path: '/v.txt', dataBase64: Buffer.from('hi').toString('base64') });
    await host.call('fs/setxattr', { storeId, path: '/v.txt', name: 'user.vexfs.vector', valueBase64: vector });
    await store.getState().selectPath('/v.txt');
    const details = store.getState().details;
    assert.equal(details?.stat?.size, 2);
    assert.deepEqual(details?.stat?.xattrs, ['user.vexfs.vector']);
    assert.deepEqual(details?.vector, [0.5, -1, 2, 0]);
    await store.getState().selectPath('/missing');
    assert.match(store.getState().details?.error ?? '', /^ENOENT/);
  });

  it('keeps the form and the raw TOML in step, with errors at line and column, and applies', async () => {
    const storeId = store.getState().currentStoreId as string;
    await store.getState().loadConfigFor(storeId);
    assert.equal(store.getState().text, '');
    await store.getState().setConfigField('general.commit_window_us', '250');
    assert.equal(store.getState().text, '[general]\ncommit_window_us = 250\n');
    assert.equal(store.getState().values['general.commit_window_us'], 250);
    assert.deepEqual(
      store.getState().changes.map((c) => c.key),
      ['general.commit_window_us'],
    );
    await store.getState().setConfigText('[general]\ncommit_window_us = "later"\n');
    const error = store.getState().diagnostics.find((d) => d.severity === 'error');
    assert.deepEqual([error?.line, error?.column, error?.key], [2, 20, 'general.commit_window_us']);
    await store.getState().setConfigText('[general]\ncommit_window_us = 250\n');
    await store.getState().saveConfig(true);
    assert.match(store.getState().configNotice ?? '', /reopened: general\.commit_window_us/);
    assert.equal(store.getState().savedText, '[general]\ncommit_window_us = 250\n');
    assert.equal(store.getState().effective?.origins['general.commit_window_us']?.layer, 'store');
  });

  it('tells the user what to do when there is nothing to compare', async () => {
    await store.getState().compare();
    assert.match(store.getState().compareError ?? '', /Choose a baseline and a current run/);
    await store.getState().exportReport('out');
    assert.match(store.getState().reportError ?? '', /Preview a report first/);
  });

  it('refuses to run with a bad form value and marks the field', async () => {
    await store.getState().loadProfiles();
    store.getState().selectProfile('noop');
    store.getState().setFormField('load.concurrency', '0');
    await store.getState().startRun();
    assert.match(store.getState().formErrors['load.concurrency'] ?? '', /below the minimum 1/);
    assert.equal(store.getState().run, null);
  });

  it('drops the theme choice into storage', () => {
    store.getState().setTheme('dark');
    assert.equal(storage.map.get('vexfs.theme'), 'dark');
    assert.equal(createWorkbench({ client: callerFor(host), storage }).getState().theme, 'dark');
  });
});
