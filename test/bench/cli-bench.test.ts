import assert from 'node:assert/strict';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { CliIo } from '../../engine/cli/command.js';
import { runCli } from '../../engine/cli/main.js';
import type { BenchResult } from '../../engine/bench/result.js';

interface Captured {
  code: number;
  out: string;
  err: string;
}

const root = mkdtempSync(join(tmpdir(), 'vexfs-cli-bench-'));
const profiles = join(root, 'profiles');
const results = join(root, 'results');

async function vexctl(...argv: string[]): Promise<Captured> {
  let out = '';
  let err = '';
  const io: CliIo = {
    out: (text) => void (out += `${text}\n`),
    err: (text) => void (err += `${text}\n`),
    outBytes: (bytes) => void (out += Buffer.from(bytes).toString()),
    isTty: false,
  };
  const code = await runCli(['bench', ...argv], io, {
    env: { ...process.env, VEXFS_PROFILES_DIR: profiles },
    cwd: root,
  });
  return { code, out, err };
}

const TINY = `name = "tiny"
description = "noop, small: for CLI tests"
module = "noop"
trials = 2
primary = ["harness_overhead_ns"]

[warmup]
duration_ms = 10

[measure]
duration_ms = 40

[[workloads]]
name = "per_op"
mix = { noop = 1 }

[[workloads]]
name = "batched"
timing = "batched"
mix = { noop = 1 }
`;

const FS = `name = "fs-tiny"
description = "fs-ops, small: for CLI tests"
module = "fs-ops"
trials = 2
primary = ["ops_per_s.mixed"]

[dataset]
generator = "files"
size = 300

[measure]
duration_ms = 40

[[workloads]]
name = "mixed"
mix = { create = 1, stat = 4, write_4k = 2, read_4k = 4, readdir = 1, unlink = 1 }
`;

function runFiles(): string[] {
  return existsSync(join(results, 'runs')) ? readdirSync(join(results, 'runs')).filter((f) => f.endsWith('.json')) : [];
}

