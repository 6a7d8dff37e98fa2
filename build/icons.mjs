// Draws the app icon in code (no image tools needed) and writes the PNG sizes electron-builder
// uses for Linux (build/icons/NxN.png). The design: a dark rounded square, a "V" of two strokes
// in the accent colour, and three points above it, the vectors the store keeps beside its files.
// Run: node build/icons.mjs (the PNGs are committed; rerun after changing the drawing).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Buffer } from 'node:buffer';
import { deflateSync } from 'node:zlib';

const OUT = join(dirname(fileURLToPath(import.meta.url)), 'icons');
export const SIZES = [16, 32, 48, 64, 128, 256, 512];

const BACKGROUND = [30, 31, 34];
const ACCENT = [79, 156, 249];
const POINT = [236, 239, 244];

/** Distance from p to the segment a–b, in the unit square. */
function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((px - ax) * dx + (py - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Signed distance to a rounded square filling the unit square with a margin. */
function roundedSquare(px, py) {
  const half = 0.46;
  const radius = 0.12;
  const qx = Math.abs(px - 0.5) - (half - radius);
  const qy = Math.abs(py - 0.5) - (half - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** The colour (RGBA) of one point of the icon. */
function shade(px, py) {
  if (roundedSquare(px, py) > 0) return [0, 0, 0, 0];
  const stroke = 0.055;
  const v = Math.min(segmentDistance(px, py, 0.28, 0.42, 0.5, 0.8), segmentDistance(px, py, 0.72, 0.42, 0.5, 0.8));
  if (v < stroke) return [...ACCENT, 255];
  for (const [cx, cy] of [
    [0.3, 0.26],
    [0.5, 0.2],
    [0.7, 0.26],
  ]) {
    if (Math.hypot(px - cx, py - cy) < 0.05) return [...POINT, 255];
  }
  return [...BACKGROUND, 255];
}

/** RGBA pixels with 4×4 supersampling for smooth edges. */
function render(size) {
  const pixels = Buffer.alloc(size * size * 4);
  const grid = 4;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const sum = [0, 0, 0, 0];
      for (let sy = 0; sy < grid; sy++) {
        for (let sx = 0; sx < grid; sx++) {
          const [r, g, b, a] = shade((x + (sx + 0.5) / grid) / size, (y + (sy + 0.5) / grid) / size);
          sum[0] += r * a;
          sum[1] += g * a;
          sum[2] += b * a;
          sum[3] += a;
        }
      }
      const offset = (y * size + x) * 4;
      const alpha = sum[3] / (grid * grid);
      for (let c = 0; c < 3; c++) pixels[offset + c] = sum[3] === 0 ? 0 : Math.round(sum[c] / sum[3]);
      pixels[offset + 3] = Math.round(alpha);
    }
  }
  return pixels;
}

const CRC_TABLE = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});

function crc32(bytes) {
  let c = 0xffffffff;
  for (const byte of bytes) c = CRC_TABLE[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

/** A PNG (8-bit RGBA, no interlace) of the given pixels. */
export function encodePng(size, pixels) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const rows = Buffer.alloc(size * (size * 4 + 1));
  for (let y = 0; y < size; y++) pixels.copy(rows, y * (size * 4 + 1) + 1, y * size * 4, (y + 1) * size * 4);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

mkdirSync(OUT, { recursive: true });
for (const size of SIZES) writeFileSync(join(OUT, `${size}x${size}.png`), encodePng(size, render(size)));
console.log(`wrote ${SIZES.length} icons to ${OUT}`);
