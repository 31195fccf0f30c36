import { join } from 'node:path';
import { LatentkitError, concatRows, hasCapability, sliceRows, type Dataset, type Matrix, type PluginPackage, type ProgressListener, type Reducer } from '@latentkit/core';
import { writeFileAtomic } from '@latentkit/node-fs';
import { RUN_FORMAT, RUN_FORMAT_VERSION, RUN_MANIFEST_FILE, type RunManifest, type RunModel } from '../format.js';
import { anomalyScores, encodeAll, fitLatentDensities, type LatentFit, type ModelScores } from './latent-analysis.js';
import { bytesOf, writePoints } from './points.js';

export interface RunModelInput {
  /** Folder of the model inside the run; its bundle is already there (or is written there by the caller). */
  readonly dir: string;
  readonly displayName: string;
  readonly reducer: Reducer;
  /** The package of the model's plugin (the registry's `get(kind).package`). */
  readonly plugin?: PluginPackage;
  /** Test reconstruction MSE, for models that reconstruct. */
  readonly testMse?: number;
  /** Codes of every point (train then test) for a model that cannot encode them itself; else they are computed. */
  readonly codes?: Matrix;
  /**
   * Codes of the training rows the fit already computed (its embedding, e.g. UMAP's layout): then only the
   * test rows are encoded. Re-encoding the training rows would cost a second layout for such reducers.
   */
  readonly trainCodes?: Matrix;
  /** Codes of the test rows already computed (e.g. by the fit's evaluation): then nothing is encoded again. */
  readonly testCodes?: Matrix;
  /** g(f(test)) already computed, for the reconstruction scores (used only with testCodes). */
  readonly testReconstruction?: Matrix;
}

/** What the writer computed per model, so callers (the demo report) need not compute it again. */
export interface RunModelAnalysis extends RunModelInput {
  readonly trainCodes?: Matrix;
  readonly testCodes?: Matrix;
  readonly densities?: LatentFit;
  readonly scores?: ModelScores;
}

export interface RunInput {
  readonly data: { readonly spec: string; readonly train: Dataset; readonly test: Dataset };
  readonly models: readonly RunModelInput[];
  readonly seed: number;
  readonly info?: Readonly<Record<string, unknown>>;
  /** Largest mixture tried for the latent density (default 10). */
  readonly maxMixtureComponents?: number;
}

export interface WriteRunOptions {
  /** A progress listener per model, labelled e.g. "latent pca". */
  readonly listener?: (label: string) => ProgressListener;
  readonly signal?: AbortSignal;
}

/**
 * Makes `dir` a run folder (format.ts documents the layout): points, and for every model its codes, fitted
 * latent densities and anomaly scores, as far as its capabilities allow. A model that gives no codes for the
 * points (fit-transform only, without `codes`) is listed with `codes: false`.
 */
