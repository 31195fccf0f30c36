import { LatentkitError } from '@latentkit/core';
import { deflateSync, inflateSync } from 'fflate';

/**
 * A lossless byte coder for the quantised symbols. Symbols reach it in dimension-major order (all images'
 * dimension 0, then dimension 1, …), so a coder that adapts to recent statistics sees one dimension's
 * distribution at a time. `decode` is told the exact output size and must refuse anything else rather than
 * grow without bound, so a hostile file costs at most that much memory.
 */
export interface EntropyCoder {
  /** Recorded in the file header; a reader picks its coder by it. */
  readonly id: string;
  encode(bytes: Uint8Array): Uint8Array;
  /** Throws on corrupt input or when the output would not be exactly `size` bytes. */
  decode(bytes: Uint8Array, size: number): Uint8Array;
}

/**
 * DEFLATE (fflate, pure JavaScript, browser-safe). Measured on MNIST codes it needs 10–25% more bits than
 * Brotli at b ≤ 6 (see the README), so the Node entry's Brotli coder is the default where it is available.
 */
export const deflateCoder: EntropyCoder = {
  id: 'deflate',
  encode: (bytes) => deflateSync(bytes, { level: 9 }),
  decode(bytes, size) {
    // A buffer one byte larger than expected: fflate refuses to grow a given buffer, so a stream that inflates
    // to more stops at size + 1 and is caught below.
    const out = new Uint8Array(size + 1);
    let got: Uint8Array;
    try {
      got = inflateSync(bytes, { out });
    } catch (e) {
      throw new LatentkitError('E_INPUT_FORMAT', `DEFLATE stream does not decode (${(e as Error).message})`);
    }
    if (got.length !== size) throw new LatentkitError('E_INPUT_FORMAT', got.length > size ? `DEFLATE stream decodes to more than ${size} bytes` : `DEFLATE stream decodes to ${got.length} bytes, expected ${size}`);
    return got;
  },
};

/** Row-major symbols (rows × d) to the payload bytes. */
export function entropyEncode(coder: EntropyCoder, symbols: Uint8Array, rows: number, d: number): Uint8Array {
  return coder.encode(transpose(symbols, rows, d));
}

/** The payload back to row-major symbols; a payload that does not decode to exactly rows × d symbols is refused. */
export function entropyDecode(coder: EntropyCoder, payload: Uint8Array, rows: number, d: number, source = 'payload'): Uint8Array {
  let columnMajor: Uint8Array;
  try {
    columnMajor = coder.decode(payload, rows * d);
  } catch (e) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: ${(e as Error).message.split('\n')[0]}`, { cause: e });
  }
  return transpose(columnMajor, d, rows);
}

/** A rows × cols row-major array as cols × rows. */
function transpose(a: Uint8Array, rows: number, cols: number): Uint8Array {
  const out = new Uint8Array(a.length);
  for (let i = 0; i < rows; i++) for (let j = 0; j < cols; j++) out[j * rows + i] = a[i * cols + j]!;
  return out;
}
