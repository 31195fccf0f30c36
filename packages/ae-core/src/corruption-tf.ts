import * as tf from '@tensorflow/tfjs';
import { createRng } from '@latentkit/core';
import { imageDims, maskSide, type Corruption } from './corruption-spec.js';

/**
 * The corruptions of corruption-spec.ts on a batch tensor [n, D], for training objectives: the seed is the
 * step's ForwardContext.seed, so a step (and a worker-thread shard) always draws the same corruption. Call
 * inside tf.tidy (intermediates are not disposed here). The input shape must already fit the corruption
 * (assertCorruptionFits).
 */
export function corruptBatch(x: tf.Tensor2D, c: Corruption, inputShape: readonly number[], seed: number): tf.Tensor2D {
  const [n, cols] = x.shape;
  switch (c.type) {
    case 'none':
      return x;
    case 'noise':
      return tf.clipByValue(tf.add(x, tf.randomNormal([n, cols], 0, c.sigma, 'float32', seed)), 0, 1) as tf.Tensor2D;
    case 'saltpepper': {
      const u = tf.randomUniform([n, cols], 0, 1, 'float32', seed);
      // u < p/2: salt (1); p/2 ≤ u < p: pepper (0); otherwise the value is kept.
      return tf.where(tf.less(u, c.p / 2), tf.onesLike(x), tf.where(tf.less(u, c.p), tf.zerosLike(x), x));
    }
    case 'mask':
      return tf.mul(x, maskTensor(n, cols, c.fraction, inputShape, seed));
    case 'downsample': {
      const { h, w, c: ch } = imageDims(inputShape)!;
      const k = c.factor;
      // [n, h/k, k, w/k, k, c]: the mean over each block's two k axes, then repeated back over them.
      const blocks = tf.reshape(x, [n, h / k, k, w / k, k, ch]);
      const means = tf.mean(blocks, [2, 4], true);
      return tf.reshape(tf.tile(means, [1, 1, k, 1, k, 1]), [n, cols]);
    }
  }
}

/** A 0/1 keep-mask [n, D]: one square hole per image (positions drawn from the seed), or independent zeros for flat rows. */
function maskTensor(n: number, cols: number, fraction: number, inputShape: readonly number[], seed: number): tf.Tensor2D {
  const dims = imageDims(inputShape);
  if (!dims) return tf.cast(tf.greaterEqual(tf.randomUniform([n, cols], 0, 1, 'float32', seed), fraction), 'float32') as tf.Tensor2D;
  const { h, w, c } = dims;
  const s = maskSide(fraction, h, w);
  const rng = createRng(seed);
  const keep = new Float32Array(n * cols).fill(1);
  for (let r = 0; r < n; r++) {
    const top = rng.int(h - s + 1);
    const left = rng.int(w - s + 1);
    for (let y = top; y < top + s; y++) keep.fill(0, r * cols + (y * w + left) * c, r * cols + (y * w + left + s) * c);
  }
  return tf.tensor2d(keep, [n, cols]);
}
