import { existsSync, statSync } from 'node:fs';
import { dirname, basename, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { z } from 'zod';
import {
  analyzePaired,
  calibrateResult,
  compareResults,
  type CompareOptions,
  type GateMode,
} from '../../bench/compare/index.js';
import {
  defaultProfilesDir,
  listProfiles,
  loadProfile,
  parseProfile,
  type LoadedProfile,
} from '../../bench/profile/load.js';
import { parseSweep, type Override, type Sweep } from '../../bench/profile/overrides.js';
import { buildReport, renderReport } from '../../bench/report/index.js';
import { formatCalibrationText, formatComparisonText, formatPairedText } from '../../bench/report/text.js';
import type { BenchResult } from '../../bench/result.js';
import { openResultsDir, writeFileAtomic, type ResultsDir } from '../../bench/results/index.js';
import { mergeTrialResults, pairOrder, parseVariant } from '../../bench/runner/abRun.js';
import { BenchRun } from '../../bench/runner/BenchRun.js';
import { checkTrials, planRun, type RunRequest } from '../../bench/runner/plan.js';
import { formatRate, showProgress } from '../../bench/runner/progress.js';
import { isVexError, VexError } from '../../errors.js';
import type { Command, CommandContext, ExitCode } from '../command.js';
import { formatRunSummary, listLines } from '../../bench/runner/summary.js';

const USAGE = `Usage: vexctl bench SUBCOMMAND [ARGS...]

  profiles                         The benchmark profiles with their descriptions.
  run PROFILE [--quick] [--trials N] [--sweep key=v1,v2]... [--store DIR] [--results DIR]
              [--save-baseline NAME] [--baseline NAME] [--out FILE] [--json]
                                   Run a profile (a name in bench-profiles/ or a .toml path) and save
                                   the result. --quick: a smoke run of at most 15 s. --sweep: run every
                                   value of a profile key (e.g. load.concurrency=1,4) into one result.
                                   --baseline: compare with a saved baseline afterwards.
  list [--results DIR] [--json]    Past runs and saved baselines.
  rerun RESULT [--results DIR] [--out FILE] [--json]
                                   Repeat a past run exactly (same profile text, sweep, trials, --quick).
  compare A B [--markdown FILE] [--fail-on-regression] [--gate primary|all] [--noise PCT]
              [--force] [--results DIR] [--json]
                                   Compare two runs (result files, report.md files, baseline names or
                                   run ids): change with CI, p-value and a verdict per metric.
  report RESULT [--baseline B] -o report.md [--force] [--results DIR]
                                   Write a markdown report with SVG charts beside it.
  calibrate PROFILE [--trials N] [--quick] [--store DIR] [--results DIR] [--json]
                                   A/A trials of one config: each metric's noise floor and the smallest
                                   change this setup can detect.
  ab PROFILE --a CONFIG_A --b CONFIG_B [--pairs N] [--quick] [--store DIR] [--results DIR] [--json]
                                   Interleaved A/B trials (AB, BA, …) analysed as paired differences.
                                   A CONFIG is key=value[,key=value] (e.g. store.cache_pages=64) or a .toml file.

Results live in --results DIR, else $VEXFS_RESULTS_DIR, else $XDG_DATA_HOME/vexfs/results (the app reads the same).
Ctrl-C cancels a run; it is saved with status "cancelled".
Exit codes: 0 success, 1 the run failed, was cancelled, missed a threshold or the gate found a
regression, 2 bad input (malformed profile, unreadable or incompatible results, unknown baseline).`;

type Options = NonNullable<ParseArgsConfig['options']>;
type Values = Record<string, string | boolean | string[] | undefined>;

const RESULTS: Options = { results: { type: 'string' }, json: { type: 'boolean' } };
const RUNNING: Options = {
  quick: { type: 'boolean' },
  trials: { type: 'string' },
  store: { type: 'string' },
  ...RESULTS,
};
const BASELINE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/;
const SOURCE_DIR = dirname(fileURLToPath(import.meta.url));

/** A bad input: printed as `CODE: message` with exit 2, before anything is written. */
class InputError extends Error {
  constructor(readonly inner: VexError) {
    super(inner.message);
  }
}

function input<T>(load: () => T): T {
  try {
    return load();
  } catch (error) {
    if (isVexError(error)) throw new InputError(error);
    throw error;
  }
}

function parse(
  ctx: CommandContext,
  options: Options,
  positionals: number,
  names: string,
): { values: Values; args: string[] } {
  let parsed;
  try {
    parsed = parseArgs({ args: ctx.argv.slice(1), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new VexError('E_USAGE', `${(error as Error).message}. Usage: vexctl bench ${ctx.argv[0]} ${names}`);
  }
  if (parsed.positionals.length !== positionals) {
    throw new VexError(
      'E_USAGE',
      `vexctl bench ${ctx.argv[0]} takes ${names}; got ${parsed.positionals.length} argument(s).`,
    );
  }
  return { values: parsed.values as Values, args: parsed.positionals };
}

const str = (values: Values, key: string): string | undefined => {
  const v = values[key];
  return typeof v === 'string' ? v : undefined;
};

function resultsDir(ctx: CommandContext, values: Values): ResultsDir {
  const dir = str(values, 'results');
  return input(() => openResultsDir(dir === undefined ? undefined : resolve(ctx.cwd, dir), { ...ctx.env }));
}

function shellQuote(arg: string): string {
  return /^[A-Za-z0-9_./=,:@%+-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, `'\\''`)}'`;
}

function commandLine(ctx: CommandContext): string {
  return ['vexctl', 'bench', ...ctx.argv].map(shellQuote).join(' ');
}

/** Runs one request with progress on the terminal and Ctrl-C wired to Cancel. */
async function execute(
  ctx: CommandContext,
  request: RunRequest,
  values: Values,
  baselineName: string | null,
  quiet = false,
): Promise<BenchResult> {
  const store = str(values, 'store');
  const run = input(
    () =>
      new BenchRun({
        ...request,
        storeDir: store === undefined ? null : resolve(ctx.cwd, store),
        command: commandLine(ctx),
        baselineName,
        sourceDir: SOURCE_DIR,
      }),
  );
  const stop = quiet ? () => {} : showProgress(run, ctx.io, { json: values.json === true });
  const onAbort = (): void => run.cancel();
  ctx.signal.addEventListener('abort', onAbort, { once: true });
  if (ctx.signal.aborted) run.cancel();
  try {
    return await run.result;
  } finally {
    ctx.signal.removeEventListener('abort', onAbort);
    stop();
  }
}

function runRequest(loaded: LoadedProfile, values: Values, sweeps: Sweep[] = []): RunRequest {
  const trials = str(values, 'trials');
  return { loaded, quick: values.quick === true, sweeps, trials: trials === undefined ? null : checkTrials(trials) };
}

/** Saves a finished run and reports how it ended; the exit code reflects status and thresholds. */
function finish(
  ctx: CommandContext,
  dir: ResultsDir,
  result: BenchResult,
  values: Values,
): { code: ExitCode; path: string } {
  const path = dir.save(result);
  const out = str(values, 'out');
  if (out !== undefined) writeFileAtomic(resolve(ctx.cwd, out), `${JSON.stringify(result, null, 2)}\n`);
  if (values.json === true) ctx.io.out(JSON.stringify(result, null, 2));
  else ctx.io.out(formatRunSummary(result, path));
  if (result.status === 'cancelled') ctx.io.err(`The run was cancelled; it is saved as cancelled in ${path}.`);
  if (result.status === 'failed') ctx.io.err(`The run failed; what it measured is saved in ${path}.`);
  const missed = result.warnings.filter((w) => w.kind === 'threshold');
  for (const w of missed) ctx.io.err(w.message);
  return { code: result.status !== 'complete' || missed.length > 0 ? 1 : 0, path };
}

async function runCommand(ctx: CommandContext, rerun: boolean): Promise<ExitCode> {
  const options: Options = rerun
    ? { ...RESULTS, store: { type: 'string' }, out: { type: 'string' } }
    : {
        ...RUNNING,
        sweep: { type: 'string', multiple: true },
        'save-baseline': { type: 'string' },
        baseline: { type: 'string' },
        out: { type: 'string' },
      };
  const { values, args } = parse(ctx, options, 1, rerun ? 'RESULT' : 'PROFILE');
  const dir = resultsDir(ctx, values);
  const saveAs = str(values, 'save-baseline');
  if (saveAs !== undefined && !BASELINE_NAME.test(saveAs)) {
    throw new VexError(
      'E_USAGE',
      `--save-baseline ${JSON.stringify(saveAs)}: use up to 64 letters, digits, '.', '_' and '-'.`,
    );
  }
  const out = str(values, 'out');
  if (out !== undefined) {
    const outDir = dirname(resolve(ctx.cwd, out));
    if (!existsSync(outDir) || !statSync(outDir).isDirectory()) {
      throw new VexError('E_USAGE', `--out ${out}: the directory ${outDir} does not exist.`);
    }
  }
  const baselineRef = str(values, 'baseline');
  const baseline = baselineRef === undefined ? null : input(() => dir.load(baselineRef, ctx.cwd));
  let request: RunRequest;
  if (rerun) {
    const past = input(() => dir.load(args[0] as string, ctx.cwd));
    request = input(() => rerunRequest(past));
  } else {
    const sweeps = ((values.sweep as string[] | undefined) ?? []).map(parseSweep);
    const loaded = input(() => loadProfile(args[0] as string, defaultProfilesDir(ctx.env), []));
    request = runRequest(loaded, values, sweeps);
  }
  const result = await execute(ctx, request, values, baseline ? (baseline.baseline_name ?? baselineRef ?? null) : null);
  const { code } = finish(ctx, dir, result, values);
  if (saveAs !== undefined && result.status === 'complete') {
    ctx.io.err(`Saved as baseline ${saveAs}: ${dir.saveBaseline(saveAs, result)}`);
  }
  if (baseline && result.status === 'complete') {
    const comparison = compareResults(baseline, result, {});
    if (values.json !== true) ctx.io.out(formatComparisonText(comparison));
  }
  return code;
}

const pastParamsSchema = z.object({
  sweeps: z.array(z.object({ key: z.string(), values: z.array(z.unknown()) })),
  overrides: z.array(z.object({ key: z.string(), value: z.unknown() })).default([]),
  quick: z.boolean(),
});

/** The request that repeats a past run: its profile text and every change that was applied to it. */
function rerunRequest(past: BenchResult): RunRequest {
  const params = pastParamsSchema.safeParse(past.profile.params);
  if (!params.success) {
    throw new VexError(
      'E_RESULT',
      `Run ${past.id} does not record how it was run (profile.params); it cannot be repeated.`,
    );
  }
  const loaded = parseProfile(past.profile.text, `<profile of run ${past.id}>`);
  const overrides: Override[] = params.data.overrides.map(({ key, value }) => ({
    key,
    value,
    flag: `the rerun of ${past.id}`,
  }));
  return {
    loaded,
    quick: params.data.quick,
    sweeps: params.data.sweeps,
    trials: past.profile.trials ?? null,
    overrides,
  };
}

function compareOptions(values: Values): CompareOptions {
  const gate = str(values, 'gate') ?? 'primary';
  if (gate !== 'primary' && gate !== 'all') throw new VexError('E_USAGE', `--gate ${gate}: use primary or all.`);
  const noise = str(values, 'noise');
  const noiseThresholdPct = noise === undefined ? undefined : Number(noise);
  if (noiseThresholdPct !== undefined && !(noiseThresholdPct >= 0 && noiseThresholdPct < 100)) {
    throw new VexError('E_USAGE', `--noise ${noise}: give a percentage from 0 to 100 (default 2).`);
  }
  return {
    force: values.force === true,
    gate: gate as GateMode,
    ...(noiseThresholdPct === undefined ? {} : { noiseThresholdPct }),
  };
}

async function compareCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, args } = parse(
    ctx,
    {
      ...RESULTS,
      markdown: { type: 'string' },
      'fail-on-regression': { type: 'boolean' },
      force: { type: 'boolean' },
      gate: { type: 'string' },
      noise: { type: 'string' },
    },
    2,
    'A B',
  );
  const options = compareOptions(values);
  const dir = resultsDir(ctx, values);
  const baseline = input(() => dir.load(args[0] as string, ctx.cwd));
  const current = input(() => dir.load(args[1] as string, ctx.cwd));
  const comparison = input(() => compareResults(baseline, current, options));
  const markdown = str(values, 'markdown');
  if (markdown !== undefined) {
    const file = resolve(ctx.cwd, markdown);
    const built = input(() =>
      renderReport(current, { baseline, compare: options, outDir: dirname(file), reportFile: basename(file) }),
    );
    ctx.io.err(`Report written: ${built.reportPath}`);
  }
  if (values.json === true) ctx.io.out(JSON.stringify(comparison, null, 2));
  else ctx.io.out(formatComparisonText(comparison));
  return values['fail-on-regression'] === true && comparison.gate.failed ? 1 : 0;
}

