import { denseAeLayers } from './layers-export.js';
import {
  defineAutoencoderPlugin,
  fitAutoencoder,
  HIDDEN_ACTIVATIONS,
  loadAutoencoder,
  trainingOptions,
  type AutoencoderDefinition,
  type AutoencoderReducer,
  type AutoencoderSettings,
  type FittedAutoencoder,
} from '@latentkit/ae-core';
import type { Dataset, FitOptions, ModelBundle } from '@latentkit/core';
import { z } from 'zod';
import pkg from '../package.json' with { type: 'json' };
import { buildDenseArchitecture } from './architecture.js';

/** dense-ae's options: the layout, then the shared training options (20 epochs, batch 128, Adam 1e-3). */
export const denseAeOptions = z
  .strictObject({
    hidden: z
      .array(z.number().int().min(1))
      .readonly()
      .optional()
      .describe('hidden layer widths from the input towards the code, mirrored in the decoder (default 256,64; none when linear)'),
    activation: z.enum(HIDDEN_ACTIVATIONS).default('relu').describe('hidden-layer nonlinearity'),
    outputSigmoid: z.boolean().optional().describe('squash the reconstruction into [0, 1] (default true; false when linear)'),
    linear: z.boolean().default(false).describe('linear autoencoder: no nonlinearity anywhere, no hidden layers unless given'),
  })
  .extend(trainingOptions.shape);

/** Options with defaults filled, as a fitted model and its bundle hold them. */
export type DenseAeOptions = z.output<typeof denseAeOptions>;
/** Options as a caller passes them: every field optional. */
export type DenseAeOptionsInput = z.input<typeof denseAeOptions>;
/** What fitDenseAe is asked for: d plus any dense-ae option. */
export type DenseAeSettings = AutoencoderSettings<typeof denseAeOptions>;
/** A fitted dense autoencoder. */
export type DenseAe = AutoencoderReducer<DenseAeOptions>;

export const denseAeDefinition: AutoencoderDefinition<typeof denseAeOptions> = {
  kind: 'dense-ae',
  // Figure label, e.g. "g∘f(X) (dense AE, d=16)".
  displayName: 'dense AE',
  description: 'Dense (fully connected) autoencoder trained with Adam; linear: true reaches the PCA subspace',
  package: { name: pkg.name, version: pkg.version },
  options: denseAeOptions,
  replica: { module: import.meta.url, exportName: 'denseAeDefinition' },
  layers: denseAeLayers,
  build: buildDenseArchitecture,
};

/** Dense autoencoder: 784-256-64-d mirrored by default; `linear: true` gives the linear autoencoder (PCA's optimum). */
export const denseAePlugin = defineAutoencoderPlugin(denseAeDefinition);

/** The plugin's "layers" exporter: a TF.js LayersModel pair (`latentkit export`). */
export const denseAeLayersExporter = denseAePlugin.exporters![0]!;

/** Trains a dense autoencoder: `{ model, result }`, model fitted (see fitAutoencoder for validation and failures). */
export function fitDenseAe(data: Dataset, settings: DenseAeSettings, fitOptions?: FitOptions): Promise<FittedAutoencoder<DenseAeOptions>> {
  return fitAutoencoder(denseAeDefinition, data, settings, fitOptions);
}

/** Restores a dense autoencoder from a bundle written by save() (or a checkpoint). */
export function loadDenseAe(bundle: ModelBundle): Promise<DenseAe> {
  return loadAutoencoder(denseAeDefinition, bundle);
}
