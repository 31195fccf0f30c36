import { ReducerRegistry, createDataset, createMatrix, createRng, type Dataset, type Matrix, type Reducer } from '@latentkit/core';
import { pcaPlugin } from '@latentkit/pca';

export const SHAPE: readonly [number, number, number] = [8, 8, 1];

/**
 * Seeded 8×8 "images": a few smooth patterns mixed with random weights plus a little noise, clipped to [0, 1]
 * and rounded to 8-bit grey levels (as MNIST's are), so PCA finds structure and PNG/gzip are lossless.
 */
export function syntheticImages(rows: number, seed: number): Matrix {
  const rng = createRng(seed);
  const patterns = Array.from({ length: 5 }, (_, k) => Array.from({ length: 64 }, (_, p) => Math.sin(((p % 8) + 1) * (k + 1) * 0.4) * Math.cos((Math.floor(p / 8) + 1) * (k + 2) * 0.3)));
  const out = new Float32Array(rows * 64);
  for (let i = 0; i < rows; i++) {
    const w = patterns.map(() => rng.normal());
    for (let p = 0; p < 64; p++) {
      const v = 0.5 + 0.15 * patterns.reduce((t, pat, k) => t + w[k]! * pat[p]!, 0) + 0.01 * rng.normal();
      out[i * 64 + p] = Math.round(Math.min(1, Math.max(0, v)) * 255) / 255;
    }
  }
  return createMatrix(rows, 64, out);
}

export function dataset(x: Matrix): Dataset {
  return createDataset({ name: 'synthetic', x, imageShape: [...SHAPE] as [number, number, number] });
}

export async function fitPca(train: Matrix, latentDim: number): Promise<Reducer> {
  const registry = new ReducerRegistry().register(pcaPlugin);
  const { model } = await registry.fit('pca', dataset(train), await registry.settings('pca', latentDim, {}));
  return model;
}
