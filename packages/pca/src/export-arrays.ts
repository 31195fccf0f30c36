import type { Reducer } from '@latentkit/core';
import { npyBytes } from './npy-write.js';
import { Pca } from './pca.js';

export const PCA_EXPORT_FORMAT = 'latentkit-pca-export';

/** Where an export writes: a path relative to the export folder and its bytes. */
export type PcaExportWriter = (path: string, bytes: Uint8Array) => Promise<void>;

/**
 * The arrays a fitted PCA is, for numpy and anything else: encode is
 * z = ((x − mean) · componentsᵀ) · code_scale and decode x̂ = (z / code_scale) · components + mean, where
 * code_scale is 1/sqrt(explained_variance) when the model whitens (1 for a zero-variance component) and 1
 * otherwise. Files: pca.json (everything, as JSON numbers) and one .npy per array.
 */
export function pcaExportFiles(model: Pca): Map<string, Uint8Array> {
  const k = model.latentDim;
  const D = model.inputDim;
  const whiten = model.options.whiten;
  const ev = model.explainedVariance;
  const codeScale = Float64Array.from(ev, (v) => (whiten && v > 0 ? 1 / Math.sqrt(v) : 1));
  const ratio = Float64Array.from(model.explainedVarianceRatio);
  const components = model.components.data as Float32Array;
  const arrays = {
    mean: { file: 'mean.npy', bytes: npyBytes(model.mean, [D]) },
    components: { file: 'components.npy', bytes: npyBytes(components, [k, D]) },
    explainedVariance: { file: 'explained_variance.npy', bytes: npyBytes(ev, [k]) },
    explainedVarianceRatio: { file: 'explained_variance_ratio.npy', bytes: npyBytes(ratio, [k]) },
    codeScale: { file: 'code_scale.npy', bytes: npyBytes(codeScale, [k]) },
  };
  const json = {
    format: PCA_EXPORT_FORMAT,
    formatVersion: 1,
    kind: model.kind,
    inputShape: model.inputShape,
    inputDim: D,
    latentDim: k,
    whiten,
    solver: model.solver,
    totalVariance: model.totalVariance,
    noiseVariance: model.noiseVariance,
    encode: 'z = ((x - mean) @ components.T) * code_scale',
    decode: 'x_hat = (z / code_scale) @ components + mean',
    arrays: Object.fromEntries(Object.entries(arrays).map(([name, a]) => [name, a.file])),
    mean: Array.from(model.mean),
    components: Array.from({ length: k }, (_, r) => Array.from(components.subarray(r * D, (r + 1) * D))),
    explainedVariance: Array.from(ev),
    explainedVarianceRatio: Array.from(ratio),
    codeScale: Array.from(codeScale),
  };
  const files = new Map<string, Uint8Array>([['pca.json', new TextEncoder().encode(`${JSON.stringify(json)}\n`)]]);
  for (const a of Object.values(arrays)) files.set(a.file, a.bytes);
  return files;
}

/** The "npy" exporter: offers fitted PCA models and writes pca.json plus the .npy arrays (`latentkit export --format npy`). */
export const pcaArraysExporter = {
  format: 'npy',
  description: 'PCA as pca.json plus .npy arrays (mean, components, explained variance, code scale) that numpy.load opens',
  offers: (model: Reducer): boolean => model instanceof Pca,
  async export(model: Reducer, write: PcaExportWriter): Promise<readonly string[]> {
    const files = pcaExportFiles(model as Pca);
    for (const [path, bytes] of files) await write(path, bytes);
    return [...files.keys()];
  },
};
