import { LatentkitError, createDataset, type Dataset, type ImageShape } from '@latentkit/core';
import { formatShape, shapeSize, toBytes, viewOf } from './bytes.js';
import { gunzip, isGzip } from './gzip.js';
import { datasetValues } from './memory.js';

export type IdxDtype = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'float64';
export type IdxData = Uint8Array | Int8Array | Int16Array | Int32Array | Float32Array | Float64Array;

export interface ParsedIdx {
  readonly dims: number[];
  readonly dtype: IdxDtype;
  readonly data: IdxData;
}

/** IDX type codes (third magic byte) with their element size. */
const IDX_TYPES: Record<number, { dtype: IdxDtype; size: number }> = {
  0x08: { dtype: 'uint8', size: 1 },
  0x09: { dtype: 'int8', size: 1 },
  0x0b: { dtype: 'int16', size: 2 },
  0x0c: { dtype: 'int32', size: 4 },
  0x0d: { dtype: 'float32', size: 4 },
  0x0e: { dtype: 'float64', size: 8 },
};

/**
 * Parses an IDX file (the MNIST / Fashion-MNIST container), raw or gzipped. Header and data are
 * big-endian; the byte count must match the dimensions exactly.
 */
export function parseIdx(input: Uint8Array | ArrayBuffer, source = 'IDX data'): ParsedIdx {
  const bytes = toBytes(input);
  if (!isGzip(bytes)) return parseRawIdx(bytes, source, { copy: true });
  // Inflation stops at the size the IDX header declares, so a gzip bomb cannot grow past it.
  const raw = gunzip(bytes, source, { sizeFromPrefix: (prefix) => idxLayout(prefix, source)?.totalBytes });
  // Inflated bytes are ours, so one-byte data can be a view into them; the caller's buffer is copied.
  return parseRawIdx(raw, source, { copy: false });
}

/** What an IDX header declares: enough to size every allocation before the data is read. */
export interface IdxLayout {
  readonly dims: number[];
  readonly dtype: IdxDtype;
  readonly elementSize: number;
  readonly headerBytes: number;
  readonly count: number;
  /** Header plus data: the exact size the file (or the inflated gzip) must have. */
  readonly totalBytes: number;
}

/** The longest possible IDX header (255 dimensions). */
export const IDX_MAX_HEADER_BYTES = 4 + 4 * 255;

/**
 * Reads the IDX header at the start of `bytes` (which may hold only the first bytes of a file).
 * Returns undefined while `bytes` is too short to hold the whole header; throws on a malformed one.
 */
export function idxLayout(bytes: Uint8Array, source: string): IdxLayout | undefined {
  const fail = (msg: string): never => {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: ${msg}`);
  };
  if (bytes.length < 4) return undefined;
  if (bytes[0] !== 0 || bytes[1] !== 0) fail(`not an IDX file (magic starts ${hex(bytes[0]!)} ${hex(bytes[1]!)}, expected 00 00)`);
  const type = IDX_TYPES[bytes[2]!];
  if (!type) fail(`unsupported IDX element type ${hex(bytes[2]!)}`);
  const { dtype, size } = type!;
  const ndim = bytes[3]!;
  if (ndim === 0) fail('IDX header declares 0 dimensions');
  const headerBytes = 4 + 4 * ndim;
  if (bytes.length < headerBytes) return undefined;
  const view = viewOf(bytes);
  const dims: number[] = [];
  for (let i = 0; i < ndim; i++) dims.push(view.getUint32(4 + 4 * i, false));
  const count = shapeSize(dims);
  const totalBytes = headerBytes + count * size;
  if (!Number.isSafeInteger(totalBytes)) fail(`IDX dimensions ${formatShape(dims)} are too large`);
  return { dims, dtype, elementSize: size, headerBytes, count, totalBytes };
}

/** Why `actual` bytes cannot hold what the header declares, or undefined when they can. */
export function idxSizeMismatch(layout: IdxLayout, actual: number): string | undefined {
  const { dims, dtype, headerBytes, count, totalBytes, elementSize } = layout;
  if (actual === totalBytes) return undefined;
  return `expected ${totalBytes} bytes for ${formatShape(dims)} ${dtype} (header ${headerBytes} + data ${count * elementSize}), got ${actual}`;
}

/**
 * parseIdx on already-inflated bytes. With copy: false, uint8/int8 results are views into `bytes`
 * (saves one pass and an allocation over 47 MB for Fashion-MNIST); only for buffers nobody else mutates.
 */
export function parseRawIdx(bytes: Uint8Array, source: string, { copy }: { copy: boolean }): ParsedIdx {
  const fail = (msg: string): never => {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: ${msg}`);
  };
  if (bytes.length < 4) fail(`not an IDX file (only ${bytes.length} bytes)`);
  const layout = idxLayout(bytes, source);
  if (!layout) {
    const ndim = bytes[3]!;
    return fail(`truncated IDX header: expected ${4 + 4 * ndim} bytes for ${ndim} dimensions, got ${bytes.length}`);
  }
  const mismatch = idxSizeMismatch(layout, bytes.length);
  if (mismatch) fail(mismatch);
  const { dims, dtype, headerBytes, count } = layout;
  return { dims, dtype, data: readBigEndian(bytes, headerBytes, count, dtype, copy) };
}

