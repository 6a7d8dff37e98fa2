import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { CliIo } from '../../engine/cli/command.js';
import { runCli } from '../../engine/cli/main.js';
import { Store } from '../../engine/store/Store.js';
import { f32, npy, vecs } from './ioFixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'vexfs-vector-cli-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const env = { ...process.env, XDG_DATA_HOME: join(dir, 'data') };

async function vexctl(...argv: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (t) => void (out += `${t}\n`),
    err: (t) => void (err += `${t}\n`),
    outBytes: () => {},
    isTty: false,
  };
  const code = await runCli(argv, io, { env, cwd: dir });
  return { code, out, err };
}

function file(name: string, content: string | Uint8Array): string {
  writeFileSync(join(dir, name), content);
  return name;
}

describe('vexctl collection and vector', () => {
  before(async () => {
    await (await Store.create(join(dir, 'store'), { dim: 4, metric: 'l2' })).close();
  });

  test('create, list, info, drop', async () => {
    assert.equal((await vexctl('collection', 'create', 'store', 'docs', '--dim', '3', '--metric', 'cosine')).code, 0);
    const list = await vexctl('collection', 'list', 'store', '--json');
    assert.equal(list.code, 0);
    assert.deepEqual(
      (JSON.parse(list.out) as { name: string }[]).map((c) => c.name),
      ['_files', 'docs'],
    );
    const info = JSON.parse((await vexctl('collection', 'info', 'store', 'docs', '--json')).out) as Record<
      string,
      unknown
    >;
    assert.equal(info.dim, 3);
    assert.equal(info.metric, 'cosine');
    assert.match((await vexctl('collection', 'info', 'store', 'docs')).out, /docs: 0 points, dim 3, metric cosine/);
    const hnsw = await vexctl('collection', 'create', 'store', 'h', '--dim', '3', '--metric', 'l2', '--index', 'hnsw');
    assert.equal(hnsw.code, 1);
    assert.match(hnsw.err, /^E_UNAVAILABLE: .*HNSW comes with its own capability/);
    await vexctl('collection', 'create', 'store', 'tmp', '--dim', '2', '--metric', 'l2');
    assert.equal((await vexctl('collection', 'drop', 'store', 'tmp')).code, 0);
    assert.match((await vexctl('collection', 'info', 'store', 'tmp')).err, /^E_NOT_FOUND/);
  });

  test('usage errors exit 2', async () => {
    for (const argv of [
      ['collection'],
      ['collection', 'explode', 'store'],
      ['collection', 'create', 'store', 'x', '--dim', '3'],
      ['collection', 'create', 'store', 'x', '--dim', 'three', '--metric', 'l2'],
      ['collection', 'list'],
      ['collection', 'list', 'store', '--bogus'],
      ['vector', 'search', 'store', 'docs'],
      ['vector', 'search', 'store', 'docs', '--vector', '[1,0,0]', '--k', '0'],
      ['vector', 'upsert', 'store', 'docs', '--vector', '[1,0,0]'],
      ['dataset', 'import'],
    ]) {
      const r = await vexctl(...argv);
      assert.equal(r.code, 2, `${argv.join(' ')} → ${r.err}`);
      assert.match(r.err, /^E_USAGE/);
    }
  });

  test('upsert from inline JSON and from every file format; get, search with filter, delete', async () => {
    assert.equal(
      (
        await vexctl(
          'vector',
          'upsert',
          'store',
          'docs',
          '--id',
          'a',
          '--vector',
          '[1,0,0]',
          '--payload',
          '{"lang":"en"}',
        )
      ).code,
      0,
    );
    file(
      'pts.json',
      '[{"id":"b","vector":[0,1,0],"payload":{"lang":"fr"}},{"id":"c","vector":[0.9,0.1,0],"payload":{"lang":"en"}}]',
    );
    assert.equal((await vexctl('vector', 'upsert', 'store', 'docs', '--file', 'pts.json')).code, 0);
    file('more.csv', '0,0,1\n0,0.5,0.5\n');
    assert.match(
      (await vexctl('vector', 'upsert', 'store', 'docs', '--file', 'more.csv', '--id-prefix', 'csv-')).out,
      /Upserted 2/,
    );
    file('more.fvecs', vecs([[0.1, 0.1, 1]], 'f'));
    assert.equal((await vexctl('vector', 'upsert', 'store', 'docs', '--file', 'more.fvecs', '--id', 'fv')).code, 0);
    file('more.npy', npy('<f4', [1, 3], f32([0.2, 0.2, 1])));
    assert.equal((await vexctl('vector', 'upsert', 'store', 'docs', '--file', 'more.npy', '--id', 'np')).code, 0);
    file('more.f32', f32([0.3, 0.3, 1]));
    assert.equal(
      (await vexctl('vector', 'upsert', 'store', 'docs', '--file', 'more.f32', '--dim', '3', '--id', 'raw')).code,
      0,
    );
    assert.equal(JSON.parse((await vexctl('collection', 'info', 'store', 'docs', '--json')).out).count, 8);

    const got = await vexctl('vector', 'get', 'store', 'docs', 'a', '--json');
    assert.deepEqual(JSON.parse(got.out), { id: 'a', vector: [1, 0, 0], payload: { lang: 'en' } });
    assert.match((await vexctl('vector', 'get', 'store', 'docs', 'zzz')).err, /^E_NOT_FOUND/);

    const search = await vexctl('vector', 'search', 'store', 'docs', '--vector', '[1,0,0]', '--k', '2', '--json');
    assert.deepEqual(
      (JSON.parse(search.out) as { id: string }[]).map((h) => h.id),
      ['a', 'c'],
    );
    const filtered = await vexctl(
      'vector',
      'search',
      'store',
      'docs',
      '--vector',
      '[1,0,0]',
      '--filter',
      '{"lang":{"$in":["fr"]}}',
      '--json',
    );
    assert.deepEqual(
      (JSON.parse(filtered.out) as { id: string }[]).map((h) => h.id),
      ['b'],
    );
    const text = await vexctl('vector', 'search', 'store', 'docs', '--vector', '[1,0,0]', '--k', '1');
    assert.match(text.out, /^\s+1\s+\S+\s+a\s+\{"lang":"en"\}/);
    file('queries.json', '[[1,0,0],[0,1,0]]');
    const batch = JSON.parse(
      (await vexctl('vector', 'search', 'store', 'docs', '--file', 'queries.json', '--k', '1', '--json')).out,
    ) as { id: string }[][];
    assert.deepEqual(
      batch.map((hits) => hits[0]?.id),
      ['a', 'b'],
    );
    const del = await vexctl('vector', 'delete', 'store', 'docs', 'a', 'nothere');
    assert.equal(del.code, 1);
    assert.match(del.out, /not found: nothere/);
    assert.match((await vexctl('vector', 'get', 'store', 'docs', 'a')).err, /^E_NOT_FOUND/);
  });

  test('bad vectors, filters and collections are typed errors (exit 1) and write nothing', async () => {
    const before = JSON.parse((await vexctl('collection', 'info', 'store', 'docs', '--json')).out).count as number;
    const cases: [string[], RegExp][] = [
      [['vector', 'upsert', 'store', 'docs', '--id', 'x', '--vector', '[1,0]'], /^E_DIM_MISMATCH/],
      [['vector', 'upsert', 'store', 'docs', '--id', 'x', '--vector', '[1,0,"a"]'], /^E_INVALID/],
      [['vector', 'upsert', 'store', 'docs', '--id', 'x', '--vector', '[1,0,0]', '--payload', '[1]'], /^E_INVALID/],
      [['vector', 'upsert', 'store', 'nope', '--id', 'x', '--vector', '[1,0,0]'], /^E_NOT_FOUND/],
      [
        ['vector', 'search', 'store', 'docs', '--vector', '[1,0,0]', '--filter', '{"lang":{"$like":"e"}}'],
        /^E_INVALID/,
      ],
      [['vector', 'search', 'store', 'docs', '--vector', '[1,0,0]', '--filter', '{bad json'], /^E_INVALID/],
      [['vector', 'search', 'store', 'docs', '--vector', '[1,0,0]', '--path-prefix', '/x'], /^E_INVALID/],
      [['vector', 'search', 'store', 'nope', '--vector', '[1,0,0]'], /^E_NOT_FOUND/],
      [['vector', 'search', 'missing-store', 'docs', '--vector', '[1,0,0]'], /^E_NOT_FOUND/],
      [['vector', 'upsert', 'store', '_files', '--id', 'x', '--vector', '[1,0,0,0]'], /^E_INVALID/],
    ];
    for (const [argv, expected] of cases) {
      const r = await vexctl(...argv);
      assert.equal(r.code, 1, argv.join(' '));
      assert.match(r.err, expected, argv.join(' '));
    }
    file('partly.csv', '1,0,0\n1,0\n');
    assert.match(
      (await vexctl('vector', 'upsert', 'store', 'docs', '--file', 'partly.csv', '--id-prefix', 'p')).err,
      /^E_DIM_MISMATCH/,
    );
    file('partly.json', '[{"id":"ok","vector":[1,0,0]},{"id":"","vector":[1,0,0]}]');
    assert.match((await vexctl('vector', 'upsert', 'store', 'docs', '--file', 'partly.json')).err, /^E_INVALID/);
    assert.equal(JSON.parse((await vexctl('collection', 'info', 'store', 'docs', '--json')).out).count, before);
  });
});