describe('vexctl bench', () => {
  let first: BenchResult;
  let firstPath: string;
  let fsRunId = '';

  before(async () => {
    mkdirSync(profiles, { recursive: true });
    writeFileSync(join(profiles, 'tiny.toml'), TINY);
    writeFileSync(join(profiles, 'fs-tiny.toml'), FS);
    writeFileSync(
      join(profiles, 'broken.toml'),
      TINY.replace('name = "tiny"', 'name = "broken"').replace('trials = 2', 'trials = -1'),
    );
    const run = await vexctl('run', 'tiny', '--results', results, '--json', '--save-baseline', 'base');
    assert.equal(run.code, 0, run.err);
    first = JSON.parse(run.out) as BenchResult;
    firstPath = join(results, 'runs', `${first.id}.json`);
  });
  after(() => rmSync(root, { recursive: true, force: true }));

  it('lists profiles with descriptions and flags an invalid one', async () => {
    const { code, out } = await vexctl('profiles');
    assert.match(out, /tiny\s+noop, small/);
    assert.match(out, /broken\s+INVALID: .*broken\.toml:4:1: trials/);
    assert.equal(code, 1);
  });

  it('runs a profile, saves it, prints plain progress lines and lists it', async () => {
    assert.equal(first.status, 'complete');
    assert.ok(existsSync(firstPath));
    assert.ok(existsSync(join(results, 'baselines', 'base.json')));
    const run = await vexctl('run', 'tiny', '--results', results, '--trials', '3', '--out', join(root, 'copy.json'));
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /\[1\/6\] trial 1 harness\/per_op: [\d,]+ ops\/s/);
    assert.match(run.out, /harness_overhead_ns\{mode=batched\}/);
    const copy = JSON.parse(readFileSync(join(root, 'copy.json'), 'utf8')) as BenchResult;
    assert.equal(copy.profile.trials, 3);
    const list = await vexctl('list', '--results', results);
    assert.equal(list.code, 0);
    assert.ok(list.out.includes(first.id) && list.out.includes(copy.id));
    assert.match(list.out, /Baselines: base/);
  });

  it('compares with a baseline after a run, and compares two runs with a gate and a markdown report', async () => {
    const run = await vexctl('run', 'tiny', '--results', results, '--baseline', 'base');
    assert.equal(run.code, 0, run.err);
    assert.match(run.out, /gate \(primary\): (passes|FAILS)/);
    const md = join(root, 'cmp', 'compare.md');
    const cmp = await vexctl('compare', 'base', firstPath, '--results', results, '--markdown', md);
    assert.equal(cmp.code, 0, cmp.err);
    assert.match(cmp.out, /harness:harness_overhead_ns\{mode=per_op\}/);
    assert.ok(existsSync(md));
    const json = await vexctl('compare', 'base', firstPath, '--results', results, '--json', '--fail-on-regression');
    assert.equal(JSON.parse(json.out).gate.failed, false, 'a run compared with itself has no regression');
  });

  it('reruns a past run exactly and writes a report', async () => {
    const rerun = await vexctl('rerun', first.id, '--results', results, '--json');
    assert.equal(rerun.code, 0, rerun.err);
    const again = JSON.parse(rerun.out) as BenchResult;
    assert.notEqual(again.id, first.id);
    assert.deepEqual(again.profile.params, first.profile.params);
    assert.equal(again.profile.text, first.profile.text);
    const report = await vexctl(
      'report',
      again.id,
      '--baseline',
      'base',
      '-o',
      join(root, 'out', 'report.md'),
      '--results',
      results,
    );
    assert.equal(report.code, 0, report.err);
    assert.ok(existsSync(join(root, 'out', 'report.md')));
    assert.ok(readdirSync(join(root, 'out')).some((f) => f.endsWith('.svg')));
  });

  it('sweeps a key into one result, calibrates, and runs interleaved A/B pairs', async () => {
    const sweep = await vexctl(
      'run',
      'tiny',
      '--results',
      results,
      '--json',
      '--sweep',
      'workloads.batched.batch_size=100,1000',
    );
    assert.equal(sweep.code, 0, sweep.err);
    const swept = JSON.parse(sweep.out) as BenchResult;
    const labels = swept.metrics
      .filter((m) => m.name === 'ops_per_s.batched')
      .map((m) => m.labels['workloads.batched.batch_size']);
    assert.deepEqual(labels.sort(), ['100', '1000']);
    const calibrate = await vexctl('calibrate', 'tiny', '--results', results);
    assert.equal(calibrate.code, 0, calibrate.err);
    assert.match(calibrate.out, /noise \(CV\)/);
    const ab = await vexctl(
      'ab',
      'tiny',
      '--a',
      'workloads.batched.batch_size=100',
      '--b',
      'workloads.batched.batch_size=1000',
      '--pairs',
      '2',
      '--results',
      results,
    );
    assert.equal(ab.code, 0, ab.err);
    assert.match(ab.out, /paired by trial/);
    assert.match(ab.err, /pair 2\/2 A/);
  });

  it('runs fs-ops with its peers from the CLI', async () => {
    const run = await vexctl('run', 'fs-tiny', '--results', results, '--json');
    assert.equal(run.code, 0, run.err);
    const result = JSON.parse(run.out) as BenchResult;
    fsRunId = result.id;
    assert.deepEqual(
      [...new Set(result.metrics.filter((m) => m.name === 'ops_per_s.mixed').map((m) => m.subject))].sort(),
      ['memfs', 'node_fs', 'vexfs'],
    );
  });

  it('refuses bad input with exit 2 and writes nothing', async () => {
    const before = runFiles().length;
    const broken = join(root, 'broken-copy.toml');
    writeFileSync(broken, 'name = "x"\nmodule = \n');
    writeFileSync(join(root, 'truncated.json'), readFileSync(firstPath, 'utf8').slice(0, 200));
    const cases: [string[], RegExp][] = [
      [['run', 'absent', '--results', results], /E_PROFILE: .*does not exist/],
      [['run', broken, '--results', results], /broken-copy\.toml:2:\d+: TOML syntax/],
      [['run', 'broken', '--results', results], /broken\.toml:4:1: trials/],
      [['run', 'tiny', '--results', results, '--baseline', 'nope'], /nope is not a file, a baseline name or a run id/],
      [['run', 'tiny', '--results', results, '--sweep', 'trials'], /--sweep 'trials' is malformed/],
      [['run', 'tiny', '--results', results, '--sweep', 'load.concurrency=0,1'], /set by --sweep load\.concurrency=0/],
      [['run', 'tiny', '--results', results, '--trials', '0'], /--trials '0' is invalid/],
      [['run', 'tiny', '--results', results, '--bogus'], /E_USAGE/],
      [['run', 'tiny', '--results', results, '--out', join(root, 'no', 'such', 'x.json')], /--out .*does not exist/],
      [['compare', join(root, 'missing.json'), firstPath, '--results', results], /does not exist/],
      [['compare', join(root, 'truncated.json'), firstPath, '--results', results], /not valid JSON.*truncated/],
      [['report', first.id, '--results', results], /needs -o/],
      [['ab', 'tiny', '--a', 'x', '--b', 'y=1', '--results', results], /--a 'x' is malformed/],
      [['nothing'], /unknown subcommand 'nothing'/],
    ];
    for (const [argv, message] of cases) {
      const { code, err } = await vexctl(...argv);
      assert.equal(code, 2, `${argv.join(' ')}: ${err}`);
      assert.match(err, message, argv.join(' '));
    }
    assert.equal(runFiles().length, before);
  });

  it('refuses to compare runs of different profiles unless forced', async () => {
    const otherId = fsRunId;
    const refused = await vexctl('compare', first.id, otherId, '--results', results);
    assert.equal(refused.code, 2);
    assert.match(refused.err, /not comparable: .*profile\.name/);
    const forced = await vexctl('compare', first.id, otherId, '--results', results, '--force');
    assert.equal(forced.code, 0, forced.err);
  });
});
