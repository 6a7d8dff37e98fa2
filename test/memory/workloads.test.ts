import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { parseProfile } from '../../engine/bench/profile/load.js';
import { CacheSession } from '../../engine/bench/workloads/cache.js';
import { memoryPoolWorkload } from '../../engine/bench/workloads/memoryPool.js';
import { getWorkload } from '../../engine/bench/workloads/registry.js';
import type { WorkloadContext } from '../../engine/bench/workloads/types.js';
import { isVexError } from '../../engine/errors.js';
import { benchStoreConfig } from '../../engine/memory/benchConfig.js';

const scratch = mkdtempSync(join(tmpdir(), 'vexfs-memory-workloads-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function context(
  subject: string,
  storeConfig: Record<string, unknown>,
  params: Record<string, unknown> = {},
): WorkloadContext {
  return {
    subject,
    dataset: { generator: null, file: null, size: 0, dim: 0, seed: 1 },
    storeConfig,
    params,
    storeDir: null,
    scratchDir: join(scratch, subject),
  };
}

describe('memory workloads', () => {
  it('the memory-pool and cache profiles validate against their registered workloads', () => {
    for (const name of ['memory-pool', 'cache']) {
      const path = join(import.meta.dirname, '..', '..', 'bench-profiles', `${name}.toml`);
      const { profile } = parseProfile(readFileSync(path, 'utf8'), path);
      assert.equal(getWorkload(profile.module).name, profile.module);
    }
    const cache = parseProfile(
      readFileSync(join(import.meta.dirname, '..', '..', 'bench-profiles', 'cache.toml'), 'utf8'),
      'cache.toml',
    ).profile;
    assert.equal(cache.store.cache_size, 8 * 1024 * 1024, 'sizes parsed by the config schema');
    assert.equal(cache.params.working_set_factor, 4);
  });

  it('a profile with a bad [store] key or size is refused with its path', () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'bench-profiles', 'cache.toml'), 'utf8');
    assert.throws(
      () => parseProfile(text.replace('cache_size = "8MiB"', 'cache_sise = "8MiB"'), 'bad.toml'),
      (e: unknown) => isVexError(e, 'E_PROFILE') && /store/.test(e.message),
    );
    assert.throws(
      () => parseProfile(text.replace('cache_size = "8MiB"', 'cache_size = "8 furlongs"'), 'bad.toml'),
      (e: unknown) => isVexError(e, 'E_PROFILE') && /cache_size/.test(e.message),
    );
    assert.throws(
      () => benchStoreConfig({ enable_memory_optimization: 'yes' }),
      (e: unknown) => isVexError(e, 'E_PROFILE'),
    );
    const defaults = benchStoreConfig({});
    assert.equal(defaults.optimization.enable_memory_optimization, true);
  });

  it('memory_pool: every subject runs every size; only the pools subject touches the pools', async () => {
    for (const subject of ['pools', 'alloc_unsafe', 'uint8array']) {
      const session = (await memoryPoolWorkload.open(
        context(subject, { memory_pool_size: 1024 * 1024 }),
      )) as unknown as {
        run(op: number): void;
        figures(): Record<string, number>;
        close(): Promise<void>;
      };
      for (let i = 0; i < 300; i++) session.run(i % 3);
      const figures = session.figures();
      const hits =
        (figures['tier_1024.hits'] ?? 0) + (figures['tier_4096.hits'] ?? 0) + (figures['tier_16384.hits'] ?? 0);
      if (subject === 'pools') {
        assert.equal(hits, 297, 'one miss per tier, then every acquire is a hit');
        assert.equal(figures.held_bytes, 1024 + 4096 + 16384);
      } else {
        assert.equal(hits, 0);
      }
      await session.close();
    }
  });

  it('cache: reads through the Vfs, hit rate at most the optimum, nothing cached without the cache', async () => {
    const storeConfig = { cache_size: 4 * 65536 };
    const params = { working_set_factor: 4, zipf_s: 0.99, read_bytes: 4096, files: 3 };
    const cached = await CacheSession.open(context('vexfs', storeConfig, params));
    for (let i = 0; i < 3000; i++) cached.run();
    const figures = cached.figures();
    assert.equal(figures.reads, 3000);
    assert.equal(figures.cache_blocks, 4);
    assert.ok(figures.working_set_blocks! >= 16);
    assert.ok(figures.hit_rate! > 0 && figures.hit_rate! <= figures.optimum_hit_rate!, JSON.stringify(figures));
    assert.ok(figures.optimum_hit_rate! <= figures.optimum_bypass_hit_rate!);
    assert.ok(figures.cache_bytes! <= 4 * 65536);
    await cached.reopen();
    assert.equal(cached.figures().reads, 0);
    await cached.close();

    const plain = await CacheSession.open(context('vexfs_no_cache', storeConfig, params));
    for (let i = 0; i < 500; i++) plain.run();
    assert.ok(Number.isNaN(plain.figures().hit_rate));
    assert.equal(plain.figures().cache_bytes, 0);
    await plain.close();
  });
});
