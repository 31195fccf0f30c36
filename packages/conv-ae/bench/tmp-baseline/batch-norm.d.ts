import * as tf from '@tensorflow/tfjs';
import type { ForwardContext, ParamSpec, Params } from '@latentkit/ae-core';
/** Running-statistics momentum and variance epsilon (the LayersModel export writes the same). */
export declare const BATCH_NORM_MOMENTUM = 0.9;
export declare const BATCH_NORM_EPSILON = 0.00001;
/** Scale, shift and running statistics of a per-channel batch norm. */
export declare function batchNormSpecs(prefix: string, channels: number): ParamSpec[];
/**
 * Normalises NHWC activations per channel: batch statistics while training (and updates the running
 * ones), running statistics at inference so a code never depends on its batch mates.
 */
export declare function batchNorm(p: Params, prefix: string, x: tf.Tensor4D, ctx: ForwardContext): tf.Tensor4D;
//# sourceMappingURL=batch-norm.d.ts.map