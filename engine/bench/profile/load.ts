import { readFileSync, readdirSync, existsSync, statSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse as parseToml, TomlError } from 'smol-toml';
import type { z } from 'zod';
import { VexError } from '../../errors.js';
import { findWorkload } from '../workloads/registry.js';
import { locatePath } from './locate.js';
import { applyOverride, type Override } from './overrides.js';
import { profileSchema, type Profile } from './schema.js';

/** A validated profile with the text it came from (kept in results so a run can be repeated exactly). */
export interface LoadedProfile {
  profile: Profile;
  text: string;
  /** The file it was read from, or a label such as `<result abc>` for a profile embedded in a result. */
  origin: string;
}

export interface ProfileIssue {
  line: number;
  column: number;
  path: string;
  message: string;
}

function fail(origin: string, issues: ProfileIssue[]): never {
  const lines = issues.map((i) => `  ${origin}:${i.line}:${i.column}: ${i.path ? `${i.path}: ` : ''}${i.message}`);
  throw new VexError('E_PROFILE', `The profile ${origin} is invalid; fix it and run again:\n${lines.join('\n')}`, {
    origin,
    issues,
  });
}

function pathText(path: readonly PropertyKey[]): string {
  return path
    .map((p) => (typeof p === 'number' ? `[${p}]` : String(p)))
    .join('.')
    .replace(/\.\[/g, '[');
}

/** Parses TOML and reports a syntax error at smol-toml's line and column. */
export function parseProfileToml(text: string, origin: string): Record<string, unknown> {
  try {
    return parseToml(text) as Record<string, unknown>;
  } catch (error) {
    if (error instanceof TomlError) {
      const message = error.message.split('\n')[0]?.replace(/^Invalid TOML document: /, '') ?? 'invalid TOML';
      fail(origin, [{ line: error.line, column: error.column, path: '', message: `TOML syntax: ${message}` }]);
    }
    throw error;
  }
}

/**
 * Validates a parsed profile: the schema, then the workload module's ops, subjects and params.
 * `overrides` (from --sweep, --trials) are applied first; an error on an overridden key names the flag.
 */
export function validateProfile(
  raw: Record<string, unknown>,
  text: string,
  origin: string,
  overrides: readonly Override[] = [],
): Profile {
  const data = structuredClone(raw);
  for (const override of overrides) applyOverride(data, override);
  const where = (path: readonly PropertyKey[], message: string): ProfileIssue => {
    const dotted = pathText(path);
    // The override of this key, of a table around it, of a key inside it, or of a key beside it.
    const parent = (key: string): string => key.slice(0, Math.max(0, key.lastIndexOf('.')));
    const flag = overrides.find(
      (o) =>
        dotted === o.key ||
        dotted.startsWith(`${o.key}.`) ||
        (dotted !== '' && o.key.startsWith(`${dotted}.`)) ||
        (parent(dotted) !== '' && parent(dotted) === parent(o.key)),
    );
    const position = locatePath(text, path as (string | number)[]);
    return { ...position, path: dotted, message: flag ? `${message} (set by ${flag.flag})` : message };
  };
  // An unknown key is reported at the key itself rather than at its table.
  const located = (issue: z.core.$ZodIssue): ProfileIssue[] =>
    issue.code === 'unrecognized_keys'
      ? issue.keys.map((key) => where([...issue.path, key], `unknown key '${key}'`))
      : [where(issue.path, issue.message)];
  const parsed = profileSchema.safeParse(data);
  if (!parsed.success) fail(origin, parsed.error.issues.flatMap(located));
  const profile = parsed.data;
  const issues: ProfileIssue[] = [];
  const descriptor = findWorkload(profile.module);
  if (!descriptor) {
    issues.push(where(['module'], `no workload module '${profile.module}'`));
    fail(origin, issues);
  }
  (profile.subjects ?? []).forEach((subject, index) => {
    if (!descriptor.subjects.includes(subject)) {
      issues.push(
        where(
          ['subjects', index],
          `'${subject}' is not a subject of ${descriptor.name} (${descriptor.subjects.join(', ')})`,
        ),
      );
    }
  });
  profile.workloads.forEach((workload, index) => {
    for (const op of Object.keys(workload.mix)) {
      if (!descriptor.ops.includes(op)) {
        issues.push(
          where(
            ['workloads', index, 'mix', op],
            `'${op}' is not an op of ${descriptor.name} (${descriptor.ops.join(', ')})`,
          ),
        );
      }
    }
    if (workload.timing === 'batched' && (profile.load.model !== 'closed' || profile.load.concurrency !== 1)) {
      issues.push(where(['workloads', index, 'timing'], 'batched timing needs a closed load with concurrency 1'));
    }
  });
  const params = descriptor.paramsSchema.safeParse(profile.params);
  if (!params.success)
    issues.push(...params.error.issues.flatMap((i) => located({ ...i, path: ['params', ...i.path] })));
  else profile.params = params.data;
  if (descriptor.storeSchema) {
    const store = descriptor.storeSchema.safeParse(profile.store);
    if (!store.success)
      issues.push(...store.error.issues.flatMap((i) => located({ ...i, path: ['store', ...i.path] })));
    else profile.store = store.data;
  } else if (Object.keys(profile.store).length > 0) {
    issues.push(where(['store'], `${descriptor.name} uses no store, so [store] must be empty`));
  }
  if (issues.length > 0) fail(origin, issues);
  return profile;
}

export function parseProfile(text: string, origin: string, overrides: readonly Override[] = []): LoadedProfile {
  const raw = parseProfileToml(text, origin);
  return { profile: validateProfile(raw, text, origin, overrides), text, origin };
}

/** The `bench-profiles/` directory: $VEXFS_PROFILES_DIR, else the first one found above this module. */
export function defaultProfilesDir(env: Readonly<Record<string, string | undefined>> = process.env): string {
  if (env.VEXFS_PROFILES_DIR) return resolve(env.VEXFS_PROFILES_DIR);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const candidate = join(dir, 'bench-profiles');
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    const parent = dirname(dir);
    if (parent === dir)
      throw new VexError('E_PROFILE', 'No bench-profiles directory was found; set VEXFS_PROFILES_DIR.');
    dir = parent;
  }
}

