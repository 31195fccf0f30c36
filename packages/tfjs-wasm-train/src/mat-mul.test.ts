import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './index.js';
import { loadWasm, relativeMaxError, seededValues, valuesOn } from './__fixtures__/backends.js';

beforeAll(async () => {
  await loadWasm();
  registerWasmTrainingKernels();
});

const size = (shape: number[]) => shape.reduce((p, d) => p * d, 1);

interface Case {
  a: number[];
  b: number[];
  transposeA: boolean;
  transposeB: boolean;
}

const cases: Case[] = [
  { a: [7, 5], b: [7, 9], transposeA: true, transposeB: false },
  { a: [5, 7], b: [9, 7], transposeA: false, transposeB: true },
  { a: [7, 5], b: [9, 7], transposeA: true, transposeB: true },
  { a: [40, 33], b: [40, 37], transposeA: true, transposeB: false },
  { a: [3, 6, 4], b: [3, 5, 6], transposeA: true, transposeB: true },
  { a: [2, 3, 6, 4], b: [6, 5], transposeA: true, transposeB: false },
  { a: [4, 6], b: [2, 5, 6], transposeA: false, transposeB: true },
  { a: [4, 6], b: [6, 5], transposeA: false, transposeB: false },
];

describe('BatchMatMul with transposes on wasm matches cpu', () => {
  for (const c of cases) {
    it(`a ${c.a}${c.transposeA ? 'ᵀ' : ''} · b ${c.b}${c.transposeB ? 'ᵀ' : ''}`, async () => {
      const a = seededValues(size(c.a), 1);
      const b = seededValues(size(c.b), 2);
      const build = () => tf.matMul(tf.tensor(a, c.a), tf.tensor(b, c.b), c.transposeA, c.transposeB);
      const [wasm] = await valuesOn('wasm', build);
      const [cpu] = await valuesOn('cpu', build);
      expect(wasm.length).toBeGreaterThan(0);
      expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-5);
    });
  }

  it('fused matMul with bias and relu keeps its extra inputs when transposing', async () => {
    const a = seededValues(6 * 4, 3);
    const b = seededValues(5 * 6, 4);
    const bias = seededValues(5, 5);
    const build = () =>
      tf.fused.matMul({
        a: tf.tensor2d(a, [6, 4]),
        b: tf.tensor2d(b, [5, 6]),
        transposeA: true,
        transposeB: true,
        bias: tf.tensor1d(bias),
        activation: 'relu',
      });
    const [wasm] = await valuesOn('wasm', build);
    const [cpu] = await valuesOn('cpu', build);
    expect(wasm.some((v) => v === 0) && wasm.some((v) => v > 0)).toBe(true);
    expect(relativeMaxError(wasm, cpu)).toBeLessThanOrEqual(1e-5);
  });

  it('frees its transposed copies (no wasm heap tensors left behind)', async () => {
    await valuesOn('wasm', () => tf.zeros([1]));
    const a = tf.tensor2d(seededValues(12, 6), [4, 3]);
    const b = tf.tensor2d(seededValues(20, 7), [5, 4]);
    const before = tf.memory().numTensors;
    const dataIdsBefore = tf.engine().backend.numDataIds();
    tf.matMul(a, b, true, true).dispose();
    expect(tf.memory().numTensors).toBe(before);
    expect(tf.engine().backend.numDataIds()).toBe(dataIdsBefore);
    tf.dispose([a, b]);
  });
});