function readBigEndian(bytes: Uint8Array, offset: number, count: number, dtype: IdxDtype, copy: boolean): IdxData {
  // One-byte types need no byte swapping.
  if (dtype === 'uint8' || dtype === 'int8') {
    const part = copy ? bytes.slice(offset, offset + count) : bytes.subarray(offset, offset + count);
    return dtype === 'uint8' ? part : new Int8Array(part.buffer, part.byteOffset, count);
  }
  const view = viewOf(bytes);
  switch (dtype) {
    case 'int16': {
      const out = new Int16Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt16(offset + 2 * i, false);
      return out;
    }
    case 'int32': {
      const out = new Int32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getInt32(offset + 4 * i, false);
      return out;
    }
    case 'float32': {
      const out = new Float32Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat32(offset + 4 * i, false);
      return out;
    }
    case 'float64': {
      const out = new Float64Array(count);
      for (let i = 0; i < count; i++) out[i] = view.getFloat64(offset + 8 * i, false);
      return out;
    }
  }
}

function hex(b: number): string {
  return b.toString(16).padStart(2, '0');
}

/**
 * Turns parsed IDX images (and optional labels) into a Dataset. uint8 pixels are scaled to [0, 1];
 * other types are copied as-is. A 3-D array (n, h, w) gets imageShape [h, w, 1] and a 4-D one (n, h, w, c) [h, w, c].
 */
export function idxToDataset(images: ParsedIdx, labels: ParsedIdx | undefined, name: string): Dataset {
  const dims = images.dims;
  if (dims.length < 2) {
    throw new LatentkitError('E_SHAPE', `${name}: IDX images need at least 2 dimensions (samples × features), got ${formatShape(dims)}`);
  }
  const rows = dims[0]!;
  const cols = shapeSize(dims.slice(1));
  const x = toFloat32(images);
  const imageShape: ImageShape | undefined =
    dims.length === 3 ? [dims[1]!, dims[2]!, 1] : dims.length === 4 ? [dims[1]!, dims[2]!, dims[3]!] : undefined;
  // Only float types can hold NaN/Inf; skipping the scan keeps 47M-pixel loads fast.
  for (let i = 0; images.dtype.startsWith('float') && i < x.length; i++) {
    if (!Number.isFinite(x[i]!)) {
      throw new LatentkitError('E_INPUT_VALUE', `${name}: non-finite value (${x[i]}) in sample ${Math.floor(i / cols)}`);
    }
  }
  return createDataset({
    name,
    x: { data: x, rows, cols },
    ...(labels ? { labels: idxLabels(labels, rows, name) } : {}),
    ...(imageShape ? { imageShape } : {}),
  });
}

function toFloat32(images: ParsedIdx): Float32Array {
  const src = images.data;
  const out = datasetValues(src.length);
  if (images.dtype === 'uint8') {
    for (let i = 0; i < src.length; i++) out[i] = src[i]! / 255;
  } else {
    out.set(src);
  }
  return out;
}

function idxLabels(labels: ParsedIdx, rows: number, name: string): Int32Array {
  if (labels.dims.length !== 1) {
    throw new LatentkitError('E_SHAPE', `${name}: IDX labels must be 1-D, got ${formatShape(labels.dims)}`);
  }
  if (labels.data.length !== rows) {
    throw new LatentkitError('E_SHAPE', `${name}: ${rows} images but ${labels.data.length} labels`);
  }
  const out = new Int32Array(rows);
  for (let i = 0; i < rows; i++) {
    const v = labels.data[i]!;
    if (!Number.isInteger(v) || v < 0) {
      throw new LatentkitError('E_INPUT_VALUE', `${name}: label ${i} is ${v}, expected a non-negative integer`);
    }
    out[i] = v;
  }
  return out;
}