async function reportCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, args } = parse(
    ctx,
    {
      results: { type: 'string' },
      baseline: { type: 'string' },
      output: { type: 'string', short: 'o' },
      force: { type: 'boolean' },
    },
    1,
    'RESULT [--baseline B] -o report.md',
  );
  const output = str(values, 'output');
  if (output === undefined) throw new VexError('E_USAGE', 'vexctl bench report needs -o FILE.md, the report to write.');
  const dir = resultsDir(ctx, values);
  const result = input(() => dir.load(args[0] as string, ctx.cwd));
  const baselineRef = str(values, 'baseline');
  const baseline = baselineRef === undefined ? undefined : input(() => dir.load(baselineRef, ctx.cwd));
  const file = resolve(ctx.cwd, output);
  const compare = { force: values.force === true };
  // Build first: a bad input (incomparable runs, bad file name) must leave every file as it was.
  input(() => buildReport(result, { ...(baseline ? { baseline } : {}), compare, reportFile: basename(file) }));
  const built = renderReport(result, {
    ...(baseline ? { baseline } : {}),
    compare,
    outDir: dirname(file),
    reportFile: basename(file),
  });
  ctx.io.out(`Report written: ${built.reportPath}`);
  for (const chart of built.chartPaths) ctx.io.out(`Chart written: ${chart}`);
  return 0;
}

