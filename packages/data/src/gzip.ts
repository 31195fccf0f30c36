import { LatentkitError, crc32 } from '@latentkit/core';
import { gunzipSync } from 'fflate';

/** DEFLATE cannot expand data by more than about 1032:1, so a trailer claiming more is corrupt. */
const MAX_DEFLATE_RATIO = 1032;
const GZIP_HEADER_AND_TRAILER = 18;

export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

/**
 * Inflates a single-member gzip stream. The trailer's size and CRC-32 are checked against the
 * output so damaged input fails cleanly instead of yielding silently wrong values, and the size is
 * sanity-checked before fflate allocates an output buffer of that size.
 */
export function gunzip(bytes: Uint8Array, source: string): Uint8Array {
  const corrupt = (why: string): LatentkitError =>
    new LatentkitError('E_INPUT_FORMAT', `${source}: corrupt gzip data (${why})`);
  if (bytes.length < GZIP_HEADER_AND_TRAILER) throw corrupt(`only ${bytes.length} bytes`);
  const n = bytes.length;
  const view = new DataView(bytes.buffer, bytes.byteOffset, n);
  const expectedCrc = view.getUint32(n - 8, true);
  const expectedSize = view.getUint32(n - 4, true);
  if (expectedSize > n * MAX_DEFLATE_RATIO) throw corrupt(`trailer claims ${expectedSize} bytes from ${n} compressed`);
  let out: Uint8Array;
  try {
    out = gunzipSync(bytes);
  } catch (e) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: corrupt gzip data (${(e as Error).message})`, { cause: e });
  }
  if (out.length !== expectedSize) throw corrupt(`inflated to ${out.length} bytes, trailer says ${expectedSize}`);
  if (crc32(out) !== expectedCrc) throw corrupt('CRC-32 mismatch');
  return out;
}
