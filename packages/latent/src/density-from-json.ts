import { LatentkitError } from '@latentkit/core';
import type { LatentDensity } from './density.js';
import { GaussianDensity } from './gaussian.js';
import { GaussianMixtureDensity } from './gmm.js';

/** Restores any density written by `toJSON()`, dispatching on its `kind`. */
export function densityFromJSON(json: unknown): LatentDensity {
  const kind = typeof json === 'object' && json !== null ? (json as { kind?: unknown }).kind : undefined;
  switch (kind) {
    case 'gaussian':
      return GaussianDensity.fromJSON(json);
    case 'gaussian-mixture':
      return GaussianMixtureDensity.fromJSON(json);
    default:
      throw new LatentkitError('E_INPUT_FORMAT', `density JSON has unknown kind ${JSON.stringify(kind)} (expected "gaussian" or "gaussian-mixture")`);
  }
}
