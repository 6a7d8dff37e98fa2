// The one module that loads the kernels addon (lint allows native imports here only).
// Loading never throws: a missing or broken addon is reported and the facade falls back.
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { NativeKernels } from './types.js';

export interface NativeLoad {
  binding: NativeKernels | null;
  /** The .node file that was loaded or tried. */
  path: string | null;
  /** Why there is no binding: a sentence naming what to do. */
  error: string | null;
}

const addonFile = join('native', 'kernels', 'build', 'Release', 'vexfs_kernels.node');
const requiredFunctions = [
  'capabilities',
  'setBackend',
  'pairwise',
  'distances',
  'topK',
  'distancesAsync',
  'topKAsync',
  'roofline',
] as const;

let cached: NativeLoad | undefined;

/** Walks up from this module (source tree or bundle in dist/) to the package root holding native/. */
function findAddon(): string | null {
  const override = process.env.VEXFS_KERNELS_ADDON;
  if (override !== undefined && override !== '') return resolve(override);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let depth = 0; depth < 6; depth++) {
    const candidate = join(dir, addonFile);
    if (existsSync(candidate)) return candidate;
    const parent = dirname(dir);
    if (parent === dir) break;
    dir = parent;
  }
  return null;
}

export function loadNativeKernels(): NativeLoad {
  if (cached !== undefined) return cached;
  const path = findAddon();
  if (path === null) {
    cached = {
      binding: null,
      path: null,
      error: `the kernels addon (${addonFile}) was not built; run \`node scripts/build-native.mjs\` (needs a C++ compiler)`,
    };
    return cached;
  }
  try {
    const require = createRequire(import.meta.url);
    const binding = require(path) as Partial<NativeKernels>;
    const missing = requiredFunctions.filter((name) => typeof binding[name] !== 'function');
    cached =
      missing.length === 0
        ? { binding: binding as NativeKernels, path, error: null }
        : {
            binding: null,
            path,
            error: `the kernels addon at ${path} lacks ${missing.join(', ')}; rebuild it with \`node scripts/build-native.mjs\``,
          };
  } catch (cause) {
    const reason = cause instanceof Error ? cause.message.split('\n')[0] : String(cause);
    cached = {
      binding: null,
      path,
      error: `the kernels addon at ${path} did not load (${reason}); rebuild it with \`node scripts/build-native.mjs\``,
    };
  }
  return cached;
}
