import { z } from 'zod';

/**
 * The schema of a benchmark profile (`bench-profiles/NAME.toml`). Unknown keys are
 * refused everywhere, so a misspelt setting fails loudly instead of silently doing nothing.
 */
const identifier = z.string().regex(/^[a-z0-9_]+$/, 'use lower-case letters, digits and underscores');
const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'use lower-case letters, digits, - and _');
const metricName = z.string().regex(/^[a-z0-9_]+(\.[a-z0-9_]+)*$/, 'metric names are dotted lower-case words');

const datasetSchema = z
  .strictObject({
    generator: z.string().min(1).optional(),
    file: z.string().min(1).optional(),
    size: z.number().int().min(0).max(100_000_000).default(0),
    dim: z.number().int().min(0).max(65_536).default(0),
    seed: z
      .number()
      .int()
      .min(0)
      .max(2 ** 32 - 1)
      .default(1),
  })
  .refine((d) => !(d.generator !== undefined && d.file !== undefined), {
    message: 'give either generator or file, not both',
  });

/** A phase length: a time or an op count; `max_duration_ms` caps an op-count phase (used by --quick). */
const spanSchema = z
  .strictObject({
    duration_ms: z.number().int().min(0).max(3_600_000).optional(),
    ops: z.number().int().min(0).max(1e12).optional(),
    max_duration_ms: z.number().int().min(1).max(3_600_000).optional(),
  })
  .refine((s) => (s.duration_ms === undefined) !== (s.ops === undefined), {
    message: 'give exactly one of duration_ms or ops',
  });

const loadSchema = z.discriminatedUnion('model', [
  z.strictObject({
    model: z.literal('closed'),
    concurrency: z.number().int().min(1).max(1024).default(1),
  }),
  z.strictObject({
    model: z.literal('open'),
    rate_per_s: z.number().positive().max(100_000_000),
    concurrency: z.number().int().min(1).max(1024).default(1),
    /** An op that starts later than this after its intended start counts as late. */
    late_after_us: z.number().min(0).default(1000),
  }),
]);

const workloadSchema = z.strictObject({
  name: identifier,
  description: z.string().optional(),
  timing: z.enum(['per_op', 'batched']).default('per_op'),
  batch_size: z.number().int().min(2).max(1_000_000).default(1000),
  /** Op name → relative weight. */
  mix: z.record(z.string(), z.number().positive()).refine((m) => Object.keys(m).length > 0, 'name at least one op'),
});

const thresholdSchema = z
  .strictObject({
    metric: metricName,
    subject: z.string().optional(),
    labels: z.record(z.string(), z.string()).optional(),
    min: z.number().optional(),
    max: z.number().optional(),
  })
  .refine((t) => t.min !== undefined || t.max !== undefined, { message: 'give min, max or both' });

export const profileSchema = z
  .strictObject({
    name: slug,
    description: z.string().min(1),
    /** The workload module (see engine/bench/workloads/registry.ts). */
    module: slug,
    /** Subjects measured in the same run, interleaved by trial; default: the module's. */
    subjects: z.array(identifier).min(1).optional(),
    trials: z.number().int().min(1).max(1000).default(5),
    /** `cold` reopens the store (and drops the OS page cache where permitted) before every trial. */
    start: z.enum(['warm', 'cold']).default('warm'),
    primary: z.array(metricName).min(1),
    dataset: datasetSchema.default({ size: 0, dim: 0, seed: 1 }),
    store: z.record(z.string(), z.unknown()).default({}),
    params: z.record(z.string(), z.unknown()).default({}),
    warmup: spanSchema.default({ duration_ms: 0 }),
    measure: spanSchema,
    load: loadSchema.default({ model: 'closed', concurrency: 1 }),
    workloads: z.array(workloadSchema).min(1),
    thresholds: z.array(thresholdSchema).default([]),
  })
  .superRefine((p, ctx) => {
    const seen = new Set<string>();
    p.workloads.forEach((w, index) => {
      if (seen.has(w.name)) {
        ctx.addIssue({ code: 'custom', path: ['workloads', index, 'name'], message: `workload '${w.name}' twice` });
      }
      seen.add(w.name);
    });
  });

export type Profile = z.infer<typeof profileSchema>;
export type ProfileWorkload = Profile['workloads'][number];
export type LoadModel = Profile['load'];
export type Span = Profile['measure'];
