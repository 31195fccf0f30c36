import { join } from 'node:path';
import { RUN_FORMAT, RUN_FORMAT_VERSION, RUN_MANIFEST_FILE, rowMse, type Dataset, type Matrix, type Reducer, type RunManifest } from '@latentkit/core';
import { combinedScores, densityScores, type AnomalyScores, type LatentDensity } from '@latentkit/latent';
import { writeFileAtomic } from '@latentkit/node-fs';
import { encodeAll, fitLatentDensities, type LatentFit } from './analysis.js';
import type { ProgressReporter } from './progress.js';

export interface RunModelInput {
  readonly dir: string;
  readonly kind: string;
  readonly displayName: string;
  readonly reducer: Reducer;
  readonly testMse: number;
}

export interface RunModelAnalysis extends RunModelInput {
  readonly trainCodes: Matrix;
  readonly testCodes: Matrix;
  readonly densities: LatentFit;
  readonly scores: AnomalyScores;
}

function toUint8(x: Matrix): Uint8Array {
  const out = new Uint8Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = Math.round(Math.min(1, Math.max(0, x.data[i]!)) * 255);
  return out;
}

function bytesOf(a: Float32Array | Int32Array): Uint8Array {
  return new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
}

function concatBytes(a: Uint8Array, b: Uint8Array): Uint8Array {
  const out = new Uint8Array(a.length + b.length);
  out.set(a);
  out.set(b, a.length);
  return out;
}

/**
 * Anomaly scores of the test points from codes already computed: reconstruction error (decode only),
 * latent −log density, and both combined, standardised against the training points' scores.
 */
async function anomalyScores(reducer: Reducer, density: LatentDensity, x: { train: Matrix; test: Matrix }, codes: { train: Matrix; test: Matrix }): Promise<AnomalyScores> {
  const recon = { train: rowMse(x.train, await reducer.decode(codes.train)), test: rowMse(x.test, await reducer.decode(codes.test)) };
  const dens = { train: densityScores(density, codes.train), test: densityScores(density, codes.test) };
  return { reconstruction: recon.test, density: dens.test, combined: combinedScores(recon.test, dens.test, { fitOn: { reconstruction: recon.train, density: dens.train } }) };
}

/** points/: the samples the viewer shows, train then test, with labels and a split flag. */
async function writePoints(dir: string, train: Dataset, test: Dataset): Promise<void> {
  await writeFileAtomic(join(dir, 'points', 'images.bin'), concatBytes(toUint8(train.x), toUint8(test.x)));
  if (train.labels && test.labels) {
    const labels = new Int32Array(train.labels.length + test.labels.length);
    labels.set(train.labels);
    labels.set(test.labels, train.labels.length);
    await writeFileAtomic(join(dir, 'points', 'labels.bin'), bytesOf(labels));
  }
  const split = new Uint8Array(train.x.rows + test.x.rows);
  split.fill(1, train.x.rows);
  await writeFileAtomic(join(dir, 'points', 'split.bin'), split);
}

/**
 * Makes `dir` a run folder the viewer and the report read (core's run.ts documents the layout): points, and for
 * every model (whose bundle is already in dir/<model.dir>) its codes, fitted latent densities and anomaly scores.
 * Returns what it computed so callers (the demo report) need not compute it again.
 */
export async function writeRunFolder(
  dir: string,
  run: { data: { spec: string; train: Dataset; test: Dataset }; models: readonly RunModelInput[]; seed: number; info?: Record<string, unknown>; maxMixtureComponents?: number },
  progress: ProgressReporter,
  signal?: AbortSignal,
): Promise<{ analyses: RunModelAnalysis[]; manifest: RunManifest }> {
  const { train, test } = run.data;
  await writePoints(dir, train, test);
  const analyses: RunModelAnalysis[] = [];
  for (const model of run.models) {
    const report = progress.listener(`latent ${model.dir}`);
    report({ phase: 'encode', fraction: 0.1 });
    const codes = await encodeAll(model.reducer, [train.x, test.x]);
    await writeFileAtomic(join(dir, model.dir, 'codes.bin'), bytesOf(codes.all.data));
    report({ phase: 'densities', fraction: 0.4 });
    const densities = await fitLatentDensities(codes.parts[0]!, run.seed, signal, run.maxMixtureComponents);
    report({ phase: 'scores', fraction: 0.8 });
    const scores = await anomalyScores(model.reducer, densities.gaussian, { train: train.x, test: test.x }, { train: codes.parts[0]!, test: codes.parts[1]! });
    await writeFileAtomic(
      join(dir, model.dir, 'latent.json'),
      JSON.stringify({
        gaussian: densities.gaussian.toJSON(),
        gmm: densities.gmm.toJSON(),
        scores: { reconstruction: Array.from(scores.reconstruction), density: Array.from(scores.density), combined: Array.from(scores.combined) },
      }) + '\n',
    );
    report({ phase: 'done', fraction: 1 });
    analyses.push({ ...model, trainCodes: codes.parts[0]!, testCodes: codes.parts[1]!, densities, scores });
  }
  const manifest: RunManifest = {
    format: RUN_FORMAT,
    formatVersion: RUN_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    seed: run.seed,
    data: {
      spec: run.data.spec,
      name: train.name,
      n: train.x.rows + test.x.rows,
      features: train.x.cols,
      ...(train.imageShape ? { imageShape: train.imageShape } : {}),
      ...(train.labelNames ? { labelNames: train.labelNames } : {}),
      hasLabels: Boolean(train.labels),
    },
    models: run.models.map(({ dir: d, kind, displayName, reducer, testMse }) => ({ dir: d, kind, displayName, latentDim: reducer.latentDim, testMse })),
    ...(run.info ? { info: run.info } : {}),
  };
  await writeRunManifest(dir, manifest);
  return { analyses, manifest };
}

export function writeRunManifest(dir: string, manifest: RunManifest): Promise<void> {
  return writeFileAtomic(join(dir, RUN_MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}
