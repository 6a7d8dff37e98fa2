import { openSession } from '../../session.js';
import { capabilities } from '../../vector/kernels/index.js';
import type { Store } from '../../store/Store.js';
import type { Handlers } from '../EngineHost.js';
import type { OpenStores } from '../OpenStores.js';
import type { Workspace } from '../Workspace.js';

const VERSION = '0.1.0';

type StoreHandlerNames = 'engine/hello' | 'store/create' | 'store/open' | 'store/close' | 'store/list';

export function summarize(store: Store) {
  return {
    storeId: store.meta.storeId,
    dir: store.dir,
    readOnly: store.readOnly,
    formatVersion: store.meta.formatVersion,
    dim: store.meta.dim,
    metric: store.meta.metric,
    createdAt: store.meta.createdAt,
    recovery: store.recovery,
  };
}

export function storeHandlers(stores: OpenStores, workspace: Workspace): Pick<Handlers, StoreHandlerNames> {
  return {
    'engine/hello': () => ({
      version: VERSION,
      nodeVersion: process.version,
      kernelBackend: capabilities().backend,
      // What this engine can do today; the UI says plainly what has not landed (hnsw, fuse, semantic).
      capabilities: ['store', 'fs', 'config', 'bench', 'collections'],
    }),
    'store/create': async ({ dir, dim, metric }) => {
      const session = await openSession(workspace.resolve(dir), { create: { dim, metric } });
      return summarize(stores.add(session).store);
    },
    'store/open': async ({ dir, readOnly }) => {
      const absolute = workspace.resolve(dir);
      const already = stores.byDir(absolute);
      if (already !== undefined) return summarize(already.store);
      const session = await openSession(absolute, { readOnly: readOnly ?? false });
      return summarize(stores.add(session).store);
    },
    'store/close': async ({ storeId }) => {
      await stores.close(storeId);
      return {};
    },
    'store/list': () => ({ stores: stores.list().map((entry) => summarize(entry.store)) }),
  };
}
