import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { buildReport } from '../../engine/bench/report/index.js';
import {
  defaultResultsDir,
  loadResultFile,
  openResultsDir,
  parseResultText,
  writeFileAtomic,
} from '../../engine/bench/results/index.js';
import { isVexError } from '../../engine/errors.js';
import { syntheticResult } from './fixtures/syntheticResult.js';

const root = mkdtempSync(join(tmpdir(), 'vexfs-results-test-'));
after(() => rmSync(root, { recursive: true, force: true }));
let counter = 0;
const freshDir = (): string => join(root, `dir-${++counter}`);

/** Asserts an E_RESULT whose sentence names the file and matches what is wrong. */
function assertResultError(fn: () => unknown, file: string, what: RegExp): void {
  assert.throws(fn, (error) => {
    assert.ok(isVexError(error, 'E_RESULT'), `expected E_RESULT, got ${String(error)}`);
    assert.ok(error.message.includes(file), `message should name ${file}: ${error.message}`);
    assert.match(error.message, what);
    return true;
  });
}

describe('results directory location', () => {
  it('is $VEXFS_RESULTS_DIR for the app and the CLI alike, else XDG_DATA_HOME, else ~/.local/share', () => {
    assert.equal(defaultResultsDir({ VEXFS_RESULTS_DIR: '/r', XDG_DATA_HOME: '/data' }), '/r');
    assert.equal(defaultResultsDir({ XDG_DATA_HOME: '/data', HOME: '/home/u' }), '/data/vexfs/results');
    assert.equal(defaultResultsDir({ HOME: '/home/u' }), '/home/u/.local/share/vexfs/results');
    // A relative XDG_DATA_HOME is invalid per the spec and ignored.
    assert.equal(defaultResultsDir({ XDG_DATA_HOME: 'rel', HOME: '/home/u' }), '/home/u/.local/share/vexfs/results');
    const dir = openResultsDir(undefined, { XDG_DATA_HOME: join(root, 'xdg') });
    assert.equal(dir.path, join(root, 'xdg', 'vexfs', 'results'));
  });
});

describe('saving, listing and loading runs', () => {
  it('saves runs, lists them oldest first and loads them by id, file or baseline name', () => {
    const dir = openResultsDir(freshDir());
    const second = syntheticResult({ id: 'run-2', seed: 20 });
    const first = syntheticResult({ id: 'run-1', seed: 10 });
    const path2 = dir.save(second);
    dir.save(first);
    assert.deepEqual(
      dir.list().map((e) => e.id),
      ['run-1', 'run-2'],
    );
    assert.deepEqual(dir.loadRun('run-2'), second);
    assert.deepEqual(dir.load(path2), second);
    assert.deepEqual(dir.load('run-1'), first);
    dir.saveBaseline('main', first);
    assert.deepEqual(dir.listBaselines(), ['main']);
    assert.equal(dir.load('main').baseline_name, 'main');
    assert.equal(dir.load('main').id, 'run-1');
    // A report.md loads as the result embedded in it.
    const reportPath = join(dir.path, 'report.md');
    writeFileSync(reportPath, buildReport(second).markdown);
    assert.deepEqual(dir.load(reportPath), second);
  });

  it('refuses to overwrite a run id and to save an invalid result, writing nothing', () => {
    const dir = openResultsDir(freshDir());
    dir.save(syntheticResult({ id: 'same', seed: 1 }));
    const before = readFileSync(join(dir.path, 'runs', 'same.json'), 'utf8');
    assert.throws(
      () => dir.save(syntheticResult({ id: 'same', seed: 2 })),
      (e) => isVexError(e, 'E_RESULT'),
    );
    assert.equal(readFileSync(join(dir.path, 'runs', 'same.json'), 'utf8'), before);
    const bad = syntheticResult({ id: 'bad', seed: 3 });
    (bad.metrics[0] as { value: number }).value = NaN;
    assert.throws(
      () => dir.save(bad),
      (e) => isVexError(e, 'E_RESULT'),
    );
    assert.throws(
      () => dir.save(syntheticResult({ id: '../escape', seed: 4 })),
      (e) => isVexError(e, 'E_RESULT'),
    );
    assert.deepEqual(readdirSync(join(dir.path, 'runs')), ['same.json']);
  });

  it('stores a cancelled run as cancelled and never picks it as a baseline', () => {
    const dir = openResultsDir(freshDir());
    const complete = syntheticResult({ id: 'a-complete', seed: 1 });
    const cancelled = syntheticResult({ id: 'b-cancelled', seed: 2, status: 'cancelled' });
    dir.save(complete);
    dir.save(cancelled);
    assert.equal(dir.list().find((e) => e.id === 'b-cancelled')?.status, 'cancelled');
    assert.equal(dir.latestComplete('fs-ops')?.id, 'a-complete');
    assert.equal(dir.latestComplete('no-such-profile'), null);
    assertResultError(() => dir.saveBaseline('main', cancelled), 'b-cancelled', /cancelled/);
    // A baseline file edited to say cancelled is refused on load too.
    writeFileSync(join(dir.path, 'baselines', 'edited.json'), JSON.stringify(cancelled));
    assertResultError(() => dir.loadBaseline('edited'), 'edited.json', /cancelled/);
  });
});

