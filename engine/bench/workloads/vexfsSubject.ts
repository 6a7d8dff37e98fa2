import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { listDir, removePath, statPath } from '../../fs/pathOps.js';
import { O_RDWR, ROOT_CRED } from '../../fs/types.js';
import { Vfs } from '../../fs/Vfs.js';
import { ROOT_INO } from '../../store/layout.js';
import { Store } from '../../store/Store.js';
import type { FsSubject } from './fsSubjects.js';

export interface VexfsSubjectOptions {
  /** `--store DIR` (an existing store is opened, a new or empty directory gets one), else null. */
  storeDir: string | null;
  scratchDir: string;
  commitWindowUs: number | undefined;
}

const cred = ROOT_CRED;
const FILE_MODE = 0o644;

/**
 * The in-process Vfs over a real store. Mutations resolve after their group commit: the
 * committed acknowledgement level. The bench works in a directory of its own, removed at
 * close, so that `--store DIR` never loses anything that was there before.
 */
export async function openVexfs(options: VexfsSubjectOptions): Promise<FsSubject> {
  const storeDir = options.storeDir ?? join(options.scratchDir, `vexfs-store-${randomBytes(4).toString('hex')}`);
  const openOptions = options.commitWindowUs === undefined ? {} : { commitWindowUs: options.commitWindowUs };
  const existing = existsSync(storeDir) && readdirSync(storeDir).length > 0;
  let store = existing ? await Store.open(storeDir, openOptions) : await Store.create(storeDir, openOptions);
  let vfs = new Vfs(store);
  const benchName = `vexfs-bench-${randomBytes(4).toString('hex')}`;
  const benchPath = `/${benchName}`;
  const dirIno = (await vfs.mkdir(ROOT_INO, benchName, 0o755, cred)).ino;
  let listingPath = `${benchPath}/ls`;
  let slotNames: readonly string[] = [];
  let fhs: number[] = [];
  const openSlots = async (names: readonly string[]): Promise<void> => {
    slotNames = names;
    fhs = [];
    for (const name of names) fhs.push(await vfs.open(vfs.childIno(dirIno, name), O_RDWR, cred));
  };
  const releaseSlots = async (): Promise<void> => {
    for (const fh of fhs) await vfs.release(fh);
    fhs = [];
  };
  return {
    create: (name) => vfs.create(dirIno, name, FILE_MODE, O_RDWR, cred).then(({ fh }) => vfs.release(fh)),
    stat: (name) => void statPath(vfs, `${benchPath}/${name}`, cred),
    write: (slot, data) => vfs.write(fhs[slot % fhs.length] as number, 0, data, cred).then(() => undefined),
    read: (slot, length) => void vfs.read(fhs[slot % fhs.length] as number, 0, length),
    readdir: () => void listDir(vfs, listingPath, cred, 0, 100_000),
    unlink: (name) => vfs.unlink(dirIno, name, cred),
    seed: async (name, data) => {
      const { fh } = await vfs.create(dirIno, name, FILE_MODE, O_RDWR, cred);
      await vfs.write(fh, 0, data, cred);
      await vfs.release(fh);
    },
    seedListing: async (count) => {
      const ino = (await vfs.mkdir(dirIno, 'ls', 0o755, cred)).ino;
      listingPath = `${benchPath}/ls`;
      for (let i = 0; i < count; i++) {
        const { fh } = await vfs.create(ino, `e${i}`, FILE_MODE, O_RDWR, cred);
        await vfs.release(fh);
      }
    },
    openSlots,
    reopen: async () => {
      await releaseSlots();
      await store.close();
      store = await Store.open(storeDir, openOptions);
      vfs = new Vfs(store);
      await openSlots(slotNames);
    },
    close: async () => {
      try {
        await releaseSlots();
        await removePath(vfs, benchPath, true, cred);
      } finally {
        await store.close();
      }
    },
  };
}
