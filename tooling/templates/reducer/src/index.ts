import { REDUCER_SPEC_VERSION, defineReducerPlugin } from '@latentkit/core';
import { RandomProjection, KIND } from './random-projection.js';

export { RandomProjection } from './random-projection.js';

/** The plugin: latentkit finds it as this package's default export. */
const randomProjectionPlugin = defineReducerPlugin({
  specVersion: REDUCER_SPEC_VERSION,
  kind: KIND,
  displayName: 'RP',
  description: 'seeded random orthonormal projection (a baseline, and a template for new reducers)',
  options: {},
  create: ({ latentDim }) => new RandomProjection(latentDim),
  load: async (bundle) => RandomProjection.fromBundle(bundle),
});

export default randomProjectionPlugin;
