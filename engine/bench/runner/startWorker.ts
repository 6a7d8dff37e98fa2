import { Worker } from 'node:worker_threads';

/**
 * Starts the benchmark worker from sources (tests and dev, under tsx) or from the bundle
 * (`dist/vexctl.mjs` with `dist/bench-worker.mjs` beside it, built by scripts/build.mjs).
 * From sources the worker is a tiny bootstrap that loads worker.ts through tsx's API:
 * `--import tsx` in a worker's execArgv does not reach the worker's own entry on Node 20.
 */
export function startBenchWorker(workerData: unknown): Worker {
  const here = import.meta.url;
  if (here.endsWith('.ts')) {
    const api = import.meta.resolve('tsx/esm/api');
    const target = new URL('./worker.ts', here).href;
    const code = `import(${JSON.stringify(api)}).then((tsx) => tsx.tsImport(${JSON.stringify(target)}, ${JSON.stringify(target)}))`;
    return new Worker(code, { eval: true, workerData });
  }
  return new Worker(new URL('./bench-worker.mjs', here), { workerData });
}
