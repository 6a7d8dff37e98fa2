import { VexError } from '../errors.js';
import { FORMAT_VERSION } from './layout.js';
import { MIGRATIONS, type Migration } from './schema.js';
import type { OpenOptions } from './Store.js';

/** Format versions: which one this build writes, and what an older or newer store gets on open. */

/** The format this build writes: format 1, or where the registered migrations lead. */
export function currentFormatVersion(migrations: readonly Migration[] = MIGRATIONS): number {
  return Math.max(FORMAT_VERSION, ...migrations.map((m) => m.to));
}

/** The migrations from `found` to `target`, in order, or null when the chain has a gap. */
export function migrationPath(found: number, target: number, migrations: readonly Migration[]): Migration[] | null {
  const path: Migration[] = [];
  for (let at = found; at < target;) {
    const step = migrations.find((m) => m.from === at && m.to > at && m.to <= target);
    if (step === undefined) return null;
    path.push(step);
    at = step.to;
  }
  return path;
}

export function checkFormatVersion(found: number, dirArg: string, options: OpenOptions): void {
  const migrations = options.migrations ?? MIGRATIONS;
  const current = currentFormatVersion(migrations);
  if (found === current) return;
  if (found > current || found === 0) {
    throw new VexError(
      'E_FORMAT',
      `the store uses format version ${found}, which this build does not know (it reads versions up to ${current}); use a newer vexctl`,
      { foundVersion: found },
    );
  }
  if (options.allowOlderFormat) return;
  const known = migrationPath(found, current, migrations) !== null;
  throw new VexError(
    'E_FORMAT',
    known
      ? `the store uses format version ${found}; this build uses ${current}. Run 'vexctl store migrate ${dirArg}' first`
      : `the store uses format version ${found}, which this build cannot migrate to ${current}`,
    { foundVersion: found },
  );
}
