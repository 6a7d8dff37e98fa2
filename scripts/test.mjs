// Runs every test file under test/ with Node's test runner (TypeScript through tsx).
// VEXFS_TEST_TIER=long selects the long tier: the same tests at full size
// (crash trials, fuzz counts), plus files named *.long.test.ts.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, relative, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const long = process.env.VEXFS_TEST_TIER === 'long';
const only = process.argv.slice(2);

/** @param {string} dir @returns {string[]} */
function collect(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (name === 'node_modules' || name === 'fixtures') return [];
    if (statSync(path).isDirectory()) return collect(path);
    if (!name.endsWith('.test.ts')) return [];
    if (name.endsWith('.long.test.ts') && !long) return [];
    return [relative(root, path)];
  });
}

const files = collect(join(root, 'test'))
  .filter((file) => only.length === 0 || only.some((part) => file.includes(part)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
// A file may take 10 minutes in the default tier; the long tier's crash (1,000 trials) and model
// (20 seeds of 5,000 operations) files each take 10-20 minutes here, so it allows an hour.
const timeoutMs = long ? 3_600_000 : 600_000;
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--test', '--test-concurrency=2', `--test-timeout=${timeoutMs}`, ...files],
  { cwd: root, stdio: 'inherit', env: { ...process.env, VEXFS_TEST_TIER: long ? 'long' : 'default' } },
);
process.exit(result.status ?? 1);
