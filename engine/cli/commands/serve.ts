import { existsSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { EngineHost } from '../../api/EngineHost.js';
import { defaultDemoDir, ensureDemoStore } from '../../demo/demoStore.js';
import { shutdownHost } from '../../api/hostLifecycle.js';
import { serveWorkbench } from '../../api/server/servedMode.js';
import { isVexError, VexError } from '../../errors.js';
import type { Command, CommandContext } from '../command.js';
import { attachCliEndpoint } from '../remote/cliOverHttp.js';
import { CliSocketServer } from '../remote/CliSocketServer.js';
import { defaultSocketPath } from '../remote/protocol.js';
import type { CliRunner } from '../remote/runRemote.js';

const usage = `Usage: vexctl serve [--port N] [--store DIR | --demo] [--workspace DIR]

Serves the workbench to a browser on 127.0.0.1 and prints its URL (with this launch's
token) on one line. Paths that requests name (create, open, export) must lie inside the
workspace (default: the current directory). --store opens that store first; --demo opens
the demo store (created on first run, in $XDG_DATA_HOME/vexfs/demo-store). The same
process answers 'vexctl --connect' on the per-user socket ($XDG_RUNTIME_DIR/vexfs/engine.sock)
and on the URL. Ctrl-C stops it: running benchmarks are cancelled and saved, stores closed.`;

/** The built UI: $VEXFS_RENDERER_DIR, else dist/renderer beside the bundle or in the project. */
export function findRendererDir(env: Readonly<Record<string, string | undefined>>): string | null {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    env.VEXFS_RENDERER_DIR,
    join(here, 'renderer'), // dist/vexctl.mjs → dist/renderer
    join(here, '..', '..', '..', 'dist', 'renderer'), // engine/cli/commands → dist/renderer
  ];
  return candidates.find((dir) => dir !== undefined && existsSync(join(dir, 'index.html'))) ?? null;
}

function parse(ctx: CommandContext): { port: number; store: string | null; demo: boolean; workspace: string } {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...ctx.argv],
      options: {
        port: { type: 'string' },
        store: { type: 'string' },
        demo: { type: 'boolean' },
        workspace: { type: 'string' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (error) {
    throw new VexError('E_USAGE', `${(error as Error).message}\n${usage}`);
  }
  const port = values.port === undefined ? 0 : Number(values.port);
  if (values.port !== undefined && (!/^\d+$/.test(values.port) || port > 65535)) {
    throw new VexError(
      'E_USAGE',
      `--port '${values.port}' is invalid: give a port from 0 to 65535 (0 picks a free one)`,
    );
  }
  const workspace = resolve(ctx.cwd, values.workspace ?? '.');
  if (!existsSync(workspace) || !statSync(workspace).isDirectory()) {
    throw new VexError('E_USAGE', `--workspace '${values.workspace ?? '.'}' is not a directory`);
  }
  if (values.demo === true && values.store !== undefined) {
    throw new VexError('E_USAGE', `give --store DIR or --demo, not both\n${usage}`);
  }
  const store = values.demo === true ? defaultDemoDir(ctx.env) : values.store;
  return { port, store: store === undefined ? null : resolve(ctx.cwd, store), demo: values.demo === true, workspace };
}

export const serveCommand: Command = {
  name: 'serve',
  summary: 'serve the workbench on 127.0.0.1 (prints its URL) and accept vexctl --connect',
  usage,
  async run(ctx) {
    const options = parse(ctx);
    const host = new EngineHost({ workspaceRoot: options.workspace });
    // Imported here, not at the top: main.ts imports the command list that imports this file.
    const { runCli } = await import('../main.js');
    const runRemote: CliRunner = (argv, io, remote) => runCli(argv, io, { ...remote, env: ctx.env });
    let served: Awaited<ReturnType<typeof serveWorkbench>> | null = null;
    let socket: CliSocketServer | null = null;
    try {
      if (options.demo && options.store !== null) await ensureDemoStore(options.store);
      if (options.store !== null) {
        const opened = await host.call('store/open', { dir: options.store });
        if (!opened.ok) throw new VexError('E_UNAVAILABLE', `--store: ${opened.error.code}: ${opened.error.message}`);
      }
      served = await serveWorkbench({ host, port: options.port, staticDir: findRendererDir(ctx.env) });
      const endpoint = attachCliEndpoint(served.server, { port: served.port, token: served.token, run: runRemote });
      try {
        socket = await CliSocketServer.listen(defaultSocketPath(ctx.env), runRemote);
      } catch (error) {
        if (!isVexError(error)) throw error;
        ctx.io.err(`warning: ${error.message}`);
      }
      ctx.io.out(served.url);
      ctx.io.err(
        `Serving the VexFS workbench on 127.0.0.1:${served.port} (workspace ${options.workspace}` +
          `${socket ? `; vexctl --connect reaches it at ${socket.path}` : ''}). Ctrl-C stops it.`,
      );
      await new Promise<void>((resolveWait) => {
        if (ctx.signal.aborted) resolveWait();
        ctx.signal.addEventListener('abort', () => resolveWait(), { once: true });
      });
      endpoint.close();
    } finally {
      await socket?.close();
      await served?.close();
      const report = await shutdownHost(host);
      if (served !== null) {
        ctx.io.err(
          `Stopped: ${report.cancelledRuns.length} running benchmark(s) cancelled and saved` +
            `${report.unsavedRuns.length > 0 ? ` (not saved in time: ${report.unsavedRuns.join(', ')})` : ''}, ` +
            `${report.closedStores} store(s) closed.`,
        );
      }
    }
    return 0;
  },
};
