import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleFiles, createMatrix, createRng, readBundle, type Dataset, type Matrix } from '@latentkit/core';
import { toyImages } from '@latentkit/reducer-conformance';
import { denseAeLayersExporter, fitDenseAe, type DenseAe } from '@latentkit/dense-ae';
import layersModelNodePlugin from './node.js';

const data: Dataset = toyImages(48, 2);
let dir: string;
let trained: DenseAe;

function uniformRows(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = createMatrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.next();
  return m;
}

const maxAbsDiff = (a: ArrayLike<number>, b: ArrayLike<number>) => Array.from(a).reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

beforeAll(async () => {
  trained = (await fitDenseAe(data, { latentDim: 4, hidden: [12], activation: 'elu', epochs: 2, batchSize: 16 }, { seed: 5 })).model;
  dir = await mkdtemp(join(tmpdir(), 'layers-model-'));
  await denseAeLayersExporter.export(trained, async (path, bytes) => {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), bytes);
  });
});

afterAll(async () => {
  trained.dispose();
  await rm(dir, { recursive: true, force: true });
});

const fit = (latentDim: number, options: Record<string, unknown>, on: Dataset = data) => layersModelNodePlugin.fit(on, { latentDim, options: { backend: 'wasm', ...options } });

describe('layers-model: a LayersModel pair as a reducer', () => {
  it('imports a dense-ae export from its folder: codes and reconstructions equal the original to 1e-5, and survive a bundle', async () => {
    const { model } = await fit(4, { folder: dir });
    try {
      expect(model.capabilities).toEqual(['encode', 'decode']);
      expect(model.inputShape).toEqual([8, 8, 1]);
      const x = uniformRows(10, 64, 4);
      const codes = await model.encode!(x);
      expect(maxAbsDiff(codes.data, (await trained.encode(x)).data)).toBeLessThan(1e-5);
      const recon = await model.decode!(codes);
      expect(maxAbsDiff(recon.data, (await trained.decode(codes)).data)).toBeLessThan(1e-5);
      const files = bundleFiles(await model.save());
      const again = await layersModelNodePlugin.load(await readBundle(async (f) => files.get(f)!));
      try {
        expect(Array.from((await again.encode!(x)).data)).toEqual(Array.from(codes.data));
        expect(Array.from((await again.decode!(codes)).data)).toEqual(Array.from(recon.data));
      } finally {
        again.dispose();
      }
    } finally {
      model.dispose();
    }
  });

  it('an encoder alone (by model.json path) encodes only: decode is absent', async () => {
    const { model } = await fit(4, { encoder: join(dir, 'encoder', 'model.json') });
    try {
      expect(model.capabilities).toEqual(['encode']);
      expect(model.decode).toBeUndefined();
      expect(model.inputShape).toEqual([8, 8, 1]);
      const x = uniformRows(3, 64, 1);
      expect(maxAbsDiff((await model.encode!(x)).data, (await trained.encode(x)).data)).toBeLessThan(1e-5);
    } finally {
      model.dispose();
    }
  });

  it('refuses what it cannot serve in one line naming it', async () => {
    await expect(fit(4, {})).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('needs a model: set folder') });
    await expect(fit(4, { folder: dir, encoder: 'x.json' })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('not both') });
    await expect(fit(3, { folder: dir })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('outputs 4 numbers per row, so latentDim must be 4 (got 3; --latent 4)') });
    await expect(fit(4, { encoder: join(dir, 'nope.json') })).rejects.toMatchObject({ code: 'E_IO', message: `cannot read ${join(dir, 'nope.json')} (ENOENT)` });
    await expect(fit(4, { folder: dir }, toyImages(20, 1, 6))).rejects.toMatchObject({ code: 'E_SHAPE', message: expect.stringContaining('takes 64 features per row, dataset') });
    await expect(fit(4, { encoder: join(dir, 'decoder', 'model.json'), decoder: join(dir, 'encoder', 'model.json') })).rejects.toMatchObject({ code: 'E_SHAPE' });
  });
});
