import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import {
  adviseConfig,
  checkConfigText,
  configFromValues,
  describeConfigFields,
  diffConfigs,
  formatDiagnostic,
  loadConfig,
  renderConfigReference,
  renderConfigToml,
  tomlLiteral,
} from '../../config/index.js';
import type { ConfigDiagnostic, ConfigFileCheck, VexfsConfig } from '../../config/index.js';
import { VexError } from '../../errors.js';
import type { ErrnoCode } from '../../errors.js';
import type { Command, CommandContext, ExitCode } from '../command.js';

const USAGE = `Usage: vexctl config SUBCOMMAND [ARGS...]

  validate FILE [--json]          Check a config file: every error with line, column and key.
                                  Exit 0 valid (warnings allowed), 1 invalid, 2 unreadable file.
  show [FILE] [--store DIR] [--origin] [--json]
                                  The effective configuration (sizes in bytes) from FILE (as --config),
                                  $VEXFS_CONFIG, the store's vexfs.toml, the user's and the system's file.
                                  --origin says where each value came from.
  advise [FILE] [--store DIR] [--json]
                                  Performance advisories (alias: validate-performance); without FILE,
                                  for the effective configuration.
  diff A B [--json]               Key-level differences between two files' effective values.
  reference [--json]              The reference of every key (docs/config.md), or its JSON description.

Sizes accept decimal and binary units: "8GB" = 8x10^9 bytes, "8GiB" = 8x2^30 bytes; see docs/config.md.`;

