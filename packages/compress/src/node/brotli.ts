import { LatentkitError } from '@latentkit/core';
import { brotliCompressSync, brotliDecompressSync, constants } from 'node:zlib';
import type { EntropyCoder } from '../entropy.js';

/**
 * Brotli at quality 11 from Node's own zlib (no dependency). On MNIST codes it comes within 1–3% of the
 * order-0 entropy of the symbols (see the README); the browser can read the same stream with brotli-wasm.
 */
export const brotliCoder: EntropyCoder = {
  id: 'brotli',
  encode: (bytes) =>
    new Uint8Array(
      brotliCompressSync(bytes, {
        params: { [constants.BROTLI_PARAM_QUALITY]: 11, [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_GENERIC, [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length },
      }),
    ),
  decode(bytes, size) {
    let out: Buffer;
    try {
      // One byte more than expected is allowed so that a longer stream is told apart from an exact one.
      out = brotliDecompressSync(bytes, { maxOutputLength: Math.max(1, size + 1) });
    } catch (e) {
      const tooLong = (e as NodeJS.ErrnoException).code === 'ERR_BUFFER_TOO_LARGE';
      throw new LatentkitError('E_INPUT_FORMAT', tooLong ? `Brotli stream decodes to more than ${size} bytes` : `Brotli stream does not decode (${(e as Error).message})`);
    }
    if (out.length !== size) throw new LatentkitError('E_INPUT_FORMAT', out.length > size ? `Brotli stream decodes to more than ${size} bytes` : `Brotli stream decodes to ${out.length} bytes, expected ${size}`);
    return new Uint8Array(out.buffer, out.byteOffset, out.length);
  },
};
