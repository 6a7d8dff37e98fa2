import { configValue, listConfigFields } from './describe.js';
import type { ConfigValue, VexfsConfig } from './schema.js';

/**
 * A key-level difference between two configs. Values are effective (after defaults), so a key
 * set in one file only and equal to the other's default is reported as added/removed with
 * `sameValue: true`: it changes nothing today but would pin the value if the default moved.
 */
export interface ConfigChange {
  readonly key: string;
  readonly kind: 'added' | 'removed' | 'changed';
  readonly before: ConfigValue;
  readonly after: ConfigValue;
  readonly sameValue: boolean;
}

export interface DiffSide {
  readonly config: VexfsConfig;
  /** Keys the file sets explicitly. */
  readonly isSet: (key: string) => boolean;
}

export function diffConfigs(before: DiffSide, after: DiffSide): ConfigChange[] {
  const changes: ConfigChange[] = [];
  for (const { key } of listConfigFields()) {
    const from = configValue(before.config, key);
    const to = configValue(after.config, key);
    if (from === undefined || to === undefined) continue;
    const inBefore = before.isSet(key);
    const inAfter = after.isSet(key);
    const sameValue = from === to;
    if (inAfter && !inBefore) changes.push({ key, kind: 'added', before: from, after: to, sameValue });
    else if (inBefore && !inAfter) changes.push({ key, kind: 'removed', before: from, after: to, sameValue });
    else if (!sameValue) changes.push({ key, kind: 'changed', before: from, after: to, sameValue });
  }
  return changes;
}
