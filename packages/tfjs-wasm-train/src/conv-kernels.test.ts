import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { makeConv2DBackpropFilterConfig, makeConv2DBackpropInputConfig, registerWasmTrainingKernels, untransposedMatMulFrom } from './index.js';
import { loadWasm, relativeMaxError, seededValues, valuesOn } from './__fixtures__/backends.js';

type Pad = 'same' | 'valid' | number;
interface Case {
  x: [number, number, number, number];
  k: [number, number];
  outC: number;
  stride: number | [number, number];
  pad: Pad;
}

// Strides 1–3, same/valid/explicit padding, kernels 1–5, batch > 1, non-square, channels in/out > 1.
const cases: Case[] = [
  { x: [2, 6, 6, 1], k: [3, 3], outC: 2, stride: 1, pad: 'same' },
  { x: [3, 9, 7, 3], k: [3, 3], outC: 4, stride: 2, pad: 'same' },
  { x: [2, 10, 8, 2], k: [4, 4], outC: 3, stride: 2, pad: 'valid' },
  { x: [2, 11, 9, 3], k: [5, 5], outC: 2, stride: 3, pad: 'same' },
  { x: [2, 8, 13, 2], k: [5, 3], outC: 5, stride: [1, 3], pad: 'valid' },
  { x: [2, 7, 7, 4], k: [1, 1], outC: 3, stride: 2, pad: 'valid' },
  { x: [2, 7, 6, 2], k: [3, 3], outC: 2, stride: 1, pad: 1 },
  // Stride 1 runs the shifted GEMM: channels that fill no 4-row block or 8-column panel, asymmetric 'same'
  // padding of an even kernel, and the 5×5 32→32 layers conv-ae trains.
  { x: [3, 9, 8, 5], k: [5, 5], outC: 7, stride: 1, pad: 'valid' },
  { x: [2, 8, 7, 3], k: [4, 4], outC: 9, stride: 1, pad: 'same' },
  { x: [2, 10, 9, 32], k: [5, 5], outC: 32, stride: 1, pad: 'valid' },
  // Equal strides > 1 run it too, with a valid conv that leaves input rows and columns unread.
  { x: [2, 20, 19, 6], k: [4, 4], outC: 9, stride: 2, pad: 'valid' },
  { x: [2, 9, 9, 5], k: [3, 3], outC: 4, stride: 2, pad: 'same' },
  // 8+ input channels: the input gradient's GEMM path too, at strides 1 and 2 with padding.
  { x: [2, 9, 8, 9], k: [3, 3], outC: 5, stride: 1, pad: 'same' },
  { x: [2, 11, 10, 12], k: [4, 4], outC: 6, stride: 2, pad: 'same' },
  { x: [2, 12, 12, 16], k: [3, 3], outC: 7, stride: 2, pad: 'valid' },
  // Stride 3 (nine phase planes), and a 1×1 kernel at stride 2 whose taps reach one phase only.
  { x: [2, 11, 10, 9], k: [5, 5], outC: 4, stride: 3, pad: 'same' },
  { x: [2, 7, 7, 8], k: [1, 1], outC: 3, stride: 2, pad: 'valid' },
];

/** Runs the kernel itself: tfjs exports no public op for Conv2DBackpropFilter. */
function filterGrad(x: tf.Tensor4D, dy: tf.Tensor4D, filterShape: [number, number, number, number], strides: Case['stride'], pad: Pad): tf.Tensor {
  return tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides, pad, dataFormat: 'NHWC', filterShape }) as tf.Tensor;
}

const label = (c: Case) => `x ${c.x} k ${c.k} outC ${c.outC} stride ${c.stride} pad ${c.pad}`;

function inputsFor(c: Case, seed: number) {
  const filterShape: [number, number, number, number] = [c.k[0], c.k[1], c.x[3], c.outC];
  const x = seededValues(c.x.reduce((p, d) => p * d, 1), seed);
  const w = seededValues(filterShape.reduce((p, d) => p * d, 1), seed + 1);
  return { filterShape, x, w };
}

