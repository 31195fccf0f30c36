import { defineReducerPlugin, REDUCER_SPEC_VERSION } from '@latentkit/core';
import { fit__CLASS_NAME__ } from './fit.js';
import { __CLASS_NAME__Model, CAPABILITIES, KIND } from './model.js';
import { optionsSchema } from './options.js';

export { fit__CLASS_NAME__ } from './fit.js';
export { __CLASS_NAME__Model } from './model.js';
export { optionsSchema } from './options.js';

/**
 * The plugin: latentkit finds it as this package's default export (`--plugin __PACKAGE_NAME__` or
 * latentkit.config.json). The viewer imports "./browser": this module bundled into one file by esbuild, with
 * @latentkit/*, @tensorflow/* and zod left for the viewer to provide (see the build:browser script).
 */
const plugin = defineReducerPlugin({
  specVersion: REDUCER_SPEC_VERSION,
  kind: KIND,
  displayName: '__DISPLAY_NAME__',
  description: 'seeded random orthonormal projection (a baseline; replace it with your algorithm)',
  // Keep in step with package.json: bundles record it so a reader without the plugin knows what to install.
  package: { name: '__PACKAGE_NAME__', version: '0.1.0' },
  capabilities: CAPABILITIES,
  options: optionsSchema,
  browserEntry: './browser',
  fit: fit__CLASS_NAME__,
  load: async (bundle) => __CLASS_NAME__Model.fromBundle(bundle),
});

export default plugin;
