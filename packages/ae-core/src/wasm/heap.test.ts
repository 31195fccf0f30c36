import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupBackend } from '../backend.js';
import { heapTensor } from './heap.js';

describe('heapTensor', () => {
  it('on wasm, gives a tensor whose values are what was written into its view', async () => {
    await setupBackend('wasm');
    const before = tf.memory().numTensors;
    const made = heapTensor([3, 5])!;
    made.values.set(Float32Array.from({ length: 15 }, (_, i) => i * 0.5 - 2));
    expect(made.tensor.shape).toEqual([3, 5]);
    const rowSums = tf.sum(made.tensor, 1);
    expect(Array.from(rowSums.dataSync())).toEqual([-5, 7.5, 20]);
    tf.dispose([rowSums, made.tensor]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('is undefined on other backends, where the caller makes the tensor from its own buffer', async () => {
    await setupBackend('cpu');
    expect(heapTensor([2, 2])).toBeUndefined();
    await setupBackend('wasm');
  });
});
