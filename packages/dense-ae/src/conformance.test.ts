import { describeConformance } from '@latentkit/reducer-conformance/vitest';
import { denseAePlugin } from './index.js';

// The shared suite on the default toy images (96 rows, 8×8). A narrow network and two epochs keep it quick;
// batches of 4 give it enough steps to beat predicting the mean (about half the mean baseline's error).
// The fit-stream check runs too (ae-core declares the capability): a streamed fit on the same rows in batches.
describeConformance(denseAePlugin, { settings: { latentDim: 3, options: { hidden: [16], epochs: 2, batchSize: 4, learningRate: 0.01 } } });
