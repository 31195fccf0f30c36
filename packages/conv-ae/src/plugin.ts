import { ACTIVATIONS, defineAutoencoderPlugin, type AutoencoderReducer, type TrainingDefaults } from '@latentkit/ae-core';
import type { CreateReducerOptions } from '@latentkit/core';
import { buildConvArchitecture } from './architecture.js';

/** Deep convolutional autoencoder: five valid conv layers down to 1×1×d, mirrored with transposed convs. */
export const convAePlugin = {
  // Figure label, as in the lecture: "g∘f(X) (CNN, d=16)".
  ...defineAutoencoderPlugin({
    kind: 'conv-ae',
    description: 'Deep convolutional autoencoder (five conv layers each side by default) for images',
    requiresImages: true,
    architectureOptions: {
      channels: {
        type: 'number[]',
        default: [16, 16, 32, 32],
        description: 'channels of the hidden encoder convolutions (the last layer outputs d), mirrored in the decoder; the lecture uses 32,32,32,32 (about 3× slower)',
      },
      kernels: { type: 'number[]', default: [5, 5, 4, 3, 4], description: 'kernel size of each encoder convolution (valid padding; must reach 1×1)' },
      strides: { type: 'number[]', default: [1, 1, 2, 2, 1], description: 'stride of each encoder convolution' },
      // ReLU units die in this design (training sticks at the blank-image loss); ELU trains reliably.
      activation: { type: 'string', choices: ACTIVATIONS.filter((a) => a !== 'sigmoid'), default: 'elu', description: 'hidden-layer nonlinearity' },
      batchNorm: { type: 'boolean', default: false, description: 'batch-normalise every hidden convolution (faster convergence)' },
    },
    trainingDefaults: { epochs: 12, batchSize: 64, learningRate: 2e-3, lrSchedule: 'cosine' },
    build: buildConvArchitecture,
  }),
  displayName: 'CNN',
};

/** Options for createConvAe: latentDim plus any conv-ae option. */
export interface ConvAeOptions extends CreateReducerOptions, TrainingDefaults {
  readonly channels?: readonly number[];
  readonly kernels?: readonly number[];
  readonly strides?: readonly number[];
  readonly activation?: 'relu' | 'elu' | 'tanh' | 'linear';
  readonly batchNorm?: boolean;
}

export function createConvAe(options: ConvAeOptions): AutoencoderReducer {
  return convAePlugin.create(options);
}