describe('atomic writes', () => {
  it('leaves the old file intact when interrupted between the temp write and the rename', () => {
    const dir = freshDir();
    mkdirSync(dir, { recursive: true });
    const path = join(dir, 'file.json');
    writeFileAtomic(path, 'old');
    assert.throws(
      () =>
        writeFileAtomic(path, 'new', {
          beforeRename: () => {
            throw new Error('simulated crash');
          },
        }),
      /simulated crash/,
    );
    assert.equal(readFileSync(path, 'utf8'), 'old');
    assert.deepEqual(readdirSync(dir), ['file.json']); // no temp file left behind
    writeFileAtomic(path, 'new');
    assert.equal(readFileSync(path, 'utf8'), 'new');
  });

  it('an interrupted save leaves no run and an index without it', () => {
    const dir = openResultsDir(freshDir());
    dir.save(syntheticResult({ id: 'kept', seed: 1 }));
    assert.throws(() =>
      dir.save(syntheticResult({ id: 'lost', seed: 2 }), {
        beforeRename: () => {
          throw new Error('simulated crash');
        },
      }),
    );
    assert.deepEqual(readdirSync(join(dir.path, 'runs')), ['kept.json']);
    assert.deepEqual(
      dir.list().map((e) => e.id),
      ['kept'],
    );
  });
});

describe('the index is verified, never trusted blindly', () => {
  it('is rebuilt after being deleted, garbled or going stale', () => {
    const dir = openResultsDir(freshDir());
    dir.save(syntheticResult({ id: 'r1', seed: 1 }));
    dir.save(syntheticResult({ id: 'r2', seed: 2 }));
    const indexPath = join(dir.path, 'index.json');
    unlinkSync(indexPath);
    assert.deepEqual(
      dir.list().map((e) => e.id),
      ['r1', 'r2'],
    );
    assert.ok(readFileSync(indexPath, 'utf8').includes('"r2"'));
    writeFileSync(indexPath, '{"schema": "vexfs-results-index/1", "runs": [{"id": ');
    assert.deepEqual(
      dir.list().map((e) => e.id),
      ['r1', 'r2'],
    );
    assert.match(dir.problems().join(' '), /damaged/);
    // An index that parses but lies (lists a run that is gone, misses one that exists).
    writeFileSync(join(dir.path, 'runs', 'r3.json'), JSON.stringify(syntheticResult({ id: 'r3', seed: 3 })));
    unlinkSync(join(dir.path, 'runs', 'r1.json'));
    assert.deepEqual(
      dir.list().map((e) => e.id),
      ['r2', 'r3'],
    );
    // A damaged run file is skipped and reported, not fatal.
    writeFileSync(join(dir.path, 'runs', 'r4.json'), '{"schema": "vexfs-bench/1", "id": "r4"');
    assert.deepEqual(
      dir.list().map((e) => e.id),
      ['r2', 'r3'],
    );
    assert.match(dir.problems().join(' '), /r4\.json.*not valid JSON/);
  });
});

