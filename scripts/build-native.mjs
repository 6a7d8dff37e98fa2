// Builds each native addon under native/ with node-gyp during `npm install`.
// A failed build never fails the install: the engine then runs its TypeScript
// kernels and says so once (DESIGN.md, native/). FUSE is its own addon so a
// missing libfuse3 never costs SIMD.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const nativeDir = join(root, 'native');
const addons = existsSync(nativeDir)
  ? readdirSync(nativeDir).filter((name) => existsSync(join(nativeDir, name, 'binding.gyp')))
  : [];
const gyp = join(
  dirname(process.execPath),
  '..',
  'lib',
  'node_modules',
  'npm',
  'node_modules',
  'node-gyp',
  'bin',
  'node-gyp.js',
);
for (const addon of addons) {
  const cwd = join(nativeDir, addon);
  const args = existsSync(gyp) ? [gyp, 'rebuild'] : [];
  const result = args.length
    ? spawnSync(process.execPath, args, { cwd, stdio: ['ignore', 'pipe', 'pipe'], encoding: 'utf8' })
    : spawnSync('npx', ['--no-install', 'node-gyp', 'rebuild'], {
        cwd,
        stdio: ['ignore', 'pipe', 'pipe'],
        encoding: 'utf8',
      });
  if (result.status === 0) {
    console.log(`native/${addon}: built`);
  } else {
    const tail = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim().split('\n').slice(-8).join('\n');
    console.warn(`native/${addon}: build failed; the engine will use its TypeScript fallback.\n${tail}`);
  }
}