type Options = NonNullable<ParseArgsConfig['options']>;
const JSON_OPTION: Options = { json: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

function parse(ctx: CommandContext, options: Options, positionals: { min: number; max: number; names: string }) {
  let parsed;
  try {
    parsed = parseArgs({ args: ctx.argv.slice(1), options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new VexError(
      'E_USAGE',
      `${(error as Error).message}. Usage: vexctl config ${ctx.argv[0]} ${positionals.names}`,
    );
  }
  const count = parsed.positionals.length;
  if (!parsed.values.help && (count < positionals.min || count > positionals.max)) {
    throw new VexError('E_USAGE', `vexctl config ${ctx.argv[0]} takes ${positionals.names}, got ${count} argument(s)`);
  }
  return { values: parsed.values as Record<string, string | boolean | undefined>, files: parsed.positionals };
}

/** Reads a file named on the command line; an unreadable file is a usage error (exit 2). */
function readArgument(ctx: CommandContext, file: string): string | undefined {
  try {
    return readFileSync(resolve(ctx.cwd, file), 'utf8');
  } catch (error) {
    const code = ((error as NodeJS.ErrnoException).code ?? 'EIO') as ErrnoCode;
    // Node's message repeats the code and the path: keep only the reason.
    const reason = (error as Error).message.replace(/^[A-Z0-9]+: /, '').replace(/, \w+ '.*'$/, '');
    ctx.io.err(`${code}: cannot read config file ${file}: ${reason}`);
    return undefined;
  }
}

function printDiagnostics(ctx: CommandContext, diagnostics: readonly ConfigDiagnostic[]): void {
  for (const diagnostic of diagnostics) {
    // The message already carries any did-you-mean; the severity and kind go after the position.
    ctx.io.out(
      formatDiagnostic(diagnostic).replace(/^(.*?:\d+:\d+): /, `$1: ${diagnostic.severity}[${diagnostic.kind}]: `),
    );
  }
}

const countOf = (diagnostics: readonly ConfigDiagnostic[], severity: 'error' | 'warning'): number =>
  diagnostics.filter((diagnostic) => diagnostic.severity === severity).length;

/** Reads and checks FILE; prints its errors. Returns the check, or the exit code to stop with. */
function checkArgument(ctx: CommandContext, file: string, json: boolean): ConfigFileCheck | ExitCode {
  const text = readArgument(ctx, file);
  if (text === undefined) return 2;
  const check = checkConfigText(text, file);
  if (countOf(check.diagnostics, 'error') === 0) return check;
  if (json) ctx.io.out(JSON.stringify({ file, valid: false, diagnostics: check.diagnostics }, null, 2));
  else printDiagnostics(ctx, check.diagnostics);
  ctx.io.err(`E_CONFIG: ${file} is not a valid config file (${countOf(check.diagnostics, 'error')} errors)`);
  return 1;
}

async function validate(ctx: CommandContext): Promise<ExitCode> {
  const { values, files } = parse(ctx, JSON_OPTION, { min: 1, max: 1, names: 'FILE [--json]' });
  if (values.help) return usage(ctx);
  const file = files[0] ?? '';
  const text = readArgument(ctx, file);
  if (text === undefined) return 2;
  const { diagnostics } = checkConfigText(text, file);
  const errors = countOf(diagnostics, 'error');
  const warnings = countOf(diagnostics, 'warning');
  if (values.json) {
    ctx.io.out(JSON.stringify({ file, valid: errors === 0, errors, warnings, diagnostics }, null, 2));
  } else {
    printDiagnostics(ctx, diagnostics);
    ctx.io.out(
      errors === 0
        ? `${file}: valid (${warnings} warnings)`
        : `${file}: invalid (${errors} errors, ${warnings} warnings)`,
    );
  }
  return errors === 0 ? 0 : 1;
}

async function show(ctx: CommandContext): Promise<ExitCode> {
  const options: Options = { ...JSON_OPTION, origin: { type: 'boolean' }, store: { type: 'string' } };
  const { values, files } = parse(ctx, options, { min: 0, max: 1, names: '[FILE] [--store DIR] [--origin] [--json]' });
  if (values.help) return usage(ctx);
  const file = files[0];
  if (file !== undefined && readArgument(ctx, file) === undefined) return 2;
  const loaded = loadConfig({
    env: ctx.env,
    cwd: ctx.cwd,
    ...(file === undefined ? {} : { configFile: file }),
    ...(typeof values.store === 'string' ? { storeDir: values.store } : {}),
  });
  if (values.json) {
    const { config, origins, warnings, sources } = loaded;
    ctx.io.out(JSON.stringify({ config, ...(values.origin ? { origins } : {}), warnings, sources }, null, 2));
    return 0;
  }
  for (const warning of loaded.warnings) ctx.io.err(`warning: ${formatDiagnostic(warning)}`);
  ctx.io.out(renderConfigToml(loaded.config, values.origin ? loaded.origins : undefined));
  return 0;
}

async function advise(ctx: CommandContext): Promise<ExitCode> {
  const options: Options = { ...JSON_OPTION, store: { type: 'string' } };
  const { values, files } = parse(ctx, options, { min: 0, max: 1, names: '[FILE] [--store DIR] [--json]' });
  if (values.help) return usage(ctx);
  const file = files[0];
  let config: VexfsConfig;
  let isSet: (key: string) => boolean;
  if (file !== undefined) {
    const check = checkArgument(ctx, file, Boolean(values.json));
    if (typeof check === 'number') return check;
    config = configFromValues(check.values);
    isSet = (key) => check.values.has(key);
  } else {
    const loaded = loadConfig({
      env: ctx.env,
      cwd: ctx.cwd,
      ...(typeof values.store === 'string' ? { storeDir: values.store } : {}),
    });
    config = loaded.config;
    isSet = (key) => loaded.origins[key]?.kind === 'file';
  }
  const advisories = adviseConfig(config, { isSet });
  if (values.json) {
    ctx.io.out(JSON.stringify({ file: file ?? null, advisories }, null, 2));
    return 0;
  }
  for (const advisory of advisories) {
    ctx.io.out(`${advisory.severity} ${advisory.key}: ${advisory.message}\n    why: ${advisory.reason}`);
  }
  const warnings = advisories.filter((advisory) => advisory.severity === 'warning').length;
  ctx.io.out(`${advisories.length} advisories (${warnings} warnings)`);
  return 0;
}

async function diff(ctx: CommandContext): Promise<ExitCode> {
  const { values, files } = parse(ctx, JSON_OPTION, { min: 2, max: 2, names: 'A B [--json]' });
  if (values.help) return usage(ctx);
  const sides = [];
  for (const file of files) {
    const check = checkArgument(ctx, file, Boolean(values.json));
    if (typeof check === 'number') return check;
    sides.push({ config: configFromValues(check.values), isSet: (key: string) => check.values.has(key) });
  }
  const [before, after] = sides as [(typeof sides)[number], (typeof sides)[number]];
  const changes = diffConfigs(before, after);
  if (values.json) {
    ctx.io.out(JSON.stringify({ a: files[0], b: files[1], changes }, null, 2));
    return 0;
  }
  const marks = { added: '+', removed: '-', changed: '~' } as const;
  for (const change of changes) {
    const transition = `${tomlLiteral(change.before)} -> ${tomlLiteral(change.after)}`;
    const note =
      change.kind === 'changed'
        ? ''
        : change.sameValue
          ? ` (${change.kind}; same effective value)`
          : ` (${change.kind})`;
    ctx.io.out(`${marks[change.kind]} ${change.key}: ${transition}${note}`);
  }
  ctx.io.out(changes.length === 0 ? 'no differences' : `${changes.length} keys differ`);
  return 0;
}

async function reference(ctx: CommandContext): Promise<ExitCode> {
  const { values } = parse(ctx, JSON_OPTION, { min: 0, max: 0, names: '[--json]' });
  if (values.help) return usage(ctx);
  ctx.io.out(values.json ? JSON.stringify(describeConfigFields(), null, 2) : renderConfigReference());
  return 0;
}

function usage(ctx: CommandContext): ExitCode {
  ctx.io.out(USAGE);
  return 0;
}

const SUBCOMMANDS: ReadonlyMap<string, (ctx: CommandContext) => Promise<ExitCode>> = new Map([
  ['validate', validate],
  ['show', show],
  ['advise', advise],
  ['validate-performance', advise],
  ['diff', diff],
  ['reference', reference],
]);

export const configCommand: Command = {
  name: 'config',
  summary: 'Validate, show, advise on and diff vexfs.toml / vexfs.conf configuration',
  usage: USAGE,
  async run(ctx) {
    const name = ctx.argv[0];
    const subcommand = name === undefined ? undefined : SUBCOMMANDS.get(name);
    if (!subcommand) {
      const known = [...SUBCOMMANDS.keys()].join(', ');
      throw new VexError(
        'E_USAGE',
        name === undefined
          ? `vexctl config needs a subcommand: ${known}`
          : `unknown subcommand '${name}'; the subcommands are ${known}`,
      );
    }
    return subcommand(ctx);
  },
};
