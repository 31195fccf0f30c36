import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { decode } from 'fast-png';
import { beforeAll, describe, expect, it } from 'vitest';
import { createRng, mse, psnr } from '@latentkit/core';
import { corruptRows } from '@latentkit/ae-core';
import { loadDataSource } from '@latentkit/data/node';
import { cli, float32Npy, tempDir } from './helpers.js';

/** A float32 .npy of n 8×8 images near a rank-3 subspace (values in [0, 1]): PCA-3 removes most added noise. */
function lowRankImagesNpy(n: number): Uint8Array {
  const rng = createRng(2);
  const basis = Array.from({ length: 3 }, () => Array.from({ length: 64 }, () => rng.normal() * 0.08));
  const values = new Float32Array(n * 64);
  for (let i = 0; i < n; i++) {
    const c = [rng.normal(), rng.normal(), rng.normal()];
    for (let j = 0; j < 64; j++) values[i * 64 + j] = Math.min(1, Math.max(0, 0.5 + c[0]! * basis[0]![j]! + c[1]! * basis[1]![j]! + c[2]! * basis[2]![j]!));
  }
  return float32Npy(values, [n, 8, 8]);
}

describe('latentkit restore', () => {
  let dir: string;

  beforeAll(async () => {
    dir = await tempDir();
    await writeFile(join(dir, 'digits.npy'), lowRankImagesNpy(200));
    const r = await cli(['fit', '--data', 'npy:digits.npy', '--reducer', 'pca', '--latent', '3', '--out', 'pca3', '--quiet'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
  });

  it('scores the corrupted test set and the PCA projection, and draws clean / corrupted / restored rows', async () => {
    const r = await cli(['restore', 'pca3', '--corrupt', 'noise:0.2', '--n', '5', '--png', 'restore.png', '--json', '--quiet'], { cwd: dir });
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    // The same split (seed 0) and the same seeded corruption, computed here.
    const { test } = await loadDataSource(`npy:${join(dir, 'digits.npy')}`, { seed: 0 });
    const corrupted = corruptRows(test.x, 'noise:0.2', { inputShape: [8, 8, 1], seed: 0 });
    expect(out).toMatchObject({ corrupt: 'noise:0.2', seed: 0, n: test.x.rows });
    expect(out.corrupted.mse).toBeCloseTo(mse(test.x, corrupted), 9);
    expect(out.corrupted.psnr).toBeCloseTo(psnr(mse(test.x, corrupted)), 9);
    expect(out.models).toHaveLength(1);
    const [pca] = out.models;
    expect(pca).toMatchObject({ dir: 'pca3', latentDim: 3 });
    expect(pca.psnr).toBeCloseTo(10 * Math.log10(1 / pca.mse), 9);
    // Projecting onto the 3-d subspace the rows live near removes most of the noise.
    expect(pca.psnr).toBeGreaterThan(out.corrupted.psnr + 5);
    const png = decode(await readFile(join(dir, 'restore.png')));
    // Three rows (clean, corrupted, restored) of five 8×8 images at scale 2, plus a label column.
    expect(png.width).toBeGreaterThan(5 * 16);
    expect(png.height).toBeGreaterThanOrEqual(3 * 16);
    expect(png.height).toBeLessThan(4 * 16 + 20);
  });

  it('refuses a bad --corrupt in one line, and --corrupt on fit for a reducer without the option', async () => {
    const bad = await cli(['restore', 'pca3', '--corrupt', 'noise:-1', '--png', 'x.png'], { cwd: dir });
    expect(bad.code).toBe(1);
    expect(bad.stderr).toBe('latentkit: --corrupt: "noise:-1" needs a noise level σ in (0, 10] (e.g. noise:0.5)\n');
    const fit = await cli(['fit', '--data', 'npy:digits.npy', '--reducer', 'pca', '--latent', '3', '--corrupt', 'noise:0.5', '--out', 'p'], { cwd: dir });
    expect(fit.code).toBe(1);
    expect(fit.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^latentkit: reducer "pca" has no option "corrupt"/)]);
  });
});
