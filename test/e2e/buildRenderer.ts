import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDERER_DIR = join(ROOT, 'dist', 'renderer');

/** Builds the renderer with Vite into dist/renderer (what `npm run build` does for the UI). */
export async function buildRenderer(): Promise<string> {
  const { build } = await import('vite');
  await build({ configFile: join(ROOT, 'renderer', 'vite.config.ts'), root: join(ROOT, 'renderer'), logLevel: 'warn' });
  if (!existsSync(join(RENDERER_DIR, 'index.html'))) throw new Error('the renderer build produced no index.html');
  return RENDERER_DIR;
}
