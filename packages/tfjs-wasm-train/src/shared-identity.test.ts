import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './index.js';
import { loadWasm } from './__fixtures__/backends.js';

beforeAll(async () => {
  await loadWasm();
  registerWasmTrainingKernels();
});

describe('Identity shares memory on wasm', () => {
  it('a clone is the same buffer, outlives its source and is freed with the last reference', async () => {
    await loadWasm();
    const before = tf.memory().numDataBuffers;
    const x = tf.tensor([1, 2, 3, 4], [2, 2]);
    const y = tf.clone(x);
    expect(y.dataId).toBe(x.dataId);
    // One buffer for both tensors (tfjs counts bytes per tensor, buffers once).
    expect(tf.memory().numDataBuffers).toBe(before + 1);
    x.dispose();
    expect(Array.from(await y.data())).toEqual([1, 2, 3, 4]);
    expect(y.shape).toEqual([2, 2]);
    y.dispose();
    expect(tf.memory().numDataBuffers).toBe(before);
  });

  it('gradients through kernels that save their inputs are unchanged, and nothing leaks', async () => {
    await loadWasm();
    const before = tf.memory().numTensors;
    // Elu saves its output and MatMul its inputs: both go through Identity clones.
    const f = (a: tf.Tensor) => tf.sum(tf.elu(tf.matMul(a, a)));
    const a = tf.tensor2d([0.5, -1, 2, -0.25], [2, 2]);
    const g = tf.grad(f)(a);
    const got = Array.from(await g.data());
    // Independent reference: the analytic gradient of Σ elu(A·A), d/dA = Gᵀ-weighted: Aᵀ·E' + E'·Aᵀ.
    const A = [[0.5, -1], [2, -0.25]];
    const P = [0, 1].map((i) => [0, 1].map((j) => A[i]![0]! * A[0]![j]! + A[i]![1]! * A[1]![j]!));
    const E = P.map((row) => row.map((v) => (v > 0 ? 1 : Math.exp(v))));
    const want = [0, 1].flatMap((i) => [0, 1].map((j) => [0, 1].reduce((s, k) => s + A[k]![i]! * E[k]![j]! + E[i]![k]! * A[j]![k]!, 0)));
    got.forEach((v, i) => expect(v).toBeCloseTo(want[i]!, 5));
    tf.dispose([a, g]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
