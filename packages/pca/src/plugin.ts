import { REDUCER_SPEC_VERSION, type ReducerPlugin } from '@latentkit/core';
import { pcaArraysExporter } from './export-arrays.js';
import { fitPca } from './fit-pca.js';
import { loadPca } from './load-pca.js';
import { pcaOptions, type PcaOptions } from './options.js';
import { PCA_PACKAGE } from './package-info.js';
import { fitPcaStream } from './stream-fit.js';

/**
 * PCA as a spec v2 reducer plugin: fit and load give fitted models that encode and decode; fitStream
 * ("fit-stream") fits from row batches without holding the rows (sufficient statistics, or randomized passes
 * for large D), and reports train and held-out MSE from statistics.
 */
export const pcaPlugin: ReducerPlugin<PcaOptions> & Required<Pick<ReducerPlugin<PcaOptions>, 'fitStream'>> = {
  specVersion: REDUCER_SPEC_VERSION,
  kind: 'pca',
  displayName: 'PCA',
  description: 'Principal component analysis (exact or randomized, planned to fit the memory limit); latentDim may be a variance fraction',
  package: PCA_PACKAGE,
  capabilities: ['encode', 'decode', 'fit-stream'],
  exporters: [pcaArraysExporter],
  options: pcaOptions,
  fractionalLatentDim: true,
  // Options are validated again by fitPca: plugins are also called without a registry.
  fit: (data, settings, fitOptions) => fitPca(data, { ...settings.options, latentDim: settings.latentDim }, fitOptions),
  fitStream: (source, settings, fitOptions) => fitPcaStream(source, { ...settings.options, latentDim: settings.latentDim }, fitOptions),
  load: loadPca,
};
