import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fsck } from '../../engine/store/fsck.js';
import { DB_FILE } from '../../engine/store/layout.js';
import { Store } from '../../engine/store/Store.js';
import { collectionsOf } from '../../engine/vector/Collections.js';
import { pointChecksum } from '../../engine/vector/schema.js';
import { tempRoot } from './helpers.js';

const { root, cleanup } = tempRoot('fsck-vectors');
after(cleanup);

async function storeWithPoints(name: string): Promise<string> {
  const dir = join(root, name);
  const store = await Store.create(dir, { dim: 4 });
  const collections = await collectionsOf(store);
  await collections.create('docs', { dim: 4, metric: 'l2' });
  await collections.collection('docs').upsert('a', [1, 2, 3, 4], { tag: 'x' });
  await collections.collection('docs').upsert('b', [4, 3, 2, 1]);
  await store.close();
  return dir;
}

function messages(report: Awaited<ReturnType<typeof fsck>>): string {
  return report.problems.map((p) => p.message).join('\n');
}

test('fsck checks the vector tables: clean, a flipped vector byte, a wrong size, an orphan point', async () => {
  const clean = await storeWithPoints('clean');
  assert.deepEqual(
    (await fsck(clean)).problems.filter((p) => p.severity === 'error'),
    [],
  );

  const flipped = await storeWithPoints('flipped');
  let db = new Database(join(flipped, DB_FILE));
  db.prepare("UPDATE vector_points SET vector = ? WHERE id = 'a'").run(
    Buffer.from(new Float32Array([1, 2, 3, 5]).buffer),
  );
  db.close();
  assert.match(messages(await fsck(flipped)), /point 'a' of collection 'docs' fails its checksum/);

  const sized = await storeWithPoints('sized');
  db = new Database(join(sized, DB_FILE));
  const short = Buffer.from(new Float32Array([1, 2]).buffer);
  db.prepare("UPDATE vector_points SET vector = ?, crc = ? WHERE id = 'b'").run(
    short,
    pointChecksum('docs', 'b', short, 'null'),
  );
  const payload = db.prepare("SELECT payload FROM vector_points WHERE id = 'b'").pluck().get() as string;
  db.prepare("UPDATE vector_points SET crc = ? WHERE id = 'b'").run(pointChecksum('docs', 'b', short, payload));
  db.prepare("UPDATE vector_points SET collection = 'gone', crc = ? WHERE id = 'a'").run(
    pointChecksum('gone', 'a', Buffer.from(new Float32Array([1, 2, 3, 4]).buffer), '{"tag":"x"}'),
  );
  db.close();
  const report = messages(await fsck(sized));
  assert.match(report, /point 'b' of collection 'docs' has a 8-byte vector; the collection's are 16 bytes/);
  assert.match(report, /point 'a' of collection 'gone' belongs to no collection/);
});
