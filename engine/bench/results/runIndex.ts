import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join } from 'node:path';
import { z } from 'zod';
import { isVexError } from '../../errors.js';
import type { BenchResult } from '../result.js';
import { writeFileAtomic } from './atomicWrite.js';
import { loadResultFile } from './parse.js';

/**
 * index.json: the runs' headers, so listing does not parse every result. It is a cache,
 * never trusted blindly: each read compares it with runs/ (names, sizes, mtimes) and
 * rebuilds it from the files when it is missing, damaged or out of date.
 */
export const INDEX_SCHEMA_ID = 'vexfs-results-index/1';

const entrySchema = z.object({
  id: z.string(),
  file: z.string(),
  profile: z.string(),
  status: z.enum(['complete', 'cancelled', 'failed']),
  quick: z.boolean(),
  started_at: z.string(),
  ended_at: z.string(),
  baseline_name: z.string().nullable(),
  metric_count: z.number().int().nonnegative(),
  size_bytes: z.number().int().nonnegative(),
  mtime_ms: z.number(),
});
export type IndexEntry = z.infer<typeof entrySchema>;

const indexSchema = z.object({ schema: z.literal(INDEX_SCHEMA_ID), runs: z.array(entrySchema) });

function entryFor(path: string, result: BenchResult): IndexEntry {
  const stat = statSync(path);
  return {
    id: result.id,
    file: basename(path),
    profile: result.profile.name,
    status: result.status,
    quick: result.profile.quick,
    started_at: result.started_at,
    ended_at: result.ended_at,
    baseline_name: result.baseline_name,
    metric_count: result.metrics.length,
    size_bytes: stat.size,
    mtime_ms: stat.mtimeMs,
  };
}

function sortEntries(entries: IndexEntry[]): IndexEntry[] {
  return entries.sort((a, b) =>
    a.started_at < b.started_at ? -1 : a.started_at > b.started_at ? 1 : a.id < b.id ? -1 : 1,
  );
}

function writeIndex(root: string, entries: IndexEntry[]): void {
  writeFileAtomic(join(root, 'index.json'), `${JSON.stringify({ schema: INDEX_SCHEMA_ID, runs: entries }, null, 2)}\n`);
}

function runFiles(root: string): string[] {
  return readdirSync(join(root, 'runs')).filter((f) => f.endsWith('.json') && !f.startsWith('.'));
}

function readIndex(root: string): { entries: IndexEntry[] | null; problem: string | null } {
  const path = join(root, 'index.json');
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return { entries: null, problem: null };
  }
  try {
    const parsed = indexSchema.safeParse(JSON.parse(text));
    if (parsed.success) return { entries: parsed.data.runs, problem: null };
  } catch {
    // Falls through to the damaged-index report below.
  }
  return { entries: null, problem: `${path} was damaged and has been rebuilt from the run files.` };
}

/** Rebuilds the index from runs/*.json; unreadable files are skipped and reported. */
export function rebuildIndex(root: string): { entries: IndexEntry[]; problems: string[] } {
  const problems: string[] = [];
  const entries: IndexEntry[] = [];
  for (const file of runFiles(root)) {
    const path = join(root, 'runs', file);
    try {
      entries.push(entryFor(path, loadResultFile(path)));
    } catch (error) {
      if (!isVexError(error)) throw error;
      problems.push(`Skipped ${path}: ${error.message}`);
    }
  }
  sortEntries(entries);
  writeIndex(root, entries);
  return { entries, problems };
}

export function readVerifiedIndex(root: string): { entries: IndexEntry[]; problems: string[] } {
  const { entries, problem } = readIndex(root);
  const files = runFiles(root);
  const upToDate =
    entries !== null &&
    entries.length === files.length &&
    entries.every((entry) => {
      try {
        const stat = statSync(join(root, 'runs', entry.file));
        return stat.size === entry.size_bytes && stat.mtimeMs === entry.mtime_ms && entry.file === `${entry.id}.json`;
      } catch {
        return false;
      }
    });
  if (upToDate && entries) return { entries, problems: [] };
  const rebuilt = rebuildIndex(root);
  return { entries: rebuilt.entries, problems: problem ? [problem, ...rebuilt.problems] : rebuilt.problems };
}

export function upsertIndexEntry(root: string, path: string, result: BenchResult): void {
  const { entries } = readVerifiedIndex(root);
  const others = entries.filter((e) => e.id !== result.id);
  const entry = entryFor(path, result);
  writeIndex(root, sortEntries([...others, entry]));
}
