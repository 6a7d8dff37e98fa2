import { randomUUID } from 'node:crypto';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { compareResults } from '../../bench/compare/index.js';
import { defaultProfilesDir, listProfiles, loadProfile } from '../../bench/profile/load.js';
import type { Override } from '../../bench/profile/overrides.js';
import { buildReport, renderReport } from '../../bench/report/index.js';
import type { BenchResult } from '../../bench/result.js';
import { defaultResultsDir, openResultsDir, writeFileAtomic, type ResultsDir } from '../../bench/results/index.js';
import { BenchRun } from '../../bench/runner/BenchRun.js';
import { unitLine } from '../../bench/runner/progress.js';
import { findWorkload } from '../../bench/workloads/registry.js';
import { listConfigFields, loadConfig } from '../../config/index.js';
import { VexError } from '../../errors.js';
import type { EventName, EventPayload, RequestOutput } from '../contract/index.js';
import type { Handlers } from '../EngineHost.js';
import type { OpenStores } from '../OpenStores.js';
import type { Workspace } from '../Workspace.js';
import { describeProfileParameters } from './profileParameters.js';

type BenchHandlerNames = Extract<keyof Handlers, `bench/${string}`>;
export type Emit = <N extends EventName>(name: N, payload: EventPayload<N>) => void;

const SOURCE_DIR = dirname(fileURLToPath(import.meta.url));
/** Other processes' share of the machine above which a run's figures are called noisy while it runs. */
const NOISY_MACHINE_PCT = 25;
const REF = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

/** The results directory the app and the CLI share ($VEXFS_RESULTS_DIR, else the XDG default). */
export function hostResultsDir(env: Readonly<Record<string, string | undefined>> = process.env): ResultsDir {
  return openResultsDir(defaultResultsDir(env), env);
}

/** A run or a baseline by name; never a file path, so a request cannot read files outside the results. */
export function loadRef(dir: ResultsDir, ref: string): BenchResult {
  if (!REF.test(ref) || ref.endsWith('.json') || ref.endsWith('.md')) {
    throw new VexError('E_RESULT', `'${ref}' is not a run id or a baseline name; bench/list shows them.`);
  }
  return dir.listBaselines().includes(ref) ? dir.loadBaseline(ref) : dir.loadRun(ref);
}

/** The store keys of the workload that the open store's config file sets, as run overrides. */
function storeOverrides(stores: OpenStores, storeId: string | null, workloadStoreKeys: string[]): Override[] {
  if (storeId === null) return [];
  const { store } = stores.get(storeId);
  const loaded = loadConfig({ env: {}, storeDir: store.dir });
  const overrides: Override[] = [];
  for (const name of workloadStoreKeys) {
    const field = listConfigFields().find((candidate) => candidate.name === name);
    const origin = field ? loaded.origins[field.key] : undefined;
    if (field === undefined || origin?.kind !== 'file') continue;
    const table = (loaded.config as unknown as Record<string, Record<string, unknown>>)[field.section];
    overrides.push({ key: `store.${name}`, value: table?.[name], flag: `${field.key} in ${origin.path}` });
  }
  return overrides;
}

