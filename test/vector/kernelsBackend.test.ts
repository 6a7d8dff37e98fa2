// Backend choice: VEXFS_SIMD in a fresh process for every backend this CPU runs, clear errors for ones it
// cannot, the TypeScript fallback when the addon is missing, enable_simd = false, and a silent import.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import {
  backendSummary,
  capabilities,
  logBackendOnce,
  setBackend,
  type BackendName,
} from '../../engine/vector/kernels/index.js';

const here = dirname(fileURLToPath(import.meta.url));
const child = join(here, 'fixtures', 'kernelsChild.ts');

interface ChildReport {
  caps?: ReturnType<typeof capabilities>;
  distance?: number;
  disabled?: BackendName | null;
  reenabled?: BackendName | null;
  code?: string;
  message?: string;
}

function runChild(
  env: Record<string, string>,
  mode = 'report',
): { report: ChildReport | null; stdout: string; status: number | null; stderr: string } {
  const base = { ...process.env };
  delete base.VEXFS_SIMD;
  delete base.VEXFS_KERNELS_ADDON;
  const result = spawnSync(process.execPath, ['--import', 'tsx', child, mode], {
    env: { ...base, ...env },
    encoding: 'utf8',
    timeout: 60_000,
  });
  const stdout = result.stdout ?? '';
  return {
    report: stdout ? (JSON.parse(stdout) as ChildReport) : null,
    stdout,
    status: result.status,
    stderr: result.stderr ?? '',
  };
}

describe('kernel backend selection', () => {
  const native: BackendName[] = capabilities().available.filter((name) => name !== 'typescript');

  it('importing the kernels prints nothing', () => {
    const run = runChild({}, 'import-only');
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
  });

  for (const name of [...native, 'typescript']) {
    it(`VEXFS_SIMD=${name} runs ${name}`, () => {
      const run = runChild({ VEXFS_SIMD: name });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.report?.caps?.backend, name);
      assert.equal(run.report?.caps?.selectedBy, 'VEXFS_SIMD');
      assert.equal(run.report?.distance, 4);
    });
  }

  it('VEXFS_SIMD=auto picks the best backend this CPU runs', () => {
    const run = runChild({ VEXFS_SIMD: 'auto' });
    assert.equal(run.report?.caps?.backend, native[0] ?? 'typescript');
  });

  for (const name of ['avx512', 'avx2', 'neon'].filter((n) => !native.includes(n as BackendName))) {
    it(`VEXFS_SIMD=${name}, which this CPU lacks, is a clear E_CONFIG error`, () => {
      const run = runChild({ VEXFS_SIMD: name });
      assert.equal(run.status, 0, run.stderr);
      assert.equal(run.report?.code, 'E_CONFIG');
      assert.match(
        run.report?.message ?? '',
        new RegExp(`VEXFS_SIMD=${name} cannot be used: .*cannot run on this CPU`),
      );
      assert.throws(() => setBackend(name as BackendName), { code: 'E_CONFIG' });
    });
  }

  it('an unknown VEXFS_SIMD value is an E_CONFIG error naming the choices', () => {
    const run = runChild({ VEXFS_SIMD: 'sse9' });
    assert.equal(run.report?.code, 'E_CONFIG');
    assert.match(
      run.report?.message ?? '',
      /VEXFS_SIMD=sse9 is not one of auto, avx512, avx2, neon, scalar, typescript/,
    );
  });

  it('a missing addon falls back to TypeScript and says why', () => {
    const run = runChild({ VEXFS_KERNELS_ADDON: join(here, 'no-such-addon.node') });
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.report?.caps?.backend, 'typescript');
    assert.equal(run.report?.caps?.native.loaded, false);
    assert.match(run.report?.caps?.native.error ?? '', /did not load/);
    assert.equal(run.report?.distance, 4);
    const forced = runChild({ VEXFS_KERNELS_ADDON: join(here, 'no-such-addon.node'), VEXFS_SIMD: 'scalar' });
    assert.equal(forced.report?.code, 'E_CONFIG');
  });

  it('enable_simd = false runs the scalar kernels; true returns to the automatic choice', () => {
    const run = runChild({}, 'disable-simd');
    assert.equal(run.report?.disabled, native.length > 0 ? 'scalar' : 'typescript');
    assert.equal(run.report?.reenabled, native[0] ?? 'typescript');
  });

  it('logs the backend in use once per process, in one line', () => {
    const lines: string[] = [];
    logBackendOnce((line) => lines.push(line));
    logBackendOnce((line) => lines.push(line));
    assert.equal(lines.length, 1);
    assert.equal(lines[0], backendSummary());
    assert.match(lines[0] ?? '', new RegExp(`vector kernels: .*${capabilities().backend}`));
  });
});
