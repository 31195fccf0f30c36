import {
  defineReducerPlugin,
  REDUCER_SPEC_VERSION,
  type Dataset,
  type FitOptions,
  type ModelBundle,
  type ReducerPlugin,
  type ReducerSettings,
  type RowBatchSource,
  type StreamFitOptions,
} from '@latentkit/core';
import type { z } from 'zod';
import { fitAutoencoder, type FittedAutoencoder } from './autoencoder-fit.js';
import { loadAutoencoder } from './autoencoder-load.js';
import { autoencoderLayersExporter } from './export/autoencoder-export.js';
import { fitAutoencoderStream } from './stream/fit-stream.js';
import type { AutoencoderDefinition, AutoencoderOptionsSchema, AutoencoderReducer, AutoencoderSettings } from './reducer.js';

/** A spec v2 plugin for an autoencoder kind, typed by its options schema. */
export interface AutoencoderPlugin<S extends AutoencoderOptionsSchema = AutoencoderOptionsSchema> extends ReducerPlugin<z.output<S>> {
  readonly options: S;
  fit(data: Dataset, settings: ReducerSettings<z.output<S>>, fitOptions?: FitOptions): Promise<FittedAutoencoder<z.output<S>>>;
  fitStream(source: RowBatchSource, settings: ReducerSettings<z.output<S>>, fitOptions?: StreamFitOptions): Promise<FittedAutoencoder<z.output<S>>>;
  load(bundle: ModelBundle): Promise<AutoencoderReducer<z.output<S>>>;
}

/**
 * A reducer plugin for an autoencoder kind: capabilities encode and decode, and fit-stream (training from row
 * batches, stream/fit-stream.ts); options, fit and load from the definition.
 */
export function defineAutoencoderPlugin<S extends AutoencoderOptionsSchema>(def: AutoencoderDefinition<S>): AutoencoderPlugin<S> {
  const plugin = defineReducerPlugin<z.output<S>>({
    specVersion: REDUCER_SPEC_VERSION,
    kind: def.kind,
    description: def.description,
    ...(def.displayName ? { displayName: def.displayName } : {}),
    ...(def.package ? { package: def.package } : {}),
    capabilities: ['encode', 'decode', 'fit-stream'],
    options: def.options,
    requiresImages: def.requiresImages ?? false,
    ...(def.layers ? { exporters: [autoencoderLayersExporter(def.kind, (model) => def.layers!(model))] } : {}),
    // Options are validated again by fitAutoencoder: plugins are also called without a registry.
    fit: (data, settings, fitOptions) => fitAutoencoder(def, data, { ...settings.options, latentDim: settings.latentDim } as AutoencoderSettings<S>, fitOptions),
    fitStream: (source, settings, fitOptions) => fitAutoencoderStream(def, source, { ...settings.options, latentDim: settings.latentDim } as AutoencoderSettings<S>, fitOptions),
    load: (bundle) => loadAutoencoder(def, bundle),
  });
  return plugin as AutoencoderPlugin<S>;
}
