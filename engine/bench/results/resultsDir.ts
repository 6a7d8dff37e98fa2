import { existsSync, mkdirSync, readdirSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { VexError } from '../../errors.js';
import type { BenchResult } from '../result.js';
import { writeFileAtomic, type AtomicWriteHooks } from './atomicWrite.js';
import { readVerifiedIndex, upsertIndexEntry, type IndexEntry } from './runIndex.js';
import { loadResultFile, validateResult } from './parse.js';

/**
 * The results directory shared by the app and the CLI:
 *   runs/ID.json         one result per run (cancelled runs too, marked as such)
 *   index.json           a cache of the runs' headers, checked against runs/ on every read
 *   baselines/NAME.json  a named baseline: a full copy of the chosen complete run, with
 *                        baseline_name set. A copy rather than a pointer, so pruning runs/
 *                        never breaks or silently changes a baseline, and a baseline file can
 *                        be committed or handed to CI on its own.
 */
export interface ResultsDir {
  readonly path: string;
  /** Validates and writes a run; refuses to overwrite an existing run id. Returns the file path. */
  save(result: BenchResult, hooks?: AtomicWriteHooks): string;
  /** Runs, oldest first, from the verified index. */
  list(): IndexEntry[];
  /** Problems found the last time the index was verified (damaged index, unreadable run files). */
  problems(): string[];
  /** A run by id. */
  loadRun(id: string): BenchResult;
  saveBaseline(name: string, result: BenchResult): string;
  loadBaseline(name: string): BenchResult;
  listBaselines(): string[];
  /** A file path (result JSON or report.md), a baseline name, or a run id, in that order. */
  load(ref: string, cwd?: string): BenchResult;
  /** The newest complete run of a profile, or null; never a cancelled or failed one. */
  latestComplete(profileName: string): BenchResult | null;
}

const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;
const BASELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;

export function defaultResultsDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  // One setting for the app and the CLI alike, so that both see the same runs.
  if (env.VEXFS_RESULTS_DIR) return resolve(env.VEXFS_RESULTS_DIR);
  const xdg = env.XDG_DATA_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'vexfs', 'results');
  return join(env.HOME || homedir(), '.local', 'share', 'vexfs', 'results');
}

export function openResultsDir(
  dir?: string,
  env: Readonly<Record<string, string | undefined>> = process.env,
): ResultsDir {
  const root = resolve(dir ?? defaultResultsDir(env));
  const runsDir = join(root, 'runs');
  const baselinesDir = join(root, 'baselines');
  try {
    mkdirSync(runsDir, { recursive: true });
    mkdirSync(baselinesDir, { recursive: true });
  } catch (error) {
    throw new VexError(
      'E_RESULT',
      `The results directory ${root} cannot be created (${(error as Error).message}); pass another with --results DIR.`,
    );
  }
  let lastProblems: string[] = [];
  const verified = (): IndexEntry[] => {
    const { entries, problems } = readVerifiedIndex(root);
    lastProblems = problems;
    return entries;
  };
  const runPath = (id: string): string => {
    if (!RUN_ID.test(id)) {
      throw new VexError(
        'E_RESULT',
        `The run id ${JSON.stringify(id)} is not valid: use letters, digits, '.', '_' and '-'.`,
      );
    }
    return join(runsDir, `${id}.json`);
  };
  const baselinePath = (name: string): string => {
    if (!BASELINE_NAME.test(name)) {
      throw new VexError(
        'E_RESULT',
        `The baseline name ${JSON.stringify(name)} is not valid: use up to 64 letters, digits, '.', '_' and '-'.`,
      );
    }
    return join(baselinesDir, `${name}.json`);
  };
  const listBaselines = (): string[] =>
    readdirSync(baselinesDir)
      .filter((f) => f.endsWith('.json') && !f.startsWith('.'))
      .map((f) => f.slice(0, -'.json'.length))
      .sort();
  const loadBaseline = (name: string): BenchResult => {
    const path = baselinePath(name);
    if (!existsSync(path)) {
      const known = listBaselines();
      throw new VexError(
        'E_RESULT',
        `There is no baseline named ${name} in ${baselinesDir}; ` +
          (known.length ? `known baselines: ${known.join(', ')}.` : 'none is saved yet (use --save-baseline NAME).'),
      );
    }
    const result = loadResultFile(path);
    if (result.status !== 'complete')
      throw new VexError('E_RESULT', `${path} holds a ${result.status} run, which cannot be a baseline.`);
    return result;
  };
  const loadRun = (id: string): BenchResult => {
    const path = runPath(id);
    if (!existsSync(path))
      throw new VexError('E_RESULT', `There is no run ${id} in ${runsDir}; \`vexctl bench list\` shows the runs.`);
    return loadResultFile(path);
  };

  return {
    path: root,
    save(result, hooks) {
      const path = runPath(result.id);
      validateResult(result, `The result of run ${result.id}`);
      if (existsSync(path))
        throw new VexError(
          'E_RESULT',
          `A run with id ${result.id} already exists in ${runsDir}; nothing was overwritten.`,
        );
      writeFileAtomic(path, `${JSON.stringify(result, null, 2)}\n`, hooks);
      upsertIndexEntry(root, path, result);
      return path;
    },
    list: verified,
    problems: () => lastProblems,
    loadRun,
    saveBaseline(name, result) {
      const path = baselinePath(name);
      validateResult(result, `The result of run ${result.id}`);
      if (result.status !== 'complete') {
        throw new VexError(
          'E_RESULT',
          `Run ${result.id} is ${result.status}; only a complete run can be saved as baseline ${name}.`,
        );
      }
      writeFileAtomic(path, `${JSON.stringify({ ...result, baseline_name: name }, null, 2)}\n`);
      return path;
    },
    loadBaseline,
    listBaselines,
    load(ref, cwd = process.cwd()) {
      const asPath = resolve(cwd, ref);
      const looksLikePath = /[/\\]/.test(ref) || /\.(json|md)$/i.test(ref);
      if (looksLikePath || (existsSync(asPath) && statSync(asPath).isFile())) return loadResultFile(asPath);
      if (BASELINE_NAME.test(ref) && existsSync(join(baselinesDir, `${ref}.json`))) return loadBaseline(ref);
      if (RUN_ID.test(ref) && existsSync(join(runsDir, `${ref}.json`))) return loadRun(ref);
      const known = listBaselines();
      throw new VexError(
        'E_RESULT',
        `${ref} is not a file, a baseline name or a run id in ${root}` +
          (known.length ? `; known baselines: ${known.join(', ')}.` : '; no baseline is saved yet.'),
      );
    },
    latestComplete(profileName) {
      const candidates = verified().filter((e) => e.profile === profileName && e.status === 'complete');
      const newest = candidates.at(-1);
      return newest ? loadRun(newest.id) : null;
    },
  };
}
