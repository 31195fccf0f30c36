import { LatentkitError, createDataset, type Dataset, type ImageShape } from '@latentkit/core';
import { HOST_LITTLE_ENDIAN, formatShape, shapeSize, toBytes, viewOf } from './bytes.js';
import { float16ToFloat32 } from './float16.js';
import { gunzip, isGzip } from './gzip.js';
import { datasetValues } from './memory.js';

export interface ParsedNpy {
  readonly shape: number[];
  /** Values converted to float32, C (row-major) order. */
  readonly data: Float32Array;
}

export type NpyKind = 'f2' | 'f4' | 'f8' | 'u1' | 'i1' | 'i2' | 'u2' | 'i4' | 'u4' | 'i8' | 'u8';
export const NPY_ITEM_SIZE: Record<NpyKind, number> = { f2: 2, f4: 4, f8: 8, u1: 1, i1: 1, i2: 2, u2: 2, i4: 4, u4: 4, i8: 8, u8: 8 };
const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // "\x93NUMPY"

/** What an NPY header declares: enough to size every allocation before the data is read. */
export interface NpyLayout {
  readonly shape: number[];
  readonly kind: NpyKind;
  readonly dataOffset: number;
  readonly count: number;
  /** Header plus data: the exact size the file (or the inflated gzip) must have. */
  readonly totalBytes: number;
}

/** numpy itself refuses headers over 10,000 bytes by default; anything far past that is not an array header. */
export const NPY_MAX_HEADER_BYTES = 65536;

/**
 * Reads the NPY header at the start of `bytes` (which may hold only the first bytes of a file).
 * Returns undefined while `bytes` is too short to hold the whole header; throws on a malformed one.
 */
export function npyLayout(bytes: Uint8Array, source: string): NpyLayout | undefined {
  const fail = (msg: string): never => {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: ${msg}`);
  };
  if (bytes.length < 8) return undefined;
  if (MAGIC.some((b, i) => bytes[i] !== b)) fail('not an NPY file (missing \\x93NUMPY magic)');
  const major = bytes[6]!;
  const minor = bytes[7]!;
  if (major < 1 || major > 3 || minor !== 0) fail(`unsupported NPY format version ${major}.${minor} (expected 1.0, 2.0 or 3.0)`);
  const lengthBytes = major === 1 ? 2 : 4;
  if (bytes.length < 8 + lengthBytes) return undefined;
  const view = viewOf(bytes);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  if (headerLength > NPY_MAX_HEADER_BYTES) fail(`NPY header declares ${headerLength} bytes (more than ${NPY_MAX_HEADER_BYTES}); not an array header`);
  const dataOffset = 8 + lengthBytes + headerLength;
  if (bytes.length < dataOffset) return undefined;
  const header = decodeHeader(bytes.subarray(8 + lengthBytes, dataOffset), major, fail);
  const { kind, shape } = readHeader(header, fail);
  const count = shapeSize(shape);
  const totalBytes = dataOffset + count * NPY_ITEM_SIZE[kind];
  if (!Number.isSafeInteger(totalBytes)) fail(`NPY shape ${formatShape(shape)} is too large`);
  return { shape, kind, dataOffset, count, totalBytes };
}

/** Why a file of `total` bytes cannot hold what the header declares, or undefined when it can. */
export function npySizeMismatch(layout: NpyLayout, total: number): string | undefined {
  const { shape, kind, dataOffset, count } = layout;
  const expected = count * NPY_ITEM_SIZE[kind];
  const actual = total - dataOffset;
  if (actual < expected) return `truncated NPY data: expected ${expected} bytes for ${formatShape(shape)} <${kind}, got ${actual}`;
  if (actual > expected) return `NPY data has ${actual - expected} unexpected trailing bytes (expected ${expected} for ${formatShape(shape)} <${kind})`;
  return undefined;
}

/**
 * Parses a NumPy .npy file (format versions 1.0, 2.0 and 3.0) holding little-endian floats or
 * integers in C order, raw or gzipped. Fortran order, big-endian, object/structured dtypes and
 * truncated data are refused.
 */
export function parseNpy(input: Uint8Array | ArrayBuffer, source = 'NPY data'): ParsedNpy {
  let bytes = toBytes(input);
  // Inflation stops at the size the NPY header declares, so a gzip bomb cannot grow past it.
  if (isGzip(bytes)) bytes = gunzip(bytes, source, { sizeFromPrefix: (prefix) => npyLayout(prefix, source)?.totalBytes });
  const fail = (msg: string): never => {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: ${msg}`);
  };
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) fail('not an NPY file (missing \\x93NUMPY magic)');
  const layout = npyLayout(bytes, source);
  if (!layout) {
    const lengthBytes = bytes[6] === 1 ? 2 : 4;
    if (bytes.length < 8 + lengthBytes) return fail('truncated NPY header');
    const declared = lengthBytes === 2 ? viewOf(bytes).getUint16(8, true) : viewOf(bytes).getUint32(8, true);
    return fail(`truncated NPY header: declares ${declared} bytes, only ${bytes.length - 8 - lengthBytes} present`);
  }
  const mismatch = npySizeMismatch(layout, bytes.length);
  if (mismatch) fail(mismatch);
  const { shape, kind, dataOffset, count } = layout;
  return { shape, data: decodeNpyValues(bytes.subarray(dataOffset), kind, count, datasetValues(count)) };
}

