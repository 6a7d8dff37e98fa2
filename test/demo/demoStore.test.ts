import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { DEMO_COLLECTION, DEMO_DIM, ensureDemoStore, hashedWordEmbedding } from '../../engine/demo/demoStore.js';
import { openSession } from '../../engine/session.js';
import { collectionsOf } from '../../engine/vector/Collections.js';

const root = mkdtempSync(join(tmpdir(), 'vexfs-demo-'));
after(() => rmSync(root, { recursive: true, force: true }));

test('the demo store has files with vectors and a collection to search with filters, created once', async () => {
  const dir = join(root, 'demo');
  assert.equal(await ensureDemoStore(dir), true);
  assert.equal(await ensureDemoStore(dir), false, 'a second start reuses it');
  const session = await openSession(dir, { readOnly: true });
  try {
    const collections = await collectionsOf(session.store);
    assert.deepEqual(
      collections.list().map((c) => [c.name, c.count, c.dim]),
      [
        ['_files', 6, DEMO_DIM],
        [DEMO_COLLECTION, 12, DEMO_DIM],
      ],
    );
    // Similar wording ranks first: a query made of a sentence's words finds that sentence.
    const query = hashedWordEmbedding('group commit fsync writers', DEMO_DIM);
    const hits = await collections.get(DEMO_COLLECTION).search(query, { k: 3 });
    assert.equal((hits[0]?.payload as { topic: string }).topic, 'storage');
    const filtered = await collections.get(DEMO_COLLECTION).search(query, { k: 3, filter: { topic: 'kernels' } });
    assert.equal(filtered.length, 3);
    assert.ok(filtered.every((h) => (h.payload as { topic: string }).topic === 'kernels'));
    const files = await collections.get('_files').search(hashedWordEmbedding('SIMD kernels AVX', DEMO_DIM), { k: 1 });
    assert.equal(files[0]?.id, '/notes/simd.txt');
  } finally {
    await session.close();
  }
});
