import { type CreateReducerOptions, defineReducerPlugin, type ModelBundle, REDUCER_SPEC_VERSION, type ReducerPlugin } from '@latentkit/core';
import { pcaOptionSpecs, type PcaOptions } from './options.js';
import { Pca } from './pca.js';

export function createPca(options: CreateReducerOptions & PcaOptions): Pca {
  return new Pca(options);
}

export async function loadPca(bundle: ModelBundle): Promise<Pca> {
  return Pca.fromBundle(bundle);
}

export const pcaPlugin: ReducerPlugin = defineReducerPlugin({
  specVersion: REDUCER_SPEC_VERSION,
  kind: 'pca',
  displayName: 'PCA',
  description: 'Principal component analysis (exact or randomized eigensolver on the covariance); latentDim may be a variance fraction',
  options: pcaOptionSpecs,
  create: (options: CreateReducerOptions) => createPca(options),
  load: loadPca,
});
