import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { loadConfig } from '../../config/index.js';
import { VexError } from '../../errors.js';
import { storeInfo, type StoreInfo } from '../../store/info.js';
import { budgetLimit, configuredBudget, type MemoryBudget } from '../../memory/memoryUsage.js';
import { METRICS, type Metric } from '../../store/layout.js';
import { compactStore, migrateStore, recoverStore } from '../../store/maintenance.js';
import { Store } from '../../store/Store.js';
import type { Command, CommandContext, ExitCode } from '../command.js';

const USAGE = `Usage: vexctl store SUBCOMMAND DIR [OPTIONS]

  create DIR [--dim N] [--metric l2|cosine|dot|manhattan|hamming]
                     Create a store in a new or empty directory (default: dim 384, cosine).
  info DIR [--json]  Format, store id, counts, sizes on disk, acknowledgement levels and the
                     writer holding it (a read-only open: works beside a running writer).
  compact DIR        Reclaim free space (checkpoint + VACUUM under the writer lock).
  migrate DIR        Bring a store of an older format to this build's format, in one transaction.
  recover DIR        Open a store whose write-ahead log is damaged inside, giving up the commits
                     from the damage on (the log is kept as store.db-wal.damaged-TIME first).

Exit codes: 0 success, 1 the operation failed, 2 bad usage.`;

const LEVELS = {
  committed:
    'a write is acknowledged once its transaction has committed to the WAL: it survives a crash of the process',
  synced:
    'after fsync (or close with sync-on-close) the WAL, which holds every commit not yet in a synced database page, and the directory are flushed: it survives a crash of the OS as far as the disk honours flushes',
};

export const storeCommand: Command = {
  name: 'store',
  summary: 'create, inspect, compact, migrate or recover a store',
  usage: USAGE,
  async run(ctx) {
    const [sub, ...rest] = ctx.argv;
    switch (sub) {
      case 'create':
        return create(ctx, rest);
      case 'info':
        return info(ctx, rest);
      case 'compact':
        return compact(ctx, rest);
      case 'migrate':
        return migrate(ctx, rest);
      case 'recover':
        return recover(ctx, rest);
      case undefined:
        throw new VexError('E_USAGE', `vexctl store needs a subcommand\n${USAGE}`);
      default:
        throw new VexError('E_USAGE', `unknown subcommand 'store ${sub}'\n${USAGE}`);
    }
  },
};

type Options = NonNullable<Parameters<typeof parseArgs>[0]>['options'];

function parse(
  sub: string,
  args: readonly string[],
  options: Options,
): { dir: string; values: Record<string, unknown> } {
  let parsed;
  try {
    parsed = parseArgs({ args: [...args], options, allowPositionals: true, strict: true });
  } catch (error) {
    throw new VexError('E_USAGE', `${(error as Error).message}\n${USAGE}`);
  }
  if (parsed.positionals.length !== 1) {
    throw new VexError(
      'E_USAGE',
      `vexctl store ${sub} takes one store directory, got ${parsed.positionals.length} arguments\n${USAGE}`,
    );
  }
  return { dir: parsed.positionals[0]!, values: parsed.values };
}

async function create(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { dir, values } = parse('create', args, { dim: { type: 'string' }, metric: { type: 'string' } });
  let dim: number | undefined;
  if (values.dim !== undefined) {
    const text = String(values.dim);
    if (!/^[0-9]+$/.test(text)) throw new VexError('E_USAGE', `--dim must be a whole number, got '${text}'`);
    dim = Number(text);
  }
  const metricText = values.metric === undefined ? undefined : String(values.metric);
  if (metricText !== undefined && !METRICS.includes(metricText as Metric)) {
    throw new VexError('E_USAGE', `--metric must be one of ${METRICS.join(', ')}, got '${metricText}'`);
  }
  const store = await Store.create(resolve(ctx.cwd, dir), {
    ...(dim === undefined ? {} : { dim }),
    ...(metricText === undefined ? {} : { metric: metricText as Metric }),
  });
  const { storeId, dim: storeDim, metric, formatVersion } = store.meta;
  await store.close();
  ctx.io.out(`Created store ${storeId} at ${store.dir} (format ${formatVersion}, dim ${storeDim}, metric ${metric})`);
  return 0;
}

async function info(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { dir, values } = parse('info', args, { json: { type: 'boolean' } });
  const path = resolve(ctx.cwd, dir);
  const result = await storeInfo(path);
  const syncOnClose = syncOnCloseSetting(ctx, path);
  const acknowledgement = { ...LEVELS, syncOnClose };
  const memoryBudget = budgetSetting(ctx, path);
  if (values.json) {
    ctx.io.out(JSON.stringify({ ...result, acknowledgement, memoryBudget }, null, 2));
    return 0;
  }
  ctx.io.out(renderInfo(result, syncOnClose));
  ctx.io.out(renderBudget(memoryBudget));
  return 0;
}

