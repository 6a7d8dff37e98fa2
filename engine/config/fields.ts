import { z } from 'zod';
import { formatSize, parseSize, typeName } from './sizes.js';

/**
 * Builders for config keys. Each builder makes the zod schema that validates the key and
 * registers, on that same schema, the metadata the docs, advisories and the app's form read:
 * validation and description cannot drift because they come from the same arguments.
 */

/** `effective`: changes something measurable now; `later`: its effect arrives with a named capability; `inert`: accepted, does nothing here. */
export type FieldStatus = 'effective' | 'later' | 'inert';
/** `live`: read at each use, so a change applies to the next operation; `restart`: read once at store open or server start. */
export type FieldApply = 'live' | 'restart';
export type FieldKind = 'boolean' | 'integer' | 'size' | 'enum' | 'string';

export interface FieldMeta {
  readonly kind: FieldKind;
  /** The unit of the value after parsing (sizes are always bytes). */
  readonly unit?: string;
  readonly min?: number;
  readonly max?: number;
  readonly choices?: readonly string[];
  readonly default: boolean | number | string;
  readonly apply: FieldApply;
  readonly status: FieldStatus;
  /** For `later`: the capability that brings the effect (FUSE mounts, the API server, …). */
  readonly capability?: string;
  /** One line: what the key is. */
  readonly description: string;
  /** What it changes and how to see it, why it waits, or why it is inert. */
  readonly effect: string;
  /** What a special value means (e.g. 0 = automatic). */
  readonly note?: string;
}

export const configFieldRegistry = z.registry<FieldMeta>();

interface Common {
  apply: FieldApply;
  status: FieldStatus;
  capability?: string;
  description: string;
  effect: string;
  note?: string;
}

function registered<T extends z.ZodType>(schema: T, meta: FieldMeta): T {
  configFieldRegistry.add(schema as z.ZodType, meta);
  return schema;
}

export function booleanField(options: Common & { default: boolean }) {
  return registered(z.boolean().default(options.default), { kind: 'boolean', ...options });
}

export function integerField(options: Common & { default: number; min: number; max: number; unit?: string }) {
  return registered(z.number().int().min(options.min).max(options.max).default(options.default), {
    kind: 'integer',
    ...options,
  });
}

/** A size: an integer (bytes) or a string with a unit; the parsed value is bytes. */
export function sizeField(options: Common & { default: number; min: number; max: number }) {
  const schema = z
    .unknown()
    .transform((value, ctx) => {
      const parsed = parseSize(value);
      if (parsed.ok) return parsed.bytes;
      const kind = typeof value === 'number' || typeof value === 'string' ? 'format' : 'type';
      ctx.issues.push({ code: 'custom', message: parsed.reason, input: value, params: { kind } });
      return z.NEVER;
    })
    .pipe(z.number().int().min(options.min).max(options.max))
    .default(options.default);
  return registered(schema, { kind: 'size', unit: 'bytes', ...options });
}

export function enumField<const T extends readonly [string, ...string[]]>(
  options: Common & { default: T[number]; choices: T },
) {
  return registered(z.enum(options.choices).default(options.default), { kind: 'enum', ...options });
}

/** A string, checked by `check` (returns a reason when the value is unacceptable). */
export function stringField(options: Common & { default: string; check: (value: string) => string | undefined }) {
  const { check, ...meta } = options;
  const schema = z
    .string()
    .superRefine((value, ctx) => {
      const reason = check(value);
      if (reason !== undefined)
        ctx.addIssue({ code: 'custom', message: reason, input: value, params: { kind: 'format' } });
    })
    .default(options.default);
  return registered(schema, { kind: 'string', ...meta });
}

/** How a key's accepted values read in messages and docs: "an integer from 0 to 1024 threads". */
export function expectation(meta: FieldMeta): string {
  switch (meta.kind) {
    case 'boolean':
      return 'true or false';
    case 'enum':
      return `one of ${(meta.choices ?? []).map((choice) => JSON.stringify(choice)).join(', ')}`;
    case 'string':
      return 'a string';
    case 'integer':
      return `an integer from ${meta.min} to ${meta.max}${meta.unit ? ` ${meta.unit}` : ''}`;
    case 'size':
      return `a size from ${formatSize(meta.min ?? 0)} to ${formatSize(meta.max ?? 0)}`;
  }
}

export { typeName };
