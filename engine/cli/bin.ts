import { processIo, runCli } from './main.js';

// The process entry of `vexctl`: SIGINT aborts the running command at its next safe point.
const controller = new AbortController();
process.once('SIGINT', () => controller.abort());
const code = await runCli(process.argv.slice(2), processIo(), { signal: controller.signal });
process.exitCode = code;
