import * as tf from '@tensorflow/tfjs';
import { LatentkitError } from '@latentkit/core';
import type { ArchitectureContext, ForwardContext, ParamStore, TrainableModel } from '@latentkit/ae-core';
import type { VaeArchitecture } from './architecture.js';
import { elboTerms } from './elbo-terms.js';
import type { VaeOptions } from './options.js';

/**
 * ε's seed when a forward pass has none (the loop's validation loss, at inference): fixed, so the validation
 * loss is deterministic, and the same draw every epoch, so epochs compare.
 */
export const EVALUATION_SEED = 0x5eed;

/**
 * The β-weighted negative ELBO per image, in the training loop's per-pixel squared-error units:
 *   loss = ‖x − g(z)‖²/D + (2σ²β/D)·KL(q(z|x) ‖ N(0, I)),
 * which is (2σ²/D)·(−ELBO_β − (D/2)·log(2πσ²)) for the Gaussian likelihood N(g(z), σ²I): the same minimiser
 * as the negative ELBO, but on the scale the loop's collapse check compares with predicting the mean pixel
 * (a posterior that collapsed onto the prior scores just that and is retried). ε comes from the forward
 * pass's per-step seed, so workers and re-runs draw the same noise. `encode` exposes μ for the loop's
 * exploding-codes watch.
 */
export function vaeObjective(arch: VaeArchitecture, store: ParamStore, ctx: ArchitectureContext<VaeOptions>): TrainableModel {
  assertNoCorruption(ctx.options);
  const inputDim = ctx.inputShape.reduce((a, b) => a * b, 1);
  const klWeight = (2 * ctx.options.outputStd ** 2 * ctx.options.beta) / inputDim;
  return {
    store,
    loss: (x: tf.Tensor2D, fctx: ForwardContext) => {
      const eps = tf.randomNormal([x.shape[0], ctx.latentDim], 0, 1, 'float32', fctx.seed ?? EVALUATION_SEED) as tf.Tensor2D;
      const { squaredError, kl } = elboTerms(arch, store.vars, x, eps, fctx);
      return tf.mean(tf.add(tf.div(squaredError, inputDim), tf.mul(kl, klWeight))) as tf.Scalar;
    },
    encode: (x: tf.Tensor2D, fctx: ForwardContext) => arch.encode(store.vars, x, fctx),
  };
}

/**
 * ae-core's shared training options may carry a `corrupt` (denoising) setting; this objective does not apply
 * one yet, so it refuses rather than train something other than what was asked.
 */
function assertNoCorruption(options: object): void {
  const corrupt = (options as { corrupt?: unknown }).corrupt;
  if (corrupt !== undefined && corrupt !== 'none') {
    throw new LatentkitError('E_OPTION', `reducer "vae": option corrupt=${JSON.stringify(corrupt)} is not supported (the VAE trains on clean images; use corrupt=none)`);
  }
}
