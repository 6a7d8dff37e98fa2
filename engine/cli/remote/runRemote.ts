import type { CliIo, ExitCode } from '../command.js';
import { clientMessageSchema, type ServerMessage } from './protocol.js';

/** `runCli` as the remote side calls it (injected: engine/cli/main.ts imports the commands that import this). */
export type CliRunner = (
  argv: readonly string[],
  io: CliIo,
  options: { cwd?: string; signal?: AbortSignal },
) => Promise<ExitCode>;

/**
 * Commands that work on files (fs, collection, vector) share the store this process holds
 * (engine/session.ts); one that needs the store to itself (compact, migrate, recover, a bench
 * run on it) is refused by the one-writer lock, naming this very process: say what that means.
 */
const SELF_LOCKED =
  "note: that pid is the app or 'vexctl serve' that --connect reached: it holds the store open itself. " +
  'Commands on files, collections and vectors share it; this one needs the store to itself, so close it there first.';

/** Commands that make no sense inside another process. */
const NOT_REMOTE = new Set(['serve', '--connect']);

/**
 * One remote session: parses client messages as they arrive, runs the first `run` with a
 * capturing io that streams every write back, and aborts it on `abort` or when the
 * connection goes away. Returns the handlers the transport wires to its socket.
 */
export function remoteSession(
  run: CliRunner,
  send: (message: ServerMessage) => void,
  finish: () => void,
): { onMessage(text: string): void; onClose(): void } {
  const controller = new AbortController();
  let started = false;
  const fail = (text: string, code: 1 | 2): void => {
    send({ t: 'err', text });
    send({ t: 'exit', code });
    finish();
  };
  return {
    onMessage(text) {
      let parsed;
      try {
        parsed = clientMessageSchema.safeParse(JSON.parse(text));
      } catch {
        return fail('E_INVALID: the remote CLI expects one JSON message per line', 2);
      }
      if (!parsed.success) {
        const issues = parsed.error.issues.map((i) => `${i.path.join('.') || '(message)'}: ${i.message}`);
        return fail(`E_INVALID: bad remote CLI message: ${issues.join('; ')}`, 2);
      }
      const message = parsed.data;
      if (message.t === 'abort') return controller.abort();
      if (started) return fail('E_INVALID: one command per connection', 2);
      started = true;
      if (NOT_REMOTE.has(message.argv[0] ?? '')) {
        return fail(`E_USAGE: '${message.argv[0]}' cannot run through --connect; run it directly`, 2);
      }
      const io: CliIo = {
        out: (line) => send({ t: 'out', text: line }),
        err: (line) => {
          send({ t: 'err', text: line });
          if (line.startsWith('E_LOCKED:') && line.includes(`pid ${process.pid}`))
            send({ t: 'err', text: SELF_LOCKED });
        },
        outBytes: (bytes) => send({ t: 'bytes', base64: Buffer.from(bytes).toString('base64') }),
        isTty: false,
      };
      void run(message.argv, io, { cwd: message.cwd, signal: controller.signal }).then(
        (code) => {
          send({ t: 'exit', code });
          finish();
        },
        (error: unknown) => fail(`E_INTERNAL: the remote command failed: ${String(error)}`, 1),
      );
    },
    onClose() {
      controller.abort();
    },
  };
}
