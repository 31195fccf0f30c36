import { defineReducerPlugin, REDUCER_SPEC_VERSION, type CreateReducerOptions, type ModelBundle, type ReducerPlugin } from '@latentkit/core';
import { AutoencoderReducer, autoencoderOptionSpecs, type AutoencoderDefinition } from './reducer.js';

export interface AutoencoderPlugin extends ReducerPlugin {
  create(options: CreateReducerOptions): AutoencoderReducer;
  load(bundle: ModelBundle): Promise<AutoencoderReducer>;
}

/** A reducer plugin for an autoencoder kind: options, create and load all come from the definition. */
export function defineAutoencoderPlugin(def: AutoencoderDefinition): AutoencoderPlugin {
  return defineReducerPlugin({
    specVersion: REDUCER_SPEC_VERSION,
    kind: def.kind,
    description: def.description,
    options: autoencoderOptionSpecs(def),
    requiresImages: def.requiresImages ?? false,
    create: (options: CreateReducerOptions) => new AutoencoderReducer(def, options),
    load: (bundle: ModelBundle) => AutoencoderReducer.fromBundle(def, bundle),
  });
}
