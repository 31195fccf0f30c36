import { LatentkitError, crc32 } from '@latentkit/core';
import { Gunzip } from 'fflate';

/** DEFLATE cannot expand data by more than about 1032:1, so a trailer claiming more is corrupt. */
export const MAX_DEFLATE_RATIO = 1032;
const GZIP_HEADER_AND_TRAILER = 18;
/** Compressed bytes fed per step: at most ~16.5 MB of output per step, so overflow is caught early. */
const SLICE = 16 * 1024;
/** Inflated bytes enough for any header we size from (IDX: 1,024; NPY: 64 KiB + 12). */
const PREFIX_BYTES = 65 * 1024;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export interface GunzipOptions {
  /**
   * The inflated size the format's own header declares, read from the first inflated bytes
   * (undefined while too few have arrived). Inflation stops as soon as the output passes it.
   */
  sizeFromPrefix?: (prefix: Uint8Array) => number | undefined;
}

/**
 * Inflates a single-member gzip stream, a slice at a time, and stops as soon as the output passes the
 * size the trailer (or the format header, via sizeFromPrefix) declares: a small file that inflates to
 * gigabytes fails after a few megabytes. The trailer's size and CRC-32 are checked against the output.
 */
export function gunzip(bytes: Uint8Array, source: string, options: GunzipOptions = {}): Uint8Array {
  const corrupt = (why: string): LatentkitError => new LatentkitError('E_INPUT_FORMAT', `${source}: corrupt gzip data (${why})`);
  if (bytes.length < GZIP_HEADER_AND_TRAILER) throw corrupt(`only ${bytes.length} bytes`);
  const n = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, n);
  const expectedCrc = view.getUint32(n - 8, true);
  const expectedSize = view.getUint32(n - 4, true);
  if (expectedSize > n * MAX_DEFLATE_RATIO) throw corrupt(`trailer claims ${expectedSize} bytes from ${n} compressed`);
  const cap = expectedSize;
  let out: Uint8Array | undefined; // allocated once the size is settled
  const pending: Uint8Array[] = [];
  let total = 0;
  const inflater = new Gunzip((chunk) => {
    if (total + chunk.length > cap) throw corrupt(`inflates past the ${cap} bytes its gzip trailer declares`);
    if (out) out.set(chunk, total);
    else pending.push(chunk);
    total += chunk.length;
    if (!out && options.sizeFromPrefix && (total >= PREFIX_BYTES || total >= cap)) {
      const prefix = concat(pending, total);
      const declared = options.sizeFromPrefix(prefix);
      if (declared !== undefined && declared !== expectedSize) {
        throw corrupt(`the header declares ${declared} bytes but the gzip trailer ${expectedSize}`);
      }
      out = new Uint8Array(cap);
      out.set(prefix);
      pending.length = 0;
    }
  });
  try {
    for (let off = 0; off < n; off += SLICE) inflater.push(bytes.subarray(off, Math.min(n, off + SLICE)), off + SLICE >= n);
  } catch (e) {
    if (e instanceof LatentkitError) throw e;
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: corrupt gzip data (${(e as Error).message})`, { cause: e });
  }
  const result = out ? out.subarray(0, total) : concat(pending, total);
  if (total !== expectedSize) throw corrupt(`inflated to ${total} bytes, trailer says ${expectedSize}`);
  if (crc32(result) !== expectedCrc) throw corrupt('CRC-32 mismatch');
  return result;
}

function concat(parts: readonly Uint8Array[], total: number): Uint8Array {
  if (parts.length === 1) return parts[0]!;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
