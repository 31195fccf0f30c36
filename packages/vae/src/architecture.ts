import * as tf from '@tensorflow/tfjs';
import type { Architecture, ArchitectureContext, ForwardContext, Params } from '@latentkit/ae-core';
import { buildConvArchitecture } from '@latentkit/conv-ae';

/** q(z|x) as tensors: the mean and log-variance codes, [n, d] each. */
export interface GaussianMoments {
  readonly mean: tf.Tensor2D;
  readonly logVar: tf.Tensor2D;
}

/** An autoencoder architecture whose encoder gives a diagonal Gaussian; `encode` is its mean. */
export interface VaeArchitecture extends Architecture {
  moments(p: Params, x: tf.Tensor2D, ctx: ForwardContext): GaussianMoments;
}

/**
 * conv-ae's five-layer network, built twice and taken apart: the encoder of the 2d-wide build (its last,
 * linear layer gives μ in the first d channels and log σ² in the other d) and the decoder of the d-wide build.
 * Weight names ("encoder.i.*", "decoder.j.*") are conv-ae's, so the two halves never collide.
 */
export function buildVaeArchitecture(ctx: ArchitectureContext): VaeArchitecture {
  const d = ctx.latentDim;
  const wide = buildConvArchitecture({ ...ctx, latentDim: 2 * d });
  const narrow = buildConvArchitecture(ctx);
  const params = [...wide.params.filter((s) => s.name.startsWith('encoder.')), ...narrow.params.filter((s) => s.name.startsWith('decoder.'))];
  const moments = (p: Params, x: tf.Tensor2D, fctx: ForwardContext): GaussianMoments => {
    const h = wide.encode(p, x, fctx);
    const [mean, logVar] = tf.split(h, [d, d], 1) as [tf.Tensor2D, tf.Tensor2D];
    return { mean, logVar };
  };
  return {
    params,
    // The wide encoder's last layer is 2d wide: counted a little high, as the narrow build's mirror of it.
    ...(wide.flopsPerRow !== undefined ? { flopsPerRow: wide.flopsPerRow } : {}),
    moments,
    encode: (p, x, fctx) => tf.slice(wide.encode(p, x, fctx), [0, 0], [-1, d]),
    decode: (p, z, fctx) => narrow.decode(p, z, fctx),
  };
}
