// Bundles the desktop shell with esbuild: main (ESM), the sandboxed preload (CommonJS, the
// only form a sandboxed preload may take) and the engine host's utility-process entry.
// The preload's request and event names are evaluated from the contract here, at build
// time, and written into the bundle as literals: the page gets one method per entry and
// the preload carries no schema and no engine code.
// Run: node electron/build.mjs (npm start runs it when the bundles are missing or stale).
import { build } from 'esbuild';
import { mkdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');
export const OUT_DIR = join(ROOT, 'dist', 'electron');
/** Beside dist/vexctl.mjs and dist/bench-worker.mjs, which the host starts from its own directory. */
export const HOST_BUNDLE = join(ROOT, 'dist', 'electron-host.mjs');

const NATIVE_EXTERNALS = [
  'better-sqlite3',
  'usearch',
  'simsimd',
  'hnswlib-node',
  'memfs',
  'hdr-histogram-js',
  'ws',
  'fsevents',
];
const REQUIRE_BANNER =
  "import { createRequire as __vexCreateRequire } from 'node:module'; const require = __vexCreateRequire(import.meta.url);";

/** The contract's request and event names, by bundling and importing engine/api/contract. */
export async function contractNames() {
  mkdirSync(OUT_DIR, { recursive: true });
  const temporary = join(OUT_DIR, `.contract-${process.pid}.mjs`);
  try {
    await build({
      absWorkingDir: ROOT,
      entryPoints: ['engine/api/contract/index.ts'],
      outfile: temporary,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'warning',
    });
    const contract = await import(pathToFileURL(temporary).href);
    return { requests: [...contract.requestNames], events: [...contract.eventNames] };
  } finally {
    rmSync(temporary, { force: true });
  }
}

/** @param {{ requests: string[], events: string[] }} names */
function contractNamesPlugin(names) {
  return {
    name: 'contract-names',
    /** @param {import('esbuild').PluginBuild} pluginBuild */
    setup(pluginBuild) {
      pluginBuild.onResolve({ filter: /contractNames\.js$/ }, () => ({ path: 'contract-names', namespace: 'vexfs' }));
      pluginBuild.onLoad({ filter: /.*/, namespace: 'vexfs' }, () => ({
        contents: `export const REQUEST_NAMES = Object.freeze(${JSON.stringify(names.requests)});\nexport const EVENT_NAMES = Object.freeze(${JSON.stringify(names.events)});\n`,
        loader: 'js',
      }));
    },
  };
}

const COMMON = {
  absWorkingDir: ROOT,
  bundle: true,
  platform: 'node',
  target: 'node20',
  sourcemap: 'linked',
  logLevel: 'warning',
};

/** The sandboxed preload with the contract's names as literals. @param {string} outfile @param {{ requests: string[], events: string[] }} names */
export async function buildPreload(outfile, names) {
  await build({
    ...COMMON,
    entryPoints: ['electron/preload.ts'],
    outfile,
    format: 'cjs',
    external: ['electron'],
    plugins: [contractNamesPlugin(names)],
  });
}

export async function buildElectron() {
  const names = await contractNames();
  mkdirSync(OUT_DIR, { recursive: true });
  const common = COMMON;
  await Promise.all([
    buildPreload(join(OUT_DIR, 'preload.cjs'), names),
    build({
      ...common,
      entryPoints: ['electron/main.ts'],
      outfile: join(OUT_DIR, 'main.mjs'),
      format: 'esm',
      external: ['electron'],
      banner: { js: REQUIRE_BANNER },
    }),
    build({
      ...common,
      entryPoints: ['engine/api/hostProcess.ts'],
      outfile: HOST_BUNDLE,
      format: 'esm',
      external: NATIVE_EXTERNALS,
      banner: { js: REQUIRE_BANNER },
    }),
  ]);
  return { names, outDir: OUT_DIR, host: HOST_BUNDLE };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  const { names } = await buildElectron();
  console.log(
    `built the desktop shell: ${names.requests.length} requests and ${names.events.length} event streams in the preload`,
  );
}
