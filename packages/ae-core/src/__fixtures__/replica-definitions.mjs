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
