// `npm start`: the product on its embedded default, the demo store (created on first run).
// The desktop workbench (Electron + React) has not landed yet, so this shows the demo
// store through vexctl and says so; once it lands, this starts the window (or, without
// the Electron runtime, serves the same workbench on 127.0.0.1).
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
if (!existsSync(join(root, 'dist', 'vexctl.mjs'))) {
  const built = spawnSync(process.execPath, [join(root, 'scripts', 'build.mjs')], { stdio: 'inherit' });
  if (built.status !== 0) process.exit(built.status ?? 1);
}
console.log('The desktop workbench is not built yet; showing the demo store with vexctl instead.');
const result = spawnSync(process.execPath, [join(root, 'bin', 'vexctl.mjs'), 'demo', ...process.argv.slice(2)], {
  stdio: 'inherit',
});
process.exit(result.status ?? 1);
