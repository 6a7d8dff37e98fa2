import { resolve } from 'node:path';
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { VexError } from '../../errors.js';
import { openSession } from '../../session.js';
import type { Store } from '../../store/Store.js';
import type { CollectionInfo } from '../../vector/Collection.js';
import { collectionsOf, type Collections } from '../../vector/Collections.js';
import type { Command, CommandContext, ExitCode } from '../command.js';

const usage = `Usage: vexctl collection SUBCOMMAND STORE ...

  create STORE NAME --dim N --metric l2|cosine|dot|manhattan|hamming [--index flat]
  list   STORE
  info   STORE NAME
  drop   STORE NAME

'_files' is the store's default collection: its files with a user.vexfs.vector xattr.
Options: --json prints JSON instead of text.`;

type Values = Record<string, string | boolean | string[] | undefined>;

/** parseArgs with strict options; its errors (and a wrong positional count) are usage errors. */
/** The subcommand word, or E_USAGE (with the usage) when it is missing or unknown. */
export function requireSubcommand(sub: string | undefined, known: readonly string[], usage: string): string {
  if (sub !== undefined && known.includes(sub)) return sub;
  throw new VexError(
    'E_USAGE',
    `${sub === undefined ? 'a subcommand is missing' : `unknown subcommand '${sub}'`}\n${usage}`,
  );
}

export function parseCommand(
  argv: readonly string[],
  options: ParseArgsConfig['options'],
  positionals: { min: number; max: number; names: string },
  usageText: string,
): { values: Values; positionals: string[] } {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      options: { ...options, json: { type: 'boolean' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new VexError('E_USAGE', `${(error as Error).message}\n${usageText}`);
  }
  const count = parsed.positionals.length;
  if (count < positionals.min || count > positionals.max) {
    throw new VexError('E_USAGE', `expected ${positionals.names}, got ${count} argument(s)\n${usageText}`);
  }
  return { values: parsed.values as Values, positionals: parsed.positionals };
}

/** Whole number option (e.g. --dim, --k); undefined when absent. */
export function intOption(values: Values, name: string, min: number, max: number): number | undefined {
  const raw = values[name];
  if (raw === undefined) return undefined;
  const n = Number(raw);
  if (typeof raw !== 'string' || !/^\d+$/.test(raw.trim()) || !Number.isInteger(n) || n < min || n > max) {
    throw new VexError('E_USAGE', `--${name} '${String(raw)}' is invalid: give a whole number from ${min} to ${max}`);
  }
  return n;
}

/** Opens STORE (relative to the command's cwd), runs `body` with its collections, closes it. */
export async function withCollections<T>(
  ctx: CommandContext,
  storeArg: string,
  readOnly: boolean,
  body: (collections: Collections, store: Store) => Promise<T>,
): Promise<T> {
  const session = await openSession(resolve(ctx.cwd, storeArg), { readOnly, env: ctx.env, configFile: ctx.configFile });
  try {
    return await body(await collectionsOf(session.store), session.store);
  } finally {
    await session.close();
  }
}

export function infoLines(info: CollectionInfo): string[] {
  return [
    `${info.name}: ${info.count} points, dim ${info.dim}, metric ${info.metric}, index ${info.index}${info.fileBacked ? " (the store's files)" : ''}`,
    `  version ${info.version}; ${info.derived ? `derived arrays built on ${info.derived.reason} from ${info.derived.points} points` : 'derived arrays not loaded'}`,
    ...(info.derived?.warnings ?? []).map((w) => `  warning: ${w}`),
  ];
}

const SUBCOMMANDS = ['create', 'list', 'info', 'drop'];

export const collectionCommand: Command = {
  name: 'collection',
  summary: 'create, list, inspect and drop vector collections in a store',
  usage,
  async run(ctx): Promise<ExitCode> {
    const [first, ...rest] = ctx.argv;
    const sub = requireSubcommand(first, SUBCOMMANDS, usage);
    const print = (json: boolean, value: unknown, lines: string[]): void =>
      ctx.io.out(json ? JSON.stringify(value, null, 2) : lines.join('\n'));
    if (sub === 'create') {
      const { values, positionals } = parseCommand(
        rest,
        { dim: { type: 'string' }, metric: { type: 'string' }, index: { type: 'string' } },
        { min: 2, max: 2, names: 'STORE NAME' },
        usage,
      );
      const dim = intOption(values, 'dim', 1, 65_536);
      if (dim === undefined || values.metric === undefined)
        throw new VexError('E_USAGE', `create needs --dim N and --metric M\n${usage}`);
      const [storeArg, name] = positionals as [string, string];
      const info = await withCollections(ctx, storeArg, false, (c) =>
        c.create(name, { dim, metric: String(values.metric), index: String(values.index ?? 'flat') }),
      );
      print(values.json === true, info, [
        `Created collection ${info.name} (dim ${info.dim}, metric ${info.metric}, index ${info.index})`,
      ]);
      return 0;
    }
    if (sub === 'list') {
      const { values, positionals } = parseCommand(rest, {}, { min: 1, max: 1, names: 'STORE' }, usage);
      const list = await withCollections(ctx, positionals[0] as string, true, async (c) => c.list());
      print(
        values.json === true,
        list,
        list.map(
          (i) => `${i.name.padEnd(24)} ${String(i.count).padStart(9)} points  dim ${i.dim}  ${i.metric}  ${i.index}`,
        ),
      );
      return 0;
    }
    const { values, positionals } = parseCommand(rest, {}, { min: 2, max: 2, names: 'STORE NAME' }, usage);
    const [storeArg, name] = positionals as [string, string];
    if (sub === 'info') {
      const info = await withCollections(ctx, storeArg, true, async (c) => c.info(name));
      print(values.json === true, info, infoLines(info));
      return 0;
    }
    await withCollections(ctx, storeArg, false, (c) => c.drop(name));
    print(values.json === true, { dropped: name }, [`Dropped collection ${name}`]);
    return 0;
  },
};
