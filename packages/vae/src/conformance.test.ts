import { describeConformance } from '@latentkit/reducer-conformance/vitest';
import { vaePlugin } from './index.js';

// The shared suite on the default toy images (96 rows, 8×8×1), in conv-ae's small layout (8 → 6 → 4 → 2 → 1):
// two epochs in batches of 4 at a constant rate; the suite also checks encode-distribution, sample and likelihood-bound.
describeConformance(vaePlugin, {
  settings: {
    latentDim: 3,
    options: { channels: [4, 4, 4], kernels: [3, 3, 2, 2], strides: [1, 1, 2, 1], epochs: 2, batchSize: 4, learningRate: 0.01, lrSchedule: 'constant' },
  },
});
