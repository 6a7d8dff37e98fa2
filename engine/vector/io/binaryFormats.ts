import { VexError } from '../../errors.js';
import { checkFileDim, checkFinite, formatError, type VectorTable } from './formats.js';

/** Copies bytes into an aligned typed array (file buffers may start at any offset). */
function copyFloat32(bytes: Uint8Array, offset: number, count: number): Float32Array {
  const out = new Float32Array(count);
  new Uint8Array(out.buffer).set(bytes.subarray(offset, offset + count * 4));
  return out;
}

/** Raw little-endian float32, no header: the caller says the dimension. */
export function parseRawFloat32(bytes: Uint8Array, dim: number | undefined, source: string): VectorTable {
  if (dim === undefined) {
    throw new VexError('E_INVALID', `${source}: a raw float32 file has no header; give its dimension (--dim N)`);
  }
  checkFileDim(source, dim, 'the given dimension');
  if (bytes.length % (dim * 4) !== 0) {
    throw formatError(
      source,
      `${bytes.length} bytes is not a whole number of ${dim}-dimensional float32 vectors (${dim * 4} bytes each)`,
    );
  }
  const data = copyFloat32(bytes, 0, bytes.length / 4);
  checkFinite(source, data, dim);
  return { format: 'f32', count: bytes.length / (dim * 4), dim, data, ids: null, payloads: null };
}

/** .fvecs / .ivecs (the TEXMEX format): each vector is an int32 dimension followed by that many 4-byte values. */
export function parseVecs(bytes: Uint8Array, kind: 'fvecs' | 'ivecs', source: string): VectorTable {
  if (bytes.length === 0) throw formatError(source, 'the file is empty');
  if (bytes.length < 4) throw formatError(source, 'the file is shorter than one vector header');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const dim = view.getInt32(0, true);
  checkFileDim(source, dim, 'vector 0');
  const recordBytes = 4 + dim * 4;
  if (bytes.length % recordBytes !== 0) {
    throw formatError(
      source,
      `${bytes.length} bytes is not a whole number of ${dim}-dimensional records (${recordBytes} bytes each): truncated, or vectors of different dimensions`,
    );
  }
  const count = bytes.length / recordBytes;
  const data = kind === 'fvecs' ? new Float32Array(count * dim) : new Int32Array(count * dim);
  for (let i = 0; i < count; i++) {
    const at = i * recordBytes;
    const d = view.getInt32(at, true);
    if (d !== dim) throw formatError(source, `vector ${i} (byte ${at}) has dimension ${d}; vector 0 has ${dim}`);
    for (let j = 0; j < dim; j++) {
      data[i * dim + j] =
        kind === 'fvecs' ? view.getFloat32(at + 4 + j * 4, true) : view.getInt32(at + 4 + j * 4, true);
    }
  }
  if (data instanceof Float32Array) checkFinite(source, data, dim);
  return { format: kind, count, dim, data, ids: null, payloads: null };
}

const NPY_MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59];

/** NumPy .npy (versions 1-3): a C-order array of little-endian float32, float64 or int32, shape (n, d) or (d,). */
export function parseNpy(bytes: Uint8Array, source: string): VectorTable {
  if (bytes.length < 10 || !NPY_MAGIC.every((b, i) => bytes[i] === b))
    throw formatError(source, 'not a .npy file (bad magic)');
  const major = bytes[6] as number;
  if (major < 1 || major > 3) throw formatError(source, `unsupported .npy version ${major}`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : bytes.length >= 12 ? view.getUint32(8, true) : -1;
  const headerStart = major === 1 ? 10 : 12;
  if (headerLength < 0 || headerStart + headerLength > bytes.length)
    throw formatError(source, 'the .npy header is truncated');
  const header = Buffer.from(bytes.subarray(headerStart, headerStart + headerLength)).toString(
    major === 3 ? 'utf8' : 'latin1',
  );
  const descr = /'descr'\s*:\s*'([^']*)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined) {
    throw formatError(source, `the .npy header lacks descr, fortran_order or shape: ${header.trim()}`);
  }
  if (fortran === 'True')
    throw formatError(source, 'Fortran-order arrays are not supported; save the array in C order');
  const itemBytes = { '<f4': 4, '<f8': 8, '<i4': 4, '|u1': 1 }[descr];
  if (itemBytes === undefined) {
    throw formatError(
      source,
      `dtype '${descr}' is not supported; use little-endian float32 ('<f4'), float64 ('<f8') or int32 ('<i4')`,
    );
  }
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s.length > 0)
    .map(Number);
  if (shape.length < 1 || shape.length > 2 || shape.some((n) => !Number.isInteger(n) || n < 0)) {
    throw formatError(source, `shape (${shapeText}) is not (count, dim) or (dim,)`);
  }
  const [count, dim] = shape.length === 1 ? [1, shape[0] as number] : [shape[0] as number, shape[1] as number];
  checkFileDim(source, dim, 'the array');
  const dataStart = headerStart + headerLength;
  const expected = count * dim * itemBytes;
  if (bytes.length - dataStart !== expected) {
    throw formatError(
      source,
      `the array (${count} × ${dim} × ${itemBytes} bytes) needs ${expected} data bytes; the file has ${bytes.length - dataStart}`,
    );
  }
  const n = count * dim;
  if (descr === '<i4') {
    const data = new Int32Array(n);
    for (let i = 0; i < n; i++) data[i] = view.getInt32(dataStart + i * 4, true);
    return { format: 'npy', count, dim, data, ids: null, payloads: null };
  }
  const data = new Float32Array(n);
  for (let i = 0; i < n; i++) {
    data[i] =
      descr === '<f4'
        ? view.getFloat32(dataStart + i * 4, true)
        : descr === '<f8'
          ? view.getFloat64(dataStart + i * 8, true)
          : (bytes[dataStart + i] as number);
  }
  checkFinite(source, data, dim);
  return { format: 'npy', count, dim, data, ids: null, payloads: null };
}
