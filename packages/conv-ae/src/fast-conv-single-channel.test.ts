import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupBackend } from '@latentkit/ae-core';
import { fullConv2dToFewChannels, inputConv2d } from './fast-conv-single-channel.js';

/** Deterministic values in [−1, 1) (a small LCG): the same inputs on both backends. */
function values(count: number, seed: number): Float32Array {
  let s = seed >>> 0;
  const out = new Float32Array(count);
  for (let i = 0; i < count; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = s / 2147483648 - 1;
  }
  return out;
}

type Shape4 = [number, number, number, number];
type Layer = (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor4D;

/** A layer's value and both gradients of Σ layer(a, b)·r, as plain arrays, on the given backend. */
async function valueAndGrads(backend: 'cpu' | 'wasm', layer: Layer, aShape: Shape4, bShape: Shape4): Promise<Float32Array[]> {
  await setupBackend(backend);
  return tf.tidy(() => {
    const a = tf.tensor4d(values(tf.util.sizeFromShape(aShape), 1), aShape);
    const b = tf.tensor4d(values(tf.util.sizeFromShape(bShape), 2), bShape);
    const y = layer(a, b);
    const r = tf.tensor(values(y.size, 3), y.shape);
    const [da, db] = tf.grads((u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(layer(u as tf.Tensor4D, v as tf.Tensor4D), r)))([a, b]);
    return [y, da!, db!].map((t) => t.dataSync() as Float32Array);
  });
}

function expectClose(actual: Float32Array, expected: Float32Array, what: string): void {
  expect(actual.length, what).toBe(expected.length);
  let scale = 0;
  let worst = 0;
  for (let i = 0; i < expected.length; i++) {
    scale = Math.max(scale, Math.abs(expected[i]!));
    worst = Math.max(worst, Math.abs(actual[i]! - expected[i]!));
  }
  expect(scale, what).toBeGreaterThan(0);
  expect(worst / scale, what).toBeLessThan(1e-4);
}

/** Ours on wasm against the plain tfjs definition (autodiff) on the pure-JS cpu backend. */
async function expectMatchesReference(ours: Layer, reference: Layer, aShape: Shape4, bShape: Shape4): Promise<void> {
  const expected = await valueAndGrads('cpu', reference, aShape, bShape);
  const actual = await valueAndGrads('wasm', ours, aShape, bShape);
  ['value', 'first input gradient', 'kernel gradient'].forEach((what, i) => expectClose(actual[i]!, expected[i]!, what));
}

// Full conv by definition: pad k−1 on every side, then a valid correlation with the same kernel.
const fullByPadding: Layer = (t, w) => tf.conv2d(tf.pad(t, [[0, 0], [w.shape[0] - 1, w.shape[0] - 1], [w.shape[1] - 1, w.shape[1] - 1], [0, 0]]), w, 1, 'valid');

describe('fullConv2dToFewChannels', () => {
  it('matches a padded tf.conv2d in value and both gradients (batch 1, odd sizes, non-square kernel)', async () => {
    await expectMatchesReference(fullConv2dToFewChannels, fullByPadding, [1, 5, 7, 3], [3, 4, 3, 1]);
  });

  it('matches with a batch, several input channels and two output channels', async () => {
    await expectMatchesReference(fullConv2dToFewChannels, fullByPadding, [3, 6, 4, 5], [5, 5, 5, 2]);
  });
});

describe('inputConv2d', () => {
  it('matches tf.conv2d in value and both gradients at stride 1 and 2 (batch 1, odd sizes)', async () => {
    for (const stride of [1, 2]) {
      await expectMatchesReference((x, w) => inputConv2d(x, w, stride), (x, w) => tf.conv2d(x, w, stride, 'valid'), [1, 9, 7, 1], [3, 3, 1, 4]);
      await expectMatchesReference((x, w) => inputConv2d(x, w, stride), (x, w) => tf.conv2d(x, w, stride, 'valid'), [2, 8, 11, 3], [4, 2, 3, 2]);
    }
  });

  it('never computes the gradient with respect to the images when only the kernel is trained', async () => {
    await setupBackend('wasm');
    const x = tf.tensor4d(values(2 * 10 * 10, 4), [2, 10, 10, 1]);
    const w = tf.tensor4d(values(5 * 5 * 4, 5), [5, 5, 1, 4]);
    const profile = await tf.profile(() => {
      tf.grad((v: tf.Tensor) => tf.sum(inputConv2d(x, v as tf.Tensor4D, 1)))(w).dataSync();
    });
    const names = profile.kernels.map((k) => k.name);
    expect(names).toContain('Conv2DBackpropFilter');
    expect(names).not.toContain('Conv2DBackpropInput');
    tf.dispose([x, w]);
  });
});
