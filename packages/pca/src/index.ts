export { Pca } from './pca.js';
export { createPca, loadPca, pcaPlugin } from './plugin.js';
export { pcaOptionSpecs, type PcaOptions, type PcaSolver, type ResolvedPcaOptions } from './options.js';
export { symmetricEigen, type SymmetricEigen } from './symmetric-eigen.js';
export { randomizedEigen, type RandomizedEigenOptions } from './randomized-eigen.js';
export { covariance, type CovarianceOptions, type CovarianceResult } from './covariance.js';
import { pcaPlugin } from './plugin.js';
export default pcaPlugin;
