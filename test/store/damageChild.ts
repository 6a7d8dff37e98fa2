/**
 * Random damage trials, in a process of their own so that an abort shows as a failed
 * test rather than a dead test runner. Each trial copies a golden store, damages one of
 * its files, then: fsck (read-only), a read-only open reading every file back, a writer
 * open with one write. One JSON line per trial says what each step saw.
 * Usage: node --import tsx test/store/damageChild.ts GOLDEN_DIR MANIFEST WORK_DIR SEED TRIALS
 */
import { cpSync, readFileSync, rmSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { isVexError } from '../../engine/errors.js';
import { readRange, writeWholeFile } from '../../engine/fs/pathOps.js';
import { ROOT_CRED } from '../../engine/fs/types.js';
import { Vfs } from '../../engine/fs/Vfs.js';
import { fsck } from '../../engine/store/fsck.js';
import { VECTOR_XATTR } from '../../engine/store/layout.js';
import { Store } from '../../engine/store/Store.js';
import { resolvePath } from '../../engine/fs/paths.js';
import { DAMAGE_MODES, damageFile } from './damage.js';
import { prng } from './helpers.js';

export interface ManifestEntry {
  path: string;
  sha256: string;
  content: string;
  vector: string | null;
}

/**
 * A read that differs from what was written: 'missing' when something is absent (a vector,
 * or whole 64 KiB blocks reading as a hole: what a damaged key does, since a lookup that finds
 * no row has no checksum to fail), 'older' when the file reads empty, 'wrong' for any other bytes.
 */
export function classifyRead(
  expected: Buffer,
  got: Buffer,
  expectedVector: string | null,
  vector: string | null,
): 'ok' | 'missing' | 'older' | 'wrong' {
  const contentOk = got.equals(expected);
  if (!contentOk && got.length === 0 && expected.length > 0) return 'older';
  if (!contentOk) {
    if (got.length !== expected.length) return 'wrong';
    const block = 64 * 1024;
    for (let at = 0; at < got.length; at += block) {
      const piece = got.subarray(at, at + block);
      if (!piece.equals(expected.subarray(at, at + block)) && piece.some((b) => b !== 0)) return 'wrong';
    }
    return 'missing';
  }
  if (vector === expectedVector) return 'ok';
  return vector === null ? 'missing' : 'wrong';
}
export interface Manifest {
  files: ManifestEntry[];
  targets: string[];
}
export interface TrialResult {
  trial: number;
  target: string;
  damage: string;
  fsckErrorFiles: string[];
  fsckWarningFiles: string[];
  fsckThrew: string | null;
  openError: { code: string; message: string } | null;
  openWarnings: string[];
  wrong: string[];
  /** Files read back empty: the state before their content's commit (what a shortened WAL leaves). */
  older: string[];
  missing: string[];
  readErrors: string[];
  writeOutcome: string;
  untyped: string[];
}

const [golden, manifestPath, work, seedText, trialsText] = process.argv.slice(2);
const manifest = JSON.parse(readFileSync(manifestPath!, 'utf8')) as Manifest;
const say = (line: string): void => void writeSync(1, `${line}\n`);

function describe(error: unknown, result: TrialResult): string {
  if (isVexError(error)) return error.code;
  result.untyped.push(error instanceof Error ? (error.stack ?? error.message) : String(error));
  return 'UNTYPED';
}

for (let trial = 0; trial < Number(trialsText); trial++) {
  const random = prng(Number(seedText) * 7919 + trial);
  const dir = join(work!, `trial-${seedText}-${trial}`);
  cpSync(golden!, dir, { recursive: true });
  const target = manifest.targets[Math.floor(random() * manifest.targets.length)]!;
  const mode = DAMAGE_MODES[Math.floor(random() * DAMAGE_MODES.length)]!;
  const result: TrialResult = {
    trial,
    target,
    damage: `${mode}: ${damageFile(join(dir, target), mode, random)}`,
    fsckErrorFiles: [],
    fsckWarningFiles: [],
    fsckThrew: null,
    openError: null,
    openWarnings: [],
    wrong: [],
    older: [],
    missing: [],
    readErrors: [],
    writeOutcome: 'not tried',
    untyped: [],
  };
  try {
    const report = await fsck(dir);
    result.fsckErrorFiles = report.problems.filter((p) => p.severity === 'error').map((p) => p.file);
    result.fsckWarningFiles = report.problems.filter((p) => p.severity === 'warning').map((p) => p.file);
  } catch (error) {
    result.fsckThrew = error instanceof Error ? error.message : String(error);
  }
  try {
    const store = await Store.open(dir, { readOnly: true });
    result.openWarnings = store.recovery.warnings;
    const vfs = new Vfs(store);
    for (const entry of manifest.files) {
      try {
        const content = await readRange(vfs, entry.path, ROOT_CRED, 0, 1 << 24);
        const ino = resolvePath(vfs, entry.path, ROOT_CRED).ino;
        let vector: string | null = null;
        try {
          vector = Buffer.from(vfs.xattr.get(ino, VECTOR_XATTR, ROOT_CRED)).toString('hex');
        } catch (error) {
          if (!isVexError(error, 'ENODATA')) throw error;
        }
        const verdict = classifyRead(Buffer.from(entry.content, 'base64'), content, entry.vector, vector);
        if (verdict === 'wrong') result.wrong.push(entry.path);
        else if (verdict === 'older') result.older.push(entry.path);
        else if (verdict === 'missing') result.missing.push(entry.path);
      } catch (error) {
        const code = describe(error, result);
        if (code === 'ENOENT') result.missing.push(entry.path);
        else result.readErrors.push(code);
      }
    }
    await store.close();
  } catch (error) {
    const code = describe(error, result);
    result.openError = { code, message: error instanceof Error ? error.message : String(error) };
  }
  try {
    const store = await Store.open(dir);
    try {
      await writeWholeFile(new Vfs(store), '/written-after-damage', Buffer.from('x'), 0o644, ROOT_CRED);
      result.writeOutcome = 'ok';
    } finally {
      await store.close();
    }
  } catch (error) {
    result.writeOutcome = describe(error, result);
  }
  rmSync(dir, { recursive: true, force: true });
  say(JSON.stringify(result));
}
