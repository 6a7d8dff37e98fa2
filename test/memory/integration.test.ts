import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createRandom } from '../../engine/bench/stats/random.js';
import { ConfigSchema, type VexfsConfig } from '../../engine/config/schema.js';
import { isVexError } from '../../engine/errors.js';
import { O_RDWR, ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { attachMemory, memoryOf } from '../../engine/memory/StoreMemory.js';
import { BLOCK_SIZE } from '../../engine/store/layout.js';
import { BLOCKS_PER_FILE } from '../../engine/store/schema.js';
import { Store } from '../../engine/store/Store.js';

const LONG = process.env.VEXFS_TEST_TIER === 'long';
const ROOT = 1;
const cred = ROOT_CRED;
const parent = mkdtempSync(join(tmpdir(), 'vexfs-memory-'));
let dirs = 0;
after(() => rmSync(parent, { recursive: true, force: true }));

function config(values: { cache?: string; pool?: string; on?: boolean } = {}): VexfsConfig {
  return ConfigSchema.parse({
    performance: { cache_size: values.cache ?? '192KiB', memory_pool_size: values.pool ?? '1MiB' },
    optimization: { enable_memory_optimization: values.on ?? true },
  });
}

async function cachedStore(values: Parameters<typeof config>[0] = {}) {
  const dir = join(parent, `store-${dirs++}`);
  const store = await Store.create(dir, { dim: 4, syncOnClose: false });
  const memory = attachMemory(store, config(values));
  return { dir, store, memory, vfs: new Vfs(store) };
}

/** Reads a whole file through the Vfs with one handle. */
function readAll(vfs: Vfs, fh: number, size: number): Buffer {
  return Buffer.from(vfs.read(fh, 0, size));
}

describe('memory in the Vfs read/write path', () => {
  it('reads through the cache return the model bytes after random writes, truncates and unlinks', async () => {
    const { dir, store, memory, vfs } = await cachedStore();
    const random = createRandom(2024);
    const files = 4;
    const model: Buffer[] = Array.from({ length: files }, () => Buffer.alloc(0));
    const handles: number[] = [];
    for (let f = 0; f < files; f++) handles.push((await vfs.create(ROOT, `f${f}`, 0o644, O_RDWR, cred)).fh);
    const steps = LONG ? 4000 : 600;
    const maxSize = 5 * BLOCK_SIZE;
    for (let step = 0; step < steps; step++) {
      const f = random.int(files);
      const fh = handles[f]!;
      const choice = random.next();
      if (choice < 0.35) {
        const offset = random.int(maxSize);
        const length = 1 + random.int(Math.min(maxSize - offset, random.next() < 0.7 ? 9000 : 2 * BLOCK_SIZE));
        const data = Buffer.alloc(length);
        for (let i = 0; i < length; i += 97) data[i] = 1 + random.int(255);
        const pending = vfs.write(fh, offset, data, cred);
        // A read in the same turn sees the uncommitted write (same connection), and must not cache it.
        const grown = Buffer.alloc(Math.max(model[f]!.length, offset + length));
        model[f]!.copy(grown);
        data.copy(grown, offset);
        model[f] = grown;
        assert.deepEqual(readAll(vfs, fh, maxSize), model[f], `step ${step}: read before commit`);
        if (random.next() < 0.8) await pending;
        else pending.catch(() => {}); // left to commit with the next group
      } else if (choice < 0.45) {
        const size = random.int(maxSize);
        const ino = inoOf(vfs, f);
        await vfs.setattr(ino, { size }, cred);
        const resized = Buffer.alloc(size);
        model[f]!.copy(resized, 0, 0, Math.min(size, model[f]!.length));
        model[f] = resized;
      } else if (choice < 0.5) {
        await vfs.release(fh);
        await vfs.unlink(ROOT, `f${f}`, cred);
        handles[f] = (await vfs.create(ROOT, `f${f}`, 0o644, O_RDWR, cred)).fh;
        model[f] = Buffer.alloc(0);
      } else {
        const size = model[f]!.length;
        const offset = random.int(size + 10);
        const length = 1 + random.int(random.next() < 0.7 ? 8192 : 3 * BLOCK_SIZE);
        const expected = model[f]!.subarray(Math.min(offset, size), Math.min(size, offset + length));
        assert.deepEqual(Buffer.from(vfs.read(fh, offset, length)), expected, `step ${step}: read ${offset}+${length}`);
      }
      const stats = memory.cache!.stats();
      assert.ok(stats.bytes <= stats.capacityBytes);
    }
    await store.sync();
    const stats = memory.cache!.stats();
    assert.ok(stats.hits > 0 && stats.evictions > 0 && stats.invalidations > 0, JSON.stringify(stats));
    const pools = memory.pools!.stats();
    assert.ok(
      pools.tiers.some((t) => t.hits > 0),
      'partial writes of small blocks used the pools',
    );
    assert.ok(
      pools.tiers.every((t) => t.inUse === 0),
      'every pooled buffer was given back',
    );
    for (const fh of handles) await vfs.release(fh);
    await store.close();

    // The same bytes without the cache: the store reopened with no memory attached.
    const plain = await Store.open(dir, { syncOnClose: false });
    assert.equal(memoryOf(plain), undefined);
    const plainVfs = new Vfs(plain);
    for (let f = 0; f < files; f++) {
      const ino = plainVfs.lookup(ROOT, `f${f}`, cred).ino;
      const fh = await plainVfs.open(ino, O_RDWR, cred);
      assert.deepEqual(readAll(plainVfs, fh, maxSize), model[f], `file ${f} without the cache`);
      await plainVfs.release(fh);
    }
    await plain.close();
  });

  it('write, truncate and unlink are visible to the next read of a cached block', async () => {
    const { store, memory, vfs } = await cachedStore({ cache: '1MiB' });
    const { attr, fh } = await vfs.create(ROOT, 'a', 0o644, O_RDWR, cred);
    await vfs.write(fh, 0, Buffer.alloc(2 * BLOCK_SIZE, 1), cred);
    assert.equal(vfs.read(fh, 10, 1)[0], 1);
    assert.equal(vfs.read(fh, BLOCK_SIZE + 10, 1)[0], 1);
    assert.equal(memory.cache!.stats().entries, 2);
    assert.equal(vfs.read(fh, 10, 1)[0], 1);
    assert.ok(memory.cache!.stats().hits >= 1);

    await vfs.write(fh, 5, Buffer.from([7, 7, 7, 7, 7, 7, 7, 7, 7, 7, 7]), cred);
    assert.equal(vfs.read(fh, 10, 1)[0], 7, 'a write replaces the cached block');

    await vfs.setattr(attr.ino, { size: BLOCK_SIZE + 4 }, cred);
    assert.equal(vfs.read(fh, BLOCK_SIZE + 10, 1).length, 0, 'a truncate drops the blocks past the end');
    await vfs.setattr(attr.ino, { size: 2 * BLOCK_SIZE }, cred);
    assert.equal(vfs.read(fh, BLOCK_SIZE + 10, 1)[0], 0, 'grown again: a hole, not the old cached bytes');

    await vfs.release(fh);
    await vfs.unlink(ROOT, 'a', cred);
    const again = await vfs.create(ROOT, 'a', 0o644, O_RDWR, cred);
    await vfs.setattr(again.attr.ino, { size: 100 }, cred);
    assert.equal(vfs.read(again.fh, 10, 1)[0], 0, 'a new file reads its own bytes');
    const ownKeys = memory.cache!.keys().filter((k) => k.ino === attr.ino && k.index > 0);
    assert.deepEqual(ownKeys, []);
    await vfs.release(again.fh);
    await store.close();
  });

  it('a read returns a copy: changing it does not change the cached block', async () => {
    const { store, vfs } = await cachedStore({ cache: '1MiB' });
    const { fh } = await vfs.create(ROOT, 'c', 0o644, O_RDWR, cred);
    await vfs.write(fh, 0, Buffer.alloc(100, 3), cred);
    const first = vfs.read(fh, 0, 10);
    first.fill(9);
    assert.equal(vfs.read(fh, 0, 10)[0], 3);
    await vfs.release(fh);
    await store.close();
  });

  it('caches only committed, checksum-verified blocks', async () => {
    const { store, memory, vfs } = await cachedStore({ cache: '1MiB' });
    const { attr, fh } = await vfs.create(ROOT, 'b', 0o644, O_RDWR, cred);
    const pending = vfs.write(fh, 0, Buffer.alloc(500, 4), cred);
    assert.equal(vfs.read(fh, 0, 1)[0], 4);
    assert.equal(memory.cache!.stats().entries, 0, 'read inside the open write transaction: not cached');
    await pending;
    assert.equal(vfs.read(fh, 0, 1)[0], 4);
    assert.equal(memory.cache!.stats().entries, 1);

    // Flip a byte of a second file's block behind the engine's back: the read fails, nothing is cached.
    const other = await vfs.create(ROOT, 'bad', 0o644, O_RDWR, cred);
    await vfs.write(other.fh, 0, Buffer.alloc(500, 5), cred);
    store.db
      .prepare("UPDATE blocks SET data = x'00' || substr(data, 2) WHERE key = ?")
      .run(other.attr.ino * BLOCKS_PER_FILE);
    assert.throws(
      () => vfs.read(other.fh, 0, 10),
      (e: unknown) => isVexError(e, 'E_CORRUPT'),
    );
    assert.deepEqual(
      memory.cache!.keys().map((k) => k.ino),
      [attr.ino],
    );
    await vfs.release(fh);
    await vfs.release(other.fh).catch(() => {});
    await store.close().catch(() => {});
  });

  it('a read-only store sees another connection’s commits (the cache is emptied when the database changed)', async () => {
    const { dir, store, vfs } = await cachedStore({ cache: '1MiB' });
    const { attr, fh } = await vfs.create(ROOT, 'shared', 0o644, O_RDWR, cred);
    await vfs.write(fh, 0, Buffer.alloc(100, 1), cred);
    await store.sync();
    const reader = await Store.open(dir, { readOnly: true });
    const readerMemory = attachMemory(reader, config({ cache: '1MiB' }));
    const readerVfs = new Vfs(reader);
    const rfh = await readerVfs.open(attr.ino, 0, cred);
    assert.equal(readerVfs.read(rfh, 0, 1)[0], 1);
    assert.equal(readerVfs.read(rfh, 0, 1)[0], 1);
    assert.equal(readerMemory.cache!.stats().hits, 1);
    await vfs.write(fh, 0, Buffer.alloc(100, 2), cred);
    await store.sync();
    assert.equal(readerVfs.read(rfh, 0, 1)[0], 2);
    await readerVfs.release(rfh);
    await reader.close();
    await vfs.release(fh);
    await store.close();
  });

  it('enable_memory_optimization = false attaches neither pools nor cache; a store is sized once', async () => {
    const { store, memory, vfs } = await cachedStore({ on: false });
    assert.equal(memory.pools, null);
    assert.equal(memory.cache, null);
    assert.equal(memory.blockCache, null);
    const { fh } = await vfs.create(ROOT, 'x', 0o644, O_RDWR, cred);
    await vfs.write(fh, 3, Buffer.from('abc'), cred);
    assert.equal(vfs.read(fh, 0, 6).toString('latin1'), '\0\0\0abc');
    assert.throws(
      () => attachMemory(store, config()),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
    await vfs.release(fh);
    await store.close();
    assert.throws(
      () => attachMemory(store, config()),
      (e: unknown) => isVexError(e),
    );
  });
});

function inoOf(vfs: Vfs, f: number): number {
  return vfs.lookup(ROOT, `f${f}`, cred).ino;
}
