import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { isVexError } from '../../engine/errors.js';
import { defaultProfilesDir, listProfiles, loadProfile, parseProfile } from '../../engine/bench/profile/load.js';
import { locatePath } from '../../engine/bench/profile/locate.js';
import { parseSweep, sweepLabels, sweepPoints } from '../../engine/bench/profile/overrides.js';
import { planQuick, QUICK_DEADLINE_MS, QUICK_TARGET_MS, runEstimateMs } from '../../engine/bench/runner/quickPlan.js';
import { planRun } from '../../engine/bench/runner/plan.js';

const BASE = `name = "tiny"
description = "a test profile"
module = "noop"
trials = 3
primary = ["harness_overhead_ns"]

[measure]
duration_ms = 100

[load]
model = "closed"
concurrency = 1

[[workloads]]
name = "per_op"
mix = { noop = 1 }
`;

interface Issue {
  line: number;
  column: number;
  path: string;
  message: string;
}

/** The issues a profile text is rejected with (fails the test when it is accepted). */
function issuesOf(text: string): Issue[] {
  try {
    parseProfile(text, 'test.toml');
  } catch (error) {
    assert.ok(isVexError(error, 'E_PROFILE'), `expected E_PROFILE, got ${String(error)}`);
    assert.match(error.message, /test\.toml:\d+:\d+: /);
    return (error.details as { issues: Issue[] }).issues;
  }
  assert.fail('the profile was accepted');
}

describe('profile parsing', () => {
  it('accepts a valid profile and fills defaults', () => {
    const { profile } = parseProfile(BASE, 'test.toml');
    assert.equal(profile.trials, 3);
    assert.equal(profile.start, 'warm');
    assert.deepEqual(profile.warmup, { duration_ms: 0 });
    assert.equal(profile.workloads[0]?.timing, 'per_op');
  });

  it('ships valid noop and fs-ops profiles, listed with descriptions', () => {
    const dir = defaultProfilesDir({});
    const listed = listProfiles(dir);
    for (const name of ['noop', 'fs-ops']) {
      const entry = listed.find((p) => p.name === name);
      assert.ok(entry, `${name} is listed`);
      assert.equal(entry.error, null);
      assert.ok(entry.description.length > 10);
      assert.equal(loadProfile(name, dir).profile.name, name);
    }
  });

  it('reports a TOML syntax error at its line and column', () => {
    const [issue] = issuesOf(BASE.replace('trials = 3', 'trials = = 3'));
    assert.equal(issue?.line, 4);
    assert.ok((issue?.column ?? 0) > 1);
    assert.match(issue?.message ?? '', /TOML syntax/);
  });

  it('reports an unknown key at the key', () => {
    const issues = issuesOf(BASE.replace('concurrency = 1', 'concurrency = 1\nconcurency = 2'));
    assert.deepEqual(
      issues.map((i) => [i.line, i.column]),
      [[13, 1]],
    );
    assert.match(issues[0]?.message ?? '', /unknown key 'concurency'/);
  });

  it('reports a wrong type at the key with its path', () => {
    const [issue] = issuesOf(BASE.replace('trials = 3', 'trials = "three"'));
    assert.equal(issue?.path, 'trials');
    assert.equal(issue?.line, 4);
    assert.equal(issue?.column, 1);
  });

  it('reports an unknown op inside an inline table at the op', () => {
    const [issue] = issuesOf(BASE.replace('mix = { noop = 1 }', 'mix = { noop = 1, nope = 2 }'));
    assert.equal(issue?.path, 'workloads[0].mix.nope');
    assert.equal(issue?.line, 16);
    assert.equal(issue?.column, 19);
    assert.match(issue?.message ?? '', /not an op of noop/);
  });

  it('reports a rule on a table at its header', () => {
    const [issue] = issuesOf(BASE.replace('duration_ms = 100', 'duration_ms = 100\nops = 5'));
    assert.equal(issue?.line, 7);
    assert.match(issue?.message ?? '', /exactly one of duration_ms or ops/);
  });

  it('reports a missing required key at the table that should hold it', () => {
    const issues = issuesOf(BASE.replace('[measure]\nduration_ms = 100\n', ''));
    assert.equal(issues[0]?.path, 'measure');
    assert.equal(issues[0]?.line, 1);
  });

  it('refuses batched timing with concurrency above 1, at the timing key', () => {
    const text = BASE.replace('concurrency = 1', 'concurrency = 2').replace('mix =', 'timing = "batched"\nmix =');
    const [issue] = issuesOf(text);
    assert.equal(issue?.path, 'workloads[0].timing');
    assert.equal(issue?.line, 16);
  });

  it('refuses an unknown module, a foreign subject and unknown params', () => {
    assert.equal(issuesOf(BASE.replace('module = "noop"', 'module = "nope"'))[0]?.line, 3);
    assert.equal(issuesOf(BASE.replace('trials = 3', 'trials = 3\nsubjects = ["vexfs"]'))[0]?.path, 'subjects[0]');
    const params = issuesOf(`${BASE}\n[params]\nspeed = 3\n`)[0];
    assert.deepEqual([params?.path, params?.line], ['params.speed', 19]);
    assert.equal(issuesOf(`${BASE}\n[store]\ncache = 3\n`)[0]?.path, 'store');
  });

  it('locates dotted keys, arrays of tables and quoted keys', () => {
    const text = '[a]\nb.c = 1\n[[w]]\nx = 1\n[[w]]\n"y" = 2\n';
    assert.deepEqual(locatePath(text, ['a', 'b', 'c']), { line: 2, column: 1 });
    assert.deepEqual(locatePath(text, ['w', 1, 'y']), { line: 6, column: 1 });
    assert.deepEqual(locatePath(text, ['w', 0, 'missing']), { line: 3, column: 1 });
  });
});

