import {
  closeSync,
  existsSync,
  openSync,
  readFileSync,
  statSync,
  truncateSync,
  writeFileSync,
  writeSync,
} from 'node:fs';

export type DamageMode = 'garbage' | 'flip' | 'truncate';
export const DAMAGE_MODES: readonly DamageMode[] = ['garbage', 'flip', 'truncate'];

/** Damages a file in place the way disks and programs do: a run of garbage, flipped bits, or a cut. Returns what it did. */
export function damageFile(path: string, mode: DamageMode, random: () => number): string {
  if (!existsSync(path)) {
    writeFileSync(path, randomBytes(1 + Math.floor(random() * 64), random));
    return 'created with garbage';
  }
  const size = statSync(path).size;
  if (mode === 'truncate' || size === 0) {
    const length = Math.floor(random() * size);
    truncateSync(path, length);
    return `truncated ${size} → ${length}`;
  }
  const fd = openSync(path, 'r+');
  try {
    if (mode === 'garbage') {
      const length = 1 + Math.floor(random() * Math.min(size, 512));
      const at = Math.floor(random() * (size - length + 1));
      writeSync(fd, randomBytes(length, random), 0, length, at);
      return `${length} garbage bytes at ${at}`;
    }
    const flips = 1 + Math.floor(random() * 4);
    const where: number[] = [];
    for (let i = 0; i < flips; i++) {
      const at = Math.floor(random() * size);
      const byte = Buffer.alloc(1);
      const bytes = readFileSync(path).subarray(at, at + 1);
      byte[0] = bytes[0]! ^ (1 << Math.floor(random() * 8));
      writeSync(fd, byte, 0, 1, at);
      where.push(at);
    }
    return `bits flipped at ${where.join(', ')}`;
  } finally {
    closeSync(fd);
  }
}

export function randomBytes(length: number, random: () => number): Buffer {
  const out = Buffer.alloc(length);
  for (let i = 0; i < length; i++) out[i] = Math.floor(random() * 256);
  return out;
}

/** Flips one bit at `at`. */
export function flipBit(path: string, at: number, bit = 0): void {
  const fd = openSync(path, 'r+');
  try {
    const byte = Buffer.alloc(1);
    const current = readFileSync(path).subarray(at, at + 1)[0]!;
    byte[0] = current ^ (1 << bit);
    writeSync(fd, byte, 0, 1, at);
  } finally {
    closeSync(fd);
  }
}
