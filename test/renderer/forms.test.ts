import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseMarkdown, parseInline } from '../../renderer/src/markdown/parseMarkdown.js';
import { formToRequest, parseParameterValue } from '../../renderer/src/state/benchForm.js';
import { setTomlKey, tomlLiteralFor } from '../../renderer/src/state/configToml.js';
import type { ConfigField, ProfileParameter } from '../../renderer/src/state/types.js';

const param = (
  key: string,
  kind: ProfileParameter['kind'],
  value: ProfileParameter['value'],
  extra: Partial<ProfileParameter> = {},
): ProfileParameter => ({
  key,
  kind,
  value,
  min: kind === 'integer' ? 1 : null,
  max: kind === 'integer' ? 100 : null,
  choices: kind === 'enum' ? ['warm', 'cold'] : null,
  sweepable: kind !== 'string',
  ...extra,
});

describe('the run form', () => {
  const parameters = [
    param('trials', 'integer', 5),
    param('start', 'enum', 'warm'),
    param('store.window', 'integer', null),
  ];

  it('leaves unchanged fields to the profile, overrides one value, sweeps a list', () => {
    const choices = formToRequest(parameters, { trials: '5', start: 'cold', 'store.window': '' });
    assert.deepEqual(choices, { overrides: [{ key: 'start', value: 'cold' }], sweeps: [], errors: {} });
    const swept = formToRequest(parameters, { trials: '1, 3', start: 'warm' });
    assert.deepEqual(swept.sweeps, [{ key: 'trials', values: [1, 3] }]);
  });

  it('names what is wrong with a field', () => {
    const choices = formToRequest(parameters, { trials: '0', start: 'hot', 'store.window': '1,1' });
    assert.match(choices.errors.trials ?? '', /below the minimum 1/);
    assert.match(choices.errors.start ?? '', /warm, cold/);
    assert.match(choices.errors['store.window'] ?? '', /different/);
    assert.deepEqual(parseParameterValue(param('x', 'integer', 1), '2.5'), { error: '2.5 is not a whole number' });
    assert.deepEqual(parseParameterValue(param('x', 'boolean', true), 'yes'), { error: 'give true or false' });
  });
});

const field = (kind: ConfigField['kind']): ConfigField =>
  ({ key: 'general.x', section: 'general', name: 'x', kind }) as ConfigField;

describe('the config form writes TOML', () => {
  it('replaces a key in its table and keeps comments and other tables', () => {
    const text = '# mine\n[general]\nx = 1 # old\natime = "noatime"\n\n[performance]\nio_threads = 2\n';
    assert.equal(
      setTomlKey(text, 'general', 'x', '5'),
      '# mine\n[general]\nx = 5\natime = "noatime"\n\n[performance]\nio_threads = 2\n',
    );
    assert.equal(
      setTomlKey(text, 'performance', 'cache_size', '"1GiB"'),
      '# mine\n[general]\nx = 1 # old\natime = "noatime"\n\n[performance]\nio_threads = 2\ncache_size = "1GiB"\n',
    );
    assert.equal(
      setTomlKey(text, 'general', 'atime', null),
      '# mine\n[general]\nx = 1 # old\n\n[performance]\nio_threads = 2\n',
    );
    assert.equal(setTomlKey('', 'api', 'port', '8080'), '[api]\nport = 8080\n');
    assert.equal(setTomlKey('[api]\n', 'fuse', 'max_write', '4096'), '[api]\n\n[fuse]\nmax_write = 4096\n');
  });

  it('makes literals by kind: sizes with units stay strings', () => {
    assert.equal(tomlLiteralFor(field('size'), '64MiB'), '"64MiB"');
    assert.equal(tomlLiteralFor(field('size'), '4096'), '4096');
    assert.equal(tomlLiteralFor(field('integer'), 'soon'), '"soon"');
    assert.equal(tomlLiteralFor(field('boolean'), 'true'), 'true');
    assert.equal(tomlLiteralFor(field('enum'), 'noatime'), '"noatime"');
  });
});

describe('the report markdown reader', () => {
  it('reads headings, tables with alignment, code, lists and details', () => {
    const blocks = parseMarkdown(
      [
        '# Report',
        '',
        'Some **bold** and `code`.',
        '',
        '| a | b |',
        '|---|--:|',
        '| 1 | x \\| y |',
        '',
        '- one',
        '- two',
        '',
        '<details>',
        '<summary>JSON</summary>',
        '<!-- marker -->',
        '```json',
        '{"a": 1}',
        '```',
        '</details>',
        '![Chart](report-throughput.svg)',
      ].join('\n'),
    );
    assert.deepEqual(
      blocks.map((b) => b.type),
      ['heading', 'paragraph', 'table', 'list', 'details', 'paragraph'],
    );
    const table = blocks[2] as Extract<(typeof blocks)[number], { type: 'table' }>;
    assert.deepEqual(table.align, [null, 'right']);
    assert.deepEqual(table.rows[0]?.[1], [{ type: 'text', text: 'x | y' }]);
    const details = blocks[4] as Extract<(typeof blocks)[number], { type: 'details' }>;
    assert.deepEqual(details.children, [{ type: 'code', lang: 'json', text: '{"a": 1}' }]);
    assert.deepEqual((blocks[5] as { children: unknown[] }).children, [
      { type: 'image', alt: 'Chart', src: 'report-throughput.svg' },
    ]);
  });

  it('keeps raw HTML as text, never as markup', () => {
    const blocks = parseMarkdown('<script>alert(1)</script>\n\n<img src=x onerror=alert(1)>');
    assert.deepEqual(blocks, [
      { type: 'paragraph', children: [{ type: 'text', text: '<script>alert(1)</script>' }] },
      { type: 'paragraph', children: [{ type: 'text', text: '<img src=x onerror=alert(1)>' }] },
    ]);
    assert.deepEqual(parseInline('[x](javascript:alert(1))')[0], {
      type: 'link',
      href: 'javascript:alert(1',
      children: [{ type: 'text', text: 'x' }],
    });
  });
});