describe('bad inputs give E_RESULT naming the file and the problem', () => {
  const dir = openResultsDir(freshDir());
  const good = JSON.stringify(syntheticResult({ id: 'good', seed: 1 }), null, 2);
  const write = (name: string, text: string): string => {
    const path = join(dir.path, name);
    writeFileSync(path, text);
    return path;
  };

  it('truncated JSON', () => {
    const path = write('truncated.json', good.slice(0, good.length / 2));
    assertResultError(() => loadResultFile(path), 'truncated.json', /not valid JSON.*truncated/);
  });

  it('NaN, null and negative values', () => {
    const nan = write('nan.json', good.replace(/"value": [0-9.e+-]+/, '"value": NaN'));
    assertResultError(() => loadResultFile(nan), 'nan.json', /not valid JSON/);
    const nulled = write('null.json', good.replace(/"value": [0-9.e+-]+/, '"value": null'));
    assertResultError(() => loadResultFile(nulled), 'null.json', /metrics\.0\.value/);
    const parsed = JSON.parse(good);
    parsed.metrics[1].samples[0] = -5;
    const negative = write('negative.json', JSON.stringify(parsed));
    assertResultError(() => loadResultFile(negative), 'negative.json', /negative value -5/);
    const latency = JSON.parse(good);
    latency.latencies[0].p99_us = -1;
    assertResultError(() => loadResultFile(write('neglat.json', JSON.stringify(latency))), 'neglat.json', /p99_us/);
    const interval = JSON.parse(good);
    interval.metrics[0].ci95 = [10, 1];
    assertResultError(() => loadResultFile(write('ci.json', JSON.stringify(interval))), 'ci.json', /low end exceeds/);
  });

  it('wrong schema, missing fields, wrong shape', () => {
    const other = write('other.json', good.replace('"vexfs-bench/1"', '"vexfs-bench/2"'));
    assertResultError(() => loadResultFile(other), 'other.json', /vexfs-bench\/2/);
    const parsed = JSON.parse(good);
    delete parsed.environment;
    assertResultError(
      () => loadResultFile(write('missing.json', JSON.stringify(parsed))),
      'missing.json',
      /environment/,
    );
    assertResultError(
      () => loadResultFile(write('array.json', '[1, 2]')),
      'array.json',
      /neither result JSON|JSON object/,
    );
    const badStatus = JSON.parse(good);
    badStatus.status = 'finished';
    assertResultError(() => loadResultFile(write('status.json', JSON.stringify(badStatus))), 'status.json', /status/);
  });

  it('missing, empty and directory paths; a markdown file without an embedded result', () => {
    assertResultError(() => loadResultFile(join(dir.path, 'nope.json')), 'nope.json', /does not exist/);
    assertResultError(() => loadResultFile(write('empty.json', '')), 'empty.json', /empty/);
    assertResultError(() => loadResultFile(dir.path), dir.path, /directory/);
    assertResultError(() => loadResultFile(write('plain.md', '# hello\n')), 'plain.md', /embedded result JSON/);
    const report = buildReport(syntheticResult({ id: 'good', seed: 1 })).markdown;
    const cut = write('cut.md', report.slice(0, report.length - 200));
    assertResultError(() => loadResultFile(cut), 'cut.md', /embedded result JSON/);
  });

  it('unknown baseline names and refs', () => {
    dir.saveBaseline('known', syntheticResult({ id: 'k', seed: 2 }));
    assertResultError(() => dir.loadBaseline('unknown'), 'unknown', /known baselines: known/);
    assertResultError(() => dir.load('nothing-here'), 'nothing-here', /not a file, a baseline name or a run id/);
    assertResultError(() => dir.loadBaseline('../x'), '../x', /not valid/);
    assertResultError(() => dir.loadRun('missing-run'), 'missing-run', /no run/);
  });

  it('parses text from memory with the source named, and accepts a byte-order mark', () => {
    assertResultError(() => parseResultText('{', 'stdin'), 'stdin', /not valid JSON/);
    assert.equal(parseResultText(`\uFEFF${good}`, 'bom.json').id, 'good');
  });
});
