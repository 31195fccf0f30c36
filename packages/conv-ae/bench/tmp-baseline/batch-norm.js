import * as tf from '@tensorflow/tfjs';
/** Running-statistics momentum and variance epsilon (the LayersModel export writes the same). */
export const BATCH_NORM_MOMENTUM = 0.9;
export const BATCH_NORM_EPSILON = 1e-5;
const MOMENTUM = BATCH_NORM_MOMENTUM;
const EPSILON = BATCH_NORM_EPSILON;
/** Scale, shift and running statistics of a per-channel batch norm. */
export function batchNormSpecs(prefix, channels) {
    return [
        { name: `${prefix}.gamma`, shape: [channels], init: 'ones' },
        { name: `${prefix}.beta`, shape: [channels], init: 'zeros' },
        { name: `${prefix}.movingMean`, shape: [channels], init: 'zeros', trainable: false },
        { name: `${prefix}.movingVariance`, shape: [channels], init: 'ones', trainable: false },
    ];
}
/**
 * Normalises NHWC activations per channel: batch statistics while training (and updates the running
 * ones), running statistics at inference so a code never depends on its batch mates.
 */
export function batchNorm(p, prefix, x, ctx) {
    const channel = (name) => p[`${prefix}.${name}`];
    const gamma = channel('gamma');
    const beta = channel('beta');
    if (!ctx.training)
        return tf.batchNorm4d(x, channel('movingMean'), channel('movingVariance'), beta, gamma, EPSILON);
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    ctx.setState(`${prefix}.movingMean`, tf.add(tf.mul(channel('movingMean'), MOMENTUM), tf.mul(mean, 1 - MOMENTUM)));
    ctx.setState(`${prefix}.movingVariance`, tf.add(tf.mul(channel('movingVariance'), MOMENTUM), tf.mul(variance, 1 - MOMENTUM)));
    return tf.batchNorm4d(x, mean, variance, beta, gamma, EPSILON);
}
//# sourceMappingURL=batch-norm.js.map