import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { parse } from 'smol-toml';
import type { CliIo } from '../../engine/cli/command.js';
import { runCli } from '../../engine/cli/main.js';
import { describeConfigFields } from '../../engine/config/describe.js';
import { renderConfigReference } from '../../engine/config/renderReference.js';

const root = mkdtempSync(join(tmpdir(), 'vexfs-config-cli-'));
after(() => rmSync(root, { recursive: true, force: true }));
const systemDir = join(root, 'etc');
const xdg = join(root, 'xdg');
const storeDir = join(root, 'store');
for (const dir of [systemDir, xdg, storeDir]) mkdirSync(dir, { recursive: true });
/** Never the real /etc or home: every source the loader looks at is under the temp dir. */
const env = { VEXFS_SYSTEM_CONFIG_DIR: systemDir, XDG_CONFIG_HOME: xdg, HOME: join(root, 'home') };

function file(name: string, text: string): string {
  const path = join(root, name);
  writeFileSync(path, text);
  return path;
}

async function vexctl(args: string[], extraEnv: Record<string, string> = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = {
    out: (text) => void out.push(text),
    err: (text) => void err.push(text),
    outBytes: () => undefined,
    isTty: false,
  };
  const code = await runCli(['config', ...args], io, { env: { ...env, ...extraEnv }, cwd: root });
  return { code, out: out.join('\n'), err: err.join('\n') };
}

const good = file('good.toml', '[performance]\nio_threads = 3\ncache_size = "1GiB"\n');
const inert = file('inert.toml', '[optimization]\nenable_stack_optimization = false\n');
const bad = file('bad.toml', '[performance]\nio_threads = "many"\ncahce_size = 1\n\n[general]\natime = "sometimes"\n');
const broken = file('broken.toml', '[general]\natime = "noatime\n');
const huge = file('huge.toml', '[performance]\ncache_size = "60TiB"\n');

