import { defineReducerPlugin, REDUCER_SPEC_VERSION, type ReducerPlugin } from '@latentkit/core';
import { fitLayersModel } from './fit.js';
import type { ModelFileReader } from './files.js';
import { loadLayersModel } from './load.js';
import { layersModelOptions, type LayersModelOptions } from './options.js';
import { LAYERS_MODEL_KIND, LAYERS_MODEL_PACKAGE } from './package-info.js';

/**
 * The layers-model reducer plugin, reading model files through `read` (file system in Node, fetch in the
 * browser, a map in tests). Its fit loads the models and trains nothing; load reads only the bundle.
 */
export function createLayersModelPlugin(read: ModelFileReader): ReducerPlugin<LayersModelOptions> {
  return defineReducerPlugin<LayersModelOptions>({
    specVersion: REDUCER_SPEC_VERSION,
    kind: LAYERS_MODEL_KIND,
    displayName: 'LayersModel',
    description: 'A TF.js LayersModel encoder and optional decoder (e.g. from `latentkit export --format layers` or Keras via tensorflowjs_converter) as a reducer; fit loads it, nothing is trained',
    package: LAYERS_MODEL_PACKAGE,
    // Declared as the most it offers: a model opened without a decoder encodes only (its capabilities say so).
    capabilities: ['encode', 'decode'],
    options: layersModelOptions,
    fit: (data, settings, fitOptions) => fitLayersModel(data, settings, read, fitOptions),
    load: loadLayersModel,
  });
}
