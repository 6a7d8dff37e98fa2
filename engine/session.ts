import { resolve } from 'node:path';
import { loadConfig, simdKernelsEnabled, type LoadedConfig } from './config/index.js';
import { Vfs } from './fs/Vfs.js';
import { attachMemory } from './memory/StoreMemory.js';
import type { Metric } from './store/layout.js';
import { Store } from './store/Store.js';
import { setSimdEnabled } from './vector/kernels/index.js';

/**
 * Opening a store the way the product does: its configuration loaded (command line,
 * $VEXFS_CONFIG, the store's own vexfs.toml, the user's, /etc/vexfs), and every effective
 * key applied — sync on close and the group-commit window to the store, atime to the
 * filesystem, the pools and the content cache attached, the kernels' SIMD switch set.
 * The CLI, the API host and the demo all open stores through here.
 *
 * Within one process a store is opened once and shared: a second openSession of a store
 * this process already holds (the app's host running a `vexctl --connect` command, say)
 * borrows the open one, and its close() only returns it. Store.open itself keeps refusing
 * a second writer, so nothing else can open the same store twice by accident.
 */
export interface EngineSession {
  store: Store;
  vfs: Vfs;
  config: LoadedConfig;
  /** Closes the store, or returns a borrowed one to its holder. */
  close(): Promise<void>;
}

export interface SessionOptions {
  readOnly?: boolean;
  /** `--config FILE`. */
  configFile?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Create the store first (an empty or new directory) with this dimension and metric. */
  create?: { dim?: number; metric?: Metric };
}

interface Shared {
  session: Omit<EngineSession, 'close'>;
  users: number;
}

const open = new Map<string, Shared>();

export async function openSession(dirArg: string, options: SessionOptions = {}): Promise<EngineSession> {
  const dir = resolve(dirArg);
  const held = open.get(dir);
  if (held !== undefined && options.create === undefined && (options.readOnly || !held.session.store.readOnly)) {
    held.users += 1;
    return borrowed(dir, held);
  }
  const config = loadConfig({
    configFile: options.configFile,
    env: options.env ?? process.env,
    storeDir: options.create === undefined ? dir : undefined,
  });
  const general = config.config.general;
  setSimdEnabled(simdKernelsEnabled(config.config));
  const storeOptions = {
    readOnly: options.readOnly ?? false,
    syncOnClose: general.sync_on_close,
    commitWindowUs: general.commit_window_us,
  };
  const store =
    options.create === undefined
      ? await Store.open(dir, storeOptions)
      : await Store.create(dir, { ...storeOptions, ...options.create });
  try {
    attachMemory(store, config.config);
  } catch (error) {
    await store.close();
    throw error;
  }
  const shared: Shared = { session: { store, vfs: new Vfs(store, { atime: general.atime }), config }, users: 1 };
  if (held === undefined) open.set(dir, shared);
  return borrowed(dir, shared);
}

function borrowed(dir: string, shared: Shared): EngineSession {
  let closed = false;
  return {
    ...shared.session,
    close: async () => {
      if (closed) return;
      closed = true;
      shared.users -= 1;
      if (shared.users > 0) return;
      if (open.get(dir) === shared) open.delete(dir);
      await shared.session.store.close();
    },
  };
}
