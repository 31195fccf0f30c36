import { describe, expect, it } from 'vitest';
import { createMatrix } from '@latentkit/core';
import { decodePng, imageGridPng } from '@latentkit/viz';
import { pixelBaselines, toBytes } from './baselines.js';
import { SHAPE, syntheticImages } from './__fixtures__/images.js';

describe('PNG and gzip baselines', () => {
  it('measures lossless coders of the 8-bit pixels: infinite PSNR on 8-bit data, whole-set gzip below per-image gzip', () => {
    const x = syntheticImages(50, 4);
    const [png, gzipEach, gzipAll] = pixelBaselines(x, SHAPE);
    for (const b of [png!, gzipEach!, gzipAll!]) {
      expect(b.mse).toBe(0);
      expect(b.psnr).toBe(Infinity);
      // below the 512 raw bits of 64 8-bit pixels only through the coder, above zero always
      expect(b.bitsPerImage).toBeGreaterThan(64);
    }
    expect(gzipAll!.bitsPerImage).toBeLessThan(gzipEach!.bitsPerImage);
    // PNG carries its signature and chunks per image: more than the pixels alone
    expect(png!.bitsPerImage).toBeGreaterThan(64 * 8 * 0.5);
  });

  it('counts the bytes of real PNG and gzip files of the same pixels', () => {
    const x = syntheticImages(1, 5);
    const bytes = toBytes(x);
    const [png] = pixelBaselines(x, SHAPE);
    // the PNG the baseline counts decodes to exactly these pixels (checked through the same encoder path)
    const file = imageGridPng([{ images: x }], { imageShape: SHAPE, scale: 1, gap: 0, labelWidth: 0 });
    expect(file.length * 8).toBe(png!.bitsPerImage);
    const decoded = decodePng(file);
    expect([decoded.width, decoded.height, decoded.channels]).toEqual([8, 8, 1]);
    expect(Uint8Array.from(decoded.data)).toEqual(bytes);
  });

  it('reports the distortion of rounding to 8 bits when the data is finer', () => {
    const x = createMatrix(2, 64, Float32Array.from({ length: 128 }, (_, k) => (k % 64) / 64 + 0.001));
    const [png] = pixelBaselines(x, SHAPE);
    expect(png!.mse).toBeGreaterThan(0);
    expect(png!.mse).toBeLessThanOrEqual(1 / (4 * 255 * 255));
    expect(png!.psnr).toBeGreaterThan(48);
    expect(() => pixelBaselines(x, [4, 4, 1])).toThrow(/does not hold 64 pixels/);
  });
});
