// A small run folder holding a VAE (built-in plugin, capability "sample") and PCA, whose points carry row ids
// (points/ids.json, as a table's id column gives them): the viewer's prior sampling and id display are tested on
// it. MNIST digits; the VAE trains 2 epochs on 1,000 rows (~20 s on 2 cores: 1 epoch on 300 rows left its prior
// samples near-blank), and 400 points are shown. Made by the same writer `latentkit demo` uses.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ReducerRegistry, subsetDataset, type Dataset, type Reducer } from '@latentkit/core';
import { loadMnistSplit } from '@latentkit/data/node';
import { pcaPlugin } from '@latentkit/pca';
import { fitAndSave, writeRunFolder, type RunModelInput } from '@latentkit/run/node';
import { vaePlugin } from '@latentkit/vae';

/** The id of row k of a split, as ids.json holds it (train then test). */
export const rowId = (split: 'train' | 'test', k: number) => `${split}-${String(k).padStart(4, '0')}`;

const first = (d: Dataset, n: number) => subsetDataset(d, Array.from({ length: Math.min(n, d.x.rows) }, (_, i) => i));
/** A dataset with an id column: the writer finds it as `ids` (see @latentkit/run/node points.ts). */
const withIds = (d: Dataset, split: 'train' | 'test') => Object.assign(d, { ids: Array.from({ length: d.x.rows }, (_, k) => rowId(split, k)) });

export async function createVaeRun(dir: string, { trainPoints = 300, testPoints = 100, fitRows = 1000, latentDim = 4 } = {}): Promise<{ seconds: number }> {
  const started = performance.now();
  await rm(dir, { recursive: true, force: true });
  const split = await loadMnistSplit({ seed: 0 });
  const data = { spec: 'mnist', train: withIds(first(split.train, trainPoints), 'train'), test: withIds(first(split.test, testPoints), 'test') };
  const fitData = { spec: 'mnist', train: first(split.train, fitRows), test: data.test };
  const registry = new ReducerRegistry().register(pcaPlugin).register(vaePlugin);
  const models: RunModelInput[] = [];
  const fitted: Reducer[] = [];
  try {
    for (const [kind, options] of [['vae', { epochs: 2, batchSize: 32 }], ['pca', {}]] as const) {
      const plugin = registry.get(kind);
      const { reducer, metrics } = await fitAndSave({ registry, kind, latentDim, options, data: fitData, seed: 0, outDir: join(dir, kind) });
      fitted.push(reducer);
      models.push({ dir: kind, displayName: plugin.displayName ?? kind, reducer, ...(plugin.package ? { plugin: plugin.package } : {}), ...(metrics.test.mse !== undefined ? { testMse: metrics.test.mse } : {}) });
    }
    await writeRunFolder(dir, { data, seed: 0, models, maxMixtureComponents: 2 });
  } finally {
    for (const r of fitted) r.dispose();
  }
  return { seconds: (performance.now() - started) / 1000 };
}
