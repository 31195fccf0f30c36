import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { captureAdamState, epochOrder, isFiniteAdamState, restoreAdamState, setupBackend } from './index.js';

/** n Adam steps on f(w) = Σ (w − target)², from a fixed start. */
function steps(optimizer: tf.Optimizer, w: tf.Variable, n: number): void {
  const target = tf.tensor1d([1, -2, 3]);
  for (let i = 0; i < n; i++) optimizer.minimize(() => tf.sum(tf.squaredDifference(w, target)) as tf.Scalar, false, [w]);
  target.dispose();
}

describe('Adam state capture and restore', () => {
  it('continues bit for bit where the captured optimizer left off, and leaks nothing', async () => {
    await setupBackend('wasm');
    const before = tf.memory().numTensors;
    const w = tf.tidy(() => tf.variable(tf.tensor1d([0.5, 0.25, -1])));
    const straight = tf.train.adam(0.1);
    steps(straight, w, 5);
    const state = await captureAdamState(straight);
    expect(state.iterations).toBe(5);
    // β1^5 accumulated step by step in float32.
    expect(state.accBeta1).toBeCloseTo(0.9 ** 6, 6);
    expect(state.firstMoments).toHaveLength(1);
    const midway = Float32Array.from(w.dataSync());
    steps(straight, w, 7);
    const expected = Array.from(w.dataSync());

    tf.tidy(() => w.assign(tf.tensor1d(midway)));
    const resumed = tf.train.adam(0.1);
    await restoreAdamState(resumed, state, [w]);
    const again = await captureAdamState(resumed);
    expect(again).toEqual(state);
    steps(resumed, w, 7);
    expect(Array.from(w.dataSync())).toEqual(expected);

    straight.dispose();
    resumed.dispose();
    w.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses moments that do not fit the variables, and spots non-finite state', async () => {
    const w = tf.variable(tf.tensor1d([0, 0, 0]));
    const opt = tf.train.adam(0.1);
    const state = { iterations: 1, accBeta1: 0.81, accBeta2: 0.998, firstMoments: [new Float32Array(2)], secondMoments: [new Float32Array(2)] };
    await expect(restoreAdamState(opt, state, [w])).rejects.toMatchObject({ code: 'E_BUNDLE_CORRUPT', message: expect.stringContaining('has 2 values, expected 3') });
    await expect(restoreAdamState(opt, { ...state, firstMoments: [] }, [w])).rejects.toMatchObject({ code: 'E_BUNDLE_CORRUPT' });
    expect(isFiniteAdamState({ ...state, firstMoments: [new Float32Array(3)], secondMoments: [new Float32Array(3)] })).toBe(true);
    expect(isFiniteAdamState({ ...state, secondMoments: [Float32Array.of(0, Infinity)] })).toBe(false);
    opt.dispose();
    w.dispose();
  });
});

describe('epochOrder', () => {
  it('is a permutation fixed by (seed, epoch) alone', () => {
    const rows = Int32Array.from([5, 9, 2, 7, 1, 8, 3, 6]);
    const e1 = epochOrder(rows, 42, 1);
    expect([...e1].sort((a, b) => a - b)).toEqual([...rows].sort((a, b) => a - b));
    expect(Array.from(epochOrder(rows, 42, 1))).toEqual(Array.from(e1));
    expect(Array.from(epochOrder(rows, 42, 2))).not.toEqual(Array.from(e1));
    expect(Array.from(epochOrder(rows, 43, 1))).not.toEqual(Array.from(e1));
    // The input is left alone: each epoch shuffles the same base order.
    expect(Array.from(rows)).toEqual([5, 9, 2, 7, 1, 8, 3, 6]);
  });
});
