import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVexError } from '../../engine/errors.js';
import { parseProfile } from '../../engine/bench/profile/load.js';
import { buildReport } from '../../engine/bench/report/renderReport.js';
import type { BenchResult, Metric } from '../../engine/bench/result.js';
import { validateResult } from '../../engine/bench/results/parse.js';
import { syntheticResult } from './fixtures/syntheticResult.js';
import { QUICK_TARGET_MS, planQuick } from '../../engine/bench/runner/quickPlan.js';
import {
  RECALL_PREFIX,
  measureRecall,
  opPlan,
  prepareData,
  toHalfBits,
  toInt8,
} from '../../engine/bench/workloads/quantizedSearch.js';
import type { WorkloadContext } from '../../engine/bench/workloads/types.js';
import { halfToFloat } from '../../engine/vector/kernels/fallback.js';
import { startRun } from './fixtures/startRun.js';

const long = process.env.VEXFS_TEST_TIER === 'long';
const measureMs = long ? 200 : 40;

function profileText(options: { size?: number; params?: string; ops?: readonly string[] } = {}): string {
  const ops = options.ops ?? ['f32_exact', 'f16_r1', 'i8_r1', 'i8_r8'];
  return (
    `name = "qs"\ndescription = "t"\nmodule = "quantized-search"\nsubjects = ["vexfs"]\ntrials = 2\n` +
    `primary = ["ops_per_s.${ops[0]}"]\n[dataset]\nsize = ${options.size ?? 400}\ndim = 8\nseed = 7\n` +
    `[params]\n${options.params ?? 'k = 10\nqueries = 40'}\n` +
    `[warmup]\nduration_ms = 5\n[measure]\nduration_ms = ${measureMs}\n` +
    ops.map((op) => `[[workloads]]\nname = "${op}"\nmix = { ${op} = 1 }\n`).join('')
  );
}

async function run(text: string): Promise<BenchResult> {
  return startRun(text).result;
}

function find(result: BenchResult, name: string): Metric {
  const found = result.metrics.find((m) => m.name === name && m.subject === 'vexfs');
  assert.ok(found, `no metric ${name} in ${result.metrics.map((m) => m.name).join(', ')}`);
  return found;
}

function context(size: number, dim: number, params: Record<string, unknown>): WorkloadContext {
  return {
    subject: 'vexfs',
    dataset: { generator: null, file: null, size, dim, seed: 11 },
    storeConfig: {},
    params: { k: 10, queries: 30, metric: 'l2', ...params },
    storeDir: null,
    scratchDir: '/nonexistent',
  };
}

function rejects(action: () => unknown, pattern: RegExp): void {
  assert.throws(
    action,
    (error: unknown) => isVexError(error) && error.code === 'E_PROFILE' && pattern.test(error.message),
  );
}

