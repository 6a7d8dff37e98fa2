import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { checkConfigText, parseConfigText } from '../../engine/config/checkConfig.js';
import type { ConfigDiagnostic } from '../../engine/config/checkConfig.js';
import { defaultConfig } from '../../engine/config/schema.js';
import { renderConfigToml } from '../../engine/config/renderConfig.js';
import { isVexError } from '../../engine/errors.js';

/** Default tier: a few thousand cases in all; long tier: well over 100k. */
const long = process.env.VEXFS_TEST_TIER === 'long';
const runs = (defaultRuns: number): { numRuns: number } => ({ numRuns: long ? defaultRuns * 40 : defaultRuns });
const machine = { totalMemoryBytes: 16 * 2 ** 30 };

function assertPositioned(text: string, diagnostic: ConfigDiagnostic): void {
  const lines = text.split('\n').length;
  assert.ok(
    Number.isInteger(diagnostic.line) && diagnostic.line >= 1 && diagnostic.line <= lines + 1,
    JSON.stringify(diagnostic),
  );
  assert.ok(Number.isInteger(diagnostic.column) && diagnostic.column >= 1, JSON.stringify(diagnostic));
  assert.ok(diagnostic.message.length > 0);
}

/** The contract: a check never throws; a parse either succeeds or throws E_CONFIG with a position. */
function contract(text: string): void {
  const check = checkConfigText(text, 'fuzz.toml', machine);
  for (const diagnostic of check.diagnostics) assertPositioned(text, diagnostic);
  try {
    parseConfigText(text, 'fuzz.toml', machine);
    assert.ok(check.diagnostics.every((diagnostic) => diagnostic.severity !== 'error'));
  } catch (error) {
    assert.ok(isVexError(error, 'E_CONFIG'), `not an E_CONFIG: ${String(error)}`);
    assert.ok((error.details.line as number) >= 1 && (error.details.column as number) >= 1);
    assert.match(error.message, /^fuzz\.toml:\d+:\d+: /);
  }
}

const FRAGMENTS = [
  '[',
  ']',
  '[[',
  ']]',
  '{',
  '}',
  '=',
  '.',
  ',',
  '"',
  "'",
  '"""',
  "'''",
  '#',
  '\n',
  '\r\n',
  ' ',
  '\t',
  '\\',
  'performance',
  'general',
  'optimization',
  'cache',
  'fuse',
  'api',
  'search',
  'io_threads',
  'cache_size',
  'memory_pool_size',
  'enable_simd',
  'atime',
  'default_k',
  'port',
  'host',
  'x',
  '__proto__',
  'constructor',
  'true',
  'false',
  '0',
  '-1',
  '1.5',
  '1e9',
  'inf',
  'nan',
  '0x1F',
  '9223372036854775808',
  '"8GB"',
  '"4k"',
  '"8GiB"',
  '1979-05-27',
  '07:32:00',
  '"\\u0000"',
  '\u00e9',
  '\ud83d\ude00',
  '\u0000',
  '\ufeff',
];

test('random strings never crash the checker', () => {
  fc.assert(fc.property(fc.string({ maxLength: 200, unit: 'binary' }), contract), runs(1000));
});

test('token soup built from TOML punctuation and config words never crashes it', () => {
  const soup = fc.array(fc.constantFrom(...FRAGMENTS), { maxLength: 60 }).map((parts) => parts.join(''));
  fc.assert(fc.property(soup, contract), runs(1500));
});

test('random edits of a valid config never crash it', () => {
  const valid = renderConfigToml(defaultConfig(), {});
  const edit = fc.record({
    at: fc.nat({ max: valid.length }),
    remove: fc.nat({ max: 8 }),
    insert: fc.oneof(fc.constantFrom(...FRAGMENTS), fc.string({ maxLength: 4 })),
  });
  const mutated = fc
    .array(edit, { minLength: 1, maxLength: 4 })
    .map((edits) =>
      edits.reduce((text, { at, remove, insert }) => text.slice(0, at) + insert + text.slice(at + remove), valid),
    );
  fc.assert(fc.property(mutated, contract), runs(1000));
});

