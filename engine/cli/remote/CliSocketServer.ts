import { chmodSync, existsSync, rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { dirname } from 'node:path';
import { VexError } from '../../errors.js';
import { MAX_LINE_BYTES, prepareSocketDir } from './protocol.js';
import { remoteSession, type CliRunner } from './runRemote.js';

/**
 * The per-user Unix socket a running app or `vexctl serve` listens on, so that
 * `vexctl --connect` runs commands in the process that holds the stores open.
 * The socket is 0600 in a 0700 directory: only this user can reach it.
 */
export class CliSocketServer {
  private readonly sockets = new Set<Socket>();

  private constructor(
    readonly path: string,
    private readonly server: Server,
    private readonly run: CliRunner,
  ) {
    server.on('connection', (socket) => this.accept(socket));
  }

  /** Listens on `path`; a stale socket left by a crashed process is replaced, a live one is refused. */
  static async listen(path: string, run: CliRunner): Promise<CliSocketServer> {
    prepareSocketDir(dirname(path));
    if (existsSync(path)) {
      if (await answers(path)) {
        throw new VexError(
          'EBUSY',
          `another VexFS engine already listens on ${path}; 'vexctl --connect' reaches that one (stop it, or set XDG_RUNTIME_DIR for a separate socket)`,
        );
      }
      rmSync(path, { force: true });
    }
    const server = createServer();
    const instance = new CliSocketServer(path, server, run);
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(path, () => resolve());
    });
    chmodSync(path, 0o600);
    return instance;
  }

  private accept(socket: Socket): void {
    this.sockets.add(socket);
    socket.setEncoding('utf8');
    let buffered = '';
    const session = remoteSession(
      this.run,
      (message) => {
        if (!socket.destroyed) socket.write(`${JSON.stringify(message)}\n`);
      },
      () => socket.end(),
    );
    socket.on('data', (chunk: string) => {
      buffered += chunk;
      if (buffered.length > MAX_LINE_BYTES) {
        socket.destroy();
        return;
      }
      let newline = buffered.indexOf('\n');
      while (newline >= 0) {
        const line = buffered.slice(0, newline);
        buffered = buffered.slice(newline + 1);
        if (line.trim() !== '') session.onMessage(line);
        newline = buffered.indexOf('\n');
      }
    });
    socket.on('error', () => socket.destroy());
    socket.on('close', () => {
      this.sockets.delete(socket);
      session.onClose();
    });
  }

  /** Stops listening, ends the connections (aborting their commands) and removes the socket file. */
  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
    rmSync(this.path, { force: true });
  }
}

/** Whether a process answers on the socket (a live server) or not (a file left by a crash). */
function answers(path: string): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = connect(path);
    probe.once('connect', () => {
      probe.destroy();
      resolve(true);
    });
    probe.once('error', () => resolve(false));
  });
}
