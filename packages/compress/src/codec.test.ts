import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeWith, encodeWith, isLatentkitError, sliceRows, type Matrix, type Reducer } from '@latentkit/core';
import { compressImages, decompressCodes, decompressImages } from './codec.js';
import { dequantise, fitQuantiser, quantise } from './quantiser.js';
import { deflateCoder } from './entropy.js';
import { brotliCoder } from './node/brotli.js';
import { fitPca, syntheticImages } from './__fixtures__/images.js';

let model: Reducer;
let other: Reducer;
let train: Matrix;
let test: Matrix;

beforeAll(async () => {
  const x = syntheticImages(600, 1);
  train = sliceRows(x, 0, 400);
  test = sliceRows(x, 400, 600);
  model = await fitPca(train, 4);
  other = await fitPca(train, 3);
});
afterAll(() => {
  model.dispose();
  other.dispose();
});

describe('compress → decompress with a reducer', () => {
  it('decompress(compress(x)) equals decode(dequantise(quantise(encode(x)))) exactly, with either coder', async () => {
    const q = fitQuantiser(await encodeWith(model, train), 6);
    const symbols = quantise(q, await encodeWith(model, test));
    const expected = await decodeWith(model, dequantise(q, symbols, test.rows));
    for (const coder of [deflateCoder, brotliCoder]) {
      const file = await compressImages(model, test, q, { coder, modelSource: 'runs/pca', data: 'synthetic' });
      const decoded = decompressCodes(file, { coders: [coder] });
      expect(decoded.symbols).toEqual(symbols);
      expect(decoded.header).toMatchObject({ images: 200, coder: coder.id, data: 'synthetic', model: { latentDim: 4, inputDim: 64, source: 'runs/pca' } });
      const { images } = await decompressImages(model, file, { coders: [coder] });
      expect(images.rows).toBe(200);
      expect(images.data).toEqual(expected.data);
    }
  });

  it('writes fewer bits per image as b falls', async () => {
    const trainCodes = await encodeWith(model, train);
    const sizes: number[] = [];
    for (const b of [8, 6, 4, 2]) sizes.push((await compressImages(model, test, fitQuantiser(trainCodes, b), { coder: brotliCoder })).length);
    for (let k = 1; k < sizes.length; k++) expect(sizes[k]!).toBeLessThan(sizes[k - 1]!);
  });

  it('refuses another model, an unknown coder and a model without a decoder, in one line', async () => {
    const q = fitQuantiser(await encodeWith(model, train), 4);
    const file = await compressImages(model, test, q, { coder: brotliCoder, modelSource: 'runs/pca' });
    await expect(decompressImages(other, file, { coders: [brotliCoder], source: 'c.lkz' })).rejects.toThrow(/^c\.lkz was written by a pca model with d=4.*\(runs\/pca\); the given model differs in latentDim \(3\)$/);
    expect(() => decompressCodes(file, { source: 'c.lkz' })).toThrow(/^c\.lkz: entropy coder "brotli" is not available here \(this reader has deflate\)$/);
    const encodeOnly = { ...model, capabilities: ['encode'] as const, decode: undefined } as unknown as Reducer;
    try {
      await compressImages(encodeOnly, test, q);
      expect.unreachable();
    } catch (e) {
      expect(isLatentkitError(e) && e.code).toBe('E_UNSUPPORTED');
    }
  });

  it('keeps reconstructions closer to g(f(x)) as b grows', async () => {
    const trainCodes = await encodeWith(model, train);
    const exact = await decodeWith(model, await encodeWith(model, test));
    const gap = async (b: number) => {
      const { images } = await decompressImages(model, await compressImages(model, test, fitQuantiser(trainCodes, b)));
      return images.data.reduce((t, v, k) => t + (v - exact.data[k]!) ** 2, 0);
    };
    const [g2, g4, g8] = [await gap(2), await gap(4), await gap(8)];
    expect(g4).toBeLessThan(g2);
    expect(g8).toBeLessThan(g4);
    expect(g8).toBeGreaterThan(0);
  });
});
