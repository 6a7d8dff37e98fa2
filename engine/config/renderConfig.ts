import { configValue, listConfigFields } from './describe.js';
import { LAYER_LABELS } from './loadConfig.js';
import type { ValueOrigin } from './loadConfig.js';
import { SECTION_NAMES } from './schema.js';
import type { ConfigValue, VexfsConfig } from './schema.js';
import { formatSize } from './sizes.js';

/** A value as TOML source: sizes as integer bytes, strings quoted. */
export function tomlLiteral(value: ConfigValue): string {
  return typeof value === 'string' ? JSON.stringify(value) : String(value);
}

/** "default" or "/path/vexfs.toml:3:1 (store)" */
export function describeOrigin(origin: ValueOrigin | undefined): string {
  if (!origin || origin.kind === 'default') return 'default';
  return `${origin.path}:${origin.line}:${origin.column} (${LAYER_LABELS[origin.layer]})`;
}

/**
 * The effective config as TOML that reads back to the same values: every key, sizes in bytes with
 * the human size in a comment, and with `origins` where each value came from.
 */
export function renderConfigToml(config: VexfsConfig, origins?: Readonly<Record<string, ValueOrigin>>): string {
  const fields = listConfigFields();
  const width = Math.max(
    ...fields.map((field) => `${field.name} = ${tomlLiteral(configValue(config, field.key) ?? '')}`.length),
  );
  const lines: string[] = ['# Effective VexFS configuration; sizes are in bytes.'];
  for (const section of SECTION_NAMES) {
    lines.push('', `[${section}]`);
    for (const field of fields.filter((candidate) => candidate.section === section)) {
      const value = configValue(config, field.key) ?? '';
      const assignment = `${field.name} = ${tomlLiteral(value)}`;
      const notes: string[] = [];
      if (field.meta.kind === 'size' && typeof value === 'number') notes.push(formatSize(value));
      if (origins) notes.push(describeOrigin(origins[field.key]));
      lines.push(notes.length === 0 ? assignment : `${assignment.padEnd(width)}  # ${notes.join('; ')}`);
    }
  }
  return `${lines.join('\n')}\n`;
}