test('usage errors exit 2', async () => {
  for (const args of [
    [],
    ['bogus'],
    ['constructor'],
    ['validate'],
    ['validate', good, good],
    ['validate', '--bogus', good],
    ['diff', good],
    ['show', '--store'],
    ['reference', 'x'],
  ]) {
    const result = await vexctl(args);
    assert.equal(result.code, 2, `vexctl config ${args.join(' ')}: ${result.err}`);
    assert.match(result.err, /^E_USAGE: /, args.join(' '));
  }
  const help = await vexctl(['validate', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.out, /Usage: vexctl config/);
});

test('validate: a valid file exits 0, warnings included', async () => {
  const ok = await vexctl(['validate', good]);
  assert.equal(ok.code, 0);
  assert.match(ok.out, /good\.toml: valid \(0 warnings\)/);
  const warned = await vexctl(['validate', inert]);
  assert.equal(warned.code, 0);
  assert.match(warned.out, /inert\.toml:2:1: warning\[inert\]: optimization\.enable_stack_optimization does nothing/);
  assert.match(warned.out, /valid \(1 warnings\)/);
});

test('validate: every error with line, column, kind and key; exit 1', async () => {
  const result = await vexctl(['validate', bad]);
  assert.equal(result.code, 1);
  const lines = result.out.split('\n');
  assert.match(lines[0] ?? '', /bad\.toml:2:14: error\[type\]: performance\.io_threads must be an integer/);
  assert.match(
    lines[1] ?? '',
    /bad\.toml:3:1: error\[unknown-key\]: performance\.cahce_size: .*did you mean "cache_size"/,
  );
  assert.match(lines[2] ?? '', /bad\.toml:6:9: error\[range\]: general\.atime must be one of/);
  assert.match(lines[3] ?? '', /invalid \(3 errors, 0 warnings\)/);
  const syntax = await vexctl(['validate', broken]);
  assert.equal(syntax.code, 1);
  assert.match(syntax.out, /broken\.toml:2:\d+: error\[syntax\]: TOML syntax error/);
  const memory = await vexctl(['validate', huge]);
  assert.equal(memory.code, 1);
  assert.match(
    memory.out,
    /huge\.toml:2:14: error\[combination\]: performance\.cache_size is 65970697666560 bytes .*physical memory/,
  );
});

test('validate --json lists diagnostics with positions', async () => {
  const result = await vexctl(['validate', bad, '--json']);
  assert.equal(result.code, 1);
  const report = JSON.parse(result.out) as {
    valid: boolean;
    errors: number;
    diagnostics: { line: number; column: number; key: string; kind: string }[];
  };
  assert.equal(report.valid, false);
  assert.equal(report.errors, 3);
  assert.deepEqual(report.diagnostics[1], {
    source: bad,
    severity: 'error',
    kind: 'unknown-key',
    key: 'performance.cahce_size',
    line: 3,
    column: 1,
    message: 'unknown key "cahce_size" in [performance]; did you mean "cache_size"?',
    suggestion: 'performance.cache_size',
  });
});

test('validate: an unreadable file exits 2', async () => {
  const missing = await vexctl(['validate', join(root, 'missing.toml')]);
  assert.equal(missing.code, 2);
  assert.match(missing.err, /^ENOENT: cannot read config file/);
  const directory = await vexctl(['validate', root]);
  assert.equal(directory.code, 2);
  assert.match(directory.err, /^EISDIR/);
});

test('show prints bytes and, with --origin, where each value came from; the output reads back as config', async () => {
  writeFileSync(join(storeDir, 'vexfs.toml'), '[search]\ndefault_k = 25\n');
  const result = await vexctl(['show', good, '--store', storeDir, '--origin']);
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /^io_threads = 3 +# .*good\.toml:2:1 \(--config\)$/m);
  assert.match(result.out, /^cache_size = 1073741824 +# 1 GiB; .*good\.toml:3:1 \(--config\)$/m);
  assert.match(result.out, /^default_k = 25 +# .*store\/vexfs\.toml:2:1 \(store\)$/m);
  assert.match(result.out, /^sync_on_close = true +# default$/m);
  const shown = file('shown.toml', result.out);
  const again = await vexctl(['show', shown, '--json']);
  const reread = JSON.parse(again.out) as {
    config: { performance: { cache_size: number }; search: { default_k: number } };
  };
  assert.equal(reread.config.performance.cache_size, 2 ** 30);
  assert.equal(reread.config.search.default_k, 25);
  assert.doesNotThrow(() => parse(result.out));
});

test('show --json with origins, and $VEXFS_CONFIG as a source', async () => {
  const result = await vexctl(['show', '--json', '--origin'], { VEXFS_CONFIG: inert });
  assert.equal(result.code, 0, result.err);
  const shown = JSON.parse(result.out) as {
    config: { optimization: { enable_stack_optimization: boolean } };
    origins: Record<string, { kind: string; layer?: string; line?: number }>;
    warnings: { kind: string }[];
  };
  assert.equal(shown.config.optimization.enable_stack_optimization, false);
  assert.deepEqual(shown.origins['optimization.enable_stack_optimization'], {
    kind: 'file',
    layer: 'env',
    path: inert,
    line: 2,
    column: 1,
  });
  assert.equal(shown.warnings[0]?.kind, 'inert');
  const text = await vexctl(['show'], { VEXFS_CONFIG: inert });
  assert.match(text.err, /warning: .*inert\.toml:2:1: optimization\.enable_stack_optimization does nothing/);
});

test('show: an invalid source exits 1 with E_CONFIG; a missing FILE exits 2', async () => {
  const invalid = await vexctl(['show', bad]);
  assert.equal(invalid.code, 1);
  assert.match(invalid.err, /^E_CONFIG: .*bad\.toml:2:14: performance\.io_threads/);
  const missing = await vexctl(['show', 'missing.toml']);
  assert.equal(missing.code, 2);
});

test('advise (and its seed name validate-performance) gives advisories with key and reason', async () => {
  const seedLike = file(
    'seedlike.toml',
    '[performance]\nio_threads = 200\nenable_simd = false\n[optimization]\nenable_cross_layer_optimization = true\n',
  );
  const result = await vexctl(['advise', seedLike]);
  assert.equal(result.code, 0, result.err);
  assert.match(result.out, /^warning performance\.io_threads: 200 threads on \d+ available cores\n {4}why: /m);
  assert.match(result.out, /^warning performance\.enable_simd: SIMD is off/m);
  assert.match(result.out, /^warning optimization\.enable_cross_layer_optimization: set, but inert/m);
  assert.match(result.out, /^info performance\.memory_pool_size: .*% of RAM/m);
  const alias = await vexctl(['validate-performance', seedLike]);
  assert.equal(alias.out, result.out);
  const json = JSON.parse((await vexctl(['advise', seedLike, '--json'])).out) as {
    advisories: { key: string; reason: string }[];
  };
  assert.ok(json.advisories.every((advisory) => advisory.key && advisory.reason));
  const invalid = await vexctl(['advise', bad]);
  assert.equal(invalid.code, 1);
  assert.match(invalid.out, /error\[type\]/);
  const chain = await vexctl(['advise'], { VEXFS_CONFIG: inert });
  assert.match(chain.out, /optimization\.enable_stack_optimization: set, but inert/);
});

test('diff shows key-level changes of effective values', async () => {
  const other = file('other.toml', '[performance]\nio_threads = 4\n[general]\natime = "noatime"\n');
  const result = await vexctl(['diff', good, other]);
  assert.equal(result.code, 0, result.err);
  assert.equal(
    result.out,
    [
      '+ general.atime: "relatime" -> "noatime" (added)',
      '~ performance.io_threads: 3 -> 4',
      '- performance.cache_size: 1073741824 -> 268435456 (removed)',
      '3 keys differ',
    ].join('\n'),
  );
  assert.equal((await vexctl(['diff', good, good])).out, 'no differences');
  const json = JSON.parse((await vexctl(['diff', good, other, '--json'])).out) as { changes: unknown[] };
  assert.equal(json.changes.length, 3);
  assert.equal((await vexctl(['diff', good, bad])).code, 1);
  assert.equal((await vexctl(['diff', good, 'missing.toml'])).code, 2);
});

test('reference prints docs/config.md and --json the field descriptions', async () => {
  const text = await vexctl(['reference']);
  assert.equal(text.code, 0);
  assert.equal(`${text.out}`, renderConfigReference());
  const json = await vexctl(['reference', '--json']);
  assert.deepEqual(JSON.parse(json.out), describeConfigFields());
});
