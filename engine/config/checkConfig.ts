import { totalmem } from 'node:os';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { VexError } from '../errors.js';
import { combinationProblems } from './combinations.js';
import { findConfigField, listConfigFields } from './describe.js';
import { expectation } from './fields.js';
import { locateKeys } from './locateKeys.js';
import type { KeyLocations, Position } from './locateKeys.js';
import { ConfigSchema, SECTION_NAMES } from './schema.js';
import type { ConfigValue, VexfsConfig } from './schema.js';
import { parseSize, typeName } from './sizes.js';
import { closestMatch } from './suggest.js';

export type DiagnosticKind = 'syntax' | 'unknown-key' | 'type' | 'range' | 'format' | 'combination' | 'inert';

export interface ConfigDiagnostic {
  readonly severity: 'error' | 'warning';
  readonly kind: DiagnosticKind;
  /** The file path (or name) the text came from. */
  readonly source: string;
  readonly line: number;
  readonly column: number;
  /** "performance.cache_size"; null for syntax errors. */
  readonly key: string | null;
  readonly message: string;
  /** For unknown keys: the known key it most likely meant. */
  readonly suggestion?: string;
}

export interface ConfigFileCheck {
  readonly source: string;
  /** The keys this file sets that passed validation, with parsed values (sizes in bytes). */
  readonly values: ReadonlyMap<string, ConfigValue>;
  readonly locations: KeyLocations;
  readonly diagnostics: readonly ConfigDiagnostic[];
}

export interface CheckOptions {
  /** Physical memory the budgets are checked against; defaults to os.totalmem(). */
  readonly totalMemoryBytes?: number;
  /** Cross-key checks against defaults for unset keys; loadConfig turns them off and checks the merged config. */
  readonly combinations?: boolean;
}

/** Checks one config file's text and reports every problem; never throws. */
export function checkConfigText(text: string, source: string, options: CheckOptions = {}): ConfigFileCheck {
  const diagnostics: ConfigDiagnostic[] = [];
  const values = new Map<string, ConfigValue>();
  let document: Record<string, unknown>;
  try {
    document = parseToml(text);
  } catch (error) {
    diagnostics.push(syntaxDiagnostic(error, source));
    return { source, values, locations: new Map(), diagnostics };
  }
  const locations = locateKeys(text);
  const where = (path: readonly PropertyKey[], preferValue: boolean): Position => {
    for (let length = path.length; length > 0; length -= 1) {
      const location = locations.get(path.slice(0, length).map(String).join('.'));
      if (!location) continue;
      const chosen = (preferValue && length === path.length && location.value) || location;
      return { line: chosen.line, column: chosen.column };
    }
    return { line: 1, column: 1 };
  };
  const add = (diagnostic: Omit<ConfigDiagnostic, 'source'>): void => void diagnostics.push({ source, ...diagnostic });

  const result = ConfigSchema.safeParse(document);
  const failed = new Set<string>();
  for (const issue of result.success ? [] : result.error.issues) {
    if (issue.code === 'unrecognized_keys') {
      for (const name of issue.keys) {
        const path = [...issue.path.map(String), name];
        add({
          severity: 'error',
          kind: 'unknown-key',
          key: path.join('.'),
          ...where(path, false),
          ...unknownKey(path),
        });
      }
      continue;
    }
    const key = issue.path.map(String).join('.');
    failed.add(key);
    add({
      severity: 'error',
      key,
      ...where(issue.path, true),
      ...describeIssue(issue, key, valueAt(document, issue.path)),
    });
  }

  for (const field of listConfigFields()) {
    const raw = valueAt(document, [field.section, field.name]);
    if (raw === undefined || failed.has(field.key) || failed.has(field.section)) continue;
    const parsed = field.schema.safeParse(raw);
    if (parsed.success) values.set(field.key, parsed.data as ConfigValue);
    if (field.meta.status === 'inert') {
      add({
        severity: 'warning',
        kind: 'inert',
        key: field.key,
        ...where([field.section, field.name], false),
        message: `${field.key} does nothing in this engine (accepted for the seed's configs). ${field.meta.effect.split('. ')[0] ?? ''}.`,
      });
    }
  }

  if (options.combinations !== false && diagnostics.every((diagnostic) => diagnostic.severity !== 'error')) {
    const config = configFromValues(values);
    const totalMemoryBytes = options.totalMemoryBytes ?? totalmem();
    for (const problem of combinationProblems(config, (key) => values.has(key), totalMemoryBytes)) {
      const key = problem.keys.find((candidate) => values.has(candidate)) ?? problem.keys[0] ?? null;
      const position = key === null ? { line: 1, column: 1 } : where(key.split('.'), true);
      add({ severity: problem.severity, kind: problem.kind, key, ...position, message: problem.message });
    }
  }
  diagnostics.sort((a, b) => a.line - b.line || a.column - b.column);
  return { source, values, locations, diagnostics };
}

/** The effective config of one file on its own: its values over the defaults. */
export function configFromValues(values: ReadonlyMap<string, ConfigValue>): VexfsConfig {
  const nested: Record<string, Record<string, ConfigValue>> = {};
  for (const [key, value] of values) {
    const [section = '', name = ''] = key.split('.');
    (nested[section] ??= {})[name] = value;
  }
  return ConfigSchema.parse(nested);
}

