import { coerceOptionStrings, describeOptions, validateOptions } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { encodeEpochs, umapOptions } from './options.js';

describe('umap options', () => {
  it('fills defaults', async () => {
    expect(await validateOptions('umap', umapOptions, {})).toEqual({ nNeighbors: 15, minDist: 0.1, spread: 1, nEpochs: 'auto', metric: 'euclidean' });
  });

  it('describes every option with a type, default and description for --help', () => {
    const fields = describeOptions(umapOptions);
    expect(fields.map((f) => f.name)).toEqual(['nNeighbors', 'minDist', 'spread', 'nEpochs', 'metric']);
    for (const f of fields) {
      expect(f.description, f.name).toMatch(/\w/);
      expect(f.default, f.name).toBeDefined();
    }
    expect(fields.find((f) => f.name === 'nNeighbors')).toMatchObject({ type: 'integer', minimum: 2, maximum: 200 });
    expect(fields.find((f) => f.name === 'metric')?.choices).toEqual(['euclidean', 'cosine']);
  });

  it('parses command-line strings into numbers and literals', () => {
    expect(coerceOptionStrings(umapOptions, { nEpochs: '200', minDist: '0.5', metric: 'cosine' })).toEqual({ nEpochs: 200, minDist: 0.5, metric: 'cosine' });
    expect(coerceOptionStrings(umapOptions, { nEpochs: 'auto' })).toEqual({ nEpochs: 'auto' });
  });

  it('refuses out-of-range, unknown and inconsistent options in one line naming them', async () => {
    await expect(validateOptions('umap', umapOptions, { nNeighbors: 1 })).rejects.toThrow(/reducer "umap" options: nNeighbors: .*2/);
    await expect(validateOptions('umap', umapOptions, { nEpochs: 2.5 })).rejects.toThrow(/nEpochs/);
    await expect(validateOptions('umap', umapOptions, { metric: 'manhattan' })).rejects.toThrow(/metric/);
    await expect(validateOptions('umap', umapOptions, { neighbours: 5 })).rejects.toThrow(/Unrecognized key.*neighbours/);
    await expect(validateOptions('umap', umapOptions, { minDist: 2, spread: 1 })).rejects.toThrow('reducer "umap" options: minDist: minDist must be at most spread');
  });

  it("runs encode for a third of the fit's epochs, or 100 when they are automatic", () => {
    expect(encodeEpochs({ nEpochs: 'auto' })).toBe(100);
    expect(encodeEpochs({ nEpochs: 200 })).toBe(66);
    expect(encodeEpochs({ nEpochs: 2 })).toBe(1);
  });
});
