import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { WasmTrainingKernelError, registerWasmTrainingKernels, unregisterWasmTrainingKernels } from './index.js';
import { loadWasm } from './__fixtures__/backends.js';

let nativeBatchMatMul: tf.KernelConfig;
let nativeBackpropInput: tf.KernelConfig;

beforeAll(async () => {
  await loadWasm();
  nativeBatchMatMul = tf.getKernel('BatchMatMul', 'wasm')!;
  nativeBackpropInput = tf.getKernel('Conv2DBackpropInput', 'wasm')!;
});

const x = () => tf.ones([1, 4, 4, 1]) as tf.Tensor4D;
const dy = () => tf.ones([1, 4, 4, 1]) as tf.Tensor4D;

describe('registerWasmTrainingKernels', () => {
  it('makes conv training work where upstream wasm throws', () => {
    unregisterWasmTrainingKernels();
    const grad = () => tf.grad((w: tf.Tensor) => tf.sum(tf.conv2d(x(), w as tf.Tensor4D, 1, 'same')))(tf.ones([3, 3, 1, 1]));
    expect(grad).toThrow(/Conv2DBackpropFilter/);
    registerWasmTrainingKernels();
    // Each of the 9 taps sees the all-ones input at 4·4 minus the padded border positions.
    expect(Array.from(grad().dataSync())).toEqual([9, 12, 9, 12, 16, 12, 9, 12, 9]);
  });

  it('is idempotent and keeps a handle to the original kernels, never to itself', () => {
    const first = registerWasmTrainingKernels();
    const wrapped = tf.getKernel('BatchMatMul', 'wasm')!;
    const second = registerWasmTrainingKernels();
    expect(second.registered).toEqual(first.registered);
    expect(first.registered).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Conv2D', 'Sum', 'Identity', 'BatchMatMul', '_FusedMatMul']);
    const rewrapped = tf.getKernel('BatchMatMul', 'wasm')!;
    expect(rewrapped.kernelFunc).not.toBe(nativeBatchMatMul.kernelFunc);
    expect(rewrapped).not.toBe(wrapped);
    // A wrapper that wrapped itself would recurse; a transposed product must still come out right.
    const product = tf.matMul(tf.tensor2d([1, 2, 3, 4], [2, 2]), tf.tensor2d([1, 0, 0, 1], [2, 2]), true, false);
    expect(Array.from(product.dataSync())).toEqual([1, 3, 2, 4]);
  });

  it('fastBatchMatMul: false puts the original BatchMatMul back but keeps the conv kernels', () => {
    registerWasmTrainingKernels();
    const result = registerWasmTrainingKernels({ fastBatchMatMul: false });
    expect(result.registered).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Conv2D', 'Sum', 'Identity']);
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).toBe(nativeBatchMatMul.kernelFunc);
    registerWasmTrainingKernels();
  });

  it('unregisterWasmTrainingKernels restores upstream kernels and removes added ones', () => {
    registerWasmTrainingKernels();
    expect(unregisterWasmTrainingKernels().restored).toEqual(['Conv2DBackpropFilter', 'Conv2DBackpropInput', 'Conv2D', 'Sum', 'Identity', 'BatchMatMul', '_FusedMatMul']);
    expect(tf.getKernel('Conv2DBackpropFilter', 'wasm')).toBeUndefined();
    expect(tf.getKernel('Conv2DBackpropInput', 'wasm')!.kernelFunc).toBe(nativeBackpropInput.kernelFunc);
    expect(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc).toBe(nativeBatchMatMul.kernelFunc);
    expect(unregisterWasmTrainingKernels().restored).toEqual([]);
    registerWasmTrainingKernels();
  });
});

describe('clear errors for unsupported inputs', () => {
  it('rejects NCHW data', () => {
    registerWasmTrainingKernels();
    const run = () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: x(), dy: dy() }, { strides: 1, pad: 'same', dataFormat: 'NCHW', filterShape: [3, 3, 1, 1] });
    expect(run).toThrow(WasmTrainingKernelError);
    expect(run).toThrow(/Conv2DBackpropFilter .*dataFormat 'NCHW' is not supported/);
  });

  it('rejects dilations other than 1', () => {
    const run = () =>
      tf.engine().runKernel('Conv2DBackpropInput', { dy: dy(), filter: tf.ones([3, 3, 1, 1]) }, { strides: 1, pad: 'same', dataFormat: 'NHWC', inputShape: [1, 4, 4, 1], dilations: 2 });
    expect(run).toThrow(/Conv2DBackpropInput .*dilations \[2, 2\] are not supported/);
  });

  it('rejects non-float32 inputs by name', () => {
    const run = () =>
      tf.engine().runKernel('Conv2DBackpropFilter', { x: tf.ones([1, 4, 4, 1], 'int32'), dy: dy() }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 1, 1] });
    expect(run).toThrow(/input 'x' has dtype int32, expected float32/);
  });
});
