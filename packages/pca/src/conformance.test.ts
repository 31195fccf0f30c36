import { describeConformance } from '@latentkit/reducer-conformance/vitest';
import { pcaPlugin } from './index.js';

// The shared suite, chosen by PCA's declared capabilities (encode, decode), on the default toy images.
describeConformance(pcaPlugin, { settings: { latentDim: 3 } });
