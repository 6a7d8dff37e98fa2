import { mkdirSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { z } from 'zod';
import { VexError } from '../../errors.js';

/**
 * How `vexctl --connect` runs a command in another process (a running app or `vexctl serve`):
 * the client sends one `run` message with its argv and cwd; the remote side runs the command
 * with `runCli` and a capturing io, streaming each line back as it is written, then `exit`.
 * The client may send `abort` (its SIGINT), which aborts the command's signal.
 * Over a Unix socket each message is one JSON line; over the served URL, one WebSocket frame.
 */
export const runMessageSchema = z
  .object({
    t: z.literal('run'),
    argv: z.array(z.string().max(65536)).min(1).max(1000),
    cwd: z.string().refine((value) => isAbsolute(value), 'cwd must be an absolute path'),
  })
  .strict();

export const clientMessageSchema = z.union([runMessageSchema, z.object({ t: z.literal('abort') }).strict()]);

export type RunMessage = z.output<typeof runMessageSchema>;
export type ClientMessage = z.output<typeof clientMessageSchema>;

export type ServerMessage =
  | { t: 'out'; text: string }
  | { t: 'err'; text: string }
  | { t: 'bytes'; base64: string }
  | { t: 'exit'; code: 0 | 1 | 2 };

/** Longest line either side accepts on the socket: argv is bounded, so this is generous. */
export const MAX_LINE_BYTES = 64 << 20;

/**
 * The per-user socket the app and `vexctl serve` listen on: `$XDG_RUNTIME_DIR/vexfs/engine.sock`,
 * else a 0700 directory of our own under the temp directory. The directory is created 0700
 * and refused when another user owns it or others can enter it.
 */
export function defaultSocketPath(env: Readonly<Record<string, string | undefined>>): string {
  const runtime = env.XDG_RUNTIME_DIR;
  const base =
    runtime !== undefined && runtime !== '' && isAbsolute(runtime)
      ? join(runtime, 'vexfs')
      : join(tmpdir(), `vexfs-${process.getuid?.() ?? 'user'}`);
  return join(base, 'engine.sock');
}

/** Creates (or checks) the socket's directory: ours and closed to others. */
export function prepareSocketDir(dir: string): void {
  mkdirSync(dir, { recursive: true, mode: 0o700 });
  const stat = statSync(dir);
  const uid = process.getuid?.();
  if (uid !== undefined && stat.uid !== uid) {
    throw new VexError('EACCES', `${dir} belongs to user ${stat.uid}, not to you; remove it or set XDG_RUNTIME_DIR`);
  }
  if ((stat.mode & 0o077) !== 0) {
    throw new VexError(
      'EACCES',
      `${dir} can be entered by other users (mode ${(stat.mode & 0o777).toString(8)}); run 'chmod 700 ${dir}'`,
    );
  }
}
