import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { isAbsolute, join } from 'node:path';

export const RECENT_FILE = 'recent-stores.json';
export const MAX_RECENT = 10;

/**
 * The stores opened lately, newest first, kept in the app's userData directory.
 * A missing or damaged file reads as an empty list (and is rewritten on the next open);
 * entries that are not absolute paths are dropped.
 */
export function readRecentStores(userDataDir: string): string[] {
  try {
    const parsed: unknown = JSON.parse(readFileSync(join(userDataDir, RECENT_FILE), 'utf8'));
    const list = (parsed as { stores?: unknown }).stores;
    if (!Array.isArray(list)) return [];
    return list.filter((entry): entry is string => typeof entry === 'string' && isAbsolute(entry)).slice(0, MAX_RECENT);
  } catch {
    return [];
  }
}

/** Moves `dir` to the front, drops duplicates and the oldest past MAX_RECENT; written atomically. */
export function rememberStore(userDataDir: string, dir: string): string[] {
  if (!isAbsolute(dir)) throw new Error(`a recent store must be an absolute path, got '${dir}'`);
  const list = [dir, ...readRecentStores(userDataDir).filter((entry) => entry !== dir)].slice(0, MAX_RECENT);
  writeJsonAtomic(join(userDataDir, RECENT_FILE), { stores: list });
  return list;
}

export function forgetStore(userDataDir: string, dir: string): string[] {
  const list = readRecentStores(userDataDir).filter((entry) => entry !== dir);
  writeJsonAtomic(join(userDataDir, RECENT_FILE), { stores: list });
  return list;
}

export function writeJsonAtomic(path: string, value: unknown): void {
  mkdirSync(join(path, '..'), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${JSON.stringify(value, null, 2)}\n`);
  renameSync(temporary, path);
}
