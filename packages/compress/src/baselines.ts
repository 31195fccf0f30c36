import { LatentkitError, createMatrix, mse, psnr, type Matrix } from '@latentkit/core';
import { imageGridPng } from '@latentkit/viz';
import { gzipSync } from 'fflate';

/** Bits per image of a lossless pixel coder on the 8-bit pixels, and its distortion against the float pixels. */
export interface PixelBaseline {
  readonly name: string;
  readonly bitsPerImage: number;
  readonly mse: number;
  /** Peak 1; Infinity when the 8-bit pixels are the data exactly (MNIST's are). */
  readonly psnr: number;
}

/** Pixels in [0, 1] as the 8-bit grey levels PNG and gzip store (round(255·x), clamped). */
export function toBytes(x: Matrix): Uint8Array {
  const out = new Uint8Array(x.data.length);
  for (let k = 0; k < out.length; k++) {
    const v = Math.round(x.data[k]! * 255);
    out[k] = v < 0 ? 0 : v > 255 ? 255 : v;
  }
  return out;
}

/** The 8-bit pixels as floats again: what PNG or gzip give back. */
export function fromBytes(bytes: Uint8Array, rows: number, cols: number): Matrix {
  return createMatrix(rows, cols, Float32Array.from(bytes, (v) => v / 255));
}

/**
 * PNG (the repo's encoder in @latentkit/viz: one 8-bit grey image per file, no border), gzip of each image's
 * pixels alone, and gzip of the whole set's pixels in one stream, in bits per image. All three are lossless on
 * the 8-bit pixels, so they share one distortion: that of rounding to 8 bits.
 */
export function pixelBaselines(x: Matrix, imageShape: readonly [number, number, number]): PixelBaseline[] {
  const [h, w, c] = imageShape;
  if (h * w * c !== x.cols) throw new LatentkitError('E_SHAPE', `image shape ${h}×${w}×${c} does not hold ${x.cols} pixels`);
  if (x.rows === 0) throw new LatentkitError('E_EMPTY', 'no images to compress');
  if (c !== 1) throw new LatentkitError('E_SHAPE', `the pixel baselines are for grey images, got ${c} channels`);
  const bytes = toBytes(x);
  const back = fromBytes(bytes, x.rows, x.cols);
  const err = mse(x, back);
  let png = 0;
  let gzipEach = 0;
  for (let i = 0; i < x.rows; i++) {
    const one = { data: x.data.subarray(i * x.cols, (i + 1) * x.cols), rows: 1, cols: x.cols };
    png += imageGridPng([{ images: one }], { imageShape, scale: 1, gap: 0, labelWidth: 0 }).length;
    gzipEach += gzipSync(bytes.subarray(i * x.cols, (i + 1) * x.cols), { level: 9 }).length;
  }
  const gzipAll = gzipSync(bytes, { level: 9 }).length;
  const row = (name: string, totalBytes: number): PixelBaseline => ({ name, bitsPerImage: (totalBytes * 8) / x.rows, mse: err, psnr: psnr(err) });
  return [row('PNG (8-bit grey, per image)', png), row('gzip (per image)', gzipEach), row('gzip (whole set)', gzipAll)];
}
