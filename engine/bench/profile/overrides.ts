import { parse as parseToml } from 'smol-toml';
import { VexError } from '../../errors.js';

/** One change to a profile before validation: from `--sweep key=v`, `--trials N` or a rerun. */
export interface Override {
  /** Dotted key; arrays of tables are addressed by their `name` (e.g. `workloads.mixed.timing`). */
  key: string;
  value: unknown;
  /** The flag that asked for it, quoted in errors. */
  flag: string;
}

export interface Sweep {
  key: string;
  values: unknown[];
}

/** A value as written on the command line: a TOML value where it parses as one, else a string. */
export function parseValue(text: string): unknown {
  try {
    return (parseToml(`v = ${text}`) as { v: unknown }).v;
  } catch {
    return text;
  }
}

const KEY_PATTERN = /^[A-Za-z0-9_-]+(\.[A-Za-z0-9_-]+)*$/;

/** Parses `key=v1,v2,...`; values split on commas. */
export function parseSweep(spec: string): Sweep {
  const at = spec.indexOf('=');
  const key = at > 0 ? spec.slice(0, at).trim() : '';
  const list = at > 0 ? spec.slice(at + 1) : '';
  if (!KEY_PATTERN.test(key) || list.trim() === '') {
    throw new VexError(
      'E_USAGE',
      `--sweep '${spec}' is malformed; write --sweep key=v1,v2 (e.g. --sweep load.concurrency=1,4).`,
    );
  }
  const values = list.split(',').map((v) => v.trim());
  if (values.some((v) => v === '')) {
    throw new VexError('E_USAGE', `--sweep '${spec}' has an empty value; separate values with single commas.`);
  }
  if (new Set(values).size !== values.length) {
    throw new VexError('E_USAGE', `--sweep '${spec}' repeats a value; each swept value must be different.`);
  }
  return { key, values: values.map(parseValue) };
}

/** Every combination of the sweeps' values (one point, with no overrides, when there is no sweep). */
export function sweepPoints(sweeps: readonly Sweep[]): Override[][] {
  let points: Override[][] = [[]];
  for (const sweep of sweeps) {
    const next: Override[][] = [];
    for (const point of points) {
      for (const value of sweep.values) {
        next.push([...point, { key: sweep.key, value, flag: `--sweep ${sweep.key}=${String(value)}` }]);
      }
    }
    points = next;
  }
  return points;
}

function isTable(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Sets a dotted key in a parsed (not yet validated) profile, creating tables on the way. */
export function applyOverride(data: Record<string, unknown>, override: Override): void {
  const parts = override.key.split('.');
  let node: unknown = data;
  for (let i = 0; i < parts.length - 1; i++) {
    const part = parts[i] as string;
    if (Array.isArray(node)) {
      const found = node.find((item) => isTable(item) && item.name === part) ?? node[Number(part)];
      if (!isTable(found)) {
        throw new VexError(
          'E_USAGE',
          `${override.flag}: there is no entry named '${part}' in '${parts.slice(0, i).join('.')}'.`,
        );
      }
      node = found;
      continue;
    }
    if (!isTable(node))
      throw new VexError('E_USAGE', `${override.flag}: '${parts.slice(0, i).join('.')}' is not a table.`);
    if (node[part] === undefined) node[part] = {};
    node = node[part];
  }
  const last = parts[parts.length - 1] as string;
  if (!isTable(node)) {
    throw new VexError('E_USAGE', `${override.flag}: '${parts.slice(0, -1).join('.')}' is not a table.`);
  }
  node[last] = override.value;
}

/** Labels a sweep point carries into its metrics: `{ 'load.concurrency': '4' }`. */
export function sweepLabels(point: readonly Override[]): Record<string, string> {
  return Object.fromEntries(point.map((o) => [o.key, String(o.value)]));
}
