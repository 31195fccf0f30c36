import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './index.js';
import { loadWasm, relativeMaxError, seededValues, useBackend, valuesOn } from './__fixtures__/backends.js';

beforeAll(async () => {
  await loadWasm();
  registerWasmTrainingKernels();
});

// Parameter shapes; the input x is [3, 8, 8, 2].
const shapes = {
  w1: [3, 3, 2, 4], // conv 2 → 4 channels, stride 2: 8×8 → 4×4
  w2: [3, 3, 4, 4], // conv 4 → 4, stride 1, valid: 4×4 → 2×2
  w3: [3, 3, 4, 4], // conv2dTranspose back up: 2×2 → 4×4 (valid)
  w4: [4, 4, 2, 4], // conv2dTranspose 4 → 2 channels, stride 2: 4×4 → 8×8
  d: [8, 6], // dense head on the flattened 2×2×2 bottleneck slice, uses transposed matMul in backprop
} as const;

/** A small conv encoder/decoder touching Conv2D, Conv2DBackpropInput (forward) and dense layers. */
function loss(x: tf.Tensor4D, p: Record<string, tf.Tensor>): tf.Scalar {
  const h1 = tf.relu(tf.conv2d(x, p.w1 as tf.Tensor4D, 2, 'same'));
  const h2 = tf.sigmoid(tf.conv2d(h1, p.w2 as tf.Tensor4D, 1, 'valid'));
  const code = tf.reshape(tf.slice(h2, [0, 0, 0, 0], [3, 2, 2, 2]), [3, 8]);
  const dense = tf.elu(tf.matMul(code, p.d as tf.Tensor2D));
  const u1 = tf.leakyRelu(tf.conv2dTranspose(h2, p.w3 as tf.Tensor4D, [3, 4, 4, 4], 1, 'valid'), 0.2);
  const y = tf.conv2dTranspose(u1, p.w4 as tf.Tensor4D, [3, 8, 8, 2], 2, 'same');
  return tf.add(tf.mean(tf.squaredDifference(y, x)), tf.mul(0.1, tf.mean(tf.square(dense))));
}

let run = 0;

async function gradsOn(backend: 'wasm' | 'cpu'): Promise<Float32Array[]> {
  await useBackend(backend);
  const params = Object.fromEntries(
    Object.entries(shapes).map(([name, shape], i) => [name, tf.variable(tf.tensor(seededValues(shape.reduce((p, d) => p * d, 1), 100 + i), [...shape]), true, `${name}_${backend}_${++run}`)]),
  );
  const x = tf.tensor4d(seededValues(3 * 8 * 8 * 2, 7), [3, 8, 8, 2]);
  const { value, grads } = tf.variableGrads(() => loss(x, params), Object.values(params));
  const out = [Float32Array.from(value.dataSync()), ...Object.keys(shapes).map((name) => Float32Array.from(grads[params[name].name].dataSync()))];
  tf.dispose([value, x, ...Object.values(grads), ...Object.values(params)]);
  return out;
}

describe('full gradient path of a conv + conv2dTranspose network', () => {
  it('variableGrads on wasm equal cpu for every parameter', async () => {
    const wasm = await gradsOn('wasm');
    const cpu = await gradsOn('cpu');
    expect(wasm).toHaveLength(1 + Object.keys(shapes).length);
    for (let i = 0; i < cpu.length; i++) {
      expect(cpu[i].some((v) => v !== 0)).toBe(true);
      expect(relativeMaxError(wasm[i], cpu[i]), `output ${i}`).toBeLessThanOrEqual(1e-4);
    }
  });

  it('tf.grad with respect to the input matches cpu (input gradient of a strided conv)', async () => {
    const x = seededValues(2 * 9 * 7 * 3, 9);
    const w = seededValues(4 * 4 * 3 * 5, 10);
    const build = () =>
      tf.grad((xt: tf.Tensor) => tf.sum(tf.square(tf.conv2d(xt as tf.Tensor4D, tf.tensor4d(w, [4, 4, 3, 5]), 3, 'same'))))(tf.tensor4d(x, [2, 9, 7, 3]));
    const [wasm] = await valuesOn('wasm', build);
    const [cpu] = await valuesOn('cpu', build);
    expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-4);
  });
});
