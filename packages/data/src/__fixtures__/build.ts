// Builders for tiny IDX / NPY files written byte by byte in tests, independent of the parsers.

const IDX_CODES = { uint8: 0x08, int8: 0x09, int16: 0x0b, int32: 0x0c, float32: 0x0d, float64: 0x0e } as const;
const IDX_SIZES = { uint8: 1, int8: 1, int16: 2, int32: 4, float32: 4, float64: 8 } as const;

/** A big-endian IDX file holding `values` with the given dims. */
export function makeIdx(dtype: keyof typeof IDX_CODES, dims: number[], values: number[]): Uint8Array {
  const header = 4 + 4 * dims.length;
  const size = IDX_SIZES[dtype];
  const out = new Uint8Array(header + values.length * size);
  const view = new DataView(out.buffer);
  out[2] = IDX_CODES[dtype];
  out[3] = dims.length;
  dims.forEach((d, i) => view.setUint32(4 + 4 * i, d, false));
  values.forEach((v, i) => {
    const at = header + i * size;
    if (dtype === 'uint8') view.setUint8(at, v);
    else if (dtype === 'int8') view.setInt8(at, v);
    else if (dtype === 'int16') view.setInt16(at, v, false);
    else if (dtype === 'int32') view.setInt32(at, v, false);
    else if (dtype === 'float32') view.setFloat32(at, v, false);
    else view.setFloat64(at, v, false);
  });
  return out;
}

export interface NpyFixture {
  descr: string;
  shape: number[];
  /** Raw data bytes (already in the declared byte order). */
  data: Uint8Array;
  fortran?: boolean;
  version?: 1 | 2 | 3;
  /** Replace the whole header dict text. */
  header?: string;
}

/** An .npy file laid out per the NumPy format spec: magic, version, header length, padded dict, data. */
export function makeNpy(f: NpyFixture): Uint8Array {
  const version = f.version ?? 1;
  const shape = f.shape.length === 1 ? `(${f.shape[0]},)` : `(${f.shape.join(', ')})`;
  const dict = f.header ?? `{'descr': '${f.descr}', 'fortran_order': ${f.fortran ? 'True' : 'False'}, 'shape': ${shape}, }`;
  const prefix = version === 1 ? 10 : 12;
  const unpadded = prefix + dict.length + 1;
  const padded = dict + ' '.repeat((64 - (unpadded % 64)) % 64) + '\n';
  const headerBytes = new TextEncoder().encode(padded);
  const out = new Uint8Array(prefix + headerBytes.length + f.data.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, version, 0]);
  const view = new DataView(out.buffer);
  if (version === 1) view.setUint16(8, headerBytes.length, true);
  else view.setUint32(8, headerBytes.length, true);
  out.set(headerBytes, prefix);
  out.set(f.data, prefix + headerBytes.length);
  return out;
}

export function littleEndian(kind: 'f4' | 'f8' | 'i4' | 'i8' | 'i2', values: number[]): Uint8Array {
  const size = { f4: 4, f8: 8, i4: 4, i8: 8, i2: 2 }[kind];
  const out = new Uint8Array(values.length * size);
  const view = new DataView(out.buffer);
  values.forEach((v, i) => {
    if (kind === 'f4') view.setFloat32(i * 4, v, true);
    else if (kind === 'f8') view.setFloat64(i * 8, v, true);
    else if (kind === 'i4') view.setInt32(i * 4, v, true);
    else if (kind === 'i2') view.setInt16(i * 2, v, true);
    else view.setBigInt64(i * 8, BigInt(v), true);
  });
  return out;
}
