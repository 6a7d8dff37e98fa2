import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { configCandidates, loadConfig } from '../../engine/config/loadConfig.js';
import type { LoadConfigOptions } from '../../engine/config/loadConfig.js';
import { isVexError } from '../../engine/errors.js';

const GiB = 2 ** 30;
const roots: string[] = [];
after(() => roots.forEach((root) => rmSync(root, { recursive: true, force: true })));

/** A fake machine: system, user (XDG), home, store and two explicit files, all under one temp dir. */
function world() {
  const root = mkdtempSync(join(tmpdir(), 'vexfs-config-'));
  roots.push(root);
  const dirs = {
    system: join(root, 'etc', 'vexfs'),
    xdg: join(root, 'xdg'),
    home: join(root, 'home'),
    store: join(root, 'store'),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  const write = (path: string, text: string): string => {
    mkdirSync(join(path, '..'), { recursive: true });
    writeFileSync(path, text);
    return path;
  };
  const env = { VEXFS_SYSTEM_CONFIG_DIR: dirs.system, XDG_CONFIG_HOME: dirs.xdg, HOME: dirs.home };
  const options = (extra: Partial<LoadConfigOptions> = {}): LoadConfigOptions => ({
    env,
    cwd: root,
    totalMemoryBytes: 16 * GiB,
    ...extra,
  });
  return { root, dirs, write, env, options };
}

test('each layer overrides the ones below it key by key, and origins name file and line', () => {
  const { dirs, write, env, options, root } = world();
  const system = write(
    join(dirs.system, 'vexfs.conf'),
    '[performance]\nio_threads = 1\ncache_size = "1GB"\n[search]\ndefault_k = 1\n[general]\natime = "noatime"\n',
  );
  const user = write(join(dirs.xdg, 'vexfs', 'vexfs.toml'), '[performance]\nio_threads = 2\n[search]\ndefault_k = 2\n');
  const store = write(join(dirs.store, 'vexfs.toml'), '[performance]\nio_threads = 3\n[api]\nport = 9000\n');
  const fromEnv = write(join(root, 'env.toml'), '[performance]\nio_threads = 4\n\n[fuse]\nallow_other = true\n');
  const fromCli = write(join(root, 'cli.toml'), '# highest\n[performance]\n  io_threads = 5\n');

  const loaded = loadConfig({
    ...options({ storeDir: dirs.store, configFile: 'cli.toml' }),
    env: { ...env, VEXFS_CONFIG: fromEnv },
  });
  assert.equal(loaded.config.performance.io_threads, 5);
  assert.equal(loaded.config.fuse.allow_other, true);
  assert.equal(loaded.config.api.port, 9000);
  assert.equal(loaded.config.search.default_k, 2);
  assert.equal(loaded.config.performance.cache_size, 1e9);
  assert.equal(loaded.config.general.atime, 'noatime');
  assert.equal(loaded.config.general.sync_on_close, true);
  assert.deepEqual(loaded.origins['performance.io_threads'], {
    kind: 'file',
    layer: 'cli',
    path: fromCli,
    line: 3,
    column: 3,
  });
  assert.deepEqual(loaded.origins['fuse.allow_other'], {
    kind: 'file',
    layer: 'env',
    path: fromEnv,
    line: 5,
    column: 1,
  });
  assert.deepEqual(loaded.origins['api.port'], { kind: 'file', layer: 'store', path: store, line: 4, column: 1 });
  assert.deepEqual(loaded.origins['search.default_k'], { kind: 'file', layer: 'user', path: user, line: 4, column: 1 });
  assert.deepEqual(loaded.origins['general.atime'], {
    kind: 'file',
    layer: 'system',
    path: system,
    line: 7,
    column: 1,
  });
  assert.deepEqual(loaded.origins['general.sync_on_close'], { kind: 'default' });
  assert.deepEqual(
    loaded.sources.map((source) => [source.layer, source.found]),
    [
      ['cli', true],
      ['env', true],
      ['store', true],
      ['user', true],
      ['system', true],
    ],
  );

  // Peel the layers off one by one: the next one down wins.
  assert.equal(
    loadConfig({ ...options({ storeDir: dirs.store }), env: { ...env, VEXFS_CONFIG: fromEnv } }).config.performance
      .io_threads,
    4,
  );
  assert.equal(loadConfig(options({ storeDir: dirs.store })).config.performance.io_threads, 3);
  assert.equal(loadConfig(options()).config.performance.io_threads, 2);
  assert.equal(
    loadConfig({ ...options(), env: { ...env, XDG_CONFIG_HOME: join(dirs.xdg, 'none') } }).config.performance
      .io_threads,
    1,
  );
});

test('no files at all gives the defaults with every origin "default"', () => {
  const { options } = world();
  const loaded = loadConfig(options());
  assert.equal(loaded.config.performance.memory_pool_size, 0);
  assert.ok(Object.values(loaded.origins).every((origin) => origin.kind === 'default'));
  assert.ok(loaded.sources.every((source) => !source.found));
  assert.deepEqual(loaded.warnings, []);
});

test('without XDG_CONFIG_HOME the user file is ~/.config/vexfs; a relative XDG_CONFIG_HOME is ignored with a warning', () => {
  const { dirs, write, options, env } = world();
  write(join(dirs.home, '.config', 'vexfs', 'vexfs.conf'), '[search]\ndefault_k = 7\n');
  const noXdg = loadConfig({ ...options(), env: { ...env, XDG_CONFIG_HOME: undefined } });
  assert.equal(noXdg.config.search.default_k, 7);
  const relative = loadConfig({ ...options(), env: { ...env, XDG_CONFIG_HOME: 'relative/dir' } });
  assert.equal(relative.config.search.default_k, 7);
  assert.match(relative.warnings[0]?.message ?? '', /not an absolute path/);
});

test('configCandidates lists the injected directories, not the real /etc or home', () => {
  const { dirs, options } = world();
  const paths = configCandidates(options({ storeDir: dirs.store })).flatMap((candidate) => candidate.paths);
  assert.deepEqual(paths, [
    join(dirs.store, 'vexfs.toml'),
    join(dirs.xdg, 'vexfs', 'vexfs.conf'),
    join(dirs.xdg, 'vexfs', 'vexfs.toml'),
    join(dirs.system, 'vexfs.conf'),
    join(dirs.system, 'vexfs.toml'),
  ]);
});

test('both vexfs.conf and vexfs.toml in one directory is an error', () => {
  const { dirs, write, options } = world();
  write(join(dirs.system, 'vexfs.conf'), '');
  write(join(dirs.system, 'vexfs.toml'), '');
  assert.throws(
    () => loadConfig(options()),
    (error: unknown) => isVexError(error, 'E_CONFIG') && /both .*vexfs\.conf and .*vexfs\.toml/.test(error.message),
  );
});

test('a missing or unreadable explicit file is an error naming where it was given', () => {
  const { options, env, root } = world();
  assert.throws(
    () => loadConfig(options({ configFile: 'missing.toml' })),
    (error: unknown) =>
      isVexError(error, 'E_CONFIG') && /missing\.toml \(given by --config\): ENOENT/.test(error.message),
  );
  assert.throws(
    () => loadConfig({ ...options(), env: { ...env, VEXFS_CONFIG: join(root, 'nope.toml') } }),
    (error: unknown) => isVexError(error, 'E_CONFIG') && /\$VEXFS_CONFIG/.test(error.message),
  );
  assert.throws(
    () => loadConfig(options({ configFile: '.' })),
    (error: unknown) => isVexError(error, 'E_CONFIG') && /EISDIR/.test(error.message),
  );
  // An empty VEXFS_CONFIG means unset.
  assert.doesNotThrow(() => loadConfig({ ...options(), env: { ...env, VEXFS_CONFIG: '' } }));
});

test('an invalid file anywhere in the chain is an E_CONFIG naming the file, line and key', () => {
  const { dirs, write, options } = world();
  const user = write(join(dirs.xdg, 'vexfs', 'vexfs.toml'), '[performance]\n\nio_threads = "many"\n');
  assert.throws(
    () => loadConfig(options()),
    (error: unknown) =>
      isVexError(error, 'E_CONFIG') && error.message.startsWith(`${user}:3:14: performance.io_threads must be`),
  );
});

test('budgets are checked on the merged config, naming every file involved', () => {
  const { dirs, write, options } = world();
  const user = write(join(dirs.xdg, 'vexfs', 'vexfs.toml'), '[performance]\nmemory_pool_size = "10GiB"\n');
  const store = write(join(dirs.store, 'vexfs.toml'), '[performance]\ncache_size = "7GiB"\n');
  assert.throws(
    () => loadConfig(options({ storeDir: dirs.store })),
    (error: unknown) =>
      isVexError(error, 'E_CONFIG') &&
      error.message.includes(`${store}:2`) &&
      error.message.includes(`${user}:2`) &&
      /more than this machine's/.test(error.message),
  );
  // Each file alone is fine.
  assert.doesNotThrow(() => loadConfig(options()));
});

test('warnings carry the file they came from: inert keys and merged combinations', () => {
  const { dirs, write, options } = world();
  const system = write(join(dirs.system, 'vexfs.conf'), '[optimization]\nenable_cross_layer_optimization = false\n');
  const store = write(join(dirs.store, 'vexfs.toml'), '[performance]\nenable_simd = false\n');
  const { warnings } = loadConfig(options({ storeDir: dirs.store }));
  assert.deepEqual(
    warnings.map((warning) => [warning.kind, warning.source, warning.key]),
    [
      ['inert', system, 'optimization.enable_cross_layer_optimization'],
      ['combination', store, 'performance.enable_simd'],
    ],
  );
});
