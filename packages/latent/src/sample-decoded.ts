import { LatentkitError, decodeWith, type Matrix, type Reducer } from '@latentkit/core';
import type { LatentDensity } from './density.js';

/** Draws n codes from a latent density and decodes them: "sampling from the latent space". */
export async function sampleDecoded(reducer: Reducer, density: LatentDensity, n: number, seed = 0): Promise<{ codes: Matrix; images: Matrix }> {
  if (density.dim !== reducer.latentDim) {
    throw new LatentkitError('E_SHAPE', `the ${density.kind} density is ${density.dim}-dimensional but the ${reducer.kind} model's latent space has ${reducer.latentDim} dimensions`);
  }
  const codes = density.sample(n, seed);
  const images = await decodeWith(reducer, codes, 'sampling');
  return { codes, images };
}