describe('profile files', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vexfs-profiles-'));
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('requires the name to match the file name', () => {
    writeFileSync(join(dir, 'other.toml'), BASE);
    assert.throws(() => loadProfile('other', dir), /must match the file name 'other'/);
  });

  it('says so when a profile does not exist, and lists an invalid one with its error', () => {
    assert.throws(
      () => loadProfile('absent', dir),
      (e) => isVexError(e, 'E_PROFILE') && /does not exist/.test(e.message),
    );
    const listed = listProfiles(dir);
    assert.ok(listed.find((p) => p.name === 'other')?.error);
  });
});

describe('sweep and quick', () => {
  it('parses sweeps into TOML values and refuses malformed ones', () => {
    assert.deepEqual(parseSweep('load.concurrency=1,4'), { key: 'load.concurrency', values: [1, 4] });
    assert.deepEqual(parseSweep('start=warm,cold').values, ['warm', 'cold']);
    for (const bad of ['load.concurrency', '=1,2', 'a=1,,2', 'a=1,1', 'a b=1']) {
      assert.throws(
        () => parseSweep(bad),
        (e) => isVexError(e, 'E_USAGE'),
        bad,
      );
    }
  });

  it('makes the cartesian product of sweeps with labels per point', () => {
    const points = sweepPoints([parseSweep('a=1,2'), parseSweep('b=x,y,z')]);
    assert.equal(points.length, 6);
    assert.deepEqual(sweepLabels(points[5] ?? []), { a: '2', b: 'z' });
  });

  it('applies a sweep to any key, including a workload addressed by name', () => {
    const loaded = parseProfile(BASE, 'test.toml');
    const points = planRun({
      loaded,
      quick: false,
      sweeps: [parseSweep('workloads.per_op.batch_size=10,20')],
      trials: null,
    });
    assert.deepEqual(
      points.map((p) => p.profile.workloads[0]?.batch_size),
      [10, 20],
    );
    assert.deepEqual(points[1]?.labels, { 'workloads.per_op.batch_size': '20' });
  });

  it('names the sweep flag when a swept value is invalid', () => {
    const loaded = parseProfile(BASE, 'test.toml');
    assert.throws(
      () => planRun({ loaded, quick: false, sweeps: [parseSweep('load.concurrency=1,0')], trials: null }),
      (e) => isVexError(e, 'E_PROFILE') && /set by --sweep load\.concurrency=0/.test(e.message),
    );
    assert.throws(
      () => planRun({ loaded, quick: false, sweeps: [parseSweep('workloads.nope.timing=batched')], trials: null }),
      (e) => isVexError(e, 'E_USAGE') && /no entry named 'nope'/.test(e.message),
    );
  });

  it('--quick fits every shipped profile, swept or not, into the quick budget', () => {
    const dir = defaultProfilesDir({});
    for (const name of ['noop', 'fs-ops']) {
      const loaded = loadProfile(name, dir);
      for (const sweeps of [[], [parseSweep('load.concurrency=1,2')]]) {
        if (name === 'noop' && sweeps.length > 0) continue; // batched timing needs concurrency 1
        const points = planRun({ loaded, quick: true, sweeps, trials: null });
        const first = points[0];
        assert.ok(first);
        const total = runEstimateMs(first.profile, first.subjects, points.length);
        assert.ok(total <= QUICK_TARGET_MS, `${name}: ${total} ms planned`);
        for (const p of points) assert.ok(p.profile.trials <= 2);
      }
    }
  });

  it('--quick caps an op-count phase with a time limit', () => {
    const { profile } = parseProfile(BASE.replace('duration_ms = 100', 'ops = 1000000000'), 'test.toml');
    const quick = planQuick({ profile, subjects: ['harness'], sweepPointCount: 1, explicitTrials: null }).profile;
    assert.equal(quick.measure.ops, 1000000000);
    assert.ok((quick.measure.max_duration_ms ?? Infinity) <= QUICK_DEADLINE_MS);
  });
});
