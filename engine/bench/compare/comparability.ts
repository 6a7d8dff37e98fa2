import { VexError } from '../../errors.js';
import type { BenchResult } from '../result.js';

/**
 * Two runs are comparable when they ran the same profile with the same parameters on the
 * same dataset on the same machine (and, checked by compareResults, each shared metric keeps
 * its unit and direction). Anything else is listed, field by field; the config
 * is expected to differ (that is what a comparison is usually about) and is diffed instead.
 */
export interface Difference {
  field: string;
  baseline: string;
  current: string;
}

export interface Comparability {
  comparable: boolean;
  differences: Difference[];
}

/** Flattens nested objects to dotted keys; arrays and scalars are leaves (JSON-encoded). */
export function flatten(value: unknown, prefix = '', out: Map<string, string> = new Map()): Map<string, string> {
  if (value !== null && typeof value === 'object' && !Array.isArray(value)) {
    const entries = Object.entries(value as Record<string, unknown>);
    if (entries.length === 0 && prefix) out.set(prefix, '{}');
    for (const [k, v] of entries) flatten(v, prefix ? `${prefix}.${k}` : k, out);
  } else if (prefix) {
    out.set(prefix, value === undefined ? 'undefined' : JSON.stringify(value));
  }
  return out;
}

/** Keys whose values differ between two (nested) objects; `(absent)` marks a missing key. */
export function diffObjects(baseline: unknown, current: unknown, prefix: string): Difference[] {
  const a = flatten(baseline);
  const b = flatten(current);
  const keys = [...new Set([...a.keys(), ...b.keys()])].sort();
  return keys
    .filter((k) => a.get(k) !== b.get(k))
    .map((k) => ({
      field: prefix ? `${prefix}.${k}` : k,
      baseline: a.get(k) ?? '(absent)',
      current: b.get(k) ?? '(absent)',
    }));
}

const MACHINE_FIELDS = [
  'cpu_model',
  'cores',
  'memory_bytes',
  'os',
  'kernel',
  'node_version',
  'electron_version',
  'kernel_backend',
] as const;

/** CPU flags differ by a few names out of a hundred: list only those. */
function flagDifference(baseline: readonly string[], current: readonly string[]): Difference | null {
  const removed = baseline.filter((f) => !current.includes(f));
  const added = current.filter((f) => !baseline.includes(f));
  if (removed.length === 0 && added.length === 0) return null;
  return {
    field: 'environment.cpu_flags',
    baseline: removed.length ? `has ${removed.join(' ')}` : '(fewer flags)',
    current: added.length ? `has ${added.join(' ')}` : '(fewer flags)',
  };
}

export function checkComparability(baseline: BenchResult, current: BenchResult): Comparability {
  const differences: Difference[] = [];
  const add = (field: string, a: unknown, b: unknown): void => {
    if (JSON.stringify(a) !== JSON.stringify(b)) differences.push({ field, baseline: String(a), current: String(b) });
  };
  add('profile.name', baseline.profile.name, current.profile.name);
  add('profile.quick', baseline.profile.quick, current.profile.quick);
  differences.push(...diffObjects(baseline.profile.params, current.profile.params, 'profile.params'));
  add('environment.dataset_checksum', baseline.environment.dataset_checksum, current.environment.dataset_checksum);
  if (baseline.environment.machine_fingerprint !== current.environment.machine_fingerprint) {
    add(
      'environment.machine_fingerprint',
      baseline.environment.machine_fingerprint,
      current.environment.machine_fingerprint,
    );
    // Say which visible part of the machine differs, where one does.
    const before = differences.length;
    for (const field of MACHINE_FIELDS)
      add(`environment.${field}`, baseline.environment[field], current.environment[field]);
    const flags = flagDifference(baseline.environment.cpu_flags, current.environment.cpu_flags);
    if (flags) differences.push(flags);
    if (differences.length === before) {
      differences.push({
        field: 'environment (fingerprinted fields)',
        baseline: 'no recorded machine field differs',
        current: 'the fingerprint covers something this version does not show',
      });
    }
  }
  return { comparable: differences.length === 0, differences };
}

/** Cancelled and failed runs are never compared: their figures cover part of a run. */
export function requireComplete(result: BenchResult, role: string): void {
  if (result.status !== 'complete') {
    throw new VexError(
      'E_RESULT',
      `The ${role} run ${result.id} is ${result.status}; only complete runs can be compared. Re-run the profile to completion.`,
    );
  }
}

export function describeDifferences(differences: readonly Difference[]): string {
  return differences.map((d) => `${d.field}: ${d.baseline} → ${d.current}`).join('; ');
}

/** The config diff between the two runs' effective configurations. */
export function configDiff(baseline: BenchResult, current: BenchResult): Difference[] {
  return diffObjects(baseline.environment.config, current.environment.config, '');
}
