import type { ConfigField } from './types.js';

/** The TOML literal the form writes for a field's typed text (sizes keep their units as a string). */
export function tomlLiteralFor(field: ConfigField, text: string): string {
  const trimmed = text.trim();
  switch (field.kind) {
    case 'boolean':
      return trimmed === 'true' ? 'true' : 'false';
    case 'integer':
      return /^-?\d+$/.test(trimmed) ? trimmed : JSON.stringify(trimmed);
    case 'size':
      return /^\d+$/.test(trimmed) ? trimmed : JSON.stringify(trimmed);
    default:
      return JSON.stringify(trimmed);
  }
}

const header = /^\s*\[([A-Za-z0-9_.-]+)\]\s*(#.*)?$/;

/**
 * Sets `section.name = literal` in TOML text, keeping every other line (comments included):
 * replaces the key's line inside its table, else adds it at the end of the table, else adds
 * the table. `literal` null removes the key. Keys written inline (`section.name = ...` at
 * the top, or inline tables) are not rewritten: the raw view stays the place for those.
 */
export function setTomlKey(text: string, section: string, name: string, literal: string | null): string {
  const lines = text.split('\n');
  let start = -1;
  let end = lines.length;
  for (let i = 0; i < lines.length; i++) {
    const match = header.exec(lines[i] ?? '');
    if (!match) continue;
    if (start >= 0) {
      end = i;
      break;
    }
    if (match[1] === section) start = i;
  }
  const keyLine = new RegExp(`^\\s*${name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\s*=`);
  if (start >= 0) {
    for (let i = start + 1; i < end; i++) {
      if (keyLine.test(lines[i] ?? '')) {
        if (literal === null) lines.splice(i, 1);
        else lines[i] = `${name} = ${literal}`;
        return lines.join('\n');
      }
    }
    if (literal === null) return text;
    let insertAt = end;
    while (insertAt > start + 1 && (lines[insertAt - 1] ?? '').trim() === '') insertAt--;
    lines.splice(insertAt, 0, `${name} = ${literal}`);
    return lines.join('\n');
  }
  if (literal === null) return text;
  const body = text.replace(/\s*$/, '');
  return `${body}${body === '' ? '' : '\n\n'}[${section}]\n${name} = ${literal}\n`;
}
