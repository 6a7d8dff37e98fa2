import type { z } from 'zod';
import { profileSchema, type Profile } from '../../bench/profile/schema.js';
import type { WorkloadDescriptor } from '../../bench/workloads/types.js';

export interface ProfileParameter {
  key: string;
  kind: 'integer' | 'number' | 'boolean' | 'enum' | 'string';
  value: string | number | boolean | null;
  min: number | null;
  max: number | null;
  choices: string[] | null;
  sweepable: boolean;
}

interface Def {
  type: string;
  innerType?: z.ZodType;
  shape?: Record<string, z.ZodType>;
  options?: z.ZodType[];
  entries?: Record<string, string>;
  in?: z.ZodType;
}

const defOf = (schema: z.ZodType): Def => (schema as unknown as { _zod: { def: Def } })._zod.def;

/** Strips defaults, optionals and nullables down to the schema that checks the value itself. */
function unwrap(schema: z.ZodType): z.ZodType {
  let current = schema;
  for (let depth = 0; depth < 8; depth++) {
    const def = defOf(current);
    if ((def.type === 'default' || def.type === 'optional' || def.type === 'nullable') && def.innerType) {
      current = def.innerType;
    } else if (def.type === 'pipe' && def.in) current = def.in;
    else break;
  }
  return current;
}

function shapeOf(schema: z.ZodType | undefined): Record<string, z.ZodType> {
  if (schema === undefined) return {};
  return defOf(unwrap(schema)).shape ?? {};
}

/** One form field from a leaf schema, or null for what the form does not edit (tables, arrays). */
function describeLeaf(key: string, schema: z.ZodType, value: unknown): ProfileParameter | null {
  const leaf = unwrap(schema);
  const def = defOf(leaf);
  const plain = typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean' ? value : null;
  const base = { key, value: plain, min: null, max: null, choices: null };
  switch (def.type) {
    case 'number': {
      const number = leaf as unknown as { minValue: number | null; maxValue: number | null; isInt: boolean };
      const finite = (n: number | null): number | null => (n !== null && Number.isFinite(n) ? n : null);
      return {
        ...base,
        kind: number.isInt ? 'integer' : 'number',
        min: finite(number.minValue),
        max: finite(number.maxValue),
        sweepable: true,
      };
    }
    case 'boolean':
      return { ...base, kind: 'boolean', sweepable: true };
    case 'enum':
      return { ...base, kind: 'enum', choices: Object.values(def.entries ?? {}), sweepable: true };
    case 'string':
      return { ...base, kind: 'string', sweepable: false };
    default:
      return null;
  }
}

/**
 * The parameters the run form offers for one profile, each described by the schema that
 * validates it (the profile schema's own keys, then the workload's [params] and [store]
 * schemas), with the profile's current value. Numbers, booleans and enums can be swept.
 */
export function describeProfileParameters(
  profile: Profile,
  workload: WorkloadDescriptor | undefined,
): ProfileParameter[] {
  const shape = shapeOf(profileSchema);
  const out: ProfileParameter[] = [];
  const add = (key: string, schema: z.ZodType | undefined, value: unknown): void => {
    if (schema === undefined) return;
    const described = describeLeaf(key, schema, value);
    if (described) out.push(described);
  };
  add('trials', shape.trials, profile.trials);
  add('start', shape.start, profile.start);
  const dataset = shapeOf(shape.dataset);
  add('dataset.size', dataset.size, profile.dataset.size);
  add('dataset.seed', dataset.seed, profile.dataset.seed);
  if (profile.dataset.dim > 0) add('dataset.dim', dataset.dim, profile.dataset.dim);
  for (const phase of ['warmup', 'measure'] as const) {
    const span = shapeOf(shape[phase]);
    const value = profile[phase];
    if (value.duration_ms !== undefined) add(`${phase}.duration_ms`, span.duration_ms, value.duration_ms);
    if (value.ops !== undefined) add(`${phase}.ops`, span.ops, value.ops);
  }
  // The load table is a union on `model`: describe the option the profile uses.
  const loadOptions = defOf(unwrap(shape.load as z.ZodType)).options ?? [];
  const loadShape = shapeOf(
    loadOptions.find((option) => {
      const model = shapeOf(option).model;
      return (
        model !== undefined &&
        Object.values(defOf(model) as unknown as { values?: unknown[] })
          .flat()
          .includes(profile.load.model)
      );
    }),
  );
  for (const [name, schema] of Object.entries(loadShape)) {
    if (name !== 'model') add(`load.${name}`, schema, (profile.load as Record<string, unknown>)[name]);
  }
  for (const [name, schema] of Object.entries(shapeOf(workload?.paramsSchema))) {
    add(`params.${name}`, schema, profile.params[name]);
  }
  for (const [name, schema] of Object.entries(shapeOf(workload?.storeSchema))) {
    add(`store.${name}`, schema, profile.store[name]);
  }
  return out;
}
