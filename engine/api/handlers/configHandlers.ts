import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../../bench/results/atomicWrite.js';
import {
  adviseConfig,
  checkConfigText,
  configFromValues,
  configValue,
  describeConfigFields,
  diffConfigs,
  findConfigField,
  listConfigFields,
  loadConfig,
  parseConfigText,
  STORE_CONFIG_FILE,
  type ConfigDiagnostic,
  type ConfigFileCheck,
  type DiffSide,
} from '../../config/index.js';
import type { Handlers } from '../EngineHost.js';
import type { OpenStores } from '../OpenStores.js';

type ConfigHandlerNames = Extract<keyof Handlers, `config/${string}`>;

function plainDiagnostic(diagnostic: ConfigDiagnostic) {
  const { severity, kind, line, column, key, message } = diagnostic;
  return { severity, kind, line, column, key, message, suggestion: diagnostic.suggestion ?? null };
}

function side(check: ConfigFileCheck): DiffSide {
  return { config: configFromValues(check.values), isSet: (key) => check.values.has(key) };
}

function storeFile(stores: OpenStores, storeId: string): { path: string; text: string; exists: boolean } {
  const path = join(stores.get(storeId).store.dir, STORE_CONFIG_FILE);
  const exists = existsSync(path);
  return { path, exists, text: exists ? readFileSync(path, 'utf8') : '' };
}

/** The saved file against new text; the new text must be valid (E_CONFIG with line and column otherwise). */
function changesAgainstSaved(stores: OpenStores, storeId: string, text: string) {
  const saved = storeFile(stores, storeId);
  const before = checkConfigText(saved.text, saved.path, { combinations: false });
  const after = parseConfigText(text, saved.path);
  return { path: saved.path, changes: diffConfigs(side(before), side(after)) };
}

/** The config editor's requests: the store's own vexfs.toml, checked by the engine's one schema. */
export function configHandlers(stores: OpenStores): Pick<Handlers, ConfigHandlerNames> {
  return {
    'config/fields': () => ({ fields: describeConfigFields() }),
    'config/validate': ({ text }) => {
      const check = checkConfigText(text, STORE_CONFIG_FILE);
      return {
        valid: check.diagnostics.every((d) => d.severity !== 'error'),
        diagnostics: check.diagnostics.map(plainDiagnostic),
        values: Object.fromEntries(check.values),
      };
    },
    'config/read': ({ storeId }) => storeFile(stores, storeId),
    'config/effective': ({ storeId }) => {
      const loaded = loadConfig({ env: process.env, storeDir: stores.get(storeId).store.dir });
      const values: Record<string, string | number | boolean> = {};
      const origins: Record<
        string,
        {
          kind: 'default' | 'file';
          layer: string | null;
          path: string | null;
          line: number | null;
          column: number | null;
        }
      > = {};
      for (const { key } of listConfigFields()) {
        const value = configValue(loaded.config, key);
        if (value !== undefined) values[key] = value;
        const origin = loaded.origins[key];
        origins[key] =
          origin?.kind === 'file'
            ? { kind: 'file', layer: origin.layer, path: origin.path, line: origin.line, column: origin.column }
            : { kind: 'default', layer: null, path: null, line: null, column: null };
      }
      return {
        values,
        origins,
        warnings: loaded.warnings.map(plainDiagnostic),
        sources: loaded.sources.map(({ layer, path, found }) => ({ layer, path, found })),
      };
    },
    'config/diff': ({ storeId, text }) => ({ changes: changesAgainstSaved(stores, storeId, text).changes }),
    'config/advise': ({ text }) => {
      const check = parseConfigText(text, STORE_CONFIG_FILE);
      const advisories = adviseConfig(configFromValues(check.values), { isSet: (key) => check.values.has(key) });
      return {
        advisories: advisories.map(({ severity, key, message, reason }) => ({ severity, key, message, reason })),
      };
    },
    'config/save': ({ storeId, text }) => {
      const { path, changes } = changesAgainstSaved(stores, storeId, text);
      writeFileAtomic(path, text);
      return { path, changes };
    },
    'config/apply': ({ storeId, text }) => {
      const { path, changes } = changesAgainstSaved(stores, storeId, text);
      writeFileAtomic(path, text);
      // Live keys are read at each use (the next operation or run sees them); restart keys are read when the store opens.
      const marked = changes.map((change) => {
        const apply = findConfigField(change.key)?.meta.apply ?? 'restart';
        return { ...change, apply, inEffect: apply === 'live' };
      });
      return { path, changes: marked, restartNeeded: marked.some((c) => c.apply === 'restart' && !c.sameValue) };
    },
  };
}
