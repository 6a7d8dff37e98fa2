#!/usr/bin/env node
// vexctl: runs the bundle built by `npm run build` (done by `npm install`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const bundle = fileURLToPath(new URL('../dist/vexctl.mjs', import.meta.url));
if (!existsSync(bundle)) {
  process.stderr.write(
    'E_UNAVAILABLE: vexctl is not built yet; run `npm install` (or `npm run build`) in the project first.\n',
  );
  process.exit(1);
}
await import(pathToFileURL(bundle).href);
