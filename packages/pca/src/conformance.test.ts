import { describeConformance } from '@latentkit/reducer-conformance/vitest';
import { pcaPlugin } from './index.js';

// The shared suite, chosen by PCA's declared capabilities (encode, decode, fit-stream), on the default toy
// images. A streamed fit solves the same covariance as the in-memory one: codes agree up to sign and rounding.
describeConformance(pcaPlugin, { settings: { latentDim: 3 }, streamTolerance: 1e-4 });
