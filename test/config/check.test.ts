import assert from 'node:assert/strict';
import { test } from 'node:test';
import { checkConfigText, parseConfigText } from '../../engine/config/checkConfig.js';
import type { ConfigDiagnostic } from '../../engine/config/checkConfig.js';
import { isVexError } from '../../engine/errors.js';

const GiB = 2 ** 30;
/** A fixed machine so that memory checks do not depend on the one running the tests. */
const machine = { totalMemoryBytes: 16 * GiB };

function diagnostics(text: string): ConfigDiagnostic[] {
  return [...checkConfigText(text, 'test.toml', machine).diagnostics];
}

function only(text: string, kind: ConfigDiagnostic['kind']): ConfigDiagnostic {
  const found = diagnostics(text).filter((diagnostic) => diagnostic.kind === kind);
  assert.equal(found.length, 1, `expected one ${kind} diagnostic, got ${JSON.stringify(diagnostics(text))}`);
  return found[0] as ConfigDiagnostic;
}

test('the seed guide example is valid here, with its sizes parsed and its inert keys warned about', () => {
  const seed = [
    '# /etc/vexfs/vexfs.conf',
    '[performance]',
    'memory_pool_size = "8GB"',
    'enable_simd = true',
    'max_concurrent_operations = 1000',
    'io_threads = 16',
    'cache_size = "4GB"',
    '',
    '[optimization]',
    'enable_memory_optimization = true',
    'enable_simd_optimization = true',
    'enable_stack_optimization = true',
    'enable_cross_layer_optimization = true',
  ].join('\n');
  const check = checkConfigText(seed, 'seed.conf', machine);
  assert.deepEqual(
    check.diagnostics.filter((d) => d.severity === 'error'),
    [],
  );
  assert.equal(check.values.get('performance.memory_pool_size'), 8e9);
  assert.equal(check.values.get('performance.cache_size'), 4e9);
  assert.equal(check.values.get('performance.io_threads'), 16);
  const inert = check.diagnostics.filter((d) => d.kind === 'inert');
  assert.deepEqual(
    inert.map((d) => [d.key, d.line, d.column]),
    [
      ['optimization.enable_stack_optimization', 12, 1],
      ['optimization.enable_cross_layer_optimization', 13, 1],
    ],
  );
  assert.ok(inert.every((d) => d.severity === 'warning'));
});

test('a TOML syntax error carries the parser position', () => {
  const syntax = only('[general]\natime = "noatime"\nsync_on_close = tru\n', 'syntax');
  assert.equal(syntax.severity, 'error');
  assert.equal(syntax.line, 3);
  assert.ok(syntax.column >= 1);
  assert.equal(syntax.key, null);
  assert.match(syntax.message, /TOML syntax error/);
  const duplicate = only('[performance]\nio_threads = 1\nio_threads = 2\n', 'syntax');
  assert.equal(duplicate.line, 3);
});

test('an unknown key in a section has a did-you-mean by edit distance and its own position', () => {
  const typo = only('[performance]\n  io_threads = 2\n  cahce_size = "1GB"\n', 'unknown-key');
  assert.deepEqual([typo.line, typo.column, typo.key], [3, 3, 'performance.cahce_size']);
  assert.equal(typo.suggestion, 'performance.cache_size');
  assert.match(typo.message, /did you mean "cache_size"/);
  const far = only('[performance]\nturbo = true\n', 'unknown-key');
  assert.equal(far.suggestion, undefined);
  assert.match(far.message, /the keys of \[performance\] are memory_pool_size, /);
});

test('unknown sections, top-level keys and keys in the wrong section point to the right place', () => {
  const section = only('\n[perfomance]\nio_threads = 2\n', 'unknown-key');
  assert.deepEqual(
    [section.line, section.column, section.key, section.suggestion],
    [2, 2, 'perfomance', 'performance'],
  );
  const topLevel = only('cache_size = "1GB"\n', 'unknown-key');
  assert.equal(topLevel.suggestion, 'performance.cache_size');
  assert.match(topLevel.message, /belongs in the \[performance\] section/);
  const moved = only('[cache]\ncache_size = "1GB"\n', 'unknown-key');
  assert.equal(moved.suggestion, 'performance.cache_size');
  const nowhere = only('[flux]\ncapacitor = 1\n', 'unknown-key');
  assert.match(nowhere.message, /the sections are \[general\] \[performance\]/);
  const nested = only('[general]\nsearch = 1\n', 'unknown-key');
  assert.match(nested.message, /\[search\] is a section of its own/);
});

