// A run folder with a known layout for the WebGL scatter tests: 4×4 grey images in four tight clusters (label k),
// placed at the corners of a square in one plane of pixel space, so PCA d=2 (fitted by the shared pipeline)
// puts each label in its own blob, far from the others. Made by the same writer `latentkit demo` uses.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, ReducerRegistry, type Dataset } from '@latentkit/core';
import { pcaPlugin } from '@latentkit/pca';
import { fitAndSave, writeRunFolder } from '@latentkit/run/node';

const SIDE = 4;
/** Cluster k's corner (a, b): a brightens the left half against the right, b the top half against the bottom. */
export const CORNERS: readonly (readonly [number, number])[] = [[1, 1], [1, -1], [-1, 1], [-1, -1]];
const NOISE = 0.03;

function blobs(n: number, seed: number): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * SIDE * SIDE);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % CORNERS.length;
    const [a, b] = CORNERS[label]!;
    labels[i] = label;
    for (let p = 0; p < SIDE * SIDE; p++) {
      const col = p % SIDE < SIDE / 2 ? 1 : -1;
      const row = Math.floor(p / SIDE) < SIDE / 2 ? 1 : -1;
      x[i * SIDE * SIDE + p] = 0.5 + 0.3 * a * col + 0.15 * b * row + NOISE * (rng.next() - 0.5) * 2;
    }
  }
  return { name: 'blobs', x: { data: x, rows: n, cols: SIDE * SIDE }, labels, imageShape: [SIDE, SIDE, 1], labelNames: ['blob 0', 'blob 1', 'blob 2', 'blob 3'] };
}

/** Writes the run (train then test points; `n` in all, a fifth of them test points) with one PCA d=2 model. */
export async function createBlobsRun(dir: string, n = 20_000): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  const tests = Math.round(n / 5);
  const data = { spec: 'synthetic:blobs', train: blobs(n - tests, 1), test: blobs(tests, 2) };
  const registry = new ReducerRegistry().register(pcaPlugin);
  const { reducer, metrics } = await fitAndSave({ registry, kind: 'pca', latentDim: 2, options: {}, data, seed: 0, outDir: join(dir, 'pca') });
  try {
    await writeRunFolder(dir, {
      data,
      seed: 0,
      models: [{ dir: 'pca', displayName: 'PCA', reducer, ...(pcaPlugin.package ? { plugin: pcaPlugin.package } : {}), ...(metrics.test.mse !== undefined ? { testMse: metrics.test.mse } : {}) }],
      maxMixtureComponents: 2,
    });
  } finally {
    reducer.dispose();
  }
}
