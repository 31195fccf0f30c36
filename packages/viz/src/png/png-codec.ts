import { decode, encode } from 'fast-png';
import { LatentkitError } from '@latentkit/core';
import type { RgbaImage } from './canvas.js';

export interface DecodedImage {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array | Uint8ClampedArray | Uint16Array;
}

/**
 * Encodes an opaque RGBA raster as an 8-bit PNG with the given number of channels: 1 keeps the red
 * channel as gray (callers pass 1 only for gray rasters), 3 drops alpha, 4 keeps everything.
 */
export function encodeRgbaPng(img: RgbaImage, channels: 1 | 3 | 4): Uint8Array {
  const n = img.width * img.height;
  const out = new Uint8Array(n * channels);
  for (let p = 0; p < n; p++) {
    for (let k = 0; k < channels; k++) out[p * channels + k] = img.data[p * 4 + k]!;
  }
  return encode({ width: img.width, height: img.height, data: out, depth: 8, channels });
}

/** Decodes PNG bytes (a thin wrapper over fast-png), for tests and tools. */
export function decodePng(bytes: Uint8Array): DecodedImage {
  try {
    const png = decode(bytes);
    return { width: png.width, height: png.height, channels: png.channels, data: png.data };
  } catch (e) {
    throw new LatentkitError('E_INPUT_FORMAT', `not a readable PNG: ${(e as Error).message}`, { cause: e });
  }
}
