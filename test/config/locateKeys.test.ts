import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parse } from 'smol-toml';
import { locateKeys } from '../../engine/config/locateKeys.js';

function at(text: string, key: string): [number, number] | undefined {
  const location = locateKeys(text).get(key);
  return location && [location.line, location.column];
}

test('table headers, array-of-table headers and plain keys', () => {
  const text = '# comment = not a key\n[performance]\n  io_threads = 4 # trailing\n\n[[bench]]\nname = "a"\n';
  parse(text);
  assert.deepEqual(at(text, 'performance'), [2, 2]);
  assert.deepEqual(at(text, 'performance.io_threads'), [3, 3]);
  assert.deepEqual(at(text, 'bench.name'), [6, 1]);
  assert.equal(at(text, 'comment'), undefined);
  assert.deepEqual(locateKeys(text).get('performance.io_threads')?.value, { line: 3, column: 16 });
});

test('dotted keys, quoted keys and spaces around dots', () => {
  const text = 'general . atime = "noatime"\n"api".\'port\' = 1\n[ search . "x y" ]\nk = 1\n';
  parse(text);
  assert.deepEqual(at(text, 'general'), [1, 1]);
  assert.deepEqual(at(text, 'general.atime'), [1, 11]);
  assert.deepEqual(at(text, 'api.port'), [2, 7]);
  assert.deepEqual(at(text, 'search.x y.k'), [4, 1]);
});

test('inline tables, nested inline tables and arrays are walked or skipped correctly', () => {
  const text = 'arr = [ { a = 1 }, [2, 3], "]" ]\nperformance = { io_threads = 2, nested = { deep = 1 } }\nafter = 1\n';
  parse(text);
  assert.deepEqual(at(text, 'performance.io_threads'), [2, 17]);
  assert.deepEqual(at(text, 'performance.nested.deep'), [2, 44]);
  assert.deepEqual(at(text, 'after'), [3, 1]);
  assert.equal(at(text, 'arr.a'), undefined);
});

test('strings that look like TOML do not produce keys', () => {
  const text = [
    'a = """',
    '[fake]',
    'b = 1 """',
    "c = '''x = 1",
    "''''",
    'd = "# not a comment = [x]"',
    'e = [',
    '  "multi", # a comment ] with a bracket',
    "  'line',",
    ']',
    'f = 1',
  ].join('\n');
  parse(text);
  const keys = [...locateKeys(text).keys()];
  assert.deepEqual(keys, ['a', 'c', 'd', 'e', 'f']);
  assert.deepEqual(at(text, 'f'), [11, 1]);
});

test('CRLF line endings give the same lines', () => {
  const text = '[general]\r\natime = "noatime"\r\n[api]\r\nport = 80\r\n';
  parse(text);
  assert.deepEqual(at(text, 'api.port'), [4, 1]);
});

test('a byte-order mark does not hide the first table', () => {
  const text = '\ufeff[performance]\nio_threads = 1\n';
  parse(text);
  assert.deepEqual(at(text, 'performance.io_threads'), [2, 1]);
});

test('text that is not TOML never throws', () => {
  for (const text of ['[', '"unterminated', "a = '''", '[a.\nb', 'x = {', '= = =', '\u0000\uffff']) {
    assert.doesNotThrow(() => locateKeys(text));
  }
});