/** Reads a profile by name (from the profiles directory) or by path (anything ending in .toml or holding a slash). */
export function loadProfile(
  nameOrPath: string,
  profilesDir: string,
  overrides: readonly Override[] = [],
): LoadedProfile {
  const byPath = nameOrPath.endsWith('.toml') || nameOrPath.includes('/');
  const file = byPath ? resolve(nameOrPath) : join(profilesDir, `${nameOrPath}.toml`);
  if (!byPath && !/^[a-z0-9_-]+$/.test(nameOrPath)) {
    throw new VexError('E_PROFILE', `'${nameOrPath}' is not a profile name; run 'vexctl bench profiles' for the list.`);
  }
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    const hint = byPath ? '' : " Run 'vexctl bench profiles' for the list.";
    throw new VexError(
      'E_PROFILE',
      `The profile ${file} could not be read: it does not exist or is unreadable.${hint}`,
    );
  }
  const loaded = parseProfile(text, file, overrides);
  const stem = basename(file, '.toml');
  if (!byPath && loaded.profile.name !== stem) {
    fail(file, [
      { ...locatePath(text, ['name']), path: 'name', message: `the name must match the file name '${stem}'` },
    ]);
  }
  return loaded;
}

/** Every profile in the directory; an invalid one is listed with its error rather than hiding the rest. */
export function listProfiles(profilesDir: string): { name: string; description: string; error: string | null }[] {
  const files = readdirSync(profilesDir)
    .filter((f) => f.endsWith('.toml'))
    .sort();
  return files.map((file) => {
    const name = basename(file, '.toml');
    try {
      const { profile } = loadProfile(name, profilesDir);
      return { name, description: profile.description, error: null };
    } catch (error) {
      return { name, description: '', error: error instanceof Error ? error.message : String(error) };
    }
  });
}