beforeAll(async () => {
  await loadWasm();
  registerWasmTrainingKernels();
});

describe('Conv2DBackpropFilter on wasm matches cpu', () => {
  for (const c of cases) {
    it(label(c), async () => {
      const { filterShape, x, w } = inputsFor(c, 10);
      const build = () => {
        const xt = tf.tensor4d(x, c.x);
        const y = tf.conv2d(xt, tf.tensor4d(w, filterShape), c.stride, c.pad);
        const dy = tf.tensor4d(seededValues(y.size, 20), y.shape as [number, number, number, number]);
        return filterGrad(xt, dy, filterShape, c.stride, c.pad);
      };
      const [wasm] = await valuesOn('wasm', build);
      const [cpu] = await valuesOn('cpu', build);
      expect(wasm.length).toBe(filterShape.reduce((p, d) => p * d, 1));
      expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-4);
    });
  }
});

describe('Conv2D (the implicit GEMM from 8 input channels) on wasm matches cpu', () => {
  const forward: Case[] = [
    ...cases,
    { x: [3, 9, 8, 8], k: [3, 3], outC: 5, stride: 1, pad: 'same' },
    { x: [2, 11, 10, 12], k: [4, 4], outC: 9, stride: 2, pad: 'same' },
    { x: [2, 13, 12, 16], k: [3, 3], outC: 17, stride: 2, pad: 'valid' },
    { x: [2, 12, 11, 32], k: [5, 5], outC: 32, stride: 1, pad: 'valid' },
    { x: [2, 7, 9, 9], k: [2, 3], outC: 3, stride: 1, pad: 1 },
  ];
  for (const c of forward) {
    it(label(c), async () => {
      const { filterShape, x, w } = inputsFor(c, 40);
      const build = () => tf.conv2d(tf.tensor4d(x, c.x), tf.tensor4d(w, filterShape), c.stride, c.pad);
      const [wasm] = await valuesOn('wasm', build);
      const [cpu] = await valuesOn('cpu', build);
      expect(wasm.length).toBe(cpu.length);
      expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-5);
    });
  }
});

describe('Conv2DBackpropInput on wasm matches cpu', () => {
  for (const c of cases) {
    it(label(c), async () => {
      const { filterShape, w } = inputsFor(c, 30);
      const build = () => {
        const wt = tf.tensor4d(w, filterShape);
        const outShape = tf.conv2d(tf.zeros(c.x) as tf.Tensor4D, wt, c.stride, c.pad).shape as [number, number, number, number];
        const dy = tf.tensor4d(seededValues(outShape.reduce((p, d) => p * d, 1), 40), outShape);
        return tf.conv2dTranspose(dy, wt, c.x, c.stride, c.pad);
      };
      const [wasm] = await valuesOn('wasm', build);
      const [cpu] = await valuesOn('cpu', build);
      expect(wasm.length).toBe(c.x.reduce((p, d) => p * d, 1));
      expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-4);
    });
  }
});

