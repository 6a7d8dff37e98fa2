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
 */
export interface EngineSession {
  store: Store;
  vfs: Vfs;
  config: LoadedConfig;
}

export interface SessionOptions {
  readOnly?: boolean;
  /** `--config FILE`. */
  configFile?: string;
  env?: Readonly<Record<string, string | undefined>>;
  /** Create the store first (an empty or new directory) with this dimension and metric. */
  create?: { dim?: number; metric?: Metric };
}

export async function openSession(dir: string, options: SessionOptions = {}): Promise<EngineSession> {
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
    return { store, vfs: new Vfs(store, { atime: general.atime }), config };
  } catch (error) {
    await store.close();
    throw error;
  }
}
