// Proves the dispatch on CPUs this machine is not: the standalone C++ kernel test (native/kernels/test)
// runs natively, under qemu-x86_64 as a Haswell (AVX2, no AVX-512), and cross-compiled for arm64 under
// qemu-aarch64 (NEON). Each part runs only when its tools are installed (Debian: g++, qemu-user,
// g++-aarch64-linux-gnu) and is skipped with the reason otherwise.
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { capabilities } from '../../engine/vector/kernels/index.js';

const kernelsDir = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'native', 'kernels');
const sources = [
  'test/kernels_test.cpp',
  'src/dispatch.cpp',
  'src/scan.cpp',
  'src/scalar.cpp',
  'src/avx2.cpp',
  'src/avx512.cpp',
  'src/neon.cpp',
].map((file) => join(kernelsDir, file));
const work = mkdtempSync(join(tmpdir(), 'vexfs-kernels-'));
after(() => rmSync(work, { recursive: true, force: true }));

function has(tool: string): boolean {
  return spawnSync(tool, ['--version'], { stdio: 'ignore' }).status === 0;
}

/** Compiles in the background (-O1: the kernels are intrinsics, and this keeps the test short). */
function compile(compiler: string, output: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(compiler, ['-std=c++17', '-O1', '-o', output, ...sources, '-lpthread'], {
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (status) =>
      status === 0 ? resolve() : reject(new Error(`${compiler} exited ${String(status)}:\n${stderr}`)),
    );
  });
}

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: 'utf8', timeout: 120_000 });
  assert.equal(result.status, 0, `${command} ${args.join(' ')} failed:\n${result.stdout}\n${result.stderr}`);
  assert.match(result.stdout, /^\d+ passed, 0 failed$/m);
  return result.stdout;
}

const isX64 = process.arch === 'x64';
const gpp = has('g++');
const cross = 'aarch64-linux-gnu-g++';
const armSkip = !has(cross)
  ? `${cross} is not installed (apt-get install g++-aarch64-linux-gnu)`
  : !has('qemu-aarch64')
    ? 'qemu-aarch64 is not installed (apt-get install qemu-user)'
    : false;
const nativeBinary = join(work, 'kernels_test');
const armBinary = join(work, 'kernels_test_arm64');
// Both compilers start at once; each test waits for its own binary.
const nativeBuild = gpp ? compile('g++', nativeBinary) : null;
const armBuild = armSkip === false ? compile(cross, armBinary) : null;
nativeBuild?.catch(() => undefined);
armBuild?.catch(() => undefined);

describe('standalone kernel test under emulation', () => {
  it(
    'passes natively with the backends the addon reports',
    { skip: gpp ? false : 'g++ is not installed' },
    async () => {
      await nativeBuild;
      const available = capabilities().available.filter((name) => name !== 'typescript');
      const args = capabilities().native.loaded ? ['--expect', available.join(',')] : [];
      run(nativeBinary, args);
    },
  );

  const haswellSkip = !isX64
    ? 'the host is not x86-64'
    : !gpp
      ? 'g++ is not installed'
      : !has('qemu-x86_64')
        ? 'qemu-x86_64 is not installed (apt-get install qemu-user)'
        : false;
  it('dispatches to avx2 on a Haswell without AVX-512 (qemu-x86_64 -cpu Haswell)', { skip: haswellSkip }, async () => {
    await nativeBuild;
    const out = run('qemu-x86_64', ['-cpu', 'Haswell', nativeBinary, '--expect', 'avx2,scalar']);
    assert.match(out, /backends avx2,scalar/);
  });

  it('runs the NEON kernels on arm64 (cross-compiled, qemu-aarch64)', { skip: armSkip }, async () => {
    await armBuild;
    const out = run('qemu-aarch64', ['-L', '/usr/aarch64-linux-gnu', armBinary, '--expect', 'neon,scalar']);
    assert.match(out, /arch arm64, backends neon,scalar/);
  });
});
