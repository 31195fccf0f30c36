import * as tf from '@tensorflow/tfjs';
import type { ForwardContext } from '../network.js';
import type { TrainableModel } from '../train.js';
import type { ShardResult } from './replica.js';

/**
 * Loss and gradients of one shard (its mean loss; the trainable weights' gradients concatenated in order),
 * with the state updates the forward pass reported. Nothing is applied: the caller reduces the shards.
 */
export function shardGradients(model: TrainableModel, trainable: readonly tf.Variable[], x: Float32Array, rows: number, cols: number, seed?: number): ShardResult {
  const state: [string, Float32Array][] = [];
  const ctx: ForwardContext = { training: true, ...(seed !== undefined ? { seed } : {}), setState: (name, value) => state.push([name, Float32Array.from(value.dataSync() as Float32Array)]) };
  const total = trainable.reduce((n, v) => n + v.size, 0);
  const grads = new Float32Array(total);
  let loss = NaN;
  tf.tidy(() => {
    const xb = tf.tensor2d(x, [rows, cols]);
    const { value, grads: named } = tf.variableGrads(() => model.loss(xb, ctx), [...trainable]);
    loss = value.dataSync()[0]!;
    let offset = 0;
    for (const v of trainable) {
      grads.set(named[v.name]!.dataSync() as Float32Array, offset);
      offset += v.size;
    }
  });
  return { loss, grads, state };
}
