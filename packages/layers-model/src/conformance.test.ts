import { describeConformance } from '@latentkit/reducer-conformance/vitest';
import { toyImages } from '@latentkit/reducer-conformance';
import { pcaLayersFolder } from './__fixtures__/pca-layers.js';
import { createLayersModelPlugin } from './index.js';

// The shared suite on the default toy images, with a PCA written as a LayersModel pair (see the fixture) as the
// model that "fit" loads: encode and decode checks, persistence through bundles, refusals.
const { read } = await pcaLayersFolder(toyImages(), 3);
describeConformance(createLayersModelPlugin(read), { settings: { latentDim: 3, options: { folder: 'mem/pca' } } });
