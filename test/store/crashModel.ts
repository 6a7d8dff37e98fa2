import { seededBytes } from './helpers.js';

/**
 * The crash test's model of what a writer did: each slot is one file that the child
 * changes by one operation at a time. The parent replays the reported operations to
 * know what every acknowledged write left behind.
 */
export type CrashOp =
  | { seq: number; slot: number; kind: 'create'; dir: number; name: string }
  | { seq: number; slot: number; kind: 'write'; offset: number; seed: number }
  | { seq: number; slot: number; kind: 'rename'; dir: number; name: string }
  | { seq: number; slot: number; kind: 'xattr'; seed: number }
  | { seq: number; slot: number; kind: 'unlink' };

export interface SlotState {
  dir: number;
  name: string | null;
  content: Buffer;
  vector: Buffer | null;
}

export const CRASH_DIRS = 4;
export const CRASH_DIM = 4;
export const WRITE_BYTES = 4096;

export function emptySlot(): SlotState {
  return { dir: 0, name: null, content: Buffer.alloc(0), vector: null };
}

export function vectorFor(seed: number): Buffer {
  const values = new Float32Array(CRASH_DIM);
  for (let i = 0; i < CRASH_DIM; i++) values[i] = ((seed * 31 + i * 7) % 1000) / 10;
  return Buffer.from(values.buffer);
}

export function applyOp(state: SlotState, op: CrashOp): SlotState {
  switch (op.kind) {
    case 'create':
      return { dir: op.dir, name: op.name, content: Buffer.alloc(0), vector: null };
    case 'write': {
      const data = seededBytes(op.seed, WRITE_BYTES);
      const content = Buffer.alloc(Math.max(state.content.length, op.offset + data.length));
      state.content.copy(content);
      data.copy(content, op.offset);
      return { ...state, content };
    }
    case 'rename':
      return { ...state, dir: op.dir, name: op.name };
    case 'xattr':
      return { ...state, vector: vectorFor(op.seed) };
    case 'unlink':
      return emptySlot();
  }
}
