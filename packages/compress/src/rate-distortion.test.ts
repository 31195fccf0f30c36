import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sliceRows, type Matrix, type Reducer } from '@latentkit/core';
import { XMLParser } from 'fast-xml-parser';
import { rateDistortion, rdMarkdown, rdSvg } from './rate-distortion.js';
import { compressionSection } from './demo-section.js';
import { brotliCoder } from './node/brotli.js';
import { SHAPE, fitPca, syntheticImages } from './__fixtures__/images.js';

let small: Reducer;
let large: Reducer;
let train: Matrix;
let test: Matrix;

beforeAll(async () => {
  const x = syntheticImages(500, 2);
  train = sliceRows(x, 0, 350);
  test = sliceRows(x, 350, 500);
  small = await fitPca(train, 2);
  large = await fitPca(train, 5);
});
afterAll(() => {
  small.dispose();
  large.dispose();
});

describe('rate–distortion', () => {
  it('gives every (model, b) a rate and a PSNR that grow with b and d, beside PNG and gzip', async () => {
    const result = await rateDistortion(
      [
        { name: 'PCA', reducer: small },
        { name: 'PCA', reducer: large },
      ],
      train,
      test,
      { imageShape: SHAPE, bits: [2, 4, 8], coder: brotliCoder },
    );
    expect(result.rows.map((r) => [r.latentDim, r.bits])).toEqual([[2, 2], [2, 4], [2, 8], [5, 2], [5, 4], [5, 8]]);
    expect(result.coder).toBe('brotli');
    for (const d of [2, 5]) {
      const rows = result.rows.filter((r) => r.latentDim === d);
      for (let k = 1; k < rows.length; k++) {
        expect(rows[k]!.psnr).toBeGreaterThan(rows[k - 1]!.psnr);
        expect(rows[k]!.payloadBitsPerImage).toBeGreaterThan(rows[k - 1]!.payloadBitsPerImage);
      }
      for (const r of rows) {
        expect(Number.isFinite(r.psnr)).toBe(true);
        expect(r.psnr).toBeLessThanOrEqual(r.psnrUnquantised + 1e-9);
        expect(r.bitsPerImage).toBeGreaterThan(r.payloadBitsPerImage);
      }
    }
    const at8 = (d: number) => result.rows.find((r) => r.latentDim === d && r.bits === 8)!.psnr;
    expect(at8(5)).toBeGreaterThan(at8(2));
    expect(result.baselines.map((b) => b.name)).toEqual(['PNG (8-bit grey, per image)', 'gzip (per image)', 'gzip (whole set)']);

    const md = rdMarkdown(result);
    expect(md.split('\n').filter((l) => l.startsWith('| PCA | 5 | 8 |'))).toHaveLength(1);
    expect(md).toContain('∞ (lossless)');
    const svg = rdSvg(result);
    const doc = new XMLParser({ ignoreAttributes: false }).parse(svg) as { svg: unknown };
    expect(doc.svg).toBeDefined();
    for (const label of ['PCA, b=8', 'PCA, b=2', 'PNG (8-bit grey, per image) (lossless)']) expect(svg).toContain(label);
  });

  it('uses codes the caller already has, giving the rows encoding would, and refuses codes of other rows', async () => {
    const options = { imageShape: SHAPE, bits: [4, 8], coder: brotliCoder };
    const codes = { train: await large.encode!(train), test: await large.encode!(test) };
    const encoded = await rateDistortion([{ name: 'PCA', reducer: large }], train, test, options);
    const given = await rateDistortion([{ name: 'PCA', reducer: large, codes }], train, test, options);
    expect(given.rows).toEqual(encoded.rows);
    // Codes of other rows change the rates: the given codes are really the ones used.
    const shifted = { train: codes.train, test: { ...codes.test, data: codes.test.data.map((v) => v * 0.5) } };
    const other = await rateDistortion([{ name: 'PCA', reducer: large, codes: shifted }], train, test, options);
    expect(other.rows[0]!.psnr).not.toBeCloseTo(encoded.rows[0]!.psnr, 3);
    await expect(rateDistortion([{ name: 'PCA', reducer: large, codes: { train: codes.train, test: sliceRows(codes.test, 0, 10) } }], train, test, options)).rejects.toThrow(
      'PCA: test codes given for rate–distortion are 10×5, the 150 test rows at d=5 need 150×5',
    );
  });

  it('builds a report section from fitted models: rows, caption and figure', async () => {
    const section = await compressionSection([{ name: 'PCA d=5', reducer: large }], train, test, { imageShape: SHAPE, coder: brotliCoder });
    expect(section.rows).toHaveLength(3 + 3);
    expect(section.header).toContain('PSNR dB');
    expect(section.caption).toMatch(/best code here, PCA d=5 \(d=5, b=8\), takes \d+ bits at \d+\.\d dB/);
    expect(section.svg.startsWith('<svg')).toBe(true);
  });
});