describe('chunked im2col (batch larger than one im2col buffer)', () => {
  // One image's im2col is 5·4 pixels × 3·3·2 taps = 360 floats; a 400-float cap forces one image per
  // chunk, so a batch of 3 runs three chunks.
  const c: Case = { x: [3, 9, 7, 2], k: [3, 3], outC: 3, stride: 2, pad: 'same' };
  const options = { maxIm2colFloats: 400 };
  // Looked up lazily: the wasm backend's kernels exist only after beforeAll imported it.
  const matMul = () => untransposedMatMulFrom(tf.getKernel('BatchMatMul', 'wasm')!.kernelFunc);
  const filterShape: [number, number, number, number] = [3, 3, 2, 3];
  const dyShape: [number, number, number, number] = [3, 5, 4, 3];

  /** Calls a kernel config directly on the current backend and wraps its output as a tensor. */
  function runConfig(config: tf.KernelConfig, inputs: Record<string, tf.Tensor>, attrs: Record<string, unknown>): tf.Tensor {
    const info = config.kernelFunc({ inputs, backend: tf.backend(), attrs: attrs as tf.NamedAttrMap }) as tf.TensorInfo;
    return tf.engine().makeTensorFromTensorInfo(info);
  }

  it('Conv2DBackpropFilter sums the chunks', async () => {
    const config = makeConv2DBackpropFilterConfig(matMul(), { ...options, gemm: false });
    const x = seededValues(3 * 9 * 7 * 2, 50);
    const dy = seededValues(3 * 5 * 4 * 3, 51);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', filterShape };
    const [wasm] = await valuesOn('wasm', () => runConfig(config, { x: tf.tensor4d(x, c.x), dy: tf.tensor4d(dy, dyShape) }, attrs));
    const [cpu] = await valuesOn('cpu', () => filterGrad(tf.tensor4d(x, c.x), tf.tensor4d(dy, dyShape), filterShape, 2, 'same'));
    expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-4);
  });

  it('Conv2DBackpropFilter at stride 1 without the GEMM (im2col) sums the chunks', async () => {
    const config = makeConv2DBackpropFilterConfig(matMul(), { ...options, gemm: false });
    const x = seededValues(3 * 9 * 7 * 2, 54);
    const dy = seededValues(3 * 9 * 7 * 3, 55);
    const attrs = { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape };
    const sameDy: [number, number, number, number] = [3, 9, 7, 3];
    const [wasm] = await valuesOn('wasm', () => runConfig(config, { x: tf.tensor4d(x, c.x), dy: tf.tensor4d(dy, sameDy) }, attrs));
    const [cpu] = await valuesOn('cpu', () => filterGrad(tf.tensor4d(x, c.x), tf.tensor4d(dy, sameDy), filterShape, 1, 'same'));
    expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-4);
  });

  it('Conv2DBackpropInput on phase planes (stride 2, 8+ channels) fills every pass of images', async () => {
    // One image's pass needs (hq·wq = 5·4 pixels) × (3 + 2²·8) floats = 700; a 1000-float cap gives one image
    // per pass, so a batch of 3 runs three gemmTaps passes.
    const config = makeConv2DBackpropInputConfig(matMul(), { maxIm2colFloats: 1000 });
    const shape: [number, number, number, number] = [3, 9, 7, 8];
    const wShape: [number, number, number, number] = [3, 3, 8, 3];
    const w = seededValues(3 * 3 * 8 * 3, 56);
    const dy = seededValues(3 * 5 * 4 * 3, 57);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: shape };
    const [wasm] = await valuesOn('wasm', () => runConfig(config, { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(w, wShape) }, attrs));
    const [cpu] = await valuesOn('cpu', () => tf.conv2dTranspose(tf.tensor4d(dy, dyShape), tf.tensor4d(w, wShape), shape, 2, 'same'));
    expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-4);
  });

  it('Conv2DBackpropInput fills every chunk of images', async () => {
    const config = makeConv2DBackpropInputConfig(matMul(), { ...options, gemm: false });
    const w = seededValues(3 * 3 * 2 * 3, 52);
    const dy = seededValues(3 * 5 * 4 * 3, 53);
    const attrs = { strides: 2, pad: 'same', dataFormat: 'NHWC', inputShape: c.x };
    const [wasm] = await valuesOn('wasm', () => runConfig(config, { dy: tf.tensor4d(dy, dyShape), filter: tf.tensor4d(w, filterShape) }, attrs));
    const [cpu] = await valuesOn('cpu', () => tf.conv2dTranspose(tf.tensor4d(dy, dyShape), tf.tensor4d(w, filterShape), c.x, 2, 'same'));
    expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-4);
  });
});
