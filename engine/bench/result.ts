import { z } from 'zod';

/**
 * The result file of one benchmark run, `"schema": "vexfs-bench/1"`. One JSON file
 * per run, written atomically into the results directory. Everything the app, the
 * CLI and the markdown report show about a run is read from here.
 */
export const RESULT_SCHEMA_ID = 'vexfs-bench/1';

export const runStatusSchema = z.enum(['complete', 'cancelled', 'failed']);
export type RunStatus = z.infer<typeof runStatusSchema>;

const finite = z.number().refine(Number.isFinite, 'must be a finite number');

/** One figure: `subject` is `vexfs` or the peer measured in the same run. */
export const metricSchema = z.object({
  name: z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'metric names are dotted lower-case words'),
  labels: z.record(z.string(), z.string()),
  unit: z.string().min(1),
  higher_is_better: z.boolean(),
  primary: z.boolean(),
  subject: z.string().min(1),
  value: finite,
  ci95: z.tuple([finite, finite]),
  /** Per-trial (or per time-block) values the CI was bootstrapped from. */
  samples: z.array(finite),
});
export type Metric = z.infer<typeof metricSchema>;

export const latencySummarySchema = z.object({
  op: z.string(),
  subject: z.string(),
  labels: z.record(z.string(), z.string()),
  count: z.number().int().nonnegative(),
  mean_us: finite,
  p50_us: finite,
  p90_us: finite,
  p99_us: finite,
  p999_us: finite,
  max_us: finite,
  /** Service time beside latency under open load (coordinated omission corrected). */
  service_p99_us: finite.optional(),
  /** Base64 of the HDR histogram's compressed encoding. */
  histogram: z.string(),
});
export type LatencySummary = z.infer<typeof latencySummarySchema>;

/** One live sample (every 100 ms) as kept in the result's time series. */
export const sampleSchema = z.object({
  t_ms: finite,
  trial: z.number().int().nonnegative(),
  phase: z.enum(['warmup', 'measure']),
  ops: z.number().int().nonnegative(),
  ops_per_s: finite,
  p50_us: finite,
  p99_us: finite,
  p999_us: finite,
  errors: z.number().int().nonnegative(),
  cpu_user_pct: finite,
  cpu_sys_pct: finite,
  rss_bytes: finite,
  rss_anon_bytes: finite,
  event_loop_delay_ms: finite,
  /** Which subject and workload the sample's window measured (lets charts draw one line per pair). */
  subject: z.string().optional(),
  workload: z.string().optional(),
  /** The machine in the window: CPU stolen by the hypervisor, other processes' busy share, load average. */
  cpu_steal_pct: finite.optional(),
  machine_other_pct: finite.optional(),
  load_avg_1m: finite.optional(),
});
export type Sample = z.infer<typeof sampleSchema>;

export const environmentSchema = z.object({
  cpu_model: z.string(),
  cpu_flags: z.array(z.string()),
  cores: z.number().int().positive(),
  memory_bytes: z.number().nonnegative(),
  os: z.string(),
  kernel: z.string(),
  node_version: z.string(),
  electron_version: z.string().nullable(),
  kernel_backend: z.string(),
  git_commit: z.string().nullable(),
  config: z.record(z.string(), z.unknown()),
  config_hash: z.string(),
  dataset_checksum: z.string().nullable(),
  /** A stable hash of the fields that make two runs' machines comparable. */
  machine_fingerprint: z.string(),
});
export type Environment = z.infer<typeof environmentSchema>;

export const warningSchema = z.object({
  kind: z.enum(['noise', 'outlier', 'comparability', 'harness', 'threshold', 'other']),
  message: z.string(),
});
export type Warning = z.infer<typeof warningSchema>;

export const benchResultSchema = z.object({
  schema: z.literal(RESULT_SCHEMA_ID),
  id: z.string().min(1),
  profile: z.object({
    name: z.string(),
    /** The profile's full TOML text, so a run can be repeated exactly. */
    text: z.string(),
    /** Effective parameters after --quick and --sweep were applied. */
    params: z.record(z.string(), z.unknown()),
    quick: z.boolean(),
    /** Trials per unit actually planned (kept out of `params`: a trial count does not change what is measured). */
    trials: z.number().int().positive().optional(),
    /** What --quick scaled down to fit its 15 s budget (trials, dataset size, phase lengths), one sentence each. */
    quick_scaled: z.array(z.string()).optional(),
  }),
  command: z.string(),
  started_at: z.string(),
  ended_at: z.string(),
  status: runStatusSchema,
  environment: environmentSchema,
  metrics: z.array(metricSchema),
  latencies: z.array(latencySummarySchema),
  timeseries: z.array(sampleSchema),
  errors: z.record(z.string(), z.number().int().nonnegative()),
  warnings: z.array(warningSchema),
  harness: z.object({
    per_op_overhead_ns: finite.nullable(),
    batched_overhead_ns: finite.nullable(),
  }),
  baseline_name: z.string().nullable(),
});
export type BenchResult = z.infer<typeof benchResultSchema>;