/** A value of any TOML type, written as TOML. */
const anyValue = fc.oneof(
  fc.integer({ min: -5000, max: 5_000_000 }).map(String),
  fc.boolean().map(String),
  fc.constantFrom('"8GB"', '"4k"', '"512MiB"', '"relatime"', '"noatime"', '"lots"', '1.5', '[1, 2]', '{ a = 1 }', '""'),
);
const keyName = fc.constantFrom(
  'io_threads',
  'cache_size',
  'enable_simd',
  'atime',
  'default_k',
  'port',
  'host',
  'max_write',
  'bogus',
  'cahce_size',
);
const sectionName = fc.constantFrom(
  'general',
  'performance',
  'optimization',
  'cache',
  'fuse',
  'api',
  'search',
  'perfomance',
);

test('structurally valid TOML: every diagnostic points at its key or its value in the source', () => {
  const entry = fc.record({
    section: sectionName,
    key: keyName,
    value: anyValue,
    style: fc.constantFrom('table', 'dotted', 'inline'),
  });
  const documents = fc.uniqueArray(entry, { maxLength: 8, selector: (e) => `${e.section}.${e.key}` }).map((entries) => {
    const bySection = new Map<string, typeof entries>();
    for (const e of entries) bySection.set(e.section, [...(bySection.get(e.section) ?? []), e]);
    const top: string[] = [];
    const tables: string[] = [];
    for (const [section, items] of bySection) {
      // One style per section so that TOML's no-redefinition rule holds.
      const style = items[0]?.style ?? 'table';
      if (style === 'dotted') top.push(...items.map((e) => `${section}.${e.key} = ${e.value}`));
      else if (style === 'inline') top.push(`${section} = { ${items.map((e) => `${e.key} = ${e.value}`).join(', ')} }`);
      else tables.push(`[${section}]`, ...items.map((e) => `  ${e.key} = ${e.value}  # note`));
    }
    return { lines: [...top, ...tables], entries };
  });
  const layouts = fc.record({ crlf: fc.boolean(), bom: fc.boolean() });
  fc.assert(
    fc.property(documents, layouts, ({ lines: source, entries }, { crlf, bom }) => {
      const text = (bom ? '\ufeff' : '') + source.join(crlf ? '\r\n' : '\n');
      contract(text);
      const lines = text.split('\n');
      for (const diagnostic of checkConfigText(text, 'fuzz.toml', machine).diagnostics) {
        if (diagnostic.kind === 'syntax' || diagnostic.key === null) continue;
        const here = (lines[diagnostic.line - 1] ?? '').slice(diagnostic.column - 1);
        const [section, name] = diagnostic.key.split('.');
        const entry = entries.find((e) => e.section === section && e.key === name);
        const candidates = [name ?? section ?? '', entry?.value ?? '', section ?? ''];
        assert.ok(
          candidates.some((candidate) => candidate !== '' && here.startsWith(candidate)),
          `${diagnostic.key} at ${diagnostic.line}:${diagnostic.column} points at "${here}" in\n${text}`,
        );
      }
    }),
    runs(800),
  );
});

test('adversarial inputs: deep nesting, long lines, huge numbers and prototype keys', () => {
  const cases = [
    `a = ${'['.repeat(5000)}`,
    `a = ${'['.repeat(900)}${']'.repeat(900)}`,
    `a = ${'{ b = '.repeat(2000)}1${' }'.repeat(2000)}`,
    `[${'a.'.repeat(3000)}b]`,
    `x = "${'y'.repeat(200_000)}"`,
    'performance.io_threads = 99999999999999999999999',
    '__proto__ = 1\n[constructor]\nprototype = 2\n[performance]\n__proto__ = { io_threads = 1 }\n',
    '[performance]\nio_threads = 1\n'.repeat(500),
    '\ufeff[performance]\nio_threads = 1\n',
    '[performance]\r\nio_threads = "x"\r\n',
  ];
  for (const text of cases) contract(text);
  const proto = checkConfigText('[performance]\n__proto__ = 1\n', 'fuzz.toml', machine);
  assert.equal(proto.diagnostics[0]?.kind, 'unknown-key');
  assert.equal(({} as Record<string, unknown>).io_threads, undefined);
});
