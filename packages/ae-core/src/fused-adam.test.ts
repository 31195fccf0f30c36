import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { FusedAdam } from './fused-adam.js';
import { adamKernel } from './wasm/adam-kernel.js';
import { captureAdamState, restoreAdamState } from './optimizer-state.js';
import { setupBackend } from './backend.js';

/** Gradients of f(w) = Σ (w ⊙ w ⊙ s − t)² for two weights, so steps differ in sign and size. */
function gradsOf(ws: tf.Variable[]): tf.Tensor[] {
  const { grads } = tf.variableGrads(() => tf.addN(ws.map((w, i) => tf.sum(tf.square(tf.sub(tf.mul(tf.square(w), i + 0.5), 1))))) as tf.Scalar, ws);
  return ws.map((w) => grads[w.name]!);
}

/** Sizes 5 and 6: the SIMD kernel's four-wide loop and its scalar tail both run. */
function start(): tf.Variable[] {
  return tf.tidy(() => [tf.variable(tf.tensor1d([0.5, -0.25, 1.5, 0.01, -0.7])), tf.variable(tf.tensor2d([[2, -3, 0.3], [0.1, 0, -1.1]]))]);
}

describe.each([
  ['the SIMD kernel', true],
  ['the plain loop', false],
])('FusedAdam with %s', (_, useKernel) => {
  const fusedAdam = (lr: number) => new FusedAdam(lr, undefined, undefined, undefined, useKernel);

  it('follows tfjs Adam to 1e-6 over several steps with a changing learning rate, and leaks nothing', async () => {
    await setupBackend('wasm');
    // Node has WebAssembly SIMD: the kernel case must not quietly run the loop.
    expect(adamKernel() !== undefined).toBe(true);
    const before = tf.memory().numTensors;
    const ref = start();
    const mine = start();
    const adam = tf.train.adam(0.05);
    const fused = fusedAdam(0.05);
    for (let step = 0; step < 8; step++) {
      const lr = 0.05 / (1 + step);
      (adam as unknown as { learningRate: number }).learningRate = lr;
      fused.learningRate = lr;
      tf.tidy(() => {
        const g = gradsOf(ref);
        adam.applyGradients(ref.map((w, i) => ({ name: w.name, tensor: g[i]! })));
      });
      tf.tidy(() => fused.applyGradients(mine, gradsOf(mine)));
    }
    for (let i = 0; i < ref.length; i++) {
      const a = ref[i]!.dataSync();
      const b = mine[i]!.dataSync();
      // The weights moved: the comparison is not between two untouched starts.
      expect(Math.abs(a[0]! - 0.5) + Math.abs(a[1]! + 0.25)).toBeGreaterThan(0.01);
      for (let j = 0; j < a.length; j++) expect(Math.abs(a[j]! - b[j]!)).toBeLessThan(1e-6);
    }
    const refState = await captureAdamState(adam);
    const fusedState = await captureAdamState(fused, mine);
    expect(fusedState.iterations).toBe(refState.iterations);
    expect(fusedState.accBeta1).toBe(refState.accBeta1);
    expect(fusedState.accBeta2).toBe(refState.accBeta2);
    // Moments grow with the gradients (some here are ~10), so they agree to 1e-6 relative.
    const close = (a: number, b: number) => expect(Math.abs(a - b)).toBeLessThan(1e-6 * Math.max(1, Math.abs(b)));
    for (let i = 0; i < 2; i++) {
      for (let j = 0; j < refState.firstMoments[i]!.length; j++) {
        close(fusedState.firstMoments[i]![j]!, refState.firstMoments[i]![j]!);
        close(fusedState.secondMoments[i]![j]!, refState.secondMoments[i]![j]!);
      }
    }
    adam.dispose();
    tf.dispose([...ref, ...mine]);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('continues bit for bit from captured state, and refuses state of the wrong size', async () => {
    await setupBackend('wasm');
    const ws = start();
    const straight = fusedAdam(0.1);
    for (let s = 0; s < 3; s++) tf.tidy(() => straight.applyGradients(ws, gradsOf(ws)));
    const state = await captureAdamState(straight, ws);
    const midway = ws.map((w) => Float32Array.from(w.dataSync()));
    for (let s = 0; s < 4; s++) tf.tidy(() => straight.applyGradients(ws, gradsOf(ws)));
    const expected = ws.map((w) => Array.from(w.dataSync()));

    ws.forEach((w, i) => tf.tidy(() => w.assign(tf.tensor(midway[i]!, w.shape))));
    const resumed = fusedAdam(0.1);
    await restoreAdamState(resumed, state, ws);
    for (let s = 0; s < 4; s++) tf.tidy(() => resumed.applyGradients(ws, gradsOf(ws)));
    expect(ws.map((w) => Array.from(w.dataSync()))).toEqual(expected);

    const bad = { ...state, firstMoments: [state.firstMoments[0]!, new Float32Array(3)] };
    await expect(restoreAdamState(fusedAdam(0.1), bad, ws)).rejects.toMatchObject({ code: 'E_BUNDLE_CORRUPT', message: expect.stringContaining('has 3 values, expected 6') });
    tf.dispose(ws);
  });
});

describe('FusedAdam and kernels that cache per tensor', () => {
  it('gives each step’s weights a new tensor, so XNNPACK does not keep convolving with the old filter', async () => {
    await setupBackend('wasm');
    // A 3×3 one-channel filter (rows of 3 floats) runs on XNNPACK, which packs the filter once per tensor.
    const x = tf.tensor4d(Float32Array.from({ length: 25 }, (_, i) => Math.sin(i)), [1, 5, 5, 1]);
    const w = tf.variable(tf.tensor4d(Float32Array.from({ length: 18 }, (_, i) => Math.cos(i)), [3, 3, 1, 2]));
    const adam = new FusedAdam(0.1);
    const convolve = () => tf.tidy(() => Array.from(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid').dataSync()));
    const before = convolve();
    tf.tidy(() => {
      const { grads } = tf.variableGrads(() => tf.sum(tf.square(tf.conv2d(x, w as tf.Tensor4D, 1, 'valid'))), [w]);
      adam.applyGradients([w], [grads[w.name]!]);
    });
    const after = convolve();
    // What a fresh filter tensor with the new values gives (no operator cached for it).
    const expected = tf.tidy(() => Array.from(tf.conv2d(x, tf.tensor4d(Float32Array.from(w.dataSync()), [3, 3, 1, 2]), 1, 'valid').dataSync()));
    expect(after).not.toEqual(before);
    expect(after).toEqual(expected);
    tf.dispose([x, w]);
  });
});
