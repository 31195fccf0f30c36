import { LatentkitError, type Matrix, type Reducer } from '@latentkit/core';
import type { BoundOptions } from './reducer.js';

/** A reducer that bounds log p(x) per row (a VAE's ELBO); proposed for core as the optional `logLikelihoodBound`. */
interface BoundsLikelihood {
  logLikelihoodBound(x: Matrix, options?: BoundOptions): Promise<Float64Array>;
}

function boundsLikelihood(reducer: Reducer): reducer is Reducer & BoundsLikelihood {
  return typeof (reducer as Partial<BoundsLikelihood>).logLikelihoodBound === 'function';
}

/**
 * Anomaly scores from a model's likelihood bound: −ELBO per row in nats (higher = less likely). Decided by the
 * method's presence, not by kind; a reducer without one gets a one-line E_UNSUPPORTED.
 */
export async function negativeElboScores(reducer: Reducer, x: Matrix, options?: BoundOptions): Promise<Float64Array> {
  if (!boundsLikelihood(reducer)) throw new LatentkitError('E_UNSUPPORTED', `reducer "${reducer.kind}" has no logLikelihoodBound (needed for ELBO anomaly scores)`);
  const bound = await reducer.logLikelihoodBound(x, options);
  return bound.map((v) => -v);
}
