import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { describeConfigFields, listConfigFields } from '../../engine/config/describe.js';
import { renderConfigReference } from '../../engine/config/renderReference.js';
import {
  ConfigSchema,
  defaultConfig,
  scanThreads,
  SECTION_NAMES,
  simdKernelsEnabled,
} from '../../engine/config/schema.js';

const SEED_KEYS = [
  'performance.memory_pool_size',
  'performance.enable_simd',
  'performance.max_concurrent_operations',
  'performance.io_threads',
  'performance.cache_size',
  'optimization.enable_memory_optimization',
  'optimization.enable_simd_optimization',
  'optimization.enable_stack_optimization',
  'optimization.enable_cross_layer_optimization',
];

test('the schema has the required sections and every key of the seed guide', () => {
  for (const section of ['general', 'performance', 'optimization', 'cache', 'fuse', 'api', 'search']) {
    assert.ok(SECTION_NAMES.includes(section as never), `missing section [${section}]`);
  }
  const keys = describeConfigFields().map((field) => field.key);
  for (const key of [
    ...SEED_KEYS,
    'general.sync_on_close',
    'general.commit_window_us',
    'general.atime',
    'search.default_k',
  ]) {
    assert.ok(keys.includes(key), `missing key ${key}`);
  }
  assert.equal(new Set(keys).size, keys.length);
});

test('every key declares type, default, apply, status and a one-line description', () => {
  for (const field of describeConfigFields()) {
    assert.ok(['boolean', 'integer', 'size', 'enum', 'string'].includes(field.kind), field.key);
    assert.ok(['live', 'restart'].includes(field.apply), field.key);
    assert.ok(['effective', 'later', 'inert'].includes(field.status), field.key);
    assert.ok(field.description.length > 10 && !field.description.includes('\n'), field.key);
    assert.ok(field.effect.length > 10, field.key);
    if (field.status === 'later') assert.ok(field.capability, `${field.key} is later but names no capability`);
    if (field.kind === 'integer' || field.kind === 'size') {
      assert.ok(field.min !== null && field.max !== null && field.min <= field.max, field.key);
      assert.ok(
        typeof field.default === 'number' && field.default >= field.min && field.default <= field.max,
        field.key,
      );
    }
    if (field.kind === 'enum') assert.ok(field.choices?.includes(field.default as string), field.key);
  }
  // The plain description is JSON all the way down, for the app's config form.
  assert.deepEqual(JSON.parse(JSON.stringify(describeConfigFields())), describeConfigFields());
});

test('the documented defaults are what the schema fills in, and they validate', () => {
  const defaults = defaultConfig();
  for (const field of listConfigFields()) {
    const section = defaults[field.section] as Record<string, unknown>;
    assert.equal(section[field.name], field.meta.default, field.key);
    assert.equal(field.schema.parse(field.meta.default), field.meta.default, field.key);
  }
  assert.deepEqual(ConfigSchema.parse(defaults), defaults);
  assert.equal(simdKernelsEnabled(defaults), true);
});

test('the seed keys with no honest meaning here are inert, and only those', () => {
  const inert = describeConfigFields()
    .filter((field) => field.status === 'inert')
    .map((field) => field.key);
  assert.deepEqual(inert, ['optimization.enable_stack_optimization', 'optimization.enable_cross_layer_optimization']);
});

test('SIMD kernels run only when both switches are on', () => {
  const config = defaultConfig();
  assert.equal(simdKernelsEnabled({ ...config, performance: { ...config.performance, enable_simd: false } }), false);
  assert.equal(
    simdKernelsEnabled({ ...config, optimization: { ...config.optimization, enable_simd_optimization: false } }),
    false,
  );
});

test('scanThreads turns io_threads into the kernels threads option', () => {
  const config = defaultConfig();
  const withThreads = (io_threads: number) => ({ ...config, performance: { ...config.performance, io_threads } });
  assert.equal(scanThreads(withThreads(0), 6), 6);
  assert.equal(scanThreads(withThreads(0), 1000), 256);
  assert.equal(scanThreads(withThreads(3), 6), 3);
});

test('docs/config.md is exactly what renderConfigReference() produces', () => {
  const path = fileURLToPath(new URL('../../docs/config.md', import.meta.url));
  const onDisk = readFileSync(path, 'utf8');
  assert.equal(
    onDisk,
    renderConfigReference(),
    'docs/config.md is stale: run node bin/vexctl.mjs config reference > docs/config.md',
  );
  for (const field of listConfigFields())
    assert.ok(onDisk.includes(`\`${field.key}\``), `${field.key} is not documented`);
});
