import { z } from 'zod';
import { storeRef } from './common.js';

/** vexfs.toml: the schema's fields for the form, checking text, the store's file, effective values, apply. */
const configValue = z.union([z.boolean(), z.number(), z.string()]);
const configText = z.string().max(1 << 20);

export const configFieldSchema = z.object({
  key: z.string(),
  section: z.string(),
  name: z.string(),
  kind: z.enum(['boolean', 'integer', 'size', 'enum', 'string']),
  unit: z.string().nullable(),
  min: z.number().nullable(),
  max: z.number().nullable(),
  choices: z.array(z.string()).nullable(),
  default: configValue,
  apply: z.enum(['live', 'restart']),
  status: z.enum(['effective', 'later', 'inert']),
  capability: z.string().nullable(),
  description: z.string(),
  effect: z.string(),
  note: z.string().nullable(),
});

export const configDiagnosticSchema = z.object({
  severity: z.enum(['error', 'warning']),
  kind: z.string(),
  line: z.number().int(),
  column: z.number().int(),
  key: z.string().nullable(),
  message: z.string(),
  suggestion: z.string().nullable(),
});

const advisorySchema = z.object({
  severity: z.enum(['warning', 'info']),
  key: z.string(),
  message: z.string(),
  reason: z.string(),
});

const changeSchema = z.object({
  key: z.string(),
  kind: z.enum(['added', 'removed', 'changed']),
  before: configValue,
  after: configValue,
  sameValue: z.boolean(),
});

const originSchema = z.object({
  kind: z.enum(['default', 'file']),
  layer: z.string().nullable(),
  path: z.string().nullable(),
  line: z.number().int().nullable(),
  column: z.number().int().nullable(),
});

export const configRequests = {
  'config/fields': { input: z.object({}).strict(), output: z.object({ fields: z.array(configFieldSchema) }) },
  'config/validate': {
    input: z.object({ text: configText }).strict(),
    output: z.object({
      valid: z.boolean(),
      diagnostics: z.array(configDiagnosticSchema),
      /** The keys the text sets that passed validation (sizes in bytes). */
      values: z.record(z.string(), configValue),
    }),
  },
  'config/read': {
    input: storeRef.strict(),
    output: z.object({ path: z.string(), exists: z.boolean(), text: z.string() }),
  },
  'config/effective': {
    input: storeRef.strict(),
    output: z.object({
      values: z.record(z.string(), configValue),
      origins: z.record(z.string(), originSchema),
      warnings: z.array(configDiagnosticSchema),
      sources: z.array(z.object({ layer: z.string(), path: z.string(), found: z.boolean() })),
    }),
  },
  'config/diff': {
    input: storeRef.extend({ text: configText }).strict(),
    output: z.object({ changes: z.array(changeSchema) }),
  },
  'config/advise': {
    input: z.object({ text: configText }).strict(),
    output: z.object({ advisories: z.array(advisorySchema) }),
  },
  'config/save': {
    input: storeRef.extend({ text: configText }).strict(),
    output: z.object({ path: z.string(), changes: z.array(changeSchema) }),
  },
  'config/apply': {
    input: storeRef.extend({ text: configText }).strict(),
    output: z.object({
      path: z.string(),
      /** Every changed key, and whether it is in effect now or waits for the store to be reopened. */
      changes: z.array(changeSchema.extend({ apply: z.enum(['live', 'restart']), inEffect: z.boolean() })),
      restartNeeded: z.boolean(),
    }),
  },
} as const;
