// `npm start`: the desktop workbench on the demo store (created on first run).
// With the Electron runtime installed it opens the window. Without it (node_modules/electron
// is installed but its binary was never downloaded, as on machines whose only network is the
// npm registry; VEXFS_NO_ELECTRON=1 chooses this too) it serves the same workbench on
// 127.0.0.1 with `vexctl serve --demo` and prints one line saying so, with the URL and its
// token. Bundles are (re)built first when missing or older than their sources.
// Arguments after `npm start --` go to the window (--store DIR) or to vexctl serve (--port N, --store DIR).
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const args = process.argv.slice(2);

/** The Electron binary, or why there is none. @returns {{ path: string } | { missing: string }} */
function electronRuntime() {
  if (process.env.VEXFS_NO_ELECTRON === '1') return { missing: 'VEXFS_NO_ELECTRON=1 is set' };
  let path;
  try {
    path = createRequire(join(root, 'package.json'))('electron');
  } catch {
    return { missing: "node_modules/electron's binary was never downloaded" };
  }
  if (typeof path !== 'string' || !existsSync(path)) return { missing: `no Electron binary at ${String(path)}` };
  return { path };
}

/** Newest modification time under `dir` (sources), in ms. @param {string} dir @returns {number} */
function newestUnder(dir) {
  if (!existsSync(dir)) return 0;
  let newest = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules' || entry.name.startsWith('.')) continue;
    const path = join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }
  return newest;
}

/** Whether every output exists and is newer than every file in the source directories. */
function upToDate(/** @type {string[]} */ outputs, /** @type {string[]} */ sources) {
  if (!outputs.every((file) => existsSync(join(root, file)))) return false;
  const oldestOutput = Math.min(...outputs.map((file) => statSync(join(root, file)).mtimeMs));
  return sources.every((dir) => newestUnder(join(root, dir)) <= oldestOutput);
}

/** Runs a build script quietly (its chatter would drown the one line); on failure shows its output. */
function run(/** @type {string} */ script) {
  const result = spawnSync(process.execPath, [join(root, script)], { cwd: root, encoding: 'utf8' });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    console.error(`npm start: ${script} failed; fix the error above, then run npm start again`);
    process.exit(result.status ?? 1);
  }
}

const runtime = electronRuntime();
if (!upToDate(['dist/vexctl.mjs', 'dist/renderer/index.html'], ['engine', 'renderer'])) run('scripts/build.mjs');

if ('path' in runtime) {
  if (
    !upToDate(['dist/electron/main.mjs', 'dist/electron/preload.cjs', 'dist/electron-host.mjs'], ['engine', 'electron'])
  ) {
    run('electron/build.mjs');
  }
  const child = spawn(runtime.path, [join(root, 'dist', 'electron', 'main.mjs'), ...args], { stdio: 'inherit' });
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
} else {
  const workspace = process.env.VEXFS_WORKSPACE || homedir();
  const child = spawn(
    process.execPath,
    [
      join(root, 'bin', 'vexctl.mjs'),
      'serve',
      ...(args.includes('--store') ? [] : ['--demo']),
      '--workspace',
      workspace,
      ...args,
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let announced = false;
  createInterface({ input: child.stdout }).on('line', (line) => {
    if (!announced && /^http:\/\/127\.0\.0\.1:\d+\/\?token=/.test(line)) {
      announced = true;
      console.log(
        `The Electron runtime is not installed here, so the workbench is served to your browser instead: open ${line}  (Ctrl-C stops it; why: ${runtime.missing})`,
      );
    } else console.log(line);
  });
  // serve's own "Serving …" notice would be a second line saying the same; its other messages pass through.
  createInterface({ input: child.stderr }).on('line', (line) => {
    if (!line.startsWith('Serving the VexFS workbench')) console.error(line);
  });
  process.on('SIGINT', () => child.kill('SIGINT'));
  process.on('SIGTERM', () => child.kill('SIGINT'));
  child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
}
