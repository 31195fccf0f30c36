import { corruptRows } from '@latentkit/ae-core';
import { createMatrix, type Matrix, type Reducer } from '@latentkit/core';
import type { RunManifest } from '@latentkit/run';
import { describe, expect, it } from 'vitest';
import { cleanRows, corruptionSpec, CORRUPTION_CHOICES, formatPsnr, restore } from './restoration.js';
import type { ViewerRun } from './view-run.js';

const SIDE = 4;
const D = SIDE * SIDE;

/** A run of flat grey 4×4 images: point i has every pixel at byte 40·i + 20. */
function greyRun(n: number): ViewerRun {
  const images = new Uint8Array(n * D);
  for (let i = 0; i < n; i++) images.fill(40 * i + 20, i * D, (i + 1) * D);
  return {
    manifest: { data: { n, features: D, imageShape: [SIDE, SIDE, 1] } } as unknown as RunManifest,
    n, features: D, imageShape: [SIDE, SIDE, 1], images, split: new Uint8Array(n), testIndices: new Int32Array(0), models: [], url: 'http://x/run/',
  };
}

/** A 1-d "model" of flat images: f(x) = the row's mean, g(z) = a flat image of z — the projection onto them. */
function flatModel(capabilities: Reducer['capabilities'] = ['encode', 'decode']): Reducer {
  const rowMeans = (x: Matrix) => createMatrix(x.rows, 1, Float32Array.from({ length: x.rows }, (_, r) => x.data.subarray(r * x.cols, (r + 1) * x.cols).reduce((a, b) => a + b, 0) / x.cols));
  return {
    kind: 'flat', capabilities, latentDim: 1, inputDim: D, inputShape: [SIDE, SIDE, 1], parameterCount: 0,
    encode: async (x) => rowMeans(x),
    decode: async (z) => createMatrix(z.rows, D, Float32Array.from({ length: z.rows * D }, (_, k) => z.data[Math.floor(k / D)]!)),
    save: async () => { throw new Error('unused'); },
    dispose: () => {},
  } as Reducer;
}

describe('corrupt and restore', () => {
  it('spells the corruption as ae-core parses it, with the issue\'s defaults', () => {
    expect(corruptionSpec('noise', ' 0.5 ')).toBe('noise:0.5');
    expect(corruptionSpec('none', 'ignored')).toBe('none');
    expect(Object.fromEntries(CORRUPTION_CHOICES.map((c) => [c.type, c.value]))).toMatchObject({ noise: 0.5, mask: 0.25, downsample: 2 });
    expect(() => corruptionSpec('blur', '1')).toThrow('corruption: "blur" is not one of none, noise, saltpepper, mask, downsample');
  });

  it('takes the clean rows of the chosen points in [0, 1]', () => {
    const clean = cleanRows(greyRun(3), [2, 0]);
    expect([clean.rows, clean.cols]).toEqual([2, D]);
    expect(clean.data[0]).toBeCloseTo(100 / 255, 6);
    expect(clean.data[D]).toBeCloseTo(20 / 255, 6);
  });

  it('restores σ = 0.5 noise by projecting: restored PSNR above the noisy one, both over every row shown', async () => {
    const clean = cleanRows(greyRun(5), [0, 1, 2, 3, 4]);
    const noisy = corruptRows(clean, corruptionSpec('noise', '0.5'), { inputShape: [SIDE, SIDE, 1], seed: 3 });
    const r = await restore(flatModel(), clean, noisy);
    expect(r.psnrCorrupted).toBeLessThan(12);
    expect(r.psnrRestored).toBeGreaterThan(r.psnrCorrupted + 5);
    expect([r.restored.rows, r.restored.cols]).toEqual([5, D]);
    // "none" leaves the rows as they are: infinite PSNR, printed as such.
    const same = await restore(flatModel(), clean, corruptRows(clean, 'none', { inputShape: [SIDE, SIDE, 1], seed: 0 }));
    expect(formatPsnr(same.psnrCorrupted)).toBe('∞ dB');
    expect(formatPsnr(r.psnrRestored)).toMatch(/^\d+\.\d\d dB$/);
  });

  it('refuses a model that cannot decode, naming what needed it', async () => {
    const clean = cleanRows(greyRun(1), [0]);
    await expect(restore(flatModel(['encode']), clean, clean)).rejects.toThrow(/decode.*restoring corrupted rows|restoring corrupted rows.*decode/);
  });
});
