// A run folder made with the shared writer (@latentkit/run/node) from small synthetic images and the toy
// third-party plugin (test/fixtures/toy-plugin): one model of it, and one of a kind whose plugin the viewer
// will not have ("ghost", from a package that is not installed).
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { createRng, ReducerRegistry, type Dataset, type ReducerPlugin } from '@latentkit/core';
import { fitAndSave, writeRunFolder, type RunModelInput } from '@latentkit/run/node';
// @ts-expect-error: the fixture is plain JavaScript, as a contributor's built package is.
import toyPlugin, { makeToyPlugin } from './fixtures/toy-plugin/index.js';

export const TOY_PLUGIN_DIR = new URL('./fixtures/toy-plugin/', import.meta.url);
export const GHOST_PACKAGE = { name: 'latentkit-ghost', version: '0.3.0' };

const SIDE = 12;

/** n images of 4 classes: a bright bar whose row depends on the class, plus seeded noise. */
function bars(n: number, seed: number, name: string): Dataset {
  const rng = createRng(seed);
  const x = new Float32Array(n * SIDE * SIDE);
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const label = i % 4;
    labels[i] = label;
    for (let p = 0; p < SIDE * SIDE; p++) {
      const row = Math.floor(p / SIDE);
      const bar = Math.abs(row - (2 + label * 2.5)) < 1.5 ? 0.85 : 0.05;
      x[i * SIDE * SIDE + p] = Math.min(1, Math.max(0, bar + 0.1 * (rng.next() - 0.5)));
    }
  }
  return { name, x: { data: x, rows: n, cols: SIDE * SIDE }, labels, imageShape: [SIDE, SIDE, 1], labelNames: ['top', 'upper', 'lower', 'bottom'] };
}

export async function createToyRun(dir: string): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  const train = bars(240, 1, 'bars');
  const test = bars(80, 2, 'bars');
  const registry = new ReducerRegistry().register(toyPlugin as ReducerPlugin, 'latentkit-toy').register(makeToyPlugin('ghost', GHOST_PACKAGE, 'Ghost') as ReducerPlugin, GHOST_PACKAGE.name);
  const data = { spec: 'synthetic:bars', train, test };
  const models: RunModelInput[] = [];
  // The same pipeline as `latentkit compare`: bundle and metrics.json per model, then the run folder around them.
  for (const [kind, displayName, latentDim] of [['toy', 'Toy', 6], ['ghost', 'Ghost', 3]] as const) {
    const fitted = await fitAndSave({ registry, kind, latentDim, options: {}, data, seed: 0, outDir: join(dir, kind) });
    models.push({ dir: kind, displayName, reducer: fitted.reducer, plugin: registry.get(kind).package!, ...(fitted.metrics.test.mse === undefined ? {} : { testMse: fitted.metrics.test.mse }) });
  }
  await writeRunFolder(dir, { data, models, seed: 0, maxMixtureComponents: 2 });
}
