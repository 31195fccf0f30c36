import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupBackend } from '@latentkit/ae-core';
import { conv2dStride1, fullConv2d } from './fast-conv.js';

describe('stride-1 convolutions with forward-conv gradients', () => {
  it('valid: matches tfjs conv2d, gradients match finite differences', async () => {
    await setupBackend('wasm');
    const x = tf.randomNormal([2, 6, 5, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
    const w = tf.randomNormal([3, 2, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
    const r = tf.randomNormal([2, 4, 4, 4], 0, 1, 'float32', 3);
    const loss = (conv: (a: tf.Tensor4D, b: tf.Tensor4D) => tf.Tensor) => (a: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv(a as tf.Tensor4D, b as tf.Tensor4D), r));
    const ours = loss(conv2dStride1);
    const [dx, dw] = tf.grads(ours)([x, w]);
    expect(Array.from(conv2dStride1(x, w).dataSync())).toEqual(Array.from(tf.conv2d(x, w, 1, 'valid').dataSync()));
    // Finite differences of the scalar loss: a reference independent of any gradient kernel.
    const eps = 1e-2;
    const fd = (t: tf.Tensor, i: number, f: (v: tf.Tensor) => number) => {
      const v = t.dataSync().slice();
      v[i]! += eps;
      const up = f(tf.tensor(v, t.shape));
      v[i]! -= 2 * eps;
      return (up - f(tf.tensor(v, t.shape))) / (2 * eps);
    };
    for (const i of [0, 7, 29, 59]) expect(dx!.dataSync()[i]!).toBeCloseTo(fd(x, i, (v) => ours(v, w).dataSync()[0]!), 2);
    for (const i of [0, 5, 13, 71]) expect(dw!.dataSync()[i]!).toBeCloseTo(fd(w, i, (v) => ours(x, v).dataSync()[0]!), 2);
  });
});

// wasm runs dW on Conv2DBackpropFilter with explicit padding; cpu pads the batch and convolves over its axis.
describe.each(['wasm', 'cpu'] as const)('fullConv2d on %s', (backend) => {
  it('equals a transposed valid convolution of the 180°-rotated kernel, gradients match finite differences', async () => {
    await setupBackend(backend);
    const t = tf.randomNormal([2, 3, 4, 2], 0, 1, 'float32', 4) as tf.Tensor4D;
    const w = tf.randomNormal([3, 2, 2, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
    const r = tf.randomNormal([2, 5, 5, 3], 0, 1, 'float32', 6);
    // Independent definition: conv2dTranspose with filter [k,k,out,in] = W rotated, channels swapped.
    const asTranspose = tf.conv2dTranspose(t, tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D, [2, 5, 5, 3], 1, 'valid');
    const ours = fullConv2d(t, w);
    expect(ours.shape).toEqual([2, 5, 5, 3]);
    const a = ours.dataSync(), b = asTranspose.dataSync();
    for (let i = 0; i < a.length; i++) expect(a[i]!).toBeCloseTo(b[i]!, 4);
    const loss = (u: tf.Tensor, v: tf.Tensor) => tf.sum(tf.mul(fullConv2d(u as tf.Tensor4D, v as tf.Tensor4D), r));
    const [dt, dw] = tf.grads(loss)([t, w]);
    const eps = 1e-2;
    const fd = (x: tf.Tensor, i: number, f: (v: tf.Tensor) => number) => {
      const v = x.dataSync().slice();
      v[i]! += eps;
      const up = f(tf.tensor(v, x.shape));
      v[i]! -= 2 * eps;
      return (up - f(tf.tensor(v, x.shape))) / (2 * eps);
    };
    for (const i of [0, 9, 23, 47]) expect(dt!.dataSync()[i]!).toBeCloseTo(fd(t, i, (v) => loss(v, w).dataSync()[0]!), 2);
    for (const i of [0, 11, 35]) expect(dw!.dataSync()[i]!).toBeCloseTo(fd(w, i, (v) => loss(t, v).dataSync()[0]!), 2);
  });
});
