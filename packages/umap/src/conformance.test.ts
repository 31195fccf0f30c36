import { describeConformance } from '@latentkit/reducer-conformance/vitest';
import { umapPlugin } from './index.js';

// The shared suite, chosen by UMAP's declared capabilities (encode only: no decode checks, and decode must be
// absent), on the default toy images; few neighbours and epochs keep it quick.
describeConformance(umapPlugin, { settings: { latentDim: 2, options: { nNeighbors: 10, nEpochs: 60 } } });
