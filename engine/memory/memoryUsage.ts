import { readFileSync } from 'node:fs';
import type { VexfsConfig } from '../config/schema.js';
import { VexError } from '../errors.js';
import { SQLITE_PAGE_CACHE_BYTES } from '../store/layout.js';

/**
 * The process's resident memory split as the kernel reports it in /proc/self/status.
 * RssAnon is what the budget constrains: heap, Buffers, the pools, the cache and SQLite's
 * page cache. RssFile (mapped files: the node binary, shared libraries) is left out on
 * purpose: the kernel can drop it at any time and it is not ours to budget.
 */
export interface MemoryUsage {
  readonly rssBytes: number;
  readonly rssAnonBytes: number;
  readonly rssFileBytes: number;
  readonly rssShmemBytes: number;
}

const FIELDS = {
  VmRSS: 'rssBytes',
  RssAnon: 'rssAnonBytes',
  RssFile: 'rssFileBytes',
  RssShmem: 'rssShmemBytes',
} as const;

/** Parses the text of /proc/PID/status (values in kB, meaning KiB). */
export function parseProcStatus(text: string): MemoryUsage {
  const found: Partial<Record<(typeof FIELDS)[keyof typeof FIELDS], number>> = {};
  for (const line of text.split('\n')) {
    const match = /^(\w+):\s+(\d+)\s+kB$/.exec(line.trim());
    if (match === null) continue;
    const field = FIELDS[match[1] as keyof typeof FIELDS] as (typeof FIELDS)[keyof typeof FIELDS] | undefined;
    if (field !== undefined) found[field] = Number(match[2]) * 1024;
  }
  const missing = Object.entries(FIELDS)
    .filter(([, field]) => found[field] === undefined)
    .map(([name]) => name);
  if (missing.length > 0) {
    throw new VexError('E_FORMAT', `/proc status text lacks ${missing.join(', ')}; a Linux kernel ≥ 4.5 reports them`);
  }
  return found as MemoryUsage;
}

export function readMemoryUsage(statusPath = '/proc/self/status'): MemoryUsage {
  let text: string;
  try {
    text = readFileSync(statusPath, 'utf8');
  } catch (error) {
    throw new VexError(
      'E_UNAVAILABLE',
      `memory accounting reads ${statusPath}, which cannot be read here (${(error as NodeJS.ErrnoException).code ?? String(error)}); it needs Linux`,
    );
  }
  return parseProcStatus(text);
}

export interface MemoryBudget {
  /** RssAnon before the store was opened: the runtime's own (Node, V8, SQLite code). */
  readonly baselineBytes: number;
  /** SQLite's own page cache bound for the store (PRAGMA cache_size): anonymous, outside the pools and the cache. */
  readonly sqlitePageCacheBytes: number;
  readonly poolBytes: number;
  readonly cacheBytes: number;
  /** Vector index budget (search.index_memory_size) where indexes are loaded; 0 otherwise. */
  readonly indexBytes: number;
}

export interface BudgetCheck {
  readonly limitBytes: number;
  readonly rssAnonBytes: number;
  readonly withinBudget: boolean;
  /** limit − RssAnon: negative when over. */
  readonly headroomBytes: number;
}

/** The budget a store opened with `config` works within (what `vexctl store info` shows). */
export function configuredBudget(config: VexfsConfig, baselineBytes: number): MemoryBudget {
  const on = config.optimization.enable_memory_optimization;
  return {
    baselineBytes,
    sqlitePageCacheBytes: SQLITE_PAGE_CACHE_BYTES,
    poolBytes: on ? config.performance.memory_pool_size : 0,
    cacheBytes: on ? config.performance.cache_size : 0,
    indexBytes: config.search.index_memory_size,
  };
}

export function budgetLimit(budget: MemoryBudget): number {
  return budget.baselineBytes + budget.sqlitePageCacheBytes + budget.poolBytes + budget.cacheBytes + budget.indexBytes;
}

export function checkBudget(budget: MemoryBudget, usage: MemoryUsage = readMemoryUsage()): BudgetCheck {
  for (const [name, value] of Object.entries(budget)) {
    if (!Number.isSafeInteger(value) || value < 0) {
      throw new VexError('E_INVALID', `memory budget ${name} must be a whole number of bytes ≥ 0, got ${value}`);
    }
  }
  const limitBytes = budgetLimit(budget);
  return {
    limitBytes,
    rssAnonBytes: usage.rssAnonBytes,
    withinBudget: usage.rssAnonBytes <= limitBytes,
    headroomBytes: limitBytes - usage.rssAnonBytes,
  };
}
