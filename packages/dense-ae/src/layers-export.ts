import { weightArray, type AutoencoderLayers, type AutoencoderReducer, type DenseLayerSpec, type KerasActivation, type SequentialSpec } from '@latentkit/ae-core';
import { denseLayout } from './architecture.js';

/**
 * A fitted dense autoencoder as Keras layers: Dense layers with the same widths, nonlinearities and weights
 * as buildDenseArchitecture (kernels are [in, out] in both), over flat rows [D] → [d] → [D].
 */
export function denseAeLayers(model: AutoencoderReducer): AutoencoderLayers {
  const { hidden, activation, outputSigmoid } = denseLayout(model.kind, model.options);
  const weights = model.params.snapshot();
  const encoderWidths = [model.inputDim, ...hidden, model.latentDim];
  const stack = (name: 'encoder' | 'decoder', widths: readonly number[], output: KerasActivation): SequentialSpec => ({
    name,
    inputShape: [widths[0]!],
    layers: widths.slice(1).map((units, i): DenseLayerSpec => {
      const prefix = `${name}.${i}`;
      return {
        type: 'dense',
        units,
        activation: i === widths.length - 2 ? output : activation,
        kernel: weightArray(weights.get(`${prefix}.kernel`), [widths[i]!, units], `${prefix}.kernel`),
        bias: weightArray(weights.get(`${prefix}.bias`), [units], `${prefix}.bias`),
      };
    }),
  });
  return {
    encoder: stack('encoder', encoderWidths, 'linear'),
    decoder: stack('decoder', [...encoderWidths].reverse(), outputSigmoid ? 'sigmoid' : 'linear'),
  };
}

