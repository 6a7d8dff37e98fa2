/**
 * What every `vexctl` command receives and returns. Commands write through `io`
 * (never process.stdout directly) so that tests and `--connect` can capture them,
 * and return the exit code: 0 success, 1 the operation failed, 2 bad usage.
 */
export interface CliIo {
  out(text: string): void;
  err(text: string): void;
  outBytes(bytes: Uint8Array): void;
  readonly isTty: boolean;
}

export interface CommandContext {
  /** Arguments after the command word, e.g. for `vexctl store info DIR` → ['info', 'DIR']. */
  readonly argv: readonly string[];
  readonly io: CliIo;
  readonly env: Readonly<Record<string, string | undefined>>;
  readonly cwd: string;
  /** `vexctl --config FILE …`: the config file that outranks every other source for stores opened here. */
  readonly configFile?: string;
  /** Aborted on SIGINT; long commands stop at the next safe point. */
  readonly signal: AbortSignal;
}

export type ExitCode = 0 | 1 | 2;

export interface Command {
  /** The word after `vexctl`. */
  readonly name: string;
  /** One line for `vexctl --help`. */
  readonly summary: string;
  /** Full usage text printed by `vexctl NAME --help` and on usage errors. */
  readonly usage: string;
  run(ctx: CommandContext): Promise<ExitCode>;
}
