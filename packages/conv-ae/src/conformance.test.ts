import { describeConformance } from '@latentkit/reducer-conformance/vitest';
import { convAePlugin } from './index.js';

// The shared suite on the default toy images (96 rows, 8×8×1). Four small convolutions reach 1×1 from 8×8
// (8 → 6 → 4 → 2 → 1); two epochs in batches of 4 at a constant rate beat predicting the mean by a wide margin.
describeConformance(convAePlugin, {
  settings: {
    latentDim: 3,
    options: { channels: [4, 4, 4], kernels: [3, 3, 2, 2], strides: [1, 1, 2, 1], epochs: 2, batchSize: 4, learningRate: 0.01, lrSchedule: 'constant' },
  },
});
