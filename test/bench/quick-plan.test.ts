import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVexError } from '../../engine/errors.js';
import { defaultProfilesDir, loadProfile } from '../../engine/bench/profile/load.js';
import { parseSweep } from '../../engine/bench/profile/overrides.js';
import { checkTrials, planRun } from '../../engine/bench/runner/plan.js';
import { QUICK_DEADLINE_MS, QUICK_TARGET_MS, planQuick, runEstimateMs } from '../../engine/bench/runner/quickPlan.js';

const dir = defaultProfilesDir({});

function estimate(name: string, sweeps: string[] = [], trials: number | null = null) {
  const loaded = loadProfile(name, dir);
  const points = planRun({ loaded, quick: true, sweeps: sweeps.map(parseSweep), trials });
  const first = points[0];
  assert.ok(first);
  return { loaded, points, ms: runEstimateMs(first.profile, first.subjects, points.length) };
}

describe('--quick plan', () => {
  it('budgets a whole quick run of noop and fs-ops (setup, harness, peers, phases) within the deadline', () => {
    for (const name of ['noop', 'fs-ops']) {
      const { points, ms } = estimate(name);
      assert.ok(ms <= QUICK_TARGET_MS && QUICK_TARGET_MS < QUICK_DEADLINE_MS, `${name}: ${ms} ms planned`);
      const profile = points[0]?.profile;
      assert.ok(profile && profile.trials <= 2 && (profile.measure.duration_ms ?? 0) >= 20);
    }
    // fs-ops has peers and seven workloads: quick must have scaled its phases and dataset down, and say so.
    const fs = estimate('fs-ops').points[0];
    assert.ok(fs && fs.profile.dataset.size <= 300 && (fs.profile.measure.duration_ms ?? Infinity) < 1000);
    assert.ok(fs.quickScaled.some((s) => s.startsWith('trials 5 → 2')));
    assert.ok(fs.quickScaled.some((s) => s.startsWith('measure 1000 ms → ')));
    assert.ok(fs.quickScaled.some((s) => s.startsWith('dataset.size 1000 → 300')));
  });

  it('drops to one trial and a smaller dataset when a sweep would not fit otherwise', () => {
    const { points, ms } = estimate('fs-ops', ['load.concurrency=1,2,4']);
    assert.equal(points.length, 3);
    for (const point of points) {
      assert.equal(point.profile.trials, 1);
      assert.equal(point.profile.dataset.size, 100);
      // Past the target even so, the plan says it rather than promising a time it cannot keep.
      assert.equal(
        point.quickScaled.some((s) => /over the 12.5 s quick plan/.test(s)),
        ms > QUICK_TARGET_MS,
      );
    }
  });

  it('says when even the shortest phases cannot fit', () => {
    const { loaded } = estimate('fs-ops');
    const quick = planQuick({
      profile: { ...loaded.profile, trials: 50 },
      subjects: ['vexfs', 'memfs', 'node_fs'],
      sweepPointCount: 4,
      explicitTrials: 50,
    });
    assert.equal(quick.profile.trials, 50);
    assert.ok(quick.estimatedMs > QUICK_TARGET_MS);
    assert.ok(quick.scaled.some((s) => /over the 12.5 s quick plan/.test(s)));
  });

  it('an explicit --trials wins over quick mode default', () => {
    const { points } = estimate('fs-ops', [], 4);
    assert.equal(points[0]?.profile.trials, 4);
    assert.ok(!points[0]?.quickScaled.some((s) => s.startsWith('trials')));
    assert.equal(estimate('noop', [], 1).points[0]?.profile.trials, 1);
    assert.equal(estimate('noop').points[0]?.profile.trials, 2);
    assert.throws(
      () => checkTrials('0'),
      (e) => isVexError(e, 'E_USAGE'),
    );
  });

  it('leaves a run without --quick as the profile says', () => {
    const loaded = loadProfile('fs-ops', dir);
    const [point] = planRun({ loaded, quick: false, sweeps: [], trials: null });
    assert.equal(point?.profile.trials, loaded.profile.trials);
    assert.deepEqual(point?.quickScaled, []);
  });
});
