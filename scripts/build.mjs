// Bundles the Node entry points with esbuild. Native addons and packages with
// native parts stay external: they are loaded from node_modules at run time.
import { build } from 'esbuild';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const external = [
  'better-sqlite3',
  'usearch',
  'simsimd',
  'hnswlib-node',
  'memfs',
  'electron',
  'hdr-histogram-js',
  'ws',
  'fsevents',
];
const entries = [
  { in: 'engine/cli/bin.ts', out: 'dist/vexctl.mjs' },
  // The benchmark worker, started from the bundle by engine/bench/runner/startWorker.ts (beside vexctl.mjs).
  { in: 'engine/bench/runner/worker.ts', out: 'dist/bench-worker.mjs' },
];
for (const entry of entries) {
  if (!existsSync(join(root, entry.in))) continue;
  await build({
    absWorkingDir: root,
    entryPoints: [entry.in],
    outfile: entry.out,
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    sourcemap: 'linked',
    external,
    banner: {
      js: "import { createRequire as __vexCreateRequire } from 'node:module'; const require = __vexCreateRequire(import.meta.url);",
    },
    logLevel: 'warning',
  });
}

// The workbench UI (React), served by `vexctl serve` and loaded by the Electron window.
if (existsSync(join(root, 'renderer', 'index.html'))) {
  const { build: viteBuild } = await import('vite');
  await viteBuild({
    configFile: join(root, 'renderer', 'vite.config.ts'),
    root: join(root, 'renderer'),
    logLevel: 'warn',
  });
}