test('wrong types name the key, what it must be and what it got, at the value', () => {
  const bool = only('[performance]\nenable_simd = "yes"\n', 'type');
  assert.deepEqual([bool.line, bool.column, bool.key], [2, 15, 'performance.enable_simd']);
  assert.match(bool.message, /must be true or false, got the string "yes"/);
  const integer = only('[search]\ndefault_k = 2.5\n', 'type');
  assert.match(integer.message, /must be an integer from 1 to 10000 results, got the number 2.5/);
  const size = only('[performance]\ncache_size = true\n', 'type');
  assert.match(size.message, /integer \(bytes\) or a string/);
  const table = only('performance = 5\n', 'type');
  assert.equal(table.key, 'performance');
  assert.match(table.message, /must be a table/);
  const arrayOfTables = only('[[performance]]\nio_threads = 1\n', 'type');
  assert.equal(arrayOfTables.key, 'performance');
  const date = only('[api]\nhost = 1979-05-27\n', 'type');
  assert.match(date.message, /got a date/);
});

test('out-of-range values and bad enum choices are range errors', () => {
  const threads = only('[performance]\nio_threads = 1600\n', 'range');
  assert.match(threads.message, /from 0 to 256 threads, got the integer 1600/);
  const negative = only('[api]\nport = -1\n', 'range');
  assert.equal(negative.key, 'api.port');
  const small = only('[fuse]\nmax_write = "1KiB"\n', 'range');
  assert.match(small.message, /a size from 4 KiB to 1 MiB, got the string "1KiB" \(1024 bytes\)/);
  const host = only('[api]\nhost = "0.0.0.0"\n', 'range');
  assert.match(host.message, /one of "127.0.0.1", "::1", "localhost"/);
  const choice = only('[general]\natime = "strictatime"\n', 'range');
  assert.match(choice.message, /one of "relatime", "noatime"/);
});

test('malformed sizes and strings are format errors', () => {
  const size = only('[performance]\nmemory_pool_size = "4k"\n', 'format');
  assert.match(size.message, /ambiguous/);
  assert.deepEqual([size.line, size.column], [2, 20]);

  const root = only('[api]\nworkspace_root = "relative/dir"\n', 'format');
  assert.match(root.message, /absolute path/);
});

test('every error is reported, not only the first, in source order', () => {
  const found = diagnostics('[performance]\nio_threads = -1\nenable_simd = 3\nbogus = 1\n[general]\natime = 1\n');
  assert.deepEqual(
    found.map((d) => [d.line, d.kind]),
    [
      [2, 'range'],
      [3, 'type'],
      [4, 'unknown-key'],
      [6, 'type'],
    ],
  );
});

test('dotted keys and inline tables are located', () => {
  const dotted = only('general.atime = "x"\n', 'range');
  assert.deepEqual([dotted.line, dotted.column], [1, 17]);
  const inline = only('performance = { io_threads = 2, cache_sise = 1 }\n', 'unknown-key');
  assert.deepEqual([inline.line, inline.column, inline.key], [1, 33, 'performance.cache_sise']);
  assert.equal(
    checkConfigText('performance = { io_threads = 2 }', 'x', machine).values.get('performance.io_threads'),
    2,
  );
});

test('budgets larger than physical memory, alone or together, are combination errors', () => {
  const alone = only('[performance]\ncache_size = "32GiB"\n', 'combination');
  assert.equal(alone.severity, 'error');
  assert.equal(alone.key, 'performance.cache_size');
  assert.match(alone.message, /more than this machine's 17179869184 bytes/);
  const together = only('[performance]\nmemory_pool_size = "10GiB"\ncache_size = "6GiB"\n', 'combination');
  assert.equal(together.severity, 'error');
  assert.equal(together.line, 3);
  assert.match(together.message, /memory_pool_size \+ cache_size \+ index_memory_size/);
  assert.deepEqual(diagnostics('[performance]\nmemory_pool_size = "4GiB"\ncache_size = "4GiB"\n'), []);
});

test('disagreeing SIMD switches and idle memory sizes are combination warnings', () => {
  const simd = only('[performance]\nenable_simd = false\n', 'combination');
  assert.equal(simd.severity, 'warning');
  assert.match(simd.message, /scalar kernels will be used/);
  assert.deepEqual(
    diagnostics('[performance]\nenable_simd = false\n[optimization]\nenable_simd_optimization = false\n'),
    [],
  );
  const idle = only(
    '[performance]\ncache_size = "1GiB"\n[optimization]\nenable_memory_optimization = false\n',
    'combination',
  );
  assert.match(idle.message, /performance.cache_size has no effect/);
});

test('parseConfigText throws E_CONFIG with the first position and every error in details', () => {
  assert.throws(
    () => parseConfigText('[performance]\nio_threads = -1\nbogus = 1\n', 'bad.toml', machine),
    (error: unknown) => {
      assert.ok(isVexError(error, 'E_CONFIG'));
      assert.match(error.message, /^bad\.toml:2:14: performance\.io_threads must be/);
      assert.match(error.message, /and 1 more/);
      assert.equal(error.details.line, 2);
      assert.equal((error.details.diagnostics as unknown[]).length, 2);
      return true;
    },
  );
  const check = parseConfigText('[optimization]\nenable_stack_optimization = false\n', 'ok.toml', machine);
  assert.equal(check.diagnostics[0]?.kind, 'inert');
  assert.equal(parseConfigText('', 'empty.toml', machine).values.size, 0);
});
