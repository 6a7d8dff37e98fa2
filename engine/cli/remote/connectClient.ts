import { connect } from 'node:net';
import { isAbsolute, resolve } from 'node:path';
import { WebSocket } from 'ws';
import { VexError } from '../../errors.js';
import type { CliIo, ExitCode } from '../command.js';
import { CLI_PATH } from './cliOverHttp.js';
import { defaultSocketPath, MAX_LINE_BYTES, type RunMessage, type ServerMessage } from './protocol.js';

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** Where `--connect` goes: the served URL (with its token) or a Unix socket path. */
export type ConnectTarget =
  { kind: 'url'; wsUrl: string; host: string; token: string } | { kind: 'socket'; path: string };

/** Whether the word after `--connect` names a target rather than the command (commands are plain words). */
export function looksLikeTarget(word: string): boolean {
  return /^https?:\/\//.test(word) || word.includes('/') || word.endsWith('.sock');
}

export function parseTarget(
  word: string | null,
  env: Readonly<Record<string, string | undefined>>,
  cwd: string,
): ConnectTarget {
  if (word === null || word === '') return { kind: 'socket', path: defaultSocketPath(env) };
  if (/^https?:\/\//.test(word)) {
    let url: URL;
    try {
      url = new URL(word);
    } catch {
      throw new VexError('E_USAGE', `--connect '${word}' is not a valid URL`);
    }
    if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) {
      throw new VexError(
        'E_USAGE',
        `--connect takes the http://127.0.0.1:PORT/?token=… URL that 'vexctl serve' printed; '${word}' is not on this machine`,
      );
    }
    const token = url.searchParams.get('token');
    if (token === null || token === '') {
      throw new VexError(
        'E_USAGE',
        `the URL after --connect carries no token: copy the whole line 'vexctl serve' printed`,
      );
    }
    return { kind: 'url', wsUrl: `ws://${url.host}${CLI_PATH}`, host: url.host, token };
  }
  return { kind: 'socket', path: isAbsolute(word) ? word : resolve(cwd, word) };
}

/**
 * Runs `argv` in the process behind `target` and replays its output on `io` as it streams;
 * resolves with the remote exit code. SIGINT (`signal`) is forwarded as an abort.
 */
export function runConnected(
  target: ConnectTarget,
  argv: readonly string[],
  io: CliIo,
  options: { cwd: string; signal: AbortSignal },
): Promise<ExitCode> {
  const run: RunMessage = { t: 'run', argv: [...argv], cwd: options.cwd };
  return new Promise<ExitCode>((resolvePromise, reject) => {
    let exit: ExitCode | null = null;
    const onMessage = (message: ServerMessage): void => {
      if (message.t === 'out') io.out(message.text);
      else if (message.t === 'err') io.err(message.text);
      else if (message.t === 'bytes') io.outBytes(Buffer.from(message.base64, 'base64'));
      else if (message.t === 'exit') exit = message.code;
    };
    const ended = (): void => {
      if (exit !== null) resolvePromise(exit);
      else
        reject(new VexError('E_UNAVAILABLE', 'the connection closed before the command finished (did the app stop?)'));
    };
    const where = target.kind === 'url' ? `ws://${target.host}` : target.path;
    const unavailable = (error: Error): VexError =>
      new VexError(
        'E_UNAVAILABLE',
        `cannot reach a VexFS app or 'vexctl serve' at ${where} (${error.message}); start one (npm start, or vexctl serve), or name its socket or URL after --connect`,
      );

    if (target.kind === 'socket') {
      const socket = connect(target.path);
      let buffered = '';
      let connected = false;
      socket.setEncoding('utf8');
      socket.on('connect', () => {
        connected = true;
        socket.write(`${JSON.stringify(run)}\n`);
        options.signal.addEventListener('abort', () => socket.write(`${JSON.stringify({ t: 'abort' })}\n`), {
          once: true,
        });
      });
      socket.on('data', (chunk: string) => {
        buffered += chunk;
        if (buffered.length > MAX_LINE_BYTES) socket.destroy(new Error('a reply line is too long'));
        let newline = buffered.indexOf('\n');
        while (newline >= 0) {
          onMessage(JSON.parse(buffered.slice(0, newline)) as ServerMessage);
          buffered = buffered.slice(newline + 1);
          newline = buffered.indexOf('\n');
        }
      });
      socket.on('error', (error) => (connected ? undefined : reject(unavailable(error))));
      socket.on('close', () => (connected ? ended() : undefined));
      return;
    }
    const ws = new WebSocket(target.wsUrl, {
      headers: { authorization: `Bearer ${target.token}` },
      maxPayload: MAX_LINE_BYTES,
    });
    let opened = false;
    ws.on('unexpected-response', (_req, res) => {
      reject(
        new VexError(
          'EACCES',
          `the workbench at ${where} refused the connection (HTTP ${res.statusCode}): is the token from this launch of 'vexctl serve'?`,
        ),
      );
      ws.terminate();
    });
    ws.on('open', () => {
      opened = true;
      ws.send(JSON.stringify(run));
      options.signal.addEventListener('abort', () => ws.send(JSON.stringify({ t: 'abort' })), { once: true });
    });
    ws.on('message', (data) => onMessage(JSON.parse(String(data)) as ServerMessage));
    ws.on('error', (error) => (opened ? undefined : reject(unavailable(error))));
    ws.on('close', () => (opened ? ended() : undefined));
  });
}

/** `vexctl --connect [TARGET] COMMAND …` (or `--connect=TARGET`): splits the line and runs it remotely. */
export async function runConnectLine(
  argv: readonly string[],
  io: CliIo,
  options: { env: Readonly<Record<string, string | undefined>>; cwd: string; signal: AbortSignal },
): Promise<ExitCode> {
  const [flag = '', ...rest] = argv;
  let word: string | null = flag.startsWith('--connect=') ? flag.slice('--connect='.length) : null;
  if (word === null && rest[0] !== undefined && looksLikeTarget(rest[0])) word = rest.shift() ?? null;
  if (rest.length === 0) {
    throw new VexError(
      'E_USAGE',
      'give a command after --connect, e.g. vexctl --connect store info DIR (or --connect URL|SOCKET COMMAND …)',
    );
  }
  return runConnected(parseTarget(word, options.env, options.cwd), rest, io, options);
}
