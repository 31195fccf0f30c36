import type { Matrix } from '@latentkit/core';

/** A float32 matrix as NPY version 1.0 bytes (little-endian, C order), for `decompress --out x.npy`. */
export function matrixToNpy(m: Matrix, shape: readonly number[] = [m.rows, m.cols]): Uint8Array {
  let header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${shape.join(', ')}${shape.length === 1 ? ',' : ''}), }`;
  // The magic, version and length (10 bytes) plus the header and its newline end on a multiple of 64.
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const out = new Uint8Array(10 + header.length + m.data.length * 4);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0], 0);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  const body = new DataView(out.buffer, 10 + header.length);
  for (let k = 0; k < m.data.length; k++) body.setFloat32(k * 4, m.data[k]!, true);
  return out;
}
