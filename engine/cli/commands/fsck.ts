import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { VexError } from '../../errors.js';
import { fsck } from '../../store/fsck.js';
import type { Command } from '../command.js';

const USAGE = `Usage: vexctl fsck DIR [--json]

Checks a store without changing it (beside a running writer too): the files in its directory,
the database header, the write-ahead log's checksum chain, SQLite's integrity check, every row's
checksum and the filesystem's invariants (names, links, reachability, blocks, sizes, vectors).

Exit codes: 0 clean (warnings allowed), 1 problems found, 2 bad usage.`;

export const fsckCommand: Command = {
  name: 'fsck',
  summary: 'check a store for damage (exit 0 clean, 1 problems found)',
  usage: USAGE,
  async run(ctx) {
    let parsed;
    try {
      parsed = parseArgs({
        args: [...ctx.argv],
        options: { json: { type: 'boolean' } },
        allowPositionals: true,
        strict: true,
      });
    } catch (error) {
      throw new VexError('E_USAGE', `${(error as Error).message}\n${USAGE}`);
    }
    if (parsed.positionals.length !== 1) {
      throw new VexError(
        'E_USAGE',
        `vexctl fsck takes one store directory, got ${parsed.positionals.length} arguments\n${USAGE}`,
      );
    }
    const dir = parsed.positionals[0]!;
    const report = await fsck(resolve(ctx.cwd, dir));
    if (parsed.values.json) {
      ctx.io.out(JSON.stringify(report, null, 2));
      return report.clean ? 0 : 1;
    }
    for (const p of report.problems) ctx.io.out(`${p.severity}: ${p.message}`);
    const errors = report.problems.filter((p) => p.severity === 'error').length;
    const warnings = report.problems.length - errors;
    const counts = report.counts;
    const checked =
      counts === null
        ? ''
        : ` (${counts.inodes} inodes, ${counts.dirents} names, ${counts.xattrs} attributes, ${counts.blocks} blocks checked)`;
    ctx.io.out(
      errors === 0
        ? `${dir}: clean${warnings > 0 ? `, ${warnings} warning(s)` : ''}${checked}`
        : `${dir}: ${errors} problem(s)${warnings > 0 ? `, ${warnings} warning(s)` : ''}${checked}`,
    );
    return errors === 0 ? 0 : 1;
  },
};
