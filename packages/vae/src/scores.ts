import { requireCapability, type Matrix, type Reducer } from '@latentkit/core';
import type { BoundOptions } from './reducer.js';

/**
 * Anomaly scores from a model's likelihood bound: −ELBO per row in nats (higher = less likely). Decided by the
 * "likelihood-bound" capability, not by kind; a reducer without it gets a one-line E_UNSUPPORTED.
 */
export async function negativeElboScores(reducer: Reducer, x: Matrix, options?: BoundOptions): Promise<Float64Array> {
  requireCapability(reducer, 'likelihood-bound', 'ELBO anomaly scores');
  const bound = await reducer.logLikelihoodBound!(x, options);
  return bound.map((v) => -v);
}
