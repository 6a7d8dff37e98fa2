import type { z } from 'zod';
import { configFieldRegistry } from './fields.js';
import type { FieldApply, FieldKind, FieldMeta, FieldStatus } from './fields.js';
import { CONFIG_SECTIONS, SECTION_NAMES } from './schema.js';
import type { ConfigValue, SectionName, VexfsConfig } from './schema.js';

export interface ConfigField {
  /** "performance.cache_size" */
  readonly key: string;
  readonly section: SectionName;
  readonly name: string;
  readonly schema: z.ZodType;
  readonly meta: FieldMeta;
}

let cached: readonly ConfigField[] | undefined;

/** Every key of the schema, in file order, with the metadata registered on its zod schema. */
export function listConfigFields(): readonly ConfigField[] {
  if (cached) return cached;
  const fields: ConfigField[] = [];
  for (const section of SECTION_NAMES) {
    const shape = CONFIG_SECTIONS[section].shape as Record<string, z.ZodType>;
    for (const [name, schema] of Object.entries(shape)) {
      const meta = configFieldRegistry.get(schema);
      if (!meta) throw new Error(`config key ${section}.${name} has no registered metadata`);
      fields.push({ key: `${section}.${name}`, section, name, schema, meta });
    }
  }
  cached = fields;
  return fields;
}

export function findConfigField(key: string): ConfigField | undefined {
  return listConfigFields().find((field) => field.key === key);
}

/** A plain-JSON description of one key, for the app's config form and `config reference --json`. */
export interface ConfigFieldDescription {
  key: string;
  section: string;
  name: string;
  kind: FieldKind;
  unit: string | null;
  min: number | null;
  max: number | null;
  choices: string[] | null;
  default: ConfigValue;
  apply: FieldApply;
  status: FieldStatus;
  capability: string | null;
  description: string;
  effect: string;
  note: string | null;
}

export function describeConfigFields(): ConfigFieldDescription[] {
  return listConfigFields().map(({ key, section, name, meta }) => ({
    key,
    section,
    name,
    kind: meta.kind,
    unit: meta.unit ?? null,
    min: meta.min ?? null,
    max: meta.max ?? null,
    choices: meta.choices ? [...meta.choices] : null,
    default: meta.default,
    apply: meta.apply,
    status: meta.status,
    capability: meta.capability ?? null,
    description: meta.description,
    effect: meta.effect,
    note: meta.note ?? null,
  }));
}

/** Reads `config[section][name]` for a "section.name" key. */
export function configValue(config: VexfsConfig, key: string): ConfigValue | undefined {
  const [section, name] = key.split('.') as [string, string | undefined];
  const table = (config as unknown as Record<string, Record<string, ConfigValue> | undefined>)[section];
  return name === undefined || table === undefined ? undefined : table[name];
}
