export { interpolate, type InterpolateOptions, type Interpolation, type InterpolationMethod } from './interpolate.js';
export {
  DENSITY_FORMAT,
  DENSITY_FORMAT_VERSION,
  type LatentDensity,
  type LatentDensityJson,
  type GaussianJson,
  type GaussianMixtureJson,
} from './density.js';
export type { CovarianceType } from './moments.js';
export { GaussianDensity, fitGaussian, type GaussianFitOptions } from './gaussian.js';
export { GaussianMixtureDensity, type GaussianMixtureInit } from './gmm.js';
export { fitGaussianMixture, type GaussianMixtureFitOptions } from './gmm-fit.js';
export { mixtureParameterCount, bayesianInformationCriterion } from './gmm-bic.js';
export { densityFromJSON } from './density-from-json.js';
export { sampleDecoded } from './sample-decoded.js';
export {
  reconstructionScores,
  densityScores,
  combinedScores,
  scoreDataset,
  heldOutClassAuc,
  type AnomalyScores,
  type ScoreReference,
  type ScoringOptions,
} from './anomaly.js';
export { nearestNeighbours, type Neighbours } from './neighbours.js';