/** Parses one config file's text; throws E_CONFIG (with every diagnostic in `details`) when it has an error. */
export function parseConfigText(text: string, sourceName: string, options: CheckOptions = {}): ConfigFileCheck {
  const check = checkConfigText(text, sourceName, options);
  const errors = check.diagnostics.filter((diagnostic) => diagnostic.severity === 'error');
  const first = errors[0];
  if (first) {
    const more =
      errors.length > 1
        ? ` (and ${errors.length - 1} more; 'vexctl config validate ${sourceName}' lists them all)`
        : '';
    throw new VexError('E_CONFIG', `${formatDiagnostic(first)}${more}`, {
      source: sourceName,
      line: first.line,
      column: first.column,
      key: first.key,
      diagnostics: errors,
    });
  }
  return check;
}

/** "FILE:LINE:COLUMN: KEY: message" */
export function formatDiagnostic(diagnostic: ConfigDiagnostic): string {
  const key = diagnostic.key === null || diagnostic.message.startsWith(diagnostic.key) ? '' : `${diagnostic.key}: `;
  return `${diagnostic.source}:${diagnostic.line}:${diagnostic.column}: ${key}${diagnostic.message}`;
}

function syntaxDiagnostic(error: unknown, source: string): ConfigDiagnostic {
  if (error instanceof TomlError) {
    const headline = (error.message.split('\n')[0] ?? '').replace(/^Invalid TOML document: /, '');
    return {
      source,
      severity: 'error',
      kind: 'syntax',
      key: null,
      line: Math.max(1, error.line || 1),
      column: Math.max(1, error.column || 1),
      message: `TOML syntax error: ${headline}`,
    };
  }
  const message = error instanceof Error ? error.message : String(error);
  return { source, severity: 'error', kind: 'syntax', key: null, line: 1, column: 1, message: `not TOML: ${message}` };
}

function unknownKey(path: readonly string[]): { message: string; suggestion?: string } {
  const fields = listConfigFields();
  const name = path[path.length - 1] ?? '';
  let suggestion: string | undefined;
  if (path.length === 1) {
    const elsewhere = fields.find((field) => field.name === name);
    const section = closestMatch(name, SECTION_NAMES);
    suggestion = elsewhere ? elsewhere.key : section;
    if (elsewhere) {
      return {
        message: `unknown top-level key "${name}": it belongs in the [${elsewhere.section}] section`,
        suggestion,
      };
    }
    return section
      ? { message: `unknown section "${name}"; did you mean [${section}]?`, suggestion }
      : { message: `unknown section "${name}"; the sections are ${SECTION_NAMES.map((s) => `[${s}]`).join(' ')}` };
  }
  const section = path.slice(0, -1).join('.');
  if (path.length === 2 && (SECTION_NAMES as readonly string[]).includes(name)) {
    return { message: `unknown key "${name}" in [${section}]; [${name}] is a section of its own`, suggestion: name };
  }
  const sameSection = fields.filter((field) => field.section === section);
  const near = closestMatch(
    name,
    sameSection.map((field) => field.name),
  );
  const moved = fields.find((field) => field.name === name && field.section !== section);
  suggestion = near !== undefined ? `${section}.${near}` : moved?.key;
  if (near !== undefined)
    return { message: `unknown key "${name}" in [${section}]; did you mean "${near}"?`, suggestion };
  if (moved) return { message: `unknown key "${name}" in [${section}]; did you mean "${moved.key}"?`, suggestion };
  const known = sameSection.map((field) => field.name).join(', ');
  return { message: `unknown key "${name}" in [${section}]; the keys of [${section}] are ${known}` };
}

function describeIssue(issue: z.core.$ZodIssue, key: string, raw: unknown): { kind: DiagnosticKind; message: string } {
  const field = findConfigField(key);
  if (!field) {
    const what = issue.path.length === 1 ? `a table ([${key}])` : 'a valid value';
    return { kind: 'type', message: `${key} must be ${what}, got ${typeName(raw)}` };
  }
  const expected = `${key} must be ${expectation(field.meta)}, got ${typeName(raw)}`;
  switch (issue.code) {
    case 'invalid_value':
      return { kind: typeof raw === 'string' ? 'range' : 'type', message: expected };
    case 'too_big':
    case 'too_small':
      return { kind: 'range', message: withBytes(expected, field.meta.kind === 'size', raw) };
    case 'custom': {
      const kind = (issue.params as { kind?: DiagnosticKind } | undefined)?.kind ?? 'format';
      return { kind, message: `${key}: ${issue.message}` };
    }
    default:
      return { kind: 'type', message: expected };
  }
}

function withBytes(message: string, isSize: boolean, raw: unknown): string {
  if (!isSize || typeof raw !== 'string') return message;
  const parsed = parseSize(raw);
  return parsed.ok ? `${message} (${parsed.bytes} bytes)` : message;
}

function valueAt(document: unknown, path: readonly PropertyKey[]): unknown {
  let current: unknown = document;
  for (const part of path) {
    if (typeof current !== 'object' || current === null || Array.isArray(current)) return undefined;
    if (!Object.prototype.hasOwnProperty.call(current, part)) return undefined;
    current = (current as Record<PropertyKey, unknown>)[part];
  }
  return current;
}
