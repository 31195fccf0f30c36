import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createMatrix, createRng } from '@latentkit/core';
import { fitDenseAe } from './index.js';

/** 60,000 rows of 784 features (188 MB as float32) must encode and decode batch by batch, never all at once. */
describe('bounded memory for large inputs', () => {
  it('encode and decode of 60k×784 peak far below the size of the input and leak no tensors', async () => {
    const rng = createRng(5);
    const small = createMatrix(64, 784, Float32Array.from({ length: 64 * 784 }, () => rng.next()));
    const { model: ae } = await fitDenseAe({ name: 'small', x: small }, { latentDim: 16, epochs: 1 }, { seed: 1 });
    const n = 60_000;
    const big = createMatrix(n, 784, new Float32Array(n * 784).map((_, i) => small.data[i % small.data.length]!));
    const before = tf.memory().numTensors;
    let z = createMatrix(0, 16);
    const encodeProfile = await tf.profile(async () => {
      z = await ae.encode(big);
    });
    const decodeProfile = await tf.profile(async () => {
      await ae.decode(z);
    });
    const inputBytes = n * 784 * 4;
    expect(z.rows).toBe(n);
    // Each pass holds a few batches at a time: well under a tenth of the whole input.
    expect(encodeProfile.peakBytes).toBeGreaterThan(0); // the profiler did see the batches
    expect(encodeProfile.peakBytes).toBeLessThan(inputBytes / 10);
    expect(decodeProfile.peakBytes).toBeLessThan(inputBytes / 10);
    expect(tf.memory().numTensors).toBe(before);
    ae.dispose();
  }, 120_000);
});
