import { LatentkitError } from '@latentkit/core';
import type { LayersModelState } from './layers-model-reducer.js';

const size = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Checks that the encoder, decoder, input shape and latentDim agree; each disagreement is one line naming it. */
export function assembleState(state: LayersModelState, source: string): LayersModelState {
  const D = size(state.inputShape);
  const { encoder, decoder, latentDim } = state;
  if (size(encoder.inputShape) !== D) throw new LatentkitError('E_SHAPE', `layers-model: the encoder ${source} takes ${size(encoder.inputShape)} features per row, the input shape [${state.inputShape.join(',')}] has ${D}`);
  const d = size(encoder.outputShape);
  if (d !== latentDim) throw new LatentkitError('E_OPTION', `reducer "layers-model": the encoder ${source} outputs ${d} numbers per row, so latentDim must be ${d} (got ${latentDim}; --latent ${d})`);
  if (d >= D) throw new LatentkitError('E_OPTION', `reducer "layers-model": the encoder's code size ${d} must be below the input dimension ${D}`);
  if (decoder) {
    if (size(decoder.inputShape) !== d) throw new LatentkitError('E_SHAPE', `layers-model: the decoder takes ${size(decoder.inputShape)} numbers per code, the encoder outputs ${d}`);
    if (size(decoder.outputShape) !== D) throw new LatentkitError('E_SHAPE', `layers-model: the decoder outputs ${size(decoder.outputShape)} numbers per row, the input has ${D}`);
  }
  return state;
}