describe('quantized-search workload', () => {
  it('reports recall@k beside ops_per_s for every op, through the real harness', async () => {
    const result = await run(profileText());
    assert.equal(result.status, 'complete', JSON.stringify(result.warnings));
    validateResult(JSON.parse(JSON.stringify(result)), 'the result');
    for (const op of ['f32_exact', 'f16_r1', 'i8_r1', 'i8_r8']) {
      const recall = find(result, `${RECALL_PREFIX}${op}`);
      assert.equal(recall.unit, 'recall');
      assert.equal(recall.higher_is_better, true);
      assert.equal(recall.samples.length, 2);
      for (const value of recall.samples) assert.ok(value >= 0 && value <= 1, `${op} recall ${value}`);
      assert.ok(find(result, `ops_per_s.${op}`).value > 0);
    }
    assert.equal(find(result, `${RECALL_PREFIX}f32_exact`).value, 1);
    assert.ok(find(result, `${RECALL_PREFIX}i8_r8`).value >= find(result, `${RECALL_PREFIX}i8_r1`).value);
    // The markdown report carries the frontier table: one row per op, the exact scan at 1.00× itself.
    const { markdown } = buildReport(result);
    const section = markdown.slice(markdown.indexOf('## Recall–QPS frontier'));
    assert.ok(markdown.includes('## Recall–QPS frontier'));
    assert.match(section, /\| f32_exact \| 1\.0000 \| [0-9,.]+ \| 1\.00× \|/);
    assert.ok(!buildReport(syntheticResult({ id: 'plain', seed: 1 })).markdown.includes('Recall–QPS'));
    for (const op of ['f16_r1', 'i8_r1', 'i8_r8']) assert.match(section, new RegExp(`\\| ${op} \\| [01]\\.\\d{4} \\|`));
  });

  it('measures recall from the results: a coarse i8 scan misses neighbours, a wider rerank finds them', () => {
    // 2-dim points packed 3000 to the square: the nearest ten lie closer together than an i8 step matters.
    const { data, truth } = prepareData(context(3000, 2, {}));
    const scratch = new Float32Array(10 * 64 * 2);
    const recalls = [1, 2, 4, 8, 64].map((r) => measureRecall(data, { storage: 'i8', rerank: r }, truth, scratch));
    assert.ok((recalls[0] as number) < 1, `i8 r=1 recall ${recalls[0]}`);
    for (let i = 1; i < recalls.length; i++) assert.ok((recalls[i] as number) >= (recalls[i - 1] as number));
    assert.equal(measureRecall(data, opPlan('f32_exact'), truth, scratch), 1);
    // The ground truth is the true nearest ten (float64 brute force agrees on the set).
    const query = data.queries.subarray(0, 2);
    const byDistance = Array.from({ length: 3000 }, (_, i) => i).sort((a, b) => {
      const d = (i: number) =>
        ((data.base[i * 2] as number) - query[0]!) ** 2 + ((data.base[i * 2 + 1] as number) - query[1]!) ** 2;
      return d(a) - d(b);
    });
    assert.deepEqual(new Set(truth[0]), new Set(byDistance.slice(0, 10)));
  });

  it('encodes f16 to the nearest half and i8 with one symmetric scale', () => {
    for (let bits = 0; bits < 0x10000; bits++) {
      const value = halfToFloat(bits);
      if (Number.isNaN(value)) continue;
      assert.equal(toHalfBits(value), bits, `half ${bits.toString(16)}`);
    }
    for (const value of [0.1, -1 / 3, 65519, 1e-8, 3e-8, 2 ** -25, -2.5e-5]) {
      const got = halfToFloat(toHalfBits(value));
      const neighbours = [toHalfBits(value) - 1, toHalfBits(value) + 1].map((b) => halfToFloat(b & 0xffff));
      for (const other of neighbours)
        assert.ok(Math.abs(got - value) <= Math.abs(other - value) || !Number.isFinite(other));
    }
    assert.equal(halfToFloat(toHalfBits(65520)), Infinity);
    const { stored, scale } = toInt8(Float32Array.from([0.5, -1.27, 0.01, 0]));
    assert.ok(Math.abs(scale - 0.01) < 1e-9);
    assert.deepEqual([...stored], [50, -127, 1, 0]);
  });

  it('the shipped profile validates, names every op once, and its --quick plan fits the budget', () => {
    const text = readFileSync(join(import.meta.dirname, '..', '..', 'bench-profiles', 'quantized-search.toml'), 'utf8');
    const { profile } = parseProfile(text, 'quantized-search.toml');
    assert.deepEqual(
      profile.workloads.map((w) => Object.keys(w.mix)),
      ['f32_exact', 'f16_r1', 'i8_r1', 'i8_r2', 'i8_r4', 'i8_r8'].map((op) => [op]),
    );
    const quick = planQuick({ profile, subjects: ['vexfs'], sweepPointCount: 1, explicitTrials: null });
    assert.ok(quick.estimatedMs <= QUICK_TARGET_MS, quick.scaled.join('; '));
  });

  it('rejects bad params, ops and datasets with a sentence naming them', async () => {
    rejects(() => parseProfile(profileText({ params: 'k = 0' }), 'bad.toml'), /k/);
    rejects(() => parseProfile(profileText({ params: 'k = 10\nrerank = 2' }), 'bad.toml'), /rerank/);
    rejects(() => parseProfile(profileText({ params: 'metric = "hamming"' }), 'bad.toml'), /metric/);
    rejects(() => parseProfile(profileText({ ops: ['i8_r3'] }), 'bad.toml'), /i8_r3/);
    rejects(() => opPlan('i8_r0'), /no op 'i8_r0'/);
    rejects(() => prepareData(context(5, 8, {})), /size of at least params.k \(10\)/);
    rejects(
      () => prepareData({ ...context(100, 8, {}), dataset: { ...context(100, 8, {}).dataset, file: 'x.fvecs' } }),
      /dataset.file/,
    );
    const failed = await run(profileText({ size: 4 }));
    assert.equal(failed.status, 'failed');
    assert.ok(failed.warnings.some((w) => /E_PROFILE: quantized-search needs \[dataset\] size/.test(w.message)));
  });
});
