import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

// The workbench UI: built into dist/renderer, served by `vexctl serve` / `npm start`
// and loaded by the Electron window from the same files.
export default defineConfig({
  root: 'renderer',
  base: './',
  plugins: [react()],
  build: { outDir: '../dist/renderer', emptyOutDir: true, sourcemap: true, chunkSizeWarningLimit: 1500 },
});