/** The anonymous memory a process holding this store may use beyond its runtime (RssAnon, not mapped pages). */
function budgetSetting(ctx: CommandContext, storeDir: string): MemoryBudget | string {
  try {
    return configuredBudget(loadConfig({ env: ctx.env, storeDir, cwd: ctx.cwd }).config, 0);
  } catch (error) {
    return `unknown: the configuration does not load (${(error as Error).message})`;
  }
}

function renderBudget(budget: MemoryBudget | string): string {
  if (typeof budget === 'string') return `  memory budget   ${budget}`;
  const mib = (bytes: number) => `${(bytes / 2 ** 20).toFixed(1)} MiB`;
  return [
    '  memory budget (anonymous memory beyond the runtime, enforced by the pools, the cache and SQLite):',
    `    buffer pools      ${mib(budget.poolBytes)} (performance.memory_pool_size${budget.poolBytes === 0 ? ': off' : ''})`,
    `    content cache     ${mib(budget.cacheBytes)} (performance.cache_size)`,
    `    SQLite pages      ${mib(budget.sqlitePageCacheBytes)}`,
    `    vector indexes    ${mib(budget.indexBytes)} (search.index_memory_size)`,
    `    total             ${mib(budgetLimit(budget))}`,
  ].join('\n');
}

function syncOnCloseSetting(ctx: CommandContext, storeDir: string): boolean | string {
  try {
    return loadConfig({ env: ctx.env, storeDir, cwd: ctx.cwd }).config.general.sync_on_close;
  } catch (error) {
    return `unknown: the configuration does not load (${(error as Error).message})`;
  }
}

function renderInfo(info: StoreInfo, syncOnClose: boolean | string): string {
  const c = info.counts;
  const width = Math.max(...info.diskFiles.map((f) => f.name.length), 5);
  const writer =
    info.writer.pid === null
      ? 'none (the store is closed)'
      : `pid ${info.writer.pid}${info.writer.pidFileAgrees ? '' : ' (writer.pid disagrees: run vexctl fsck)'}`;
  return [
    `Store ${info.storeId} at ${info.dir}`,
    `  format version  ${info.formatVersion}`,
    `  vectors         dim ${info.dim}, metric ${info.metric}`,
    `  created         ${info.createdAt}`,
    `  files           ${c.files} files, ${c.dirs} directories, ${c.symlinks} symlinks${c.orphans > 0 ? `, ${c.orphans} orphans` : ''}`,
    `  bytes           ${c.bytes} logical, ${c.storedBytes} stored`,
    `  vectors         ${c.vectors} files carry user.vexfs.vector`,
    `  writer          ${writer}`,
    '  on disk:',
    ...info.diskFiles.map((f) => `    ${f.name.padEnd(width)}  ${String(f.sizeBytes).padStart(12)} bytes`),
    `    ${'total'.padEnd(width)}  ${String(info.diskTotalBytes).padStart(12)} bytes`,
    '  acknowledgement levels:',
    `    committed  ${LEVELS.committed}`,
    `    synced     ${LEVELS.synced}`,
    `    sync-on-close ${typeof syncOnClose === 'boolean' ? (syncOnClose ? 'on' : 'off') : syncOnClose} (general.sync_on_close)`,
  ].join('\n');
}

async function compact(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { dir } = parse('compact', args, {});
  const { beforeBytes, afterBytes } = await compactStore(resolve(ctx.cwd, dir));
  ctx.io.out(
    `Compacted ${dir}: ${beforeBytes} bytes before, ${afterBytes} after (${beforeBytes - afterBytes} reclaimed)`,
  );
  return 0;
}

async function migrate(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { dir } = parse('migrate', args, {});
  const result = await migrateStore(resolve(ctx.cwd, dir));
  if (result.applied.length === 0) {
    ctx.io.out(`${dir} is current (format version ${result.toVersion}): nothing to migrate`);
  } else {
    ctx.io.out(
      [
        `Migrated ${dir} from format ${result.fromVersion} to ${result.toVersion}:`,
        ...result.applied.map((a) => `  ${a}`),
      ].join('\n'),
    );
  }
  return 0;
}

async function recover(ctx: CommandContext, args: readonly string[]): Promise<ExitCode> {
  const { dir } = parse('recover', args, {});
  const result = await recoverStore(resolve(ctx.cwd, dir));
  for (const warning of result.warnings) ctx.io.err(`warning: ${warning}`);
  ctx.io.out(
    result.walCopy === null
      ? `${dir} opened cleanly: its log has no damage to give up`
      : `Recovered ${dir}: the damaged log is kept at ${result.walCopy}; run 'vexctl fsck ${dir}' to check the result`,
  );
  return 0;
}
