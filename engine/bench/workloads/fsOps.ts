import { createHash } from 'node:crypto';
import { VexError } from '../../errors.js';
import { createRandom } from '../stats/random.js';
import { openMemfs, openNodeFs, type FsSubject } from './fsSubjects.js';
import type { WorkloadContext, WorkloadModule, WorkloadSession } from './types.js';
import { openVexfs } from './vexfsSubject.js';

/** The op names of fs-ops, in the order `run(opIndex)` numbers them. */
export const FS_OPS = ['create', 'stat', 'write_4k', 'read_4k', 'readdir', 'unlink'] as const;
export const FS_SUBJECTS = ['vexfs', 'memfs', 'node_fs'] as const;
const BLOCK_BYTES = 4096;
/** Files made by `create` beyond this multiple of the dataset are removed between chunks. */
const CREATED_LIMIT_FACTOR = 4;

/** Deterministic file content from the dataset seed, so every subject stores the same bytes. */
function blockFromSeed(seed: number): Uint8Array {
  const random = createRandom(seed);
  const block = new Uint8Array(BLOCK_BYTES);
  for (let i = 0; i < block.length; i++) block[i] = random.int(256);
  return block;
}

async function openSubject(context: WorkloadContext): Promise<FsSubject> {
  switch (context.subject) {
    case 'vexfs':
      return openVexfs({
        storeDir: context.storeDir,
        scratchDir: context.scratchDir,
        commitWindowUs: context.storeConfig.commit_window_us as number | undefined,
      });
    case 'memfs':
      return openMemfs();
    case 'node_fs':
      return openNodeFs();
    default:
      throw new VexError('E_PROFILE', `fs-ops has no subject '${context.subject}'; use ${FS_SUBJECTS.join(', ')}.`);
  }
}

/**
 * fs-ops: create, stat, write 4 KiB, read 4 KiB, readdir and unlink over a working set of
 * `dataset.size` files of 4 KiB, the same on every subject. Reads and writes go through
 * `params.open_files` files held open; readdir lists a directory of `params.listing_entries`
 * entries; unlink removes files made by create first, then working-set files, which the
 * untimed maintenance between chunks puts back.
 */
export const fsOpsWorkload: WorkloadModule = {
  open: async (context: WorkloadContext): Promise<WorkloadSession> => {
    if (context.dataset.file !== null) {
      throw new VexError(
        'E_PROFILE',
        'fs-ops generates its files; it does not import a dataset file (remove dataset.file).',
      );
    }
    const size = Math.max(1, context.dataset.size);
    const openFiles = Math.min(Number(context.params.open_files ?? 32), size);
    const listingEntries = Number(context.params.listing_entries ?? 64);
    const block = blockFromSeed(context.dataset.seed);
    const checksum = createHash('sha256').update(`fs-ops:${size}:${listingEntries}:`).update(block).digest('hex');
    const subject = await openSubject(context);
    let counter = 0;
    const slots: string[] = [];
    const pool: string[] = [];
    const created: string[] = [];
    try {
      for (let i = 0; i < size; i++) {
        const name = `f${counter++}`;
        await subject.seed(name, block);
        (i < openFiles ? slots : pool).push(name);
      }
      await subject.seedListing(listingEntries);
      await subject.openSlots(slots);
    } catch (error) {
      await subject.close().catch(() => {});
      throw error;
    }
    const poolTarget = size - openFiles;
    let statCursor = 0;
    let slotCursor = 0;
    return {
      run(opIndex: number): void | Promise<void> {
        switch (opIndex) {
          case 0: {
            const name = `n${counter++}`;
            created.push(name);
            return subject.create(name);
          }
          case 1:
            return subject.stat(
              pool.length > 0
                ? (pool[statCursor++ % pool.length] as string)
                : (slots[statCursor++ % slots.length] as string),
            );
          case 2:
            return subject.write(slotCursor++, block);
          case 3:
            return subject.read(slotCursor++, BLOCK_BYTES);
          case 4:
            return subject.readdir();
          case 5: {
            const name = created.pop() ?? pool.pop();
            if (name === undefined)
              throw new VexError('ENOENT', 'fs-ops has no file left to unlink; make dataset.size larger.');
            return subject.unlink(name);
          }
          default:
            throw new VexError('EINVAL', `fs-ops has no op #${opIndex}`);
        }
      },
      async maintain(): Promise<void> {
        while (pool.length < poolTarget) {
          const name = `f${counter++}`;
          await subject.seed(name, block);
          pool.push(name);
        }
        while (created.length > CREATED_LIMIT_FACTOR * size) await subject.unlink(created.shift() as string);
      },
      reopen: () => subject.reopen(),
      datasetChecksum: checksum,
      close: () => subject.close(),
    };
  },
};
