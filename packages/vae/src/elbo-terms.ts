import * as tf from '@tensorflow/tfjs';
import type { ForwardContext, Params } from '@latentkit/ae-core';
import type { VaeArchitecture } from './architecture.js';

/** The two terms of the negative ELBO per row, for one draw z = μ + σ·ε of the reparameterisation trick. */
export interface ElboTerms {
  /** Σ_j (x_j − g(z)_j)², the squared error of the reconstruction from z: [n]. */
  readonly squaredError: tf.Tensor1D;
  /** KL(q(z|x) ‖ N(0, I)) in closed form, ½ Σ_k (μ_k² + σ_k² − log σ_k² − 1), in nats: [n]. */
  readonly kl: tf.Tensor1D;
}

/**
 * The negative ELBO's terms for rows x with noise ε ([n, d], standard normal). z = μ + exp(½ log σ²)·ε keeps the
 * draw differentiable in μ and log σ² (the reparameterisation trick); the KL term needs no draw.
 */
export function elboTerms(arch: VaeArchitecture, p: Params, x: tf.Tensor2D, eps: tf.Tensor2D, ctx: ForwardContext): ElboTerms {
  const { mean, logVar } = arch.moments(p, x, ctx);
  const z = tf.add(mean, tf.mul(tf.exp(tf.mul(logVar, 0.5)), eps)) as tf.Tensor2D;
  const xHat = arch.decode(p, z, ctx);
  const squaredError = tf.sum(tf.squaredDifference(x, xHat), 1) as tf.Tensor1D;
  const kl = tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.square(mean), tf.exp(logVar)), tf.add(logVar, 1)), 1)) as tf.Tensor1D;
  return { squaredError, kl };
}

/** −log N(x; x̂, σ²I) = ‖x − x̂‖²/(2σ²) + (D/2)·log(2πσ²): the Gaussian likelihood's nats from a squared error. */
export function gaussianNats(squaredError: number, inputDim: number, outputStd: number): number {
  const variance = outputStd * outputStd;
  return squaredError / (2 * variance) + (inputDim / 2) * Math.log(2 * Math.PI * variance);
}
