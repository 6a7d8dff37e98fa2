import { readFileSync, statSync } from 'node:fs';

/**
 * Who holds the writer lock, asked of the kernel rather than of writer.pid (which a
 * crash leaves stale and damage can garble). On Linux /proc/locks lists every POSIX
 * record lock with its owner's pid and the locked file's inode; reading it takes no
 * lock, so asking never gets in a writer's way. Elsewhere the answer is `undefined`.
 */
export function lockHolderPid(lockPath: string): number | null | undefined {
  let inode: number;
  try {
    inode = statSync(lockPath).ino;
  } catch {
    return null; // No lock file: nobody can hold it.
  }
  let table: string;
  try {
    table = readFileSync('/proc/locks', 'utf8');
  } catch {
    return undefined;
  }
  for (const line of table.split('\n')) {
    // "1: POSIX  ADVISORY  WRITE 4242 08:01:1234567 0 EOF" (blocked waiters carry a "->" marker).
    const fields = line.trim().split(/\s+/);
    if (fields.includes('->')) continue;
    const kind = fields[1];
    const pid = Number(fields[4]);
    const where = fields[5]?.split(':');
    if (kind !== 'POSIX' || where?.length !== 3 || !Number.isSafeInteger(pid) || pid <= 0) continue;
    if (Number(where[2]) === inode) return pid;
  }
  return null;
}

/** The pid a writer.pid file holds, or why it holds none. */
export function parsePidFile(text: string): { pid: number } | { problem: string } {
  const match = /^([1-9][0-9]{0,9})\n?$/.exec(text);
  if (match === null) {
    const shown = JSON.stringify(text.length > 24 ? `${text.slice(0, 24)}…` : text);
    return { problem: `does not hold a process id (found ${shown})` };
  }
  return { pid: Number(match[1]) };
}

/** Whether a process with this pid exists (a zombie counts; another user's process counts). */
export function processExists(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
