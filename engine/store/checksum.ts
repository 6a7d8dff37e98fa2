import { crc32 } from 'node:zlib';

/**
 * Every row the engine writes carries a CRC-32 of its fields (keys included, so a
 * row that turns up under the wrong key fails too). SQLite checks its b-tree structure
 * but not the bytes of a value; these checksums catch flipped bits inside values.
 */
export type ChecksumField = number | string | Uint8Array | null;

const scratch = Buffer.alloc(8);

export function rowChecksum(table: number, fields: readonly ChecksumField[]): number {
  scratch.writeDoubleLE(table, 0);
  let crc = crc32(scratch);
  for (const field of fields) {
    if (field === null) {
      scratch.writeDoubleLE(-0.5, 0);
      crc = crc32(scratch, crc);
    } else if (typeof field === 'number') {
      // SQLite stores -0 as 0: checksum them alike, so no writer can make a row that fails on read.
      scratch.writeDoubleLE(field === 0 ? 0 : field, 0);
      crc = crc32(scratch, crc);
    } else {
      scratch.writeDoubleLE(typeof field === 'string' ? Buffer.byteLength(field) : field.byteLength, 0);
      crc = crc32(scratch, crc);
      // zlib's crc32 answers 0 for an empty buffer with no memory (SQLite's empty blob), so skip empties.
      if (field.length > 0) crc = crc32(field, crc);
    }
  }
  return crc;
}

/** Table tags mixed into each checksum. */
export const TABLE = { meta: 1, inode: 2, dirent: 3, xattr: 4, block: 5 } as const;