function decodeHeader(raw: Uint8Array, major: number, fail: (m: string) => never): string {
  // v1/v2 headers are latin-1, v3 UTF-8; the header keys and values we read are ASCII either way.
  try {
    return new TextDecoder(major === 3 ? 'utf-8' : 'latin1', { fatal: major === 3 }).decode(raw);
  } catch {
    return fail('NPY header is not valid UTF-8');
  }
}

function readHeader(header: string, fail: (m: string) => never): { kind: NpyKind; shape: number[] } {
  const trimmed = header.trim();
  if (!trimmed.startsWith('{') || !trimmed.endsWith('}')) fail(`malformed NPY header ${JSON.stringify(trimmed.slice(0, 80))}`);
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(header)?.[1];
  if (descr === undefined) {
    if (/['"]descr['"]\s*:\s*\[/.test(header)) fail('structured NPY dtypes are not supported (expected <f4, <f8, |u1, |i1, <i4 or <i8)');
    fail('NPY header has no dtype ("descr")');
  }
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(header)?.[1];
  if (fortran === undefined) fail('NPY header has no "fortran_order"');
  if (fortran === 'True') fail('Fortran-order NPY arrays are not supported; save with numpy.ascontiguousarray first');
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (shapeText === undefined) fail('NPY header has no "shape" tuple');
  const parts = shapeText!.split(',').map((s) => s.trim()).filter((s) => s !== '');
  const shape = parts.map((s) => (/^\d+$/.test(s) ? Number(s) : fail(`invalid NPY shape entry "${s}"`)));
  return { kind: dtypeKind(descr!, fail), shape };
}

function dtypeKind(descr: string, fail: (m: string) => never): NpyKind {
  const m = /^([<>|=])([a-zA-Z])(\d+)$/.exec(descr);
  const kind = m ? (`${m[2]}${m[3]}` as NpyKind) : undefined;
  if (!m || !kind || !(kind in NPY_ITEM_SIZE)) {
    return fail(`unsupported NPY dtype "${descr}" (expected <f2, <f4, <f8, |u1, |i1, <i2, <u2, <i4, <u4, <i8 or <u8)`);
  }
  if (m[1] === '>' && NPY_ITEM_SIZE[kind] > 1) fail(`big-endian NPY dtype "${descr}" is not supported; convert with arr.astype("<${kind}")`);
  return kind;
}

/** Converts `count` little-endian values of `kind` at the start of `bytes` to float32 (the rows of a batch or a whole array). */
export function decodeNpyValues(bytes: Uint8Array, kind: NpyKind, count: number, out: Float32Array = new Float32Array(count)): Float32Array {
  if (kind === 'u1') {
    out.set(bytes.subarray(0, count));
    return out;
  }
  if (kind === 'i1') {
    out.set(new Int8Array(bytes.buffer, bytes.byteOffset, count));
    return out;
  }
  if (kind === 'f4' && HOST_LITTLE_ENDIAN) {
    // Copy the bytes straight in: the data offset is not guaranteed to be 4-byte aligned.
    new Uint8Array(out.buffer).set(bytes.subarray(0, count * 4));
    return out;
  }
  const view = viewOf(bytes);
  const read = reader(view, kind);
  for (let i = 0; i < count; i++) out[i] = read(i);
  return out;
}

function reader(view: DataView, kind: NpyKind): (i: number) => number {
  switch (kind) {
    case 'f2': return (i) => float16ToFloat32(view.getUint16(2 * i, true));
    case 'f4': return (i) => view.getFloat32(4 * i, true);
    case 'f8': return (i) => view.getFloat64(8 * i, true);
    case 'i2': return (i) => view.getInt16(2 * i, true);
    case 'u2': return (i) => view.getUint16(2 * i, true);
    case 'i4': return (i) => view.getInt32(4 * i, true);
    case 'u4': return (i) => view.getUint32(4 * i, true);
    case 'i8': return (i) => Number(view.getBigInt64(8 * i, true));
    case 'u8': return (i) => Number(view.getBigUint64(8 * i, true));
    default: return (i) => view.getUint8(i);
  }
}

/**
 * Turns a parsed NPY array into a Dataset: 2-D (n, d) → n rows of d features; 3-D (n, h, w) → images
 * [h, w, 1]; 4-D (n, h, w, c) → images [h, w, c]. `imageShape` marks 2-D rows as images of that shape.
 */
export function npyToDataset(npy: ParsedNpy, name: string, options: { imageShape?: ImageShape } = {}): Dataset {
  const { shape, data } = npy;
  if (shape.length < 2 || shape.length > 4) {
    throw new LatentkitError('E_SHAPE', `${name}: NPY array of shape ${formatShape(shape)} is not 2-D (n, d), 3-D (n, h, w) or 4-D (n, h, w, c)`);
  }
  const rows = shape[0]!;
  const cols = shapeSize(shape.slice(1));
  const inferred: ImageShape | undefined =
    shape.length === 3 ? [shape[1]!, shape[2]!, 1] : shape.length === 4 ? [shape[1]!, shape[2]!, shape[3]!] : undefined;
  const imageShape = options.imageShape ?? inferred;
  for (let i = 0; i < data.length; i++) {
    if (!Number.isFinite(data[i]!)) {
      const r = Math.floor(i / cols);
      throw new LatentkitError('E_INPUT_VALUE', `${name}: non-finite value (${data[i]}) at row ${r}, column ${i - r * cols}`);
    }
  }
  return createDataset({ name, x: { data, rows, cols }, ...(imageShape ? { imageShape } : {}) });
}
