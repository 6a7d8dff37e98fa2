import { z } from 'zod';
import { benchResultSchema, sampleSchema, warningSchema } from '../../bench/result.js';
import { empty, path } from './common.js';

/** Benchmarks: profiles and their form, runs with live samples, results, baselines, comparisons, reports. */
const ref = z.string().min(1).max(4096);
const scalar = z.union([z.string(), z.number(), z.boolean()]);
const runId = z.string().min(1).max(64);

/** One parameter of a profile as the form shows it, derived from the profile schema (and the workload's). */
export const profileParameterSchema = z.object({
  key: z.string(),
  kind: z.enum(['integer', 'number', 'boolean', 'enum', 'string']),
  value: scalar.nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  choices: z.array(z.string()).nullable(),
  /** Whether the form offers several values (a sweep) for it. */
  sweepable: z.boolean(),
});

export const profileSummarySchema = z.object({
  name: z.string(),
  description: z.string(),
  error: z.string().nullable(),
  module: z.string().nullable(),
  subjects: z.array(z.string()),
  workloads: z.array(z.string()),
  primary: z.array(z.string()),
  parameters: z.array(profileParameterSchema),
});

export const liveSampleSchema = sampleSchema.omit({ phase: true }).extend({
  phase: z.enum(['setup', 'warmup', 'measure']),
  cpu_steal_pct: z.number(),
  machine_other_pct: z.number(),
  load_avg_1m: z.number(),
  point: z.number().int(),
  labels: z.record(z.string(), z.string()),
  unit: z.number().int(),
  units: z.number().int(),
  subject: z.string(),
  workload: z.string(),
  late: z.number(),
  dropped: z.number(),
  progress: z.number(),
  eta_ms: z.number().nullable(),
});

const runEntrySchema = z.object({
  id: z.string(),
  profile: z.string(),
  status: z.enum(['complete', 'cancelled', 'failed']),
  quick: z.boolean(),
  started_at: z.string(),
  ended_at: z.string(),
  baseline_name: z.string().nullable(),
  metric_count: z.number().int(),
});

const differenceSchema = z.object({ field: z.string(), baseline: z.string(), current: z.string() });
/** A figure a comparison could not compute (too few samples) is null, as JSON carries NaN. */
const figure = z.number().nullable();
const sideSchema = z.object({ value: figure, ci95: z.tuple([figure, figure]), samples: z.number() });
const verdict = z.enum(['improved', 'regressed', 'no change', 'within noise', 'insufficient data']);

export const comparisonSchema = z.object({
  baselineId: z.string(),
  currentId: z.string(),
  profile: z.string(),
  noiseThresholdPct: z.number(),
  alpha: z.number(),
  comparability: z.object({ comparable: z.boolean(), differences: z.array(differenceSchema) }),
  forced: z.boolean(),
  configDiff: z.array(differenceSchema),
  metrics: z.array(
    z.object({
      key: z.string(),
      name: z.string(),
      labels: z.record(z.string(), z.string()),
      subject: z.string(),
      unit: z.string(),
      higherIsBetter: z.boolean(),
      primary: z.boolean(),
      baseline: sideSchema,
      current: sideSchema,
      changePct: figure,
      changeCiPct: z.tuple([figure, figure]),
      pValue: figure,
      holmPValue: figure,
      verdict,
      holmVerdict: verdict,
    }),
  ),
  onlyInBaseline: z.array(z.string()),
  onlyInCurrent: z.array(z.string()),
  gate: z.object({
    mode: z.enum(['primary', 'all']),
    considered: z.array(z.string()),
    regressions: z.array(z.string()),
    failed: z.boolean(),
    note: z.string(),
  }),
  warnings: z.array(z.string()),
});

const baselineName = z
  .string()
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$/, "use up to 64 letters, digits, '.', '_' and '-'");

export const benchRequests = {
  'bench/profiles': { input: empty, output: z.object({ profiles: z.array(profileSummarySchema) }) },
  'bench/run': {
    input: z
      .object({
        profile: z.string().regex(/^[a-z0-9_-]+$/, 'a profile name from bench/profiles'),
        quick: z.boolean().default(false),
        trials: z.number().int().min(1).max(1000).nullable().default(null),
        overrides: z
          .array(z.object({ key: z.string().min(1).max(200), value: scalar }).strict())
          .max(100)
          .default([]),
        sweeps: z
          .array(z.object({ key: z.string().min(1).max(200), values: z.array(scalar).min(1).max(64) }).strict())
          .max(8)
          .default([]),
        /** The open store whose effective config the run applies (its store keys), if any. */
        storeId: z.string().min(1).nullable().default(null),
        saveBaseline: baselineName.nullable().default(null),
      })
      .strict(),
    output: z.object({ runId, profile: z.string(), units: z.number().int(), points: z.number().int() }),
  },
  'bench/cancel': { input: z.object({ runId }).strict(), output: empty },
  'bench/list': {
    input: empty,
    output: z.object({
      path: z.string(),
      runs: z.array(runEntrySchema),
      baselines: z.array(z.string()),
      problems: z.array(z.string()),
      active: z.array(z.object({ runId, profile: z.string() })),
    }),
  },
  'bench/result': { input: z.object({ ref }).strict(), output: z.object({ result: benchResultSchema }) },
  'bench/save-baseline': {
    input: z.object({ ref, name: baselineName }).strict(),
    output: z.object({ name: z.string(), path: z.string() }),
  },
  'bench/compare': {
    input: z
      .object({
        baseline: ref,
        current: ref,
        force: z.boolean().default(false),
        noiseThresholdPct: z.number().min(0).max(99).optional(),
      })
      .strict(),
    output: comparisonSchema,
  },
  'bench/report': {
    input: z.object({ ref, baseline: ref.nullable().default(null), force: z.boolean().default(false) }).strict(),
    output: z.object({ markdown: z.string(), charts: z.array(z.object({ file: z.string(), svg: z.string() })) }),
  },
  'bench/export': {
    input: z
      .object({ ref, baseline: ref.nullable().default(null), force: z.boolean().default(false), dir: path })
      .strict(),
    output: z.object({ dir: z.string(), files: z.array(z.string()) }),
  },
  'bench/history': {
    input: z.object({ profile: z.string().min(1).max(200) }).strict(),
    output: z.object({
      profile: z.string(),
      runs: z.array(
        z.object({
          id: z.string(),
          started_at: z.string(),
          quick: z.boolean(),
          baseline_name: z.string().nullable(),
          metrics: z.array(
            z.object({
              name: z.string(),
              subject: z.string(),
              labels: z.record(z.string(), z.string()),
              unit: z.string(),
              value: z.number(),
              ci95: z.tuple([z.number(), z.number()]),
            }),
          ),
        }),
      ),
    }),
  },
} as const;

export const benchEvents = {
  /** A live sample of a run, at most every 100 ms; a slow consumer receives the latest only. */
  'bench/sample': z.object({ runId, sample: liveSampleSchema }),
  'bench/status': z.object({
    runId,
    profile: z.string(),
    state: z.enum(['running', 'complete', 'cancelled', 'failed']),
    resultId: z.string().nullable(),
    warnings: z.array(warningSchema),
    message: z.string(),
  }),
  'bench/log': z.object({
    runId,
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
    at: z.string(),
  }),
} as const;
