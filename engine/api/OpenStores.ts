import { VexError } from '../errors.js';
import type { Vfs } from '../fs/Vfs.js';
import type { EngineSession } from '../session.js';
import type { Store } from '../store/Store.js';

export interface OpenStore {
  store: Store;
  vfs: Vfs;
  close(): Promise<void>;
}

/** The stores a host has open, by store id; one open per directory. */
export class OpenStores {
  private readonly byId = new Map<string, OpenStore>();

  /** Keeps a store opened through openSession (config applied); a second open of one store is the first. */
  add(session: EngineSession): OpenStore {
    const existing = this.byId.get(session.store.meta.storeId);
    if (existing !== undefined) {
      // Already open here: the new session only borrowed it; give that borrow back.
      void session.close();
      return existing;
    }
    const entry = { store: session.store, vfs: session.vfs, close: () => session.close() };
    this.byId.set(session.store.meta.storeId, entry);
    return entry;
  }

  byDir(dir: string): OpenStore | undefined {
    return [...this.byId.values()].find((entry) => entry.store.dir === dir);
  }

  get(storeId: string): OpenStore {
    const entry = this.byId.get(storeId);
    if (entry === undefined) throw new VexError('E_NOT_FOUND', `no open store with id ${storeId}; open it first`);
    return entry;
  }

  list(): OpenStore[] {
    return [...this.byId.values()];
  }

  async close(storeId: string): Promise<void> {
    const entry = this.get(storeId);
    this.byId.delete(storeId);
    await entry.close();
  }

  async closeAll(): Promise<void> {
    const entries = [...this.byId.values()];
    this.byId.clear();
    await Promise.all(entries.map((entry) => entry.close()));
  }
}