describe('vexctl dataset', () => {
  test('import with ground truth, list, info verifies the checksum; bad input refused', async () => {
    file(
      'base.fvecs',
      vecs(
        [
          [1, 0],
          [0, 1],
          [1, 1],
        ],
        'f',
      ),
    );
    file(
      'truth.ivecs',
      vecs(
        [
          [2, 0],
          [1, 2],
        ],
        'i',
      ),
    );
    const imported = await vexctl(
      'dataset',
      'import',
      'base.fvecs',
      '--ground-truth',
      'truth.ivecs',
      '--name',
      'tiny',
      '--json',
    );
    assert.equal(imported.code, 0, imported.err);
    const manifest = JSON.parse(imported.out) as { count: number; dim: number; groundTruth: { k: number } };
    assert.equal(manifest.count, 3);
    assert.equal(manifest.groundTruth.k, 2);
    const stored = join(dir, 'data', 'vexfs', 'datasets', 'tiny');
    assert.ok(existsSync(join(stored, 'dataset.json')));
    assert.match((await vexctl('dataset', 'list')).out, /tiny\s+3 × 2 \(fvecs\), ground truth 2 queries × top-2/);
    assert.equal((await vexctl('dataset', 'info', 'tiny')).code, 0);
    assert.match((await vexctl('dataset', 'import', 'base.fvecs', '--name', 'tiny')).err, /^E_EXISTS/);
    file('far.ivecs', vecs([[0, 9]], 'i'));
    assert.match(
      (await vexctl('dataset', 'import', 'base.fvecs', '--ground-truth', 'far.ivecs', '--name', 'far')).err,
      /^E_INVALID: .*neighbour 9/,
    );
    assert.match((await vexctl('dataset', 'import', 'base.fvecs', '--name', 'Bad Name')).err, /^E_INVALID/);
    assert.match((await vexctl('dataset', 'info', 'unknown')).err, /^E_NOT_FOUND/);
    assert.match((await vexctl('dataset', 'import', 'truth.ivecs', '--name', 'ints')).err, /^E_INVALID/);
    const vectorsFile = join(stored, 'vectors.fvecs');
    const bytes = readFileSync(vectorsFile);
    bytes[bytes.length - 1] = (bytes[bytes.length - 1] as number) ^ 0x01;
    writeFileSync(vectorsFile, bytes);
    assert.match((await vexctl('dataset', 'info', 'tiny')).err, /^E_CORRUPT: .*checksum/);
  });
});
