import { BLOCK_SIZE } from '../store/layout.js';
import type { InodeTable } from './InodeTable.js';

/**
 * File content over the blocks table. A block holds up to BLOCK_SIZE bytes and may
 * be shorter (the rest reads as zeros); a missing block is a hole. Invariant, checked
 * by fsck: no block reaches past the file's size.
 */

/** Reads [offset, offset+length) clipped to `fileSize`; holes read as zeros. */
export function readData(table: InodeTable, ino: number, fileSize: number, offset: number, length: number): Buffer {
  const end = Math.min(fileSize, offset + length);
  if (offset >= end) return Buffer.alloc(0);
  const first = Math.floor(offset / BLOCK_SIZE);
  const last = Math.floor((end - 1) / BLOCK_SIZE);
  const blocks = table.blocksInRange(ino, first, last);
  if (first === last && blocks.length === 1) {
    // The common small read: one block covers it, so hand out a view without copying
    // (a copy when the block is the content cache's, which the caller must not change).
    const data = blocks[0]!.data;
    const start = offset - first * BLOCK_SIZE;
    const stop = end - first * BLOCK_SIZE;
    if (stop <= data.length)
      return table.cache === null ? data.subarray(start, stop) : Buffer.from(data.subarray(start, stop));
  }
  const out = Buffer.alloc(end - offset);
  for (const { index, data } of blocks) {
    const blockStart = index * BLOCK_SIZE;
    const from = Math.max(offset, blockStart);
    const to = Math.min(end, blockStart + data.length);
    if (from < to) data.copy(out, from - offset, from - blockStart, to - blockStart);
  }
  return out;
}

/** Writes `data` at `offset`; returns the change in stored bytes. */
export function writeData(table: InodeTable, ino: number, offset: number, data: Uint8Array): number {
  let allocDelta = 0;
  let done = 0;
  while (done < data.length) {
    const position = offset + done;
    const index = Math.floor(position / BLOCK_SIZE);
    const within = position - index * BLOCK_SIZE;
    const count = Math.min(BLOCK_SIZE - within, data.length - done);
    const piece = data.subarray(done, done + count);
    const existing = within === 0 && count === BLOCK_SIZE ? undefined : table.getBlock(ino, index);
    const oldLength = existing?.length ?? (within === 0 && count === BLOCK_SIZE ? blockLength(table, ino, index) : 0);
    let block: Uint8Array;
    let pooled: Buffer | null = null;
    if (existing === undefined && within === 0) {
      block = piece;
    } else {
      const mergedLength = Math.max(existing?.length ?? 0, within + count);
      // A temporary buffer (SQLite copies it): from the pools when the store has them.
      const merged = table.pools === null ? Buffer.alloc(mergedLength) : (pooled = table.pools.acquire(mergedLength));
      existing?.copy(merged);
      if (pooled !== null) merged.fill(0, existing?.length ?? 0, within);
      merged.set(piece, within);
      block = merged;
    }
    try {
      table.putBlock(ino, index, block);
    } finally {
      if (pooled !== null) table.pools?.release(pooled);
    }
    allocDelta += block.length - oldLength;
    done += count;
  }
  return allocDelta;
}

/** Shrinks content to `newSize` (growing needs no blocks: the new range is a hole); returns the change in stored bytes. */
export function truncateData(table: InodeTable, ino: number, oldSize: number, newSize: number): number {
  if (newSize >= oldSize) return 0;
  const keepBlocks = Math.ceil(newSize / BLOCK_SIZE);
  let allocDelta = -table.deleteBlocksFrom(ino, keepBlocks);
  const tailLength = newSize - (keepBlocks - 1) * BLOCK_SIZE;
  if (keepBlocks > 0 && tailLength < BLOCK_SIZE) {
    const tail = table.getBlock(ino, keepBlocks - 1);
    if (tail !== undefined && tail.length > tailLength) {
      table.putBlock(ino, keepBlocks - 1, tail.subarray(0, tailLength));
      allocDelta -= tail.length - tailLength;
    }
  }
  return allocDelta;
}

function blockLength(table: InodeTable, ino: number, index: number): number {
  return table.getBlock(ino, index)?.length ?? 0;
}
