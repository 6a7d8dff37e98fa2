// Builds each native addon under native/ with node-gyp during `npm install`.
// A failed build never fails the install: the engine then runs its TypeScript
// kernels and says so once (DESIGN.md, native/). FUSE is its own addon so a
// missing libfuse3 never costs SIMD.
// Headers come from this Node's own install (--nodedir) when it ships them, so
// the build needs no download; without a C++ compiler the build is skipped.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const only = process.argv.slice(2);
const addons = (
  existsSync(nativeDir) ? readdirSync(nativeDir).filter((name) => existsSync(join(nativeDir, name, 'binding.gyp'))) : []
).filter((name) => only.length === 0 || only.includes(name));
const nodePrefix = join(dirname(process.execPath), '..');
const gyp = join(nodePrefix, 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js');
const nodedir = existsSync(join(nodePrefix, 'include', 'node', 'node_api.h')) ? [`--nodedir=${nodePrefix}`] : [];

function hasCompiler() {
  const cxx = process.env.CXX ?? 'c++';
  const probe = spawnSync(cxx, ['--version'], { stdio: 'ignore' });
  return probe.status === 0;
}

if (addons.length > 0 && !hasCompiler()) {
  console.warn(
    `native: no C++ compiler (${process.env.CXX ?? 'c++'}) found; skipping ${addons.join(', ')}. ` +
      'The engine will use its TypeScript fallback. Install g++ (or set CXX) and run `node scripts/build-native.mjs`.',
  );
  process.exit(0);
}

let failed = 0;
for (const addon of addons) {
  const cwd = join(nativeDir, addon);
  const [command, args] = existsSync(gyp)
    ? [process.execPath, [gyp, 'rebuild', ...nodedir]]
    : ['npx', ['--no-install', 'node-gyp', 'rebuild', ...nodedir]];
  const result = spawnSync(command, args, {
    cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
    encoding: 'utf8',
    timeout: 10 * 60 * 1000,
  });
  if (result.status === 0) {
    console.log(`native/${addon}: built`);
  } else {
    failed++;
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-8).join('\n');
    console.warn(`native/${addon}: build failed; the engine will use its TypeScript fallback.\n${tail}`);
  }
}
// VEXFS_NATIVE_STRICT=1 lets a developer or CI insist on the addons; `npm install` never does.
process.exit(failed > 0 && process.env.VEXFS_NATIVE_STRICT === '1' ? 1 : 0);