export async function writeRunFolder(dir: string, run: RunInput, options: WriteRunOptions = {}): Promise<{ analyses: RunModelAnalysis[]; manifest: RunManifest }> {
  const { train, test } = run.data;
  const n = train.x.rows + test.x.rows;
  await writePoints(dir, train, test);
  const analyses: RunModelAnalysis[] = [];
  for (const model of run.models) {
    const report = options.listener?.(`latent ${model.dir}`) ?? (() => undefined);
    report({ phase: 'encode', fraction: 0.1 });
    const codes = await pointCodes(model, train.x, test.x, n);
    if (!codes) {
      analyses.push(model);
      continue;
    }
    await writeFileAtomic(join(dir, model.dir, 'codes.bin'), bytesOf(codes.all.data));
    report({ phase: 'densities', fraction: 0.4 });
    const densities = await fitLatentDensities(codes.train, run.seed, options.signal, run.maxMixtureComponents);
    report({ phase: 'scores', fraction: 0.8 });
    const scores = await anomalyScores(model.reducer, densities.gaussian, { train: train.x, test: test.x }, codes, codes.test === model.testCodes ? model.testReconstruction : undefined);
    await writeFileAtomic(join(dir, model.dir, 'latent.json'), JSON.stringify({ gaussian: densities.gaussian.toJSON(), gmm: densities.gmm.toJSON(), scores: scoresJson(scores) }) + '\n');
    report({ phase: 'done', fraction: 1 });
    analyses.push({ ...model, trainCodes: codes.train, testCodes: codes.test, densities, scores });
  }
  const manifest: RunManifest = {
    format: RUN_FORMAT,
    formatVersion: RUN_FORMAT_VERSION,
    createdAt: new Date().toISOString(),
    seed: run.seed,
    data: {
      spec: run.data.spec,
      name: train.name,
      n,
      features: train.x.cols,
      ...(train.imageShape ? { imageShape: train.imageShape } : {}),
      ...(train.labelNames ? { labelNames: train.labelNames } : {}),
      hasLabels: Boolean(train.labels && test.labels),
      // points.ts writes ids.json exactly then; the reader fetches it only when told.
      ...(idsOf(train) && idsOf(test) ? { hasIds: true } : {}),
    },
    models: analyses.map((a) => runModelEntry(a)),
    ...(run.info ? { info: run.info } : {}),
  };
  await writeRunManifest(dir, manifest);
  return { analyses, manifest };
}

async function pointCodes(model: RunModelInput, train: Matrix, test: Matrix, n: number): Promise<{ all: Matrix; train: Matrix; test: Matrix } | undefined> {
  if (model.codes) {
    if (model.codes.rows !== n || model.codes.cols !== model.reducer.latentDim) {
      throw new LatentkitError('E_SHAPE', `codes given for model ${model.dir} are ${model.codes.rows}×${model.codes.cols}, the run needs ${n}×${model.reducer.latentDim}`);
    }
    return { all: model.codes, train: sliceRows(model.codes, 0, train.rows), test: sliceRows(model.codes, train.rows, n) };
  }
  if (!hasCapability(model.reducer, 'encode')) return undefined;
  const fits = (m: Matrix | undefined, rows: number): m is Matrix => m !== undefined && m.rows === rows && m.cols === model.reducer.latentDim;
  if (fits(model.trainCodes, train.rows)) {
    const testCodes = fits(model.testCodes, test.rows) ? model.testCodes : (await encodeAll(model.reducer, [test])).all;
    return { all: concatRows([model.trainCodes, testCodes]), train: model.trainCodes, test: testCodes };
  }
  const encoded = await encodeAll(model.reducer, [train, test]);
  return { all: encoded.all, train: encoded.parts[0]!, test: encoded.parts[1]! };
}

/** A table's id column rides on the datasets as `ids` (see @latentkit/data's collectDataset). */
function idsOf(d: Dataset): readonly string[] | undefined {
  return (d as Dataset & { ids?: readonly string[] }).ids;
}

function scoresJson(s: ModelScores): Record<string, number[]> {
  return { ...(s.reconstruction ? { reconstruction: Array.from(s.reconstruction) } : {}), density: Array.from(s.density), combined: Array.from(s.combined) };
}

function runModelEntry(a: RunModelAnalysis): RunModel {
  const testMse = a.testMse !== undefined && Number.isFinite(a.testMse) ? a.testMse : undefined;
  return {
    dir: a.dir,
    kind: a.reducer.kind,
    displayName: a.displayName,
    latentDim: a.reducer.latentDim,
    capabilities: [...a.reducer.capabilities],
    ...(a.plugin ? { plugin: { name: a.plugin.name, version: a.plugin.version } } : {}),
    codes: a.trainCodes !== undefined,
    ...(testMse !== undefined ? { testMse } : {}),
  };
}

export function writeRunManifest(dir: string, manifest: RunManifest): Promise<void> {
  return writeFileAtomic(join(dir, RUN_MANIFEST_FILE), JSON.stringify(manifest, null, 2) + '\n');
}
