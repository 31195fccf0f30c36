import {
  fitAutoencoder,
  fitAutoencoderStream,
  loadAutoencoder,
  type Architecture,
  type AutoencoderDefinition,
  type AutoencoderReducer,
  type AutoencoderSettings,
} from '@latentkit/ae-core';
import {
  defineReducerPlugin,
  LatentkitError,
  REDUCER_SPEC_VERSION,
  type Dataset,
  type FitOptions,
  type FitResult,
  type ModelBundle,
  type ReducerPlugin,
  type RowBatchSource,
  type StreamFitOptions,
} from '@latentkit/core';
import pkg from '../package.json' with { type: 'json' };
import { buildVaeArchitecture, type VaeArchitecture } from './architecture.js';
import { vaeObjective } from './objective.js';
import { vaeOptions, type VaeOptions } from './options.js';
import { VAE_CAPABILITIES, VaeReducer } from './reducer.js';

/** What fitVae is asked for: d plus any VAE option. */
export type VaeSettings = AutoencoderSettings<typeof vaeOptions>;

export const vaeDefinition: AutoencoderDefinition<typeof vaeOptions> = {
  kind: 'vae',
  displayName: 'VAE',
  description: 'Convolutional variational autoencoder (conv-ae’s five layers each side, the encoder giving μ and log σ²) trained on the negative ELBO; samples from its prior N(0, I)',
  package: { name: pkg.name, version: pkg.version },
  requiresImages: true,
  options: vaeOptions,
  replica: { module: import.meta.url, exportName: 'vaeDefinition' },
  build: buildVaeArchitecture,
  objective: (architecture, store, ctx) => vaeObjective(asVaeArchitecture(architecture), store, ctx),
};

/** Trains a VAE on image data: `{ model, result }` (ae-core's loop: validation, retries, checkpoints as for any autoencoder). */
export async function fitVae(data: Dataset, settings: VaeSettings, fitOptions?: FitOptions): Promise<{ model: VaeReducer; result: FitResult }> {
  const { model, result } = await fitAutoencoder(vaeDefinition, data, settings, fitOptions);
  return { model: adopt(model), result };
}

/** Trains a VAE from row batches (ae-core's streamed fit: memory bounded by its shuffle window, checkpoints as in memory). */
export async function fitVaeStream(source: RowBatchSource, settings: VaeSettings, fitOptions?: StreamFitOptions): Promise<{ model: VaeReducer; result: FitResult }> {
  const { model, result } = await fitAutoencoderStream(vaeDefinition, source, settings, fitOptions);
  return { model: adopt(model), result };
}

/** Restores a VAE from a bundle written by save() (or a checkpoint). */
export async function loadVae(bundle: ModelBundle): Promise<VaeReducer> {
  return adopt(await loadAutoencoder(vaeDefinition, bundle));
}

/**
 * The VAE as a spec v2 plugin: encode (μ), encode-distribution, decode, sample and the ELBO as a likelihood bound,
 * and fit-stream (training from row batches). The fitted model declares VAE_CAPABILITIES: fitting is the plugin's.
 */
export const vaePlugin: ReducerPlugin<VaeOptions> = defineReducerPlugin<VaeOptions>({
  specVersion: REDUCER_SPEC_VERSION,
  kind: vaeDefinition.kind,
  description: vaeDefinition.description,
  displayName: vaeDefinition.displayName!,
  package: vaeDefinition.package!,
  capabilities: [...VAE_CAPABILITIES, 'fit-stream'],
  options: vaeOptions,
  requiresImages: true,
  fit: (data, settings, fitOptions) => fitVae(data, { ...settings.options, latentDim: settings.latentDim }, fitOptions),
  fitStream: (source, settings, fitOptions) => fitVaeStream(source, { ...settings.options, latentDim: settings.latentDim }, fitOptions),
  load: loadVae,
});

/**
 * ae-core's fit and load make a plain AutoencoderReducer; the VAE takes over its state (the weights move, not
 * copy: the plain reducer is dropped) and rebuilds the architecture, which depends only on the saved settings.
 */
function adopt(model: AutoencoderReducer<VaeOptions>): VaeReducer {
  const { kind, latentDim, options, inputShape, seed, history } = model;
  const architecture = buildVaeArchitecture({ kind, inputShape, latentDim, options });
  return new VaeReducer({ kind, package: vaeDefinition.package, latentDim, options, inputShape, architecture, store: model.params, seed, history, ...model.handOverInference() });
}

function asVaeArchitecture(architecture: Architecture): VaeArchitecture {
  if (typeof (architecture as Partial<VaeArchitecture>).moments !== 'function') {
    throw new LatentkitError('E_OPTION', 'the vae objective needs the architecture built by buildVaeArchitecture (one with moments())');
  }
  return architecture as VaeArchitecture;
}
