import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { isVexError } from '../../engine/errors.js';
import { defaultProfilesDir, loadProfile } from '../../engine/bench/profile/load.js';
import { planRun } from '../../engine/bench/runner/plan.js';
import { getWorkload } from '../../engine/bench/workloads/registry.js';
import type { WorkloadContext } from '../../engine/bench/workloads/types.js';
import { importDataset } from '../../engine/vector/io/datasets.js';

const scratch = mkdtempSync(join(tmpdir(), 'vexfs-vector-profiles-'));
after(() => rmSync(scratch, { recursive: true, force: true }));

function context(
  subject: string,
  params: Record<string, unknown>,
  dataset: Partial<WorkloadContext['dataset']> = {},
): WorkloadContext {
  return {
    subject,
    dataset: { generator: null, file: null, size: 300, dim: 16, seed: 5, ...dataset },
    storeConfig: {},
    params,
    storeDir: null,
    scratchDir: scratch,
  };
}

/** Runs every op of a session a few times (untimed): each must complete without error. */
async function exercise(
  module: string,
  subject: string,
  params: Record<string, unknown>,
  ops: number[],
  dataset = {},
): Promise<void> {
  const session = await (await getWorkload(module).load()).open(context(subject, params, dataset));
  try {
    for (const op of ops) for (let i = 0; i < 3; i++) await session.run(op);
    assert.match(session.datasetChecksum ?? '', /^[0-9a-f]+$/);
  } finally {
    await session.close();
  }
}

describe('vector benchmark profiles', () => {
  test('kernels, flat-search and vector-ops validate and plan, also with --quick', () => {
    for (const name of ['kernels', 'flat-search', 'vector-ops']) {
      const loaded = loadProfile(name, defaultProfilesDir());
      for (const quick of [false, true]) {
        const points = planRun({ loaded, quick, sweeps: [], trials: null });
        assert.equal(points.length, 1, name);
        assert.ok((points[0]?.units.length ?? 0) > 0, name);
      }
    }
  });

  test('kernels: every entry point on every subject, and the roofline figures', async () => {
    const params = getWorkload('kernels').paramsSchema.parse({ metric: 'cosine', dim: 24, base_vectors: 256 });
    await exercise('kernels', 'vexfs', params, [0, 1, 2, 3, 4]);
    await exercise('kernels', 'simsimd', params, [0, 1, 2, 3]);
    await exercise('kernels', 'typescript_loop', params, [0, 1, 2, 3]);
    const bits = getWorkload('kernels').paramsSchema.parse({
      metric: 'hamming',
      dim: 64,
      base_vectors: 256,
      backend: 'typescript',
    });
    await exercise('kernels', 'vexfs', bits, [0, 1, 2, 3, 4]);
    const withRoof = await (
      await getWorkload('kernels').load()
    ).open(context('vexfs', { ...params, roofline_ram_bytes: 8 * 2 ** 20 }));
    type Figure = { name: string; value: number };
    const figures = await (withRoof as unknown as { figures(): Promise<Figure[]> }).figures();
    const named = (name: string) => figures.filter((f) => f.name === name);
    assert.equal(named('distances_per_op.batch_topk')[0]?.value, 16 * 256);
    assert.ok((named('roofline.fma_gflops')[0]?.value ?? 0) > 0);
    assert.ok((named('roofline.read_gbps')[0]?.value ?? 0) > 0);
    assert.equal(named('roof_dist_per_s.cosine.d24').length, 5);
    await withRoof.close();
    const session = await (
      await getWorkload('kernels').load()
    ).open(context('simsimd', { ...params, metric: 'manhattan' }));
    assert.throws(
      () => session.run(0),
      (e: unknown) => isVexError(e, 'E_UNAVAILABLE'),
    );
    await assert.rejects(
      async () => (await getWorkload('kernels').load()).open(context('faiss', params)),
      (e: unknown) => isVexError(e, 'E_PROFILE'),
    );
  });

  test('flat-search: both subjects answer every op', async () => {
    const params = getWorkload('flat-search').paramsSchema.parse({});
    await exercise('flat-search', 'vexfs', params, [0, 1, 2, 3, 4, 5]);
    await exercise('flat-search', 'usearch', params, [0, 1, 2, 3, 4, 5]);
    await assert.rejects(
      async () => (await getWorkload('flat-search').load()).open(context('vexfs', params, { file: '/x.fvecs' })),
      (e: unknown) => isVexError(e, 'E_PROFILE'),
    );
  });

  test('vector-ops: upsert, get and search on a real store', async () => {
    const params = getWorkload('vector-ops').paramsSchema.parse({});
    await exercise('vector-ops', 'vexfs', params, [0, 1, 2]);
  });

  test('vector-ops reads a dataset imported with vexctl dataset import, by name or by path', async () => {
    const previous = process.env.XDG_DATA_HOME;
    process.env.XDG_DATA_HOME = join(scratch, 'data');
    try {
      const csv = join(scratch, 'small.csv');
      writeFileSync(csv, Array.from({ length: 40 }, (_, i) => `${i},${i % 3},1,0`).join('\n'));
      importDataset(csv, { name: 'small' });
      const params = getWorkload('vector-ops').paramsSchema.parse({ metric: 'l2' });
      // The runner resolves dataset.file against the profile's directory; a name that is no file there is a dataset.
      await exercise('vector-ops', 'vexfs', params, [0, 1, 2], { file: join(scratch, 'profiles', 'small') });
      await exercise('vector-ops', 'vexfs', params, [0, 1, 2], { file: csv });
      await assert.rejects(
        async () =>
          (await getWorkload('vector-ops').load()).open(context('vexfs', params, { file: join(scratch, 'nope') })),
        (e: unknown) => isVexError(e, 'E_NOT_FOUND'),
      );
    } finally {
      if (previous === undefined) delete process.env.XDG_DATA_HOME;
      else process.env.XDG_DATA_HOME = previous;
    }
  });
});