async function calibrateCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, args } = parse(ctx, RUNNING, 1, 'PROFILE');
  const dir = resultsDir(ctx, values);
  const loaded = input(() => loadProfile(args[0] as string, defaultProfilesDir(ctx.env)));
  const request = runRequest(loaded, values);
  if (request.trials === null) request.trials = Math.max(loaded.profile.trials, 5);
  if (request.trials < 2) throw new VexError('E_USAGE', 'Calibration needs at least 2 trials (--trials N).');
  const result = await execute(ctx, request, { ...values, json: true }, null);
  const path = dir.save(result);
  if (result.status !== 'complete') {
    ctx.io.err(`The calibration run is ${result.status}; saved in ${path}.`);
    return 1;
  }
  const { calibrations, skipped } = calibrateResult(result);
  if (values.json === true) ctx.io.out(JSON.stringify({ result: result.id, path, calibrations, skipped }, null, 2));
  else {
    ctx.io.out(
      `A/A calibration of ${result.profile.name}: ${result.profile.trials ?? '?'} trials of one config (run ${result.id}).`,
    );
    ctx.io.out(
      'Noise floor = per-trial coefficient of variation; detectable change at 80% power, α = 0.05, noise threshold 2%.',
    );
    ctx.io.out(formatCalibrationText(calibrations));
    if (skipped.length) ctx.io.out(`skipped (fewer than 2 trials): ${skipped.join(', ')}`);
    ctx.io.out(`Saved: ${path}`);
  }
  return 0;
}

