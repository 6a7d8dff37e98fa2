import { readFileSync } from 'node:fs';
import { homedir, totalmem } from 'node:os';
import { isAbsolute, join, resolve } from 'node:path';
import { VexError } from '../errors.js';
import { formatDiagnostic, parseConfigText } from './checkConfig.js';
import type { ConfigDiagnostic, ConfigFileCheck } from './checkConfig.js';
import { combinationProblems } from './combinations.js';
import { listConfigFields } from './describe.js';
import { ConfigSchema } from './schema.js';
import type { ConfigValue, VexfsConfig } from './schema.js';

/**
 * Where configuration comes from, highest precedence first: `--config FILE`, `$VEXFS_CONFIG`,
 * the store's own `vexfs.toml`, the user's config directory, then the system directory
 * (`/etc/vexfs`). Each layer overrides the ones below it key by key, so per-store settings
 * override global ones and a file only needs the keys it changes.
 */
export type ConfigLayer = 'cli' | 'env' | 'store' | 'user' | 'system';

export const LAYER_LABELS: Readonly<Record<ConfigLayer, string>> = {
  cli: '--config',
  env: '$VEXFS_CONFIG',
  store: 'store',
  user: 'user',
  system: 'system',
};

export type ValueOrigin =
  | { readonly kind: 'default' }
  | {
      readonly kind: 'file';
      readonly layer: ConfigLayer;
      readonly path: string;
      readonly line: number;
      readonly column: number;
    };

export interface ConfigSourceStatus {
  readonly layer: ConfigLayer;
  readonly path: string;
  /** false when an optional (discovered) file does not exist. */
  readonly found: boolean;
}

export interface LoadedConfig {
  readonly config: VexfsConfig;
  /** Every key ("performance.cache_size") → the file and line it came from, or the default. */
  readonly origins: Readonly<Record<string, ValueOrigin>>;
  readonly warnings: readonly ConfigDiagnostic[];
  /** The files looked at, highest precedence first. */
  readonly sources: readonly ConfigSourceStatus[];
}

export interface LoadConfigOptions {
  /** The `--config FILE` argument. */
  readonly configFile?: string;
  /** Environment: VEXFS_CONFIG, XDG_CONFIG_HOME, HOME, VEXFS_SYSTEM_CONFIG_DIR. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** The store directory whose `vexfs.toml` applies. */
  readonly storeDir?: string;
  /** Resolves relative paths; defaults to process.cwd(). */
  readonly cwd?: string;
  /** Physical memory the budgets are checked against; defaults to os.totalmem(). */
  readonly totalMemoryBytes?: number;
}

/** Name of the config file in a store directory (engine/store/layout.ts CONFIG_FILE). */
export const STORE_CONFIG_FILE = 'vexfs.toml';
const GLOBAL_NAMES = ['vexfs.conf', 'vexfs.toml'] as const;
export const DEFAULT_SYSTEM_DIR = '/etc/vexfs';

interface Candidate {
  readonly layer: ConfigLayer;
  /** One path, or for discovered directories every accepted name. */
  readonly paths: readonly string[];
  readonly required: boolean;
}

/** The files `loadConfig` reads, highest precedence first; `required` files must exist. */
export function configCandidates(options: LoadConfigOptions): Candidate[] {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env;
  const candidates: Candidate[] = [];
  if (options.configFile !== undefined) {
    candidates.push({ layer: 'cli', paths: [resolve(cwd, options.configFile)], required: true });
  }
  if (env.VEXFS_CONFIG) candidates.push({ layer: 'env', paths: [resolve(cwd, env.VEXFS_CONFIG)], required: true });
  if (options.storeDir !== undefined) {
    candidates.push({
      layer: 'store',
      paths: [join(resolve(cwd, options.storeDir), STORE_CONFIG_FILE)],
      required: false,
    });
  }
  const userDir = userConfigDir(env);
  if (userDir !== undefined) {
    candidates.push({ layer: 'user', paths: GLOBAL_NAMES.map((name) => join(userDir, name)), required: false });
  }
  const systemDir = env.VEXFS_SYSTEM_CONFIG_DIR || DEFAULT_SYSTEM_DIR;
  candidates.push({ layer: 'system', paths: GLOBAL_NAMES.map((name) => join(systemDir, name)), required: false });
  return candidates;
}

/** `$XDG_CONFIG_HOME/vexfs` (when absolute, as the XDG spec requires), else `~/.config/vexfs`. */
export function userConfigDir(env: Readonly<Record<string, string | undefined>>): string | undefined {
  const xdg = env.XDG_CONFIG_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'vexfs');
  const home = env.HOME || safeHomedir();
  return home ? join(home, '.config', 'vexfs') : undefined;
}

