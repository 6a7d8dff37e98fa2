import * as nodeFs from 'node:fs';
import { mkdtempSync, rmSync, existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createRequire } from 'node:module';
import type { Volume } from 'memfs';
import { VexError } from '../../errors.js';

/**
 * One filesystem under test in fs-ops, by file name inside its bench directory. Sync
 * methods return undefined; a Promise means the op is acknowledged when it settles.
 * `slot` ops (read/write) use files kept open, as a process holding fds would.
 */
export interface FsSubject {
  create(name: string): void | Promise<void>;
  stat(name: string): void;
  write(slot: number, data: Uint8Array): void | Promise<void>;
  read(slot: number, length: number): void;
  /** Lists the subject's listing directory (a fixed set of entries made by seedListing). */
  readdir(): void;
  unlink(name: string): void | Promise<void>;
  /** Untimed setup: a file with content. */
  seed(name: string, data: Uint8Array): Promise<void>;
  /** Untimed: a subdirectory `ls` holding `count` empty files, for readdir. */
  seedListing(count: number): Promise<void>;
  /** Untimed: opens the first `count` seeded files for read/write ops. */
  openSlots(names: readonly string[]): Promise<void>;
  /** Closes and reopens (cold start); open slots are reopened. */
  reopen(): Promise<void>;
  close(): Promise<void>;
}

/** The subset of the fs API that memfs and node:fs share and fs-ops uses. */
interface SyncFs {
  mkdirSync(path: string, options: { recursive: true }): unknown;
  openSync(path: string, flags: string): number;
  closeSync(fd: number): void;
  statSync(path: string): unknown;
  writeSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  readSync(fd: number, buffer: Uint8Array, offset: number, length: number, position: number): number;
  readdirSync(path: string): unknown[];
  unlinkSync(path: string): void;
}

class SyncFsSubject implements FsSubject {
  #fds: number[] = [];
  #slotNames: readonly string[] = [];
  readonly #buffer = new Uint8Array(1 << 16);

  constructor(
    private readonly fs: SyncFs,
    private readonly dir: string,
    private readonly cleanup: () => void,
  ) {
    fs.mkdirSync(dir, { recursive: true });
  }

  create(name: string): void {
    this.fs.closeSync(this.fs.openSync(`${this.dir}/${name}`, 'wx'));
  }
  stat(name: string): void {
    this.fs.statSync(`${this.dir}/${name}`);
  }
  write(slot: number, data: Uint8Array): void {
    this.fs.writeSync(this.#fds[slot % this.#fds.length] as number, data, 0, data.length, 0);
  }
  read(slot: number, length: number): void {
    this.fs.readSync(this.#fds[slot % this.#fds.length] as number, this.#buffer, 0, length, 0);
  }
  readdir(): void {
    this.fs.readdirSync(`${this.dir}/ls`);
  }
  unlink(name: string): void {
    this.fs.unlinkSync(`${this.dir}/${name}`);
  }
  async seed(name: string, data: Uint8Array): Promise<void> {
    const fd = this.fs.openSync(`${this.dir}/${name}`, 'w');
    this.fs.writeSync(fd, data, 0, data.length, 0);
    this.fs.closeSync(fd);
  }
  async seedListing(count: number): Promise<void> {
    this.fs.mkdirSync(`${this.dir}/ls`, { recursive: true });
    for (let i = 0; i < count; i++) this.fs.closeSync(this.fs.openSync(`${this.dir}/ls/e${i}`, 'w'));
  }
  async openSlots(names: readonly string[]): Promise<void> {
    this.#slotNames = names;
    this.#fds = names.map((name) => this.fs.openSync(`${this.dir}/${name}`, 'r+'));
  }
  async reopen(): Promise<void> {
    for (const fd of this.#fds) this.fs.closeSync(fd);
    await this.openSlots(this.#slotNames);
  }
  async close(): Promise<void> {
    for (const fd of this.#fds) this.fs.closeSync(fd);
    this.#fds = [];
    this.cleanup();
  }
}

/** memfs: an in-memory filesystem in this process, the peer an in-process engine must beat. */
export function openMemfs(): FsSubject {
  // Required here, not imported: an external import is hoisted to the top of the CLI bundle, and memfs costs ~80 ms at every start.
  const memfs = createRequire(import.meta.url)('memfs') as { Volume: typeof Volume };
  const volume = new memfs.Volume();
  return new SyncFsSubject(volume as unknown as SyncFs, '/bench', () => volume.reset());
}

/** The tmpfs directory node:fs runs on: /dev/shm, so that no disk is involved. */
export const TMPFS_DIR = '/dev/shm';

/** node:fs (synchronous calls) on a tmpfs directory: the kernel's own filesystem path. */
export function openNodeFs(): FsSubject {
  if (!existsSync(TMPFS_DIR) || !statSync(TMPFS_DIR).isDirectory()) {
    throw new VexError(
      'E_UNAVAILABLE',
      `The node_fs peer needs a tmpfs at ${TMPFS_DIR}, which this system lacks; drop node_fs from the profile's subjects.`,
    );
  }
  const dir = mkdtempSync(join(TMPFS_DIR, 'vexfs-bench-'));
  return new SyncFsSubject(nodeFs as unknown as SyncFs, dir, () => rmSync(dir, { recursive: true, force: true }));
}
