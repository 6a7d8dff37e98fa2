import { resolve } from 'node:path';
import { isVexError } from '../errors.js';
import type { CliIo, Command, CommandContext, ExitCode } from './command.js';
import { commands } from './commands/index.js';
import { runConnectLine } from './remote/connectClient.js';

const VERSION = '0.1.0';

function helpText(): string {
  const width = Math.max(...commands.map((c) => c.name.length), 4);
  const lines = commands.map((c) => `  ${c.name.padEnd(width)}  ${c.summary}`);
  return [
    'vexctl: the VexFS engine and benchmark harness from a terminal',
    '',
    'Usage: vexctl COMMAND [ARGS...]   (vexctl COMMAND --help for its usage)',
    '       vexctl --connect [URL|SOCKET] COMMAND [ARGS...]   runs it in a running app or `vexctl serve`',
    '       vexctl --config FILE COMMAND [ARGS...]   FILE outranks every other config source',
    '',
    'Commands:',
    ...lines,
    '',
    'Exit codes: 0 success, 1 the operation failed, 2 bad usage.',
  ].join('\n');
}

export function processIo(): CliIo {
  return {
    out: (text) => void process.stdout.write(text.endsWith('\n') ? text : `${text}\n`),
    err: (text) => void process.stderr.write(text.endsWith('\n') ? text : `${text}\n`),
    outBytes: (bytes) => void process.stdout.write(bytes),
    isTty: Boolean(process.stdout.isTTY),
  };
}

/** Runs one vexctl invocation; never throws: every failure becomes a printed line and an exit code. */
export async function runCli(
  argv: readonly string[],
  io: CliIo,
  options: { env?: Record<string, string | undefined>; cwd?: string; signal?: AbortSignal; configFile?: string } = {},
): Promise<ExitCode> {
  const [name, ...rest] = argv;
  if (name === undefined || name === '--help' || name === '-h' || name === 'help') {
    io.out(helpText());
    return name === undefined ? 2 : 0;
  }
  if (name === '--config') {
    const [file, ...commandArgv] = rest;
    if (file === undefined || commandArgv.length === 0) {
      io.err('E_USAGE: --config takes a file and comes before the command: vexctl --config FILE COMMAND ...');
      return 2;
    }
    return runCli(commandArgv, io, { ...options, configFile: file });
  }
  if (name === '--version' || name === '-V') {
    io.out(VERSION);
    return 0;
  }
  if (name === '--connect' || name.startsWith('--connect=')) {
    try {
      return await runConnectLine(argv, io, {
        env: options.env ?? process.env,
        cwd: options.cwd ?? process.cwd(),
        signal: options.signal ?? new AbortController().signal,
      });
    } catch (error) {
      if (!isVexError(error)) throw error;
      io.err(`${error.code}: ${error.message}`);
      return error.code === 'E_USAGE' ? 2 : 1;
    }
  }
  const command: Command | undefined = commands.find((c) => c.name === name);
  if (!command) {
    io.err(`E_USAGE: unknown command '${name}'. Run 'vexctl --help' for the list.`);
    return 2;
  }
  // `--help` anywhere before a `--` shows the command's usage (`vexctl vector search --help`).
  const flags = rest.includes('--') ? rest.slice(0, rest.indexOf('--')) : rest;
  if (flags.includes('--help') || flags.includes('-h')) {
    io.out(command.usage);
    return 0;
  }
  const ctx: CommandContext = {
    argv: rest,
    io,
    env: options.env ?? process.env,
    cwd: options.cwd ?? process.cwd(),
    signal: options.signal ?? new AbortController().signal,
    ...(options.configFile === undefined
      ? {}
      : { configFile: resolve(options.cwd ?? process.cwd(), options.configFile) }),
  };
  try {
    return await command.run(ctx);
  } catch (error) {
    if (isVexError(error)) {
      io.err(`${error.code}: ${error.message}`);
      return error.code === 'E_USAGE' ? 2 : 1;
    }
    const message = error instanceof Error ? (error.stack ?? error.message) : String(error);
    io.err(`E_INTERNAL: vexctl hit an unexpected error; please report it.\n${message}`);
    return 1;
  }
}