/** Reads, validates and merges every config source; throws E_CONFIG naming the file, line and key at fault. */
export function loadConfig(options: LoadConfigOptions): LoadedConfig {
  const totalMemoryBytes = options.totalMemoryBytes ?? totalmem();
  const sources: ConfigSourceStatus[] = [];
  const layers: { layer: ConfigLayer; check: ConfigFileCheck }[] = [];
  const warnings: ConfigDiagnostic[] = [];
  const xdg = options.env.XDG_CONFIG_HOME;
  if (xdg && !isAbsolute(xdg)) {
    warnings.push({
      source: '$XDG_CONFIG_HOME',
      severity: 'warning',
      kind: 'format',
      key: null,
      line: 1,
      column: 1,
      message: `XDG_CONFIG_HOME="${xdg}" is not an absolute path, so it is ignored (as the XDG spec says); using ~/.config`,
    });
  }
  for (const candidate of configCandidates(options)) {
    const present = candidate.paths.flatMap((path) => {
      const text = readConfigFile(path, candidate);
      return text === undefined ? [] : [{ path, text }];
    });
    if (present.length > 1) {
      const paths = present.map(({ path }) => path);
      throw new VexError(
        'E_CONFIG',
        `both ${paths.join(' and ')} exist; keep one of them so it is clear which applies`,
        {
          paths,
        },
      );
    }
    const file = present[0];
    if (file === undefined) {
      sources.push({ layer: candidate.layer, path: candidate.paths[0] ?? '', found: false });
      continue;
    }
    const check = parseConfigText(file.text, file.path, { totalMemoryBytes, combinations: false });
    sources.push({ layer: candidate.layer, path: file.path, found: true });
    layers.push({ layer: candidate.layer, check });
    // Combinations are judged on the merged config below, not file by file.
    warnings.push(...check.diagnostics.filter((diagnostic) => diagnostic.severity === 'warning'));
  }
  return mergeLayers(layers, sources, warnings, totalMemoryBytes);
}

function mergeLayers(
  layers: readonly { layer: ConfigLayer; check: ConfigFileCheck }[],
  sources: ConfigSourceStatus[],
  warnings: ConfigDiagnostic[],
  totalMemoryBytes: number,
): LoadedConfig {
  const origins: Record<string, ValueOrigin> = {};
  const nested: Record<string, Record<string, ConfigValue>> = {};
  const winners = new Map<string, ConfigFileCheck>();
  for (const field of listConfigFields()) {
    origins[field.key] = { kind: 'default' };
    // Layers are highest first: the first that sets a key wins.
    const winner = layers.find(({ check }) => check.values.has(field.key));
    if (!winner) continue;
    const value = winner.check.values.get(field.key) as ConfigValue;
    (nested[field.section] ??= {})[field.name] = value;
    const location = winner.check.locations.get(field.key) ?? { line: 1, column: 1 };
    origins[field.key] = {
      kind: 'file',
      layer: winner.layer,
      path: winner.check.source,
      line: location.line,
      column: location.column,
    };
    winners.set(field.key, winner.check);
  }
  const config = ConfigSchema.parse(nested);
  const problems = combinationProblems(config, (key) => winners.has(key), totalMemoryBytes);
  const located = problems.map((problem) => {
    const key = problem.keys.find((candidate) => winners.has(candidate)) ?? problem.keys[0] ?? null;
    const origin = key === null ? undefined : origins[key];
    const from = origin?.kind === 'file' ? origin : undefined;
    const sources = problem.keys
      .map((candidate) => origins[candidate])
      .flatMap((o) => (o?.kind === 'file' ? [`${o.path}:${o.line}`] : []));
    return {
      problem,
      diagnostic: {
        source: from?.path ?? 'defaults',
        severity: problem.severity,
        kind: problem.kind,
        key,
        line: from?.line ?? 1,
        column: from?.column ?? 1,
        message: `${problem.message} (set in ${[...new Set(sources)].join(', ')})`,
      } satisfies ConfigDiagnostic,
    };
  });
  const error = located.find(({ problem }) => problem.severity === 'error');
  if (error) {
    throw new VexError('E_CONFIG', formatDiagnostic(error.diagnostic), {
      source: error.diagnostic.source,
      line: error.diagnostic.line,
      column: error.diagnostic.column,
      key: error.diagnostic.key,
      diagnostics: located.filter(({ problem }) => problem.severity === 'error').map(({ diagnostic }) => diagnostic),
    });
  }
  warnings.push(...located.map(({ diagnostic }) => diagnostic));
  return { config, origins, warnings, sources };
}

/** The file's text, or undefined when an optional file does not exist; any other failure is an E_CONFIG. */
function readConfigFile(path: string, candidate: Candidate): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' && !candidate.required) return undefined;
    const from =
      candidate.layer === 'cli' || candidate.layer === 'env' ? ` (given by ${LAYER_LABELS[candidate.layer]})` : '';
    throw new VexError('E_CONFIG', `cannot read config file ${path}${from}: ${code ?? String(error)}`, {
      path,
      errno: code,
    });
  }
}

function safeHomedir(): string | undefined {
  try {
    return homedir();
  } catch {
    return undefined;
  }
}
