import { LatentkitError, crc32 } from '@latentkit/core';
import { MAX_BITS, type UniformQuantiser } from './quantiser.js';

/**
 * The compressed file: "LKCZ", a format version byte, the header's byte length (uint32 little-endian), the
 * header as UTF-8 JSON, then the entropy-coded payload. The header says everything a reader needs besides the
 * model's decoder: which model wrote the codes, d, b, the quantiser's ranges, n, the coder, the payload's
 * length and CRC-32.
 */
export const MAGIC = 'LKCZ';
export const FORMAT_VERSION = 1;
const PREFIX = 4 + 1 + 4;
/** Headers hold two numbers per dimension: a megabyte is far more than any real one. */
const MAX_HEADER_BYTES = 1 << 20;

/** The model the codes came from; a decoder must match it. */
export interface ModelReference {
  readonly kind: string;
  readonly latentDim: number;
  readonly inputDim: number;
  readonly inputShape: readonly number[];
  readonly parameterCount: number;
  /** Where the model was read from (a folder, a run), as the writer named it. */
  readonly source?: string;
}

export interface CompressedHeader {
  readonly format: 'latentkit-codes';
  readonly version: number;
  readonly model: ModelReference;
  /** The data the images came from, as the writer named it. */
  readonly data?: string;
  readonly images: number;
  readonly quantiser: UniformQuantiser;
  readonly coder: string;
  readonly payloadBytes: number;
  readonly payloadCrc32: number;
}

export interface CompressedFile {
  readonly header: CompressedHeader;
  readonly payload: Uint8Array;
}

export function writeCompressedFile(header: Omit<CompressedHeader, 'format' | 'version' | 'payloadBytes' | 'payloadCrc32'>, payload: Uint8Array): Uint8Array {
  const full: CompressedHeader = { format: 'latentkit-codes', version: FORMAT_VERSION, ...header, payloadBytes: payload.length, payloadCrc32: crc32(payload) };
  const json = new TextEncoder().encode(JSON.stringify(full));
  const out = new Uint8Array(PREFIX + json.length + payload.length);
  out.set(new TextEncoder().encode(MAGIC), 0);
  out[4] = FORMAT_VERSION;
  new DataView(out.buffer).setUint32(5, json.length, true);
  out.set(json, PREFIX);
  out.set(payload, PREFIX + json.length);
  return out;
}

/** Reads and checks a compressed file; anything malformed is refused in one line naming `source`. */
export function readCompressedFile(bytes: Uint8Array, source = 'compressed file'): CompressedFile {
  const bad = (why: string) => new LatentkitError('E_INPUT_FORMAT', `${source}: ${why}`);
  if (bytes.length < PREFIX || new TextDecoder().decode(bytes.subarray(0, 4)) !== MAGIC) throw bad(`not a latentkit compressed file (no ${MAGIC} signature)`);
  if (bytes[4] !== FORMAT_VERSION) throw bad(`format version ${bytes[4]} is not supported (this reader knows version ${FORMAT_VERSION})`);
  const headerBytes = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength).getUint32(5, true);
  if (headerBytes > MAX_HEADER_BYTES || PREFIX + headerBytes > bytes.length) throw bad(`header claims ${headerBytes} bytes, the file has ${bytes.length - PREFIX} after the prefix`);
  let raw: unknown;
  try {
    raw = JSON.parse(new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(PREFIX, PREFIX + headerBytes)));
  } catch {
    throw bad('header is not valid JSON');
  }
  const header = checkHeader(raw, bad);
  const payload = bytes.subarray(PREFIX + headerBytes);
  if (payload.length !== header.payloadBytes) throw bad(`payload is ${payload.length} bytes, the header says ${header.payloadBytes} (truncated or padded)`);
  if (crc32(payload) !== header.payloadCrc32) throw bad('payload CRC-32 does not match the header (the file is corrupt)');
  return { header, payload };
}

function checkHeader(raw: unknown, bad: (why: string) => Error): CompressedHeader {
  const h = raw as Partial<CompressedHeader> | null;
  if (!h || typeof h !== 'object' || h.format !== 'latentkit-codes') throw bad('header is not a latentkit-codes header');
  if (h.version !== FORMAT_VERSION) throw bad(`header version ${String(h.version)} is not supported`);
  const m = h.model;
  if (!m || typeof m.kind !== 'string' || !isCount(m.latentDim, 1) || !isCount(m.inputDim, 0) || !Array.isArray(m.inputShape) || !m.inputShape.every((v) => isCount(v, 1)) || !isCount(m.parameterCount, 0)) {
    throw bad('header.model must name kind, latentDim, inputDim, inputShape and parameterCount');
  }
  if (!isCount(h.images, 0)) throw bad(`header.images must be a count, got ${JSON.stringify(h.images)}`);
  const q = h.quantiser;
  if (!q || q.method !== 'uniform-minmax') throw bad(`header.quantiser.method must be "uniform-minmax", got ${JSON.stringify(q?.method)}`);
  if (!Number.isInteger(q.bits) || q.bits < 1 || q.bits > MAX_BITS) throw bad(`header.quantiser.bits must be 1…${MAX_BITS}, got ${JSON.stringify(q.bits)}`);
  for (const key of ['min', 'max'] as const) {
    const v = q[key];
    if (!Array.isArray(v) || v.length !== m.latentDim || !v.every((x) => typeof x === 'number' && Number.isFinite(x))) {
      throw bad(`header.quantiser.${key} must hold ${m.latentDim} finite numbers (one per latent dimension)`);
    }
  }
  if (q.min.some((lo, j) => lo > q.max[j]!)) throw bad('header.quantiser has a dimension whose min exceeds its max');
  if (typeof h.coder !== 'string') throw bad('header.coder must name the entropy coder');
  if (!isCount(h.payloadBytes, 0) || !isCount(h.payloadCrc32, 0)) throw bad('header must give payloadBytes and payloadCrc32');
  if (h.data !== undefined && typeof h.data !== 'string') throw bad('header.data must be a string');
  return h as CompressedHeader;
}

function isCount(v: unknown, min: number): v is number {
  return typeof v === 'number' && Number.isSafeInteger(v) && v >= min;
}
