// Builders for vector files in the formats vexctl reads (used by the io and cli tests).

export function vecs(rows: number[][], kind: 'f' | 'i'): Buffer {
  const parts = rows.map((row) => {
    const b = Buffer.alloc(4 + row.length * 4);
    b.writeInt32LE(row.length, 0);
    row.forEach((x, j) => (kind === 'f' ? b.writeFloatLE(x, 4 + j * 4) : b.writeInt32LE(x, 4 + j * 4)));
    return b;
  });
  return Buffer.concat(parts);
}

export function npy(descr: string, shape: number[], data: Buffer, fortran = false): Buffer {
  let header = `{'descr': '${descr}', 'fortran_order': ${fortran ? 'True' : 'False'}, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const head = Buffer.alloc(10);
  Buffer.from([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]).copy(head);
  head.writeUInt16LE(header.length, 8);
  return Buffer.concat([head, Buffer.from(header, 'latin1'), data]);
}

export const f32 = (values: number[]) => Buffer.from(Float32Array.from(values).buffer);
