import {
  listDir,
  makeDirectory,
  readRange,
  readVector,
  removePath,
  renamePath,
  statPath,
  writeWholeFile,
} from '../../fs/pathOps.js';
import { resolvePath } from '../../fs/paths.js';
import { RENAME_NOREPLACE, processCred } from '../../fs/types.js';
import type { Handlers } from '../EngineHost.js';
import type { OpenStores } from '../OpenStores.js';

type FsHandlerNames = Extract<keyof Handlers, `fs/${string}`>;

/** Requests act as the user the engine runs as, exactly as that user's processes would through a mount. */
export function fsHandlers(stores: OpenStores): Pick<Handlers, FsHandlerNames> {
  const cred = processCred();
  return {
    'fs/stat': ({ storeId, path }) => {
      const { vfs } = stores.get(storeId);
      const attr = statPath(vfs, path, cred, false);
      return {
        ...attr,
        symlinkTarget: attr.kind === 'symlink' ? vfs.readlink(attr.ino) : null,
        xattrs: attr.kind === 'symlink' ? [] : vfs.xattr.list(attr.ino, cred),
      };
    },
    'fs/readdir': ({ storeId, path, offset, limit }) => {
      const { vfs } = stores.get(storeId);
      const page = listDir(vfs, path, cred, offset, limit);
      return {
        entries: page.entries.map((entry) => ({ ...entry, size: vfs.getattr(entry.ino).size })),
        nextOffset: page.nextOffset,
      };
    },
    'fs/read': async ({ storeId, path, offset, length }) => {
      const { vfs } = stores.get(storeId);
      const data = await readRange(vfs, path, cred, offset, length);
      const size = vfs.getattr(resolvePath(vfs, path, cred).ino).size;
      return { dataBase64: data.toString('base64'), size, eof: offset + data.length >= size };
    },
    'fs/write-file': ({ storeId, path, dataBase64, mode }) =>
      writeWholeFile(stores.get(storeId).vfs, path, Buffer.from(dataBase64, 'base64'), mode, cred),
    'fs/mkdir': ({ storeId, path, mode, parents }) => makeDirectory(stores.get(storeId).vfs, path, mode, parents, cred),
    'fs/remove': async ({ storeId, path, recursive }) => {
      await removePath(stores.get(storeId).vfs, path, recursive, cred);
      return {};
    },
    'fs/rename': async ({ storeId, from, to, noReplace }) => {
      await renamePath(stores.get(storeId).vfs, from, to, noReplace ? RENAME_NOREPLACE : 0, cred);
      return {};
    },
    'fs/getxattr': ({ storeId, path, name }) => {
      const { vfs } = stores.get(storeId);
      const value = vfs.xattr.get(resolvePath(vfs, path, cred).ino, name, cred);
      return { valueBase64: value.toString('base64') };
    },
    'fs/setxattr': async ({ storeId, path, name, valueBase64 }) => {
      const { vfs } = stores.get(storeId);
      await vfs.xattr.set(resolvePath(vfs, path, cred).ino, name, Buffer.from(valueBase64, 'base64'), 0, cred);
      return {};
    },
    'fs/vector': ({ storeId, path }) => {
      const vector = readVector(stores.get(storeId).vfs, path, cred);
      return { vector: vector === null ? null : Array.from(vector) };
    },
  };
}
