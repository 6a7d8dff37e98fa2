import { VexError } from '../errors.js';
import { Vfs } from '../fs/Vfs.js';
import type { Store } from '../store/Store.js';

export interface OpenStore {
  store: Store;
  vfs: Vfs;
}

/** The stores a host has open, by store id; one open per directory. */
export class OpenStores {
  private readonly byId = new Map<string, OpenStore>();

  add(store: Store): OpenStore {
    const existing = this.byId.get(store.meta.storeId);
    if (existing !== undefined) return existing;
    const entry = { store, vfs: new Vfs(store) };
    this.byId.set(store.meta.storeId, entry);
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
    await entry.store.close();
  }

  async closeAll(): Promise<void> {
    const entries = [...this.byId.values()];
    this.byId.clear();
    await Promise.all(entries.map((entry) => entry.store.close()));
  }
}