async function abCommand(ctx: CommandContext): Promise<ExitCode> {
  const { values, args } = parse(
    ctx,
    { ...RUNNING, a: { type: 'string' }, b: { type: 'string' }, pairs: { type: 'string' } },
    1,
    'PROFILE --a CONFIG_A --b CONFIG_B',
  );
  const specA = str(values, 'a');
  const specB = str(values, 'b');
  if (specA === undefined || specB === undefined)
    throw new VexError('E_USAGE', 'vexctl bench ab needs both --a CONFIG_A and --b CONFIG_B.');
  if (values.trials !== undefined) throw new VexError('E_USAGE', 'vexctl bench ab takes --pairs N, not --trials.');
  const dir = resultsDir(ctx, values);
  const loaded = input(() => loadProfile(args[0] as string, defaultProfilesDir(ctx.env)));
  const sides = { a: parseVariant(specA, ctx.cwd, '--a'), b: parseVariant(specB, ctx.cwd, '--b') };
  const pairsText = str(values, 'pairs');
  const pairs =
    pairsText === undefined ? (values.quick === true ? 2 : Math.max(loaded.profile.trials, 2)) : checkTrials(pairsText);
  if (pairs < 2) throw new VexError('E_USAGE', '--pairs must be at least 2 for a paired analysis.');
  const base: RunRequest = { loaded, quick: values.quick === true, sweeps: [], trials: 1 };
  // Validate both variants before running anything.
  for (const side of ['a', 'b'] as const) input(() => planRun({ ...base, overrides: sides[side] }));
  const runs: Record<'a' | 'b', BenchResult[]> = { a: [], b: [] };
  for (let i = 0; i < pairs && !ctx.signal.aborted; i++) {
    for (const side of pairOrder(i)) {
      if (ctx.signal.aborted) break;
      const result = await execute(ctx, { ...base, overrides: sides[side] }, { ...values, json: true }, null, true);
      runs[side].push(result);
      const rate = result.metrics.find((m) => m.name.startsWith('ops_per_s.'));
      ctx.io.err(
        `pair ${i + 1}/${pairs} ${side.toUpperCase()}: ${result.status}${rate ? `, ${rate.subject} ${rate.name} ${formatRate(rate.value)} ops/s` : ''}`,
      );
    }
  }
  const a = mergeTrialResults(runs.a);
  const b = mergeTrialResults(runs.b);
  const pathA = dir.save(a);
  const pathB = dir.save(b);
  if (a.status !== 'complete' || b.status !== 'complete' || runs.a.length !== runs.b.length) {
    ctx.io.err(`The A/B run did not complete; A saved in ${pathA}, B in ${pathB}.`);
    return 1;
  }
  const analysis = analyzePaired(a, b);
  if (values.json === true) ctx.io.out(JSON.stringify({ a: a.id, b: b.id, analysis }, null, 2));
  else {
    ctx.io.out(`Interleaved pairs (AB, BA, …): A = ${specA}, B = ${specB}; change is B relative to A, per pair.`);
    ctx.io.out(formatPairedText(analysis));
    ctx.io.out(`A saved: ${pathA}\nB saved: ${pathB}`);
  }
  return 0;
}

