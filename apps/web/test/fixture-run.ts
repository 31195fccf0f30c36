// Builds a small but real run folder (the RUN FOLDER FORMAT of @latentkit/core run.ts) straight from the
// packages, so the viewer tests do not wait on `latentkit demo`. Models train 1 epoch on a few hundred digits.
import { mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  RUN_FORMAT,
  RUN_FORMAT_VERSION,
  RUN_MANIFEST_FILE,
  bundleFiles,
  rowMse,
  sliceRows,
  subsetDataset,
  concatRows,
  type Dataset,
  type Matrix,
  type ReducerPlugin,
  type RunManifest,
  type RunModel,
} from '@latentkit/core';
import { loadMnistSplit } from '@latentkit/data/node';
import { pcaPlugin } from '@latentkit/pca';
import { denseAePlugin } from '@latentkit/dense-ae';
import { convAePlugin } from '@latentkit/conv-ae';
import { combinedScores, densityScores, fitGaussian, fitGaussianMixture } from '@latentkit/latent';

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

function toUint8Pixels(x: Matrix): Uint8Array {
  return Uint8Array.from(x.data, (v) => Math.round(Math.min(1, Math.max(0, v)) * 255));
}

function bytesOf(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

export async function createFixtureRun(dir: string, options: FixtureOptions = {}): Promise<FixtureRun> {
  const started = performance.now();
  const seed = options.seed ?? 0;
  const latentDim = options.latentDim ?? 16;
  const { train, test } = await loadMnistSplit({ seed });
  const nTrain = Math.min(options.trainPoints ?? 1600, train.x.rows);
  const nTest = Math.min(options.testPoints ?? 400, test.x.rows);
  const fitData: Dataset = subsetDataset(train, Array.from({ length: Math.min(options.fitRows ?? 500, nTrain) }, (_, i) => i));
  const testX = sliceRows(test.x, 0, nTest);
  const timings: Record<string, number> = {};

  // Points are stored quantised to bytes; models encode exactly what the viewer will show.
  const pointsX = concatRows([sliceRows(train.x, 0, nTrain), testX]);
  const pixels = toUint8Pixels(pointsX);
  const shownX: Matrix = { data: Float32Array.from(pixels, (p) => p / 255), rows: pointsX.rows, cols: pointsX.cols };
  const labels = new Int32Array(nTrain + nTest);
  labels.set(train.labels!.subarray(0, nTrain), 0);
  labels.set(test.labels!.subarray(0, nTest), nTrain);
  const split = new Uint8Array(nTrain + nTest).fill(1, nTrain);

  await rm(dir, { recursive: true, force: true });
  await mkdir(join(dir, 'points'), { recursive: true });
  await writeFile(join(dir, 'points', 'images.bin'), pixels);
  await writeFile(join(dir, 'points', 'labels.bin'), bytesOf(labels));
  await writeFile(join(dir, 'points', 'split.bin'), split);

  const jobs: { plugin: ReducerPlugin; options: Record<string, unknown> }[] = [
    { plugin: pcaPlugin, options: {} },
    { plugin: denseAePlugin, options: { epochs: 1, batchSize: 64 } },
    { plugin: convAePlugin, options: { epochs: 1, batchSize: 64 } },
  ];
  const wanted = options.kinds ?? ['pca', 'dense-ae', 'conv-ae'];
  const models: RunModel[] = [];
  for (const job of jobs.filter((j) => wanted.includes(j.plugin.kind))) {
    const kind = job.plugin.kind;
    const modelStarted = performance.now();
    const reducer = job.plugin.create({ latentDim, ...job.options });
    try {
      const fit = await reducer.fit(fitData, { seed });
      const modelDir = join(dir, kind);
      await mkdir(modelDir, { recursive: true });
      for (const [file, bytes] of bundleFiles(await reducer.save())) await writeFile(join(modelDir, file), bytes);
      const codes = await reducer.encode(shownX);
      await writeFile(join(modelDir, 'codes.bin'), bytesOf(codes.data));

      const trainCodes = sliceRows(codes, 0, nTrain);
      const testCodes = sliceRows(codes, nTrain, nTrain + nTest);
      const gaussian = fitGaussian(trainCodes);
      const gmm = await fitGaussianMixture(trainCodes, { k: 4, seed, maxIter: 50 });
      // Test reconstructions come from the codes already computed (no second encode).
      const reconstruction = rowMse(sliceRows(shownX, nTrain, nTrain + nTest), await reducer.decode(testCodes));
      const density = densityScores(gmm, testCodes);
      const combined = combinedScores(reconstruction, density);
      const latent = { gaussian: gaussian.toJSON(), gmm: gmm.toJSON(), scores: { reconstruction: [...reconstruction], density: [...density], combined: [...combined] } };
      await writeFile(join(modelDir, 'latent.json'), JSON.stringify(latent));

      const testMse = reconstruction.reduce((a, b) => a + b, 0) / reconstruction.length;
      const ratio = fit.info?.explainedVarianceRatio;
      const metrics = {
        reducer: kind,
        latentDim: reducer.latentDim,
        data: 'mnist',
        seed,
        test: { n: nTest, mse: testMse },
        fitSeconds: fit.seconds,
        parameters: reducer.parameterCount,
        ...(Array.isArray(ratio) ? { explainedVarianceRatio: ratio } : {}),
        ...(fit.history ? { history: fit.history } : {}),
        options: job.options,
      };
      await writeFile(join(modelDir, 'metrics.json'), JSON.stringify(metrics, null, 2));
      timings[kind] = (performance.now() - modelStarted) / 1000;
      models.push({ dir: kind, kind, displayName: job.plugin.displayName ?? kind, latentDim: reducer.latentDim, testMse });
    } finally {
      reducer.dispose();
    }
  }

  const manifest: RunManifest = {
    format: RUN_FORMAT,
    formatVersion: RUN_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    seed,
    data: {
      spec: 'mnist',
      name: train.name,
      n: nTrain + nTest,
      features: pointsX.cols,
      ...(train.imageShape ? { imageShape: train.imageShape } : {}),
      ...(train.labelNames ? { labelNames: train.labelNames } : {}),
      hasLabels: true,
    },
    models,
    info: { fixture: true, fitRows: fitData.x.rows, secondsPerModel: timings },
  };
  await writeFile(join(dir, RUN_MANIFEST_FILE), JSON.stringify(manifest, null, 2));
  return { dir, manifest, seconds: (performance.now() - started) / 1000 };
}
