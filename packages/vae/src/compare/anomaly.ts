import { LatentkitError, type Dataset, type Reducer } from '@latentkit/core';
import { heldOutClassAuc } from '@latentkit/latent';
import type { BoundOptions } from '../reducer.js';
import { negativeElboScores } from '../scores.js';

/**
 * ROC AUC of finding a class the model never saw by its negative ELBO (as heldOutAnomaly in the CLI does for
 * reconstruction and density scores): `model` fitted without class `heldOut`, `test` holding every class.
 */
export async function heldOutElboAuc(model: Reducer, test: Dataset, heldOut: number, options?: BoundOptions): Promise<number> {
  if (!test.labels) throw new LatentkitError('E_INPUT_VALUE', `held-out anomaly AUC needs labels, and dataset "${test.name}" has none`);
  return heldOutClassAuc(await negativeElboScores(model, test.x, options), test.labels, heldOut);
}