function profilesCommand(ctx: CommandContext): ExitCode {
  const { values } = parse(ctx, { json: { type: 'boolean' } }, 0, '');
  const profiles = input(() => listProfiles(defaultProfilesDir(ctx.env)));
  if (values.json === true) ctx.io.out(JSON.stringify(profiles, null, 2));
  else {
    const width = Math.max(8, ...profiles.map((p) => p.name.length));
    for (const p of profiles)
      ctx.io.out(
        `${p.name.padEnd(width)}  ${p.error ? `INVALID: ${p.error.split('\n').slice(1).join(' ').trim()}` : p.description}`,
      );
  }
  return profiles.some((p) => p.error) ? 1 : 0;
}

function listCommand(ctx: CommandContext): ExitCode {
  const { values } = parse(ctx, RESULTS, 0, '');
  const dir = resultsDir(ctx, values);
  const runs = dir.list();
  const baselines = dir.listBaselines();
  if (values.json === true)
    ctx.io.out(JSON.stringify({ path: dir.path, runs, baselines, problems: dir.problems() }, null, 2));
  else ctx.io.out(listLines(dir.path, runs, baselines, dir.problems()));
  return 0;
}

export const benchCommand: Command = {
  name: 'bench',
  summary: 'Benchmark profiles: run, list, rerun, compare, report, calibrate, A/B',
  usage: USAGE,
  async run(ctx) {
    const sub = ctx.argv[0];
    try {
      switch (sub) {
        case 'profiles':
          return profilesCommand(ctx);
        case 'run':
          return await runCommand(ctx, false);
        case 'rerun':
          return await runCommand(ctx, true);
        case 'list':
          return listCommand(ctx);
        case 'compare':
          return await compareCommand(ctx);
        case 'report':
          return await reportCommand(ctx);
        case 'calibrate':
          return await calibrateCommand(ctx);
        case 'ab':
          return await abCommand(ctx);
        default:
          throw new VexError(
            'E_USAGE',
            `${sub === undefined ? 'vexctl bench needs a subcommand' : `unknown subcommand '${sub}'`}.\n${USAGE}`,
          );
      }
    } catch (error) {
      if (error instanceof InputError) {
        ctx.io.err(`${error.inner.code}: ${error.inner.message}`);
        return 2;
      }
      throw error;
    }
  },
};
