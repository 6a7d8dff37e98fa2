import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { EngineHost, type CallOutcome } from '../../engine/api/EngineHost.js';

function ok<T>(outcome: CallOutcome): T {
  assert.ok(outcome.ok, JSON.stringify(outcome));
  return (outcome as Extract<CallOutcome, { ok: true }>).result as T;
}

function failure(outcome: CallOutcome): { code: string; message: string } {
  assert.equal(outcome.ok, false, JSON.stringify(outcome).slice(0, 300));
  return (outcome as Extract<CallOutcome, { ok: false }>).error;
}

interface Change {
  key: string;
  kind: string;
  before: unknown;
  after: unknown;
  apply?: string;
  inEffect?: boolean;
}

describe('config/* through the engine host', () => {
  let root: string;
  let host: EngineHost;
  let storeId: string;
  let file: string;

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'vexfs-config-api-'));
    host = new EngineHost({ workspaceRoot: root, checkOutputs: true });
    storeId = ok<{ storeId: string }>(await host.call('store/create', { dir: 'cfg', dim: 4 })).storeId;
    file = join(root, 'cfg', 'vexfs.toml');
  });
  after(async () => {
    await host.close();
    rmSync(root, { recursive: true, force: true });
  });

  it('describes every field with its kind, bounds and whether it applies live', async () => {
    const { fields } = ok<{ fields: { key: string; kind: string; apply: string; min: number | null }[] }>(
      await host.call('config/fields', {}),
    );
    const window = fields.find((f) => f.key === 'general.commit_window_us');
    assert.deepEqual([window?.kind, window?.apply, window?.min], ['integer', 'restart', 0]);
    assert.equal(fields.find((f) => f.key === 'performance.io_threads')?.apply, 'live');
  });

  it('validates text with every problem at its line and column', async () => {
    const checked = ok<{
      valid: boolean;
      diagnostics: { line: number; column: number; key: string | null; severity: string }[];
    }>(await host.call('config/validate', { text: '[general]\ncommit_window_us = "soon"\n[performanse]\n' }));
    assert.equal(checked.valid, false);
    const byKey = new Map(checked.diagnostics.map((d) => [d.key, d]));
    assert.deepEqual(
      [byKey.get('general.commit_window_us')?.line, byKey.get('general.commit_window_us')?.column],
      [2, 20],
    );
    assert.equal(byKey.get('performanse')?.line, 3);
    const syntax = ok<{ diagnostics: { line: number; kind: string }[] }>(
      await host.call('config/validate', { text: '[general\n' }),
    );
    assert.equal(syntax.diagnostics[0]?.kind, 'syntax');
    assert.equal(syntax.diagnostics[0]?.line, 1);
  });

  it('reads, diffs, refuses to save invalid text, saves, applies and shows origins', async () => {
    assert.deepEqual(ok(await host.call('config/read', { storeId })), { path: file, exists: false, text: '' });
    const bad = failure(await host.call('config/save', { storeId, text: '[general]\ncommit_window_us = -1\n' }));
    assert.equal(bad.code, 'E_CONFIG');
    assert.match(bad.message, /:2:20: /);
    assert.equal(existsSync(file), false, 'nothing is written for invalid text');

    const text = '[general]\ncommit_window_us = 500\n';
    const diff = ok<{ changes: Change[] }>(await host.call('config/diff', { storeId, text }));
    assert.deepEqual(
      diff.changes.map((c) => [c.key, c.kind, c.before, c.after]),
      [['general.commit_window_us', 'added', 0, 500]],
    );
    ok(await host.call('config/save', { storeId, text }));
    assert.equal(readFileSync(file, 'utf8'), text);

    const applied = ok<{ changes: Change[]; restartNeeded: boolean }>(
      await host.call('config/apply', {
        storeId,
        text: '[general]\ncommit_window_us = 500\n[performance]\nio_threads = 2\n',
      }),
    );
    assert.deepEqual(
      applied.changes.map((c) => [c.key, c.apply, c.inEffect]),
      [['performance.io_threads', 'live', true]],
    );
    assert.equal(applied.restartNeeded, false);
    const restart = ok<{ changes: Change[]; restartNeeded: boolean }>(
      await host.call('config/apply', {
        storeId,
        text: '[general]\ncommit_window_us = 900\n[performance]\nio_threads = 2\n',
      }),
    );
    assert.deepEqual(
      restart.changes.map((c) => [c.key, c.apply, c.inEffect]),
      [['general.commit_window_us', 'restart', false]],
    );
    assert.equal(restart.restartNeeded, true);

    const effective = ok<{
      values: Record<string, unknown>;
      origins: Record<string, { kind: string; layer: string | null; line: number | null }>;
    }>(await host.call('config/effective', { storeId }));
    assert.equal(effective.values['general.commit_window_us'], 900);
    assert.deepEqual(
      [
        effective.origins['general.commit_window_us']?.kind,
        effective.origins['general.commit_window_us']?.layer,
        effective.origins['general.commit_window_us']?.line,
      ],
      ['file', 'store', 2],
    );
    assert.equal(effective.origins['general.atime']?.kind, 'default');
  });

  it('advises on a config and refuses advice on invalid text', async () => {
    const { advisories } = ok<{ advisories: { key: string; severity: string }[] }>(
      await host.call('config/advise', { text: '[performance]\nmemory_pool_size = "64MiB"\n' }),
    );
    assert.ok(advisories.some((a) => a.key === 'performance.memory_pool_size'));
    assert.equal(
      failure(await host.call('config/advise', { text: '[performance]\nmemory_pool_size = true\n' })).code,
      'E_CONFIG',
    );
    assert.equal(failure(await host.call('config/read', { storeId: 'not-open' })).code, 'E_NOT_FOUND');
  });
});