export function benchHandlers(stores: OpenStores, workspace: Workspace, emit: Emit): Pick<Handlers, BenchHandlerNames> {
  const active = new Map<string, { run: BenchRun; profile: string }>();
  const log = (runId: string, level: 'info' | 'warn' | 'error', message: string): void =>
    emit('bench/log', { runId, level, message, at: new Date().toISOString() });

  return {
    'bench/profiles': () => {
      const profilesDir = defaultProfilesDir(process.env);
      const profiles = listProfiles(profilesDir).map((entry) => {
        const none = { module: null, subjects: [], workloads: [], primary: [], parameters: [] };
        if (entry.error !== null) return { ...entry, ...none };
        const { profile } = loadProfile(entry.name, profilesDir);
        const workload = findWorkload(profile.module);
        return {
          ...entry,
          module: profile.module,
          subjects: [...(profile.subjects ?? workload?.defaultSubjects ?? [])],
          workloads: profile.workloads.map((w) => w.name),
          primary: profile.primary,
          parameters: describeProfileParameters(profile, workload),
        };
      });
      return { profiles };
    },
    'bench/run': (input) => {
      const dir = hostResultsDir();
      const loaded = loadProfile(input.profile, defaultProfilesDir(process.env));
      const workload = findWorkload(loaded.profile.module);
      const storeKeys = workload?.storeSchema ? Object.keys(describeStoreShape(loaded.profile, workload)) : [];
      const formOverrides: Override[] = input.overrides.map(({ key, value }) => ({
        key,
        value,
        flag: `the form's ${key}`,
      }));
      const fromStore = storeOverrides(stores, input.storeId, storeKeys).filter(
        (o) => !formOverrides.some((f) => f.key === o.key),
      );
      const args = [
        input.quick ? '--quick' : '',
        input.trials === null ? '' : `--trials ${input.trials}`,
        ...input.sweeps.map((s) => `--sweep ${s.key}=${s.values.join(',')}`),
      ].filter(Boolean);
      const run = new BenchRun({
        loaded,
        quick: input.quick,
        trials: input.trials,
        sweeps: input.sweeps,
        overrides: [...fromStore, ...formOverrides],
        storeDir: null,
        command: ['vexctl bench run', input.profile, ...args].join(' '),
        baselineName: null,
        sourceDir: SOURCE_DIR,
      });
      const runId = randomUUID().slice(0, 8);
      const profile = loaded.profile.name;
      active.set(runId, { run, profile });
      let warnedNoisy = false;
      run.onSample((sample) => {
        emit('bench/sample', { runId, sample });
        if (!warnedNoisy && sample.machine_other_pct > NOISY_MACHINE_PCT) {
          warnedNoisy = true;
          log(
            runId,
            'warn',
            `Other processes are using ${Math.round(sample.machine_other_pct)}% of the machine: this run's figures will be noisy. Stop other work or compare only with care.`,
          );
        }
        // Backpressure: the next sample waits for this turn to end, so a busy host sends fewer.
        return new Promise<void>((resolve) => setImmediate(resolve));
      });
      run.onUnit((report) => log(runId, 'info', unitLine(report)));
      for (const o of [...fromStore, ...formOverrides]) log(runId, 'info', `${o.key} = ${String(o.value)} (${o.flag})`);
      emit('bench/status', { runId, profile, state: 'running', resultId: null, warnings: [], message: 'running' });
      void run.result
        .then((result) => {
          const path = dir.save(result);
          for (const warning of result.warnings) log(runId, 'warn', warning.message);
          let message = `${result.status}: saved ${path}`;
          if (input.saveBaseline !== null && result.status === 'complete') {
            dir.saveBaseline(input.saveBaseline, result);
            message += `; saved as baseline ${input.saveBaseline}`;
          }
          log(runId, result.status === 'complete' ? 'info' : 'warn', message);
          emit('bench/status', {
            runId,
            profile,
            state: result.status,
            resultId: result.id,
            warnings: result.warnings,
            message,
          });
        })
        .catch((error: Error) => {
          log(runId, 'error', error.message);
          emit('bench/status', {
            runId,
            profile,
            state: 'failed',
            resultId: null,
            warnings: [],
            message: error.message,
          });
        })
        .finally(() => active.delete(runId));
      const units = run.points.reduce((sum, point) => sum + point.units.length, 0);
      return { runId, profile, units, points: run.points.length };
    },
    'bench/cancel': ({ runId }) => {
      const entry = active.get(runId);
      if (!entry) throw new VexError('E_NOT_FOUND', `no run ${runId} is running; it may have finished already`);
      entry.run.cancel();
      return {};
    },
    'bench/list': () => {
      const dir = hostResultsDir();
      return {
        path: dir.path,
        runs: dir.list(),
        baselines: dir.listBaselines(),
        problems: dir.problems(),
        active: [...active].map(([runId, { profile }]) => ({ runId, profile })),
      };
    },
    'bench/result': ({ ref }) => ({ result: loadRef(hostResultsDir(), ref) }),
    'bench/save-baseline': ({ ref, name }) => {
      const dir = hostResultsDir();
      return { name, path: dir.saveBaseline(name, loadRef(dir, ref)) };
    },
    'bench/compare': ({ baseline, current, force, noiseThresholdPct }) => {
      const dir = hostResultsDir();
      const comparison = compareResults(loadRef(dir, baseline), loadRef(dir, current), {
        force,
        ...(noiseThresholdPct === undefined ? {} : { noiseThresholdPct }),
      });
      // What a transport carries: a figure that could not be computed (NaN) becomes null.
      return JSON.parse(JSON.stringify(comparison)) as RequestOutput<'bench/compare'>;
    },
    'bench/report': ({ ref, baseline, force }) => {
      const dir = hostResultsDir();
      const base = baseline === null ? undefined : loadRef(dir, baseline);
      const built = buildReport(loadRef(dir, ref), { ...(base ? { baseline: base } : {}), compare: { force } });
      return { markdown: built.markdown, charts: built.charts };
    },
    'bench/export': ({ ref, baseline, force, dir: target }) => {
      const outDir = workspace.resolve(target);
      const dir = hostResultsDir();
      const result = loadRef(dir, ref);
      const base = baseline === null ? undefined : loadRef(dir, baseline);
      const options = { ...(base ? { baseline: base } : {}), compare: { force } };
      // Build first: a bad input must leave the folder as it was.
      buildReport(result, options);
      const built = renderReport(result, { ...options, outDir });
      const resultPath = join(outDir, `${result.id}.json`);
      writeFileAtomic(resultPath, `${JSON.stringify(result, null, 2)}\n`);
      return { dir: outDir, files: [built.reportPath, ...built.chartPaths, resultPath] };
    },
    'bench/history': ({ profile }) => {
      const dir = hostResultsDir();
      const runs = dir
        .list()
        .filter((entry) => entry.profile === profile && entry.status === 'complete')
        .map((entry) => {
          const result = dir.loadRun(entry.id);
          return {
            id: result.id,
            started_at: result.started_at,
            quick: result.profile.quick,
            baseline_name: result.baseline_name,
            metrics: result.metrics
              .filter((m) => m.primary)
              .map(({ name, subject, labels, unit, value, ci95 }) => ({ name, subject, labels, unit, value, ci95 })),
          };
        });
      return { profile, runs };
    },
  };
}

function describeStoreShape(
  profile: Parameters<typeof describeProfileParameters>[0],
  workload: NonNullable<ReturnType<typeof findWorkload>>,
): Record<string, true> {
  const keys = describeProfileParameters(profile, workload)
    .filter((p) => p.key.startsWith('store.'))
    .map((p) => p.key.slice('store.'.length));
  return Object.fromEntries(keys.map((k) => [k, true as const]));
}
