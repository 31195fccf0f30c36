import { defineReducerPlugin, REDUCER_SPEC_VERSION, type ReducerPlugin } from '@latentkit/core';
import { fitPca } from './fit-pca.js';
import { loadPca } from './load-pca.js';
import { pcaOptions, type PcaOptions } from './options.js';
import { PCA_PACKAGE } from './package-info.js';

/** PCA as a spec v2 reducer plugin: fit and load give fitted models that encode and decode. */
export const pcaPlugin: ReducerPlugin<PcaOptions> = defineReducerPlugin({
  specVersion: REDUCER_SPEC_VERSION,
  kind: 'pca',
  displayName: 'PCA',
  description: 'Principal component analysis (exact or randomized, planned to fit the memory limit); latentDim may be a variance fraction',
  package: PCA_PACKAGE,
  capabilities: ['encode', 'decode'],
  options: pcaOptions,
  fractionalLatentDim: true,
  // Options are validated again by fitPca: plugins are also called without a registry.
  fit: (data, settings, fitOptions) => fitPca(data, { ...settings.options, latentDim: settings.latentDim }, fitOptions),
  load: loadPca,
});
