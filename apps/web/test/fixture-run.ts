// A small but real run folder for the viewer tests, made by the shared pipeline and writer (@latentkit/run/node)
// so it never drifts from what `latentkit demo` writes. Models train 1 epoch on a few hundred digits.
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { ReducerRegistry, describeOptions, subsetDataset, type Dataset, type Reducer } from '@latentkit/core';
import { loadMnistSplit } from '@latentkit/data/node';
import { pcaPlugin } from '@latentkit/pca';
import { denseAePlugin } from '@latentkit/dense-ae';
import { convAePlugin } from '@latentkit/conv-ae';
import { fitAndSave, writeRunFolder, type RunManifest, type RunModelInput } from '@latentkit/run/node';

export interface FixtureOptions {
  /** Train-split points shown in the viewer (default 1600). */
  readonly trainPoints?: number;
  /** Test-split points shown and scored (default 400). */
  readonly testPoints?: number;
  /** Rows the models are fitted on (default 500). */
  readonly fitRows?: number;
  readonly latentDim?: number;
  readonly seed?: number;
  /** Reducers to fit (default all three). */
  readonly kinds?: readonly string[];
}

export interface FixtureRun {
  readonly dir: string;
  readonly manifest: RunManifest;
  readonly seconds: number;
}

/** Quick training for any plugin that trains in epochs: one pass, batches of 64. */
const QUICK = { epochs: 1, batchSize: 64 };

const first = (d: Dataset, n: number) => subsetDataset(d, Array.from({ length: Math.min(n, d.x.rows) }, (_, i) => i));

export async function createFixtureRun(dir: string, options: FixtureOptions = {}): Promise<FixtureRun> {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const latentDim = options.latentDim ?? 16;
  const registry = new ReducerRegistry().register(pcaPlugin).register(denseAePlugin).register(convAePlugin);
  const split = await loadMnistSplit({ seed });
  const train = first(split.train, options.trainPoints ?? 1600);
  const test = first(split.test, options.testPoints ?? 400);
  const fitData = { spec: 'mnist', train: first(train, options.fitRows ?? 500), test };
  await rm(dir, { recursive: true, force: true });

  const timings: Record<string, number> = {};
  const models: RunModelInput[] = [];
  const fitted: Reducer[] = [];
  try {
    for (const kind of options.kinds ?? ['pca', 'dense-ae', 'conv-ae']) {
      const t0 = performance.now();
      const plugin = registry.get(kind);
      const names = describeOptions(plugin.options).map((o) => o.name);
      const quick = Object.fromEntries(Object.entries(QUICK).filter(([name]) => names.includes(name)));
      const { reducer, metrics } = await fitAndSave({ registry, kind, latentDim, options: quick, data: fitData, seed, outDir: join(dir, kind) });
      fitted.push(reducer);
      models.push({ dir: kind, displayName: plugin.displayName ?? kind, reducer, ...(plugin.package ? { plugin: plugin.package } : {}), ...(metrics.test.mse !== undefined ? { testMse: metrics.test.mse } : {}) });
      timings[kind] = (performance.now() - t0) / 1000;
    }
    const { manifest } = await writeRunFolder(dir, {
      data: { spec: 'mnist', train, test },
      seed,
      models,
      maxMixtureComponents: 4,
      info: { fixture: true, fitRows: fitData.train.x.rows, secondsPerModel: timings },
    });
    return { dir, manifest, seconds: (performance.now() - started) / 1000 };
  } finally {
    for (const r of fitted) r.dispose();
  }
}
