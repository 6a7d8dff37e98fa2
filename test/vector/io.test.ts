import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isVexError } from '../../engine/errors.js';
import { formatOf, readVectorFile } from '../../engine/vector/io/readVectors.js';
import { f32, npy, vecs } from './ioFixtures.js';

const dir = mkdtempSync(join(tmpdir(), 'vexfs-io-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const code = (c: string) => (error: unknown) => isVexError(error, c as never);

function file(name: string, content: string | Uint8Array): string {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
}

describe('vector files', () => {
  test('JSON: vectors, one vector, points with ids and payloads', () => {
    const t = readVectorFile(file('v.json', '[[1, 2], [3, 4.5]]'));
    assert.deepEqual([t.format, t.count, t.dim, [...t.data]], ['json', 2, 2, [1, 2, 3, 4.5]]);
    assert.deepEqual([...readVectorFile(file('one.json', '[1, 2, 3]')).data], [1, 2, 3]);
    const p = readVectorFile(
      file('p.json', '[{"id": "a", "vector": [1, 0], "payload": {"x": 1}}, {"id": 7, "vector": [0, 1]}]'),
    );
    assert.deepEqual(p.ids, ['a', '7']);
    assert.deepEqual(p.payloads, [{ x: 1 }, null]);
  });

  test('JSON errors: syntax, ragged rows, non-numbers, NaN-like values, missing ids, unknown fields', () => {
    assert.throws(() => readVectorFile(file('bad.json', '[[1, 2],')), code('E_FORMAT'));
    assert.throws(() => readVectorFile(file('ragged.json', '[[1, 2], [3]]')), code('E_DIM_MISMATCH'));
    assert.throws(() => readVectorFile(file('str.json', '[[1, "2"]]')), code('E_INVALID'));
    assert.throws(() => readVectorFile(file('huge.json', '[[1, 1e39]]')), code('E_INVALID'));
    assert.throws(() => readVectorFile(file('noid.json', '[{"vector": [1]}]')), code('E_INVALID'));
    assert.throws(
      () => readVectorFile(file('extra.json', '[{"id": "a", "vector": [1], "vec": 2}]')),
      code('E_INVALID'),
    );
    assert.throws(() => readVectorFile(file('empty.json', '[]')), code('E_FORMAT'));
    assert.throws(() => readVectorFile(file('scalar.json', '3')), code('E_FORMAT'));
  });

  test('CSV: rows of numbers, comments and blank lines skipped; errors name line and column', () => {
    const t = readVectorFile(file('v.csv', '# header comment\n1,2,3\n\n4, 5 ,6\r\n'));
    assert.deepEqual([t.format, t.count, t.dim, [...t.data]], ['csv', 2, 3, [1, 2, 3, 4, 5, 6]]);
    assert.throws(
      () => readVectorFile(file('nan.csv', '1,2\n3,NaN\n')),
      (e: unknown) => isVexError(e, 'E_INVALID') && /line 2, column 2/.test(e.message),
    );
    assert.throws(() => readVectorFile(file('inf.csv', '1,Infinity\n')), code('E_INVALID'));
    assert.throws(
      () => readVectorFile(file('word.csv', '1,abc\n')),
      (e: unknown) => isVexError(e, 'E_INVALID') && /'abc'/.test(e.message),
    );
    assert.throws(() => readVectorFile(file('gap.csv', '1,,2\n')), code('E_INVALID'));
    assert.throws(() => readVectorFile(file('ragged.csv', '1,2\n1,2,3\n')), code('E_DIM_MISMATCH'));
  });

  test('raw float32 needs a dimension and a whole number of vectors', () => {
    const path = file('v.f32', f32([1, 2, 3, 4, 5, 6]));
    const t = readVectorFile(path, { dim: 3 });
    assert.deepEqual([t.count, t.dim, [...t.data]], [2, 3, [1, 2, 3, 4, 5, 6]]);
    assert.throws(() => readVectorFile(path), code('E_INVALID'));
    assert.throws(() => readVectorFile(path, { dim: 4 }), code('E_FORMAT'));
    assert.throws(() => readVectorFile(file('nan.f32', f32([1, NaN])), { dim: 2 }), code('E_INVALID'));
  });

  test('.fvecs and .ivecs: headers checked on every vector, truncation detected', () => {
    const t = readVectorFile(
      file(
        'v.fvecs',
        vecs(
          [
            [1, 2],
            [3, 4],
            [5, 6],
          ],
          'f',
        ),
      ),
    );
    assert.deepEqual([t.format, t.count, t.dim, [...t.data]], ['fvecs', 3, 2, [1, 2, 3, 4, 5, 6]]);
    const g = readVectorFile(file('g.ivecs', vecs([[0, 2, 1]], 'i')));
    assert.ok(g.data instanceof Int32Array);
    assert.deepEqual([...g.data], [0, 2, 1]);
    const whole = vecs(
      [
        [1, 2],
        [3, 4],
      ],
      'f',
    );
    assert.throws(() => readVectorFile(file('cut.fvecs', whole.subarray(0, whole.length - 2))), code('E_FORMAT'));
    assert.throws(
      () =>
        readVectorFile(
          file(
            'mixed.fvecs',
            vecs(
              [
                [1, 2, 3, 4],
                [1, 2, 3],
                [1, 2, 3, 4, 5],
              ],
              'f',
            ),
          ),
        ),
      code('E_FORMAT'),
    );
    assert.throws(() => readVectorFile(file('negdim.fvecs', vecs([[1]], 'i').fill(0xff, 0, 4))), code('E_FORMAT'));
    assert.throws(() => readVectorFile(file('empty.fvecs', new Uint8Array(0))), code('E_FORMAT'));
    assert.throws(() => readVectorFile(file('nan.fvecs', vecs([[1, NaN]], 'f'))), code('E_INVALID'));
  });

  test('.npy: float32, float64 and int32, 1-D and 2-D; unsupported or damaged files refused', () => {
    const t = readVectorFile(file('v.npy', npy('<f4', [2, 2], f32([1, 2, 3, 4]))));
    assert.deepEqual([t.format, t.count, t.dim, [...t.data]], ['npy', 2, 2, [1, 2, 3, 4]]);
    const d = Buffer.alloc(16);
    d.writeDoubleLE(0.5, 0);
    d.writeDoubleLE(-2, 8);
    assert.deepEqual([...readVectorFile(file('d.npy', npy('<f8', [2], d))).data], [0.5, -2]);
    assert.throws(() => readVectorFile(file('bad.npy', Buffer.from('not numpy at all'))), code('E_FORMAT'));
    assert.throws(
      () => readVectorFile(file('fort.npy', npy('<f4', [2, 2], f32([1, 2, 3, 4]), true))),
      code('E_FORMAT'),
    );
    assert.throws(() => readVectorFile(file('be.npy', npy('>f4', [1, 2], f32([1, 2])))), code('E_FORMAT'));
    assert.throws(() => readVectorFile(file('short.npy', npy('<f4', [2, 2], f32([1, 2, 3])))), code('E_FORMAT'));
    assert.throws(() => readVectorFile(file('3d.npy', npy('<f4', [1, 1, 2], f32([1, 2])))), code('E_FORMAT'));
    assert.throws(() => readVectorFile(file('nan.npy', npy('<f4', [1, 2], f32([1, NaN])))), code('E_INVALID'));
  });

  test('formats from extensions; unknown extension, missing file and directories refused', () => {
    assert.equal(formatOf('a.FVECS'), 'fvecs');
    assert.equal(formatOf('a.txt', 'csv'), 'csv');
    assert.throws(() => formatOf('a.txt'), code('E_INVALID'));
    assert.throws(() => formatOf('a.json', 'xml'), code('E_INVALID'));
    assert.throws(() => readVectorFile(join(dir, 'missing.json')), code('E_NOT_FOUND'));
    assert.throws(() => readVectorFile(dir, { format: 'json' }), code('E_INVALID'));
  });
});
