// The desktop shell's main process: window, menu, lifecycle and the IPC wrapper. It runs no
// engine code itself: the engine host lives in a utility process (engineProcess.ts), so a
// benchmark never blocks main or the UI.
import {
  app,
  BrowserWindow,
  dialog,
  ipcMain,
  Menu,
  MessageChannelMain,
  protocol,
  screen,
  session,
  shell,
  utilityProcess,
} from 'electron';
import { dirname, isAbsolute, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { answerAppRequest } from './appProtocol.js';
import { EngineProcess } from './engineProcess.js';
import { registerContractIpc, relayEvent } from './ipc.js';
import { buildMenuTemplate } from './menu.js';
import { forgetStore, readRecentStores, rememberStore } from './recentStores.js';
import {
  APP_ENTRY_URL,
  APP_SCHEME,
  hardenWebContents,
  isWorkbenchUrl,
  permissionAllowed,
  workbenchWindowOptions,
} from './security.js';
import { readWindowState, saveWindowState } from './windowState.js';

const here = dirname(fileURLToPath(import.meta.url)); // dist/electron
const rendererDir = join(here, '..', 'renderer');
const SHUTDOWN_WAIT_MS = 30_000;

let window: BrowserWindow | null = null;
let engine: EngineProcess | null = null;
let socketPath: string | null = null;
let quitting: 'no' | 'shutting-down' | 'done' = 'no';

/** `--store DIR` opens that store at start; without it, the demo store (created on first run). */
function storeFromArgs(argv: readonly string[]): string {
  const index = argv.indexOf('--store');
  const dir = index >= 0 ? argv[index + 1] : undefined;
  return dir === undefined ? 'demo' : isAbsolute(dir) ? dir : resolve(process.cwd(), dir);
}

function notify(level: 'info' | 'warn' | 'error', message: string): void {
  relayEvent(window?.webContents ?? null, 'engine/log', { level, message, at: new Date().toISOString() });
}

function openWindow(): void {
  const userData = app.getPath('userData');
  const state = readWindowState(
    userData,
    screen.getAllDisplays().map((display) => display.workArea),
  );
  const { maximized, ...bounds } = state;
  const win = new BrowserWindow(workbenchWindowOptions(join(here, 'preload.cjs'), bounds));
  hardenWebContents(win.webContents, (url) => void shell.openExternal(url));
  win.once('ready-to-show', () => {
    if (maximized) win.maximize();
    win.show();
  });
  win.on('close', () => {
    saveWindowState(userData, { ...win.getNormalBounds(), maximized: win.isMaximized() });
  });
  win.on('closed', () => {
    if (window === win) window = null;
  });
  window = win;
  void win.loadURL(APP_ENTRY_URL);
}

async function openStore(dir: string): Promise<void> {
  if (engine === null) return;
  const outcome = await engine.call('store/open', { dir });
  if (!outcome.ok) {
    dialog.showErrorBox('The store could not be opened', `${outcome.error.code}: ${outcome.error.message}`);
    if (outcome.error.code === 'E_NOT_FOUND') forgetStore(app.getPath('userData'), dir);
  } else {
    rememberStore(app.getPath('userData'), dir);
    notify('info', `Opened the store at ${dir}; it is in the list of open stores.`);
  }
  refreshMenu();
}

function refreshMenu(): void {
  const userData = app.getPath('userData');
  const template = buildMenuTemplate(readRecentStores(userData), {
    openStore: () => {
      void dialog
        .showOpenDialog({ title: 'Open a VexFS store', properties: ['openDirectory'] })
        .then((answer) =>
          answer.canceled || answer.filePaths[0] === undefined ? undefined : openStore(answer.filePaths[0]),
        );
    },
    openRecent: (dir) => void openStore(dir),
    clearRecent: () => {
      for (const dir of readRecentStores(userData)) forgetStore(userData, dir);
      refreshMenu();
    },
    showConnectHelp: () => {
      void dialog.showMessageBox({
        type: 'info',
        title: 'Use vexctl with this app',
        message: socketPath
          ? `While the app runs, 'vexctl --connect COMMAND …' runs any vexctl command in it (on the stores it holds open).\n\nIts socket: ${socketPath}`
          : 'vexctl --connect is not available in this session: the engine could not listen on its socket (see the log).',
      });
    },
    developerTools: !app.isPackaged,
  });
  Menu.setApplicationMenu(Menu.buildFromTemplate(template));
}

async function start(): Promise<void> {
  session.defaultSession.setPermissionRequestHandler((_contents, permission, callback, details) =>
    callback(permissionAllowed(permission, details.requestingUrl)),
  );
  session.defaultSession.setPermissionCheckHandler((_contents, permission, requestingOrigin) =>
    permissionAllowed(permission, requestingOrigin),
  );
  protocol.handle(APP_SCHEME, (request) => {
    const answer = answerAppRequest(rendererDir, request.url);
    return new Response(new Uint8Array(answer.body), { status: answer.status, headers: answer.headers });
  });
  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, (url) => void shell.openExternal(url)),
  );

  const running = EngineProcess.start(
    {
      fork: (modulePath) => utilityProcess.fork(modulePath, [], { serviceName: 'VexFS engine', stdio: 'inherit' }),
      channel: () => new MessageChannelMain(),
    },
    join(here, '..', 'electron-host.mjs'),
    { workspaceRoot: null, openAtStart: storeFromArgs(process.argv) },
  );
  engine = running;
  registerContractIpc(ipcMain, {
    isTrustedUrl: isWorkbenchUrl,
    forward: async (name, input) => {
      const outcome = await running.call(name, input);
      // Stores the page opens or creates join File → Open Recent, kept in userData.
      if (outcome.ok && (name === 'store/open' || name === 'store/create')) {
        rememberStore(app.getPath('userData'), (outcome.result as { dir: string }).dir);
        refreshMenu();
      }
      return outcome;
    },
    onRefused: (channel, reason) => console.warn(`vexfs ipc ${channel}: ${reason}`),
  });
  running.onEvent((name, payload) => relayEvent(window?.webContents ?? null, name, payload));
  refreshMenu();
  openWindow();
  const ready = await running.ready;
  socketPath = ready.socketPath;
  if (ready.openedStore !== null && ready.openedStore !== 'demo')
    rememberStore(app.getPath('userData'), ready.openedStore);
  refreshMenu();
  for (const note of ready.notes) notify('warn', note);
}

if (!app.requestSingleInstanceLock()) {
  // Another window of the app is running: it is focused (second-instance) and this one ends.
  app.quit();
} else {
  protocol.registerSchemesAsPrivileged([
    { scheme: APP_SCHEME, privileges: { standard: true, secure: true, supportFetchAPI: true } },
  ]);
  app.on('second-instance', () => {
    if (window === null) return openWindow();
    if (window.isMinimized()) window.restore();
    window.focus();
  });
  app.on('window-all-closed', () => app.quit());
  app.on('before-quit', (event) => {
    // Graceful shutdown: the host cancels running benchmarks (saved as cancelled) and closes stores.
    if (quitting === 'done' || engine === null) return;
    event.preventDefault();
    if (quitting === 'shutting-down') return;
    quitting = 'shutting-down';
    void engine.shutdown(SHUTDOWN_WAIT_MS).then((report) => {
      if (report === null) console.warn('vexfs: the engine did not shut down in time and was stopped');
      quitting = 'done';
      app.quit();
    });
  });
  void app.whenReady().then(start);
}
