import assert from 'node:assert/strict';
import { test } from 'node:test';
import { adviseConfig } from '../../engine/config/advise.js';
import { checkConfigText, configFromValues } from '../../engine/config/checkConfig.js';
import { diffConfigs } from '../../engine/config/diff.js';
import type { VexfsConfig } from '../../engine/config/schema.js';

const GiB = 2 ** 30;
const machine = { totalMemoryBytes: 16 * GiB, cores: 4 };

/** A file's effective config and which keys it sets. */
function side(text: string): { config: VexfsConfig; isSet: (key: string) => boolean } {
  const check = checkConfigText(text, 'x.toml', machine);
  assert.deepEqual(
    check.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  return { config: configFromValues(check.values), isSet: (key) => check.values.has(key) };
}

function advise(text: string) {
  const { config, isSet } = side(text);
  return adviseConfig(config, { isSet, ...machine });
}

function find(advisories: ReturnType<typeof advise>, key: string, pattern: RegExp) {
  return advisories.find((advisory) => advisory.key === key && pattern.test(advisory.message));
}

test('the pool size is compared with RAM and the seed guide range', () => {
  const big = find(
    advise('[performance]\nmemory_pool_size = "12GiB"\ncache_size = 0\n'),
    'performance.memory_pool_size',
    /75\.0% of RAM/,
  );
  assert.equal(big?.severity, 'warning');
  assert.match(big?.message ?? '', /25-50%/);
  const small = find(advise(''), 'performance.memory_pool_size', /% of RAM/);
  assert.equal(small?.severity, 'info');
  assert.ok(
    find(
      advise('[performance]\nmemory_pool_size = "1GiB"\nmax_concurrent_operations = 10\n'),
      'performance.memory_pool_size',
      /in flight/,
    ),
  );
  const budgets = find(
    advise('[performance]\nmemory_pool_size = "6GiB"\ncache_size = "6GiB"\n'),
    'performance.cache_size',
    /pools \+ cache \+ index/,
  );
  assert.equal(budgets?.severity, 'warning');
});

test('io_threads is compared with the available cores', () => {
  assert.equal(
    find(advise('[performance]\nio_threads = 16\n'), 'performance.io_threads', /16 threads on 4/)?.severity,
    'warning',
  );
  assert.equal(find(advise('[performance]\nio_threads = 2\n'), 'performance.io_threads', /2 of 4/)?.severity, 'info');
  assert.ok(find(advise(''), 'performance.io_threads', /automatic: 4 threads/));
  assert.equal(find(advise('[performance]\nio_threads = 4\n'), 'performance.io_threads', /./), undefined);
});

test('SIMD off, inert keys set and other risky settings are flagged with a reason', () => {
  const off = advise('[optimization]\nenable_simd_optimization = false\n');
  assert.equal(find(off, 'optimization.enable_simd_optimization', /scalar/)?.severity, 'warning');
  const inert = advise('[optimization]\nenable_stack_optimization = true\n');
  const stack = find(inert, 'optimization.enable_stack_optimization', /inert/);
  assert.match(stack?.reason ?? '', /stack/);
  assert.equal(find(advise(''), 'optimization.enable_stack_optimization', /./), undefined);
  assert.ok(find(advise('[general]\nsync_on_close = false\n'), 'general.sync_on_close', /fsync/));
  assert.ok(find(advise(''), 'api.workspace_root', /not confined/));
  assert.equal(find(advise('[api]\nworkspace_root = "/srv/vexfs"\n'), 'api.workspace_root', /./), undefined);
  assert.equal(
    find(advise('[fuse]\nallow_other = true\ndefault_permissions = false\n'), 'fuse.allow_other', /./)?.severity,
    'warning',
  );
  assert.ok(find(advise('[fuse]\nattr_timeout_ms = 0\n'), 'fuse.attr_timeout_ms', /caches nothing/));
  assert.ok(find(advise('[performance]\ncache_size = 0\n'), 'performance.cache_size', /disabled/));
  assert.ok(find(advise('[general]\ncommit_window_us = 500\n'), 'general.commit_window_us', /500 µs/));
  assert.ok(advise('').every((advisory) => advisory.key.includes('.') && advisory.reason.length > 0));
});

test('diff reports added, removed and changed keys on effective values', () => {
  const a = side('[performance]\ncache_size = "1GiB"\nio_threads = 2\n[general]\natime = "relatime"\n');
  const b = side('[performance]\ncache_size = 1073741824\nio_threads = 3\n[search]\ndefault_k = 20\n[api]\nport = 0\n');
  assert.deepEqual(diffConfigs(a, b), [
    { key: 'general.atime', kind: 'removed', before: 'relatime', after: 'relatime', sameValue: true },
    { key: 'performance.io_threads', kind: 'changed', before: 2, after: 3, sameValue: false },
    { key: 'api.port', kind: 'added', before: 0, after: 0, sameValue: true },
    { key: 'search.default_k', kind: 'added', before: 10, after: 20, sameValue: false },
  ]);
  assert.deepEqual(diffConfigs(a, a), []);
});
