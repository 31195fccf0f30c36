import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './index.js';
import { loadWasm, seededValues } from './__fixtures__/backends.js';

beforeAll(async () => {
  await loadWasm();
  registerWasmTrainingKernels();
});

/** A tiny conv autoencoder: 8×8×1 → conv s2 → 4×4×4 → conv2dTranspose s2 → 8×8×1, sigmoid output. */
function makeAutoencoder() {
  const init = (shape: number[], seed: number) =>
    tf.variable(tf.mul(tf.tensor(seededValues(shape.reduce((p, d) => p * d, 1), seed), shape), 0.5));
  const params = {
    encW: init([3, 3, 1, 4], 1),
    encB: init([4], 2),
    decW: init([3, 3, 1, 4], 3),
    decB: init([1], 4),
  };
  const reconstruct = (x: tf.Tensor4D) => {
    const code = tf.relu(tf.add(tf.conv2d(x, params.encW as tf.Tensor4D, 2, 'same'), params.encB));
    const up = tf.conv2dTranspose(code as tf.Tensor4D, params.decW as tf.Tensor4D, [x.shape[0], 8, 8, 1], 2, 'same');
    return tf.sigmoid(tf.add(up, params.decB));
  };
  return { params, reconstruct };
}

/** Smooth images (blobs) an autoencoder can learn to reproduce. */
function images(count: number): tf.Tensor4D {
  const data = new Float32Array(count * 64);
  const centres = seededValues(count * 2, 42);
  for (let n = 0; n < count; n++) {
    const cy = 3.5 + 2.5 * centres[2 * n];
    const cx = 3.5 + 2.5 * centres[2 * n + 1];
    for (let y = 0; y < 8; y++) for (let x = 0; x < 8; x++) data[n * 64 + y * 8 + x] = Math.exp(-((y - cy) ** 2 + (x - cx) ** 2) / 6);
  }
  return tf.tensor4d(data, [count, 8, 8, 1]);
}

describe('training a conv autoencoder on wasm after registering', () => {
  it('Adam steps reduce the loss and keep the tensor count flat', async () => {
    expect(tf.getBackend()).toBe('wasm');
    const { params, reconstruct } = makeAutoencoder();
    const x = images(16);
    const optimizer = tf.train.adam(0.05);
    const lossFn = () => tf.mean(tf.squaredDifference(reconstruct(x), x)) as tf.Scalar;
    const losses: number[] = [];
    const tensorCounts: number[] = [];
    for (let step = 0; step < 30; step++) {
      const loss = optimizer.minimize(lossFn, true, Object.values(params))!;
      losses.push(loss.dataSync()[0]);
      loss.dispose();
      tensorCounts.push(tf.memory().numTensors);
    }
    expect(losses.every(Number.isFinite)).toBe(true);
    expect(losses[losses.length - 1]).toBeLessThan(losses[0] * 0.5);
    // Adam creates its moment variables on the first step; after that nothing may accumulate.
    expect(new Set(tensorCounts.slice(1)).size).toBe(1);
    optimizer.dispose();
    tf.dispose([x, ...Object.values(params)]);
  });
});
