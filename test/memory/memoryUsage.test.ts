import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { checkBudget, parseProcStatus, readMemoryUsage } from '../../engine/memory/memoryUsage.js';
import { isVexError } from '../../engine/errors.js';

const SAMPLE = `Name:\tnode
VmRSS:\t  120000 kB
RssAnon:\t   80000 kB
RssFile:\t   39000 kB
RssShmem:\t    1000 kB
Threads:\t11
`;

describe('memory usage', () => {
  it('parses /proc status text in KiB', () => {
    assert.deepEqual(parseProcStatus(SAMPLE), {
      rssBytes: 120000 * 1024,
      rssAnonBytes: 80000 * 1024,
      rssFileBytes: 39000 * 1024,
      rssShmemBytes: 1000 * 1024,
    });
  });

  it('names the fields a status text lacks', () => {
    assert.throws(
      () => parseProcStatus('Name:\tnode\nVmRSS:\t1 kB\n'),
      (e: unknown) => isVexError(e, 'E_FORMAT') && /RssAnon/.test(e.message) && /RssFile/.test(e.message),
    );
  });

  it('reads this process (Linux) and fails clearly where there is no such file', () => {
    const usage = readMemoryUsage();
    assert.ok(usage.rssAnonBytes > 0 && usage.rssAnonBytes <= usage.rssBytes);
    assert.throws(
      () => readMemoryUsage('/nonexistent/status'),
      (e: unknown) => isVexError(e, 'E_UNAVAILABLE'),
    );
  });

  it('checks RssAnon against baseline + SQLite page cache + pools + cache + index', () => {
    const usage = parseProcStatus(SAMPLE);
    const budget = {
      baselineBytes: 40_000 * 1024,
      sqlitePageCacheBytes: 10_000 * 1024,
      poolBytes: 10_000 * 1024,
      cacheBytes: 20_000 * 1024,
      indexBytes: 0,
    };
    const within = checkBudget(budget, usage);
    assert.equal(within.limitBytes, 80_000 * 1024);
    assert.equal(within.withinBudget, true);
    assert.equal(within.headroomBytes, 0);
    const over = checkBudget({ ...budget, cacheBytes: 19_999 * 1024 }, usage);
    assert.equal(over.withinBudget, false);
    assert.equal(over.headroomBytes, -1024);
    assert.throws(
      () => checkBudget({ ...budget, poolBytes: -1 }, usage),
      (e: unknown) => isVexError(e, 'E_INVALID'),
    );
  });
});
