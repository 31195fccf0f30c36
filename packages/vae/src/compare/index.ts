// The VAE's demo material: prior samples against an autoencoder's Gaussian samples, with measured quality.
export { compareSamples, type SampleComparison, type SampleComparisonInput, type SampleQualityRow } from './sample-comparison.js';
export { trainImageClassifier, type ImageClassifier, type ClassifierSettings } from './classifier.js';
export { classifierVerdict, type ClassifierVerdict } from './quality.js';
export { mmdSquared, medianBandwidth, type PixelKernel } from './mmd.js';
export { heldOutElboAuc } from './anomaly.js';
