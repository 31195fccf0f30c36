// Autoencoder definitions a worker thread can import (plain JS against the built package), for the
// data-parallel tests: a small tanh autoencoder, and one that cannot be built in a worker.
import * as tf from '@tensorflow/tfjs';
import { dense, denseSpecs } from '../../dist/index.js';

export const smallDefinition = {
  kind: 'small-replica-ae',
  description: 'test autoencoder for worker replicas',
  build(ctx) {
    const D = ctx.inputShape.reduce((a, b) => a * b, 1);
    const h = 6;
    return {
      params: [...denseSpecs('enc.0', D, h, 'glorotUniform'), ...denseSpecs('enc.1', h, ctx.latentDim, 'glorotUniform'), ...denseSpecs('dec.0', ctx.latentDim, D, 'glorotUniform')],
      encode: (p, x) => dense(p, 'enc.1', tf.tanh(dense(p, 'enc.0', x))),
      decode: (p, z) => dense(p, 'dec.0', z),
    };
  },
};

export const workerHostileDefinition = {
  kind: 'worker-hostile-ae',
  description: 'builds only on the main thread',
  build(ctx) {
    if (!globalThis.onMainThread) throw new Error('this architecture needs the main thread');
    return smallDefinition.build(ctx);
  },
};

/** The small autoencoder plus a running mean of its inputs (non-trainable state updated in training). */
export const runningMeanDefinition = {
  kind: 'running-mean-ae',
  description: 'state updated outside the gradient step',
  build(ctx) {
    const base = smallDefinition.build(ctx);
    const D = ctx.inputShape.reduce((a, b) => a * b, 1);
    return {
      params: [...base.params, { name: 'input.mean', shape: [D], init: 'zeros', trainable: false }],
      encode: (p, x, fctx) => {
        if (fctx.training) fctx.setState('input.mean', tf.add(tf.mul(p['input.mean'], 0.5), tf.mul(tf.mean(x, 0), 0.5)));
        return base.encode(p, x, fctx);
      },
      decode: base.decode,
    };
  },
};

/**
 * A small conv autoencoder for 8×8×1 images (stride-2 conv, dense code, dense + transposed-conv decoder):
 * the same kinds of kernels as conv-ae, at test size.
 */
export const smallConvDefinition = {
  kind: 'small-conv-replica-ae',
  description: 'test conv autoencoder for worker replicas',
  build(ctx) {
    const [h, w] = ctx.inputShape;
    const c = 4;
    const flat = (h / 2) * (w / 2) * c;
    return {
      params: [
        { name: 'enc.conv.kernel', shape: [3, 3, 1, c], init: 'glorotUniform' },
        { name: 'enc.conv.bias', shape: [c], init: 'zeros' },
        ...denseSpecs('enc.code', flat, ctx.latentDim, 'glorotUniform'),
        ...denseSpecs('dec.dense', ctx.latentDim, flat, 'glorotUniform'),
        { name: 'dec.deconv.kernel', shape: [3, 3, 1, c], init: 'glorotUniform' },
      ],
      encode: (p, x) => {
        const img = tf.reshape(x, [-1, h, w, 1]);
        const y = tf.relu(tf.add(tf.conv2d(img, p['enc.conv.kernel'], 2, 'same'), p['enc.conv.bias']));
        return dense(p, 'enc.code', tf.reshape(y, [-1, flat]));
      },
      decode: (p, z) => {
        const y = tf.reshape(tf.relu(dense(p, 'dec.dense', z)), [-1, h / 2, w / 2, c]);
        const img = tf.conv2dTranspose(y, p['dec.deconv.kernel'], [z.shape[0], h, w, 1], 2, 'same');
        return tf.reshape(tf.sigmoid(img), [-1, h * w]);
      },
    };
  },
};
