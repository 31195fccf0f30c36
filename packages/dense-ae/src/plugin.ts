import { ACTIVATIONS, defineAutoencoderPlugin, type AutoencoderReducer, type TrainingDefaults } from '@latentkit/ae-core';
import type { CreateReducerOptions } from '@latentkit/core';
import { buildDenseArchitecture } from './architecture.js';

/** Dense autoencoder: 784-256-64-d mirrored by default; `linear: true` gives the linear autoencoder (PCA's optimum). */
export const denseAePlugin = {
  // Figure label, e.g. "g∘f(X) (dense AE, d=16)".
  ...defineAutoencoderPlugin({
    kind: 'dense-ae',
    description: 'Dense (fully connected) autoencoder trained with Adam; linear: true reaches the PCA subspace',
    architectureOptions: {
      hidden: {
        type: 'number[]',
        description: 'hidden layer widths from the input towards the code, mirrored in the decoder (default 256,64; none when linear)',
      },
      activation: { type: 'string', choices: ACTIVATIONS.filter((a) => a !== 'sigmoid'), default: 'relu', description: 'hidden-layer nonlinearity' },
      outputSigmoid: { type: 'boolean', description: 'squash the reconstruction into [0, 1] (default true; false when linear)' },
      linear: { type: 'boolean', default: false, description: 'linear autoencoder: no nonlinearity anywhere, no hidden layers unless given' },
    },
    trainingDefaults: { epochs: 20, batchSize: 128, learningRate: 1e-3, lrSchedule: 'constant' },
    build: buildDenseArchitecture,
  }),
  displayName: 'dense AE',
};

/** Options for createDenseAe: latentDim plus any dense-ae option. */
export interface DenseAeOptions extends CreateReducerOptions, TrainingDefaults {
  readonly hidden?: readonly number[];
  readonly activation?: 'relu' | 'elu' | 'tanh' | 'linear';
  readonly outputSigmoid?: boolean;
  readonly linear?: boolean;
}

export function createDenseAe(options: DenseAeOptions): AutoencoderReducer {
  return denseAePlugin.create(options);
}
