import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs';
import { registerWasmTrainingKernels } from './index.js';
import { loadWasm, seededValues, valuesOn } from './__fixtures__/backends.js';

beforeAll(async () => {
  await loadWasm();
  registerWasmTrainingKernels();
});

/** Σ over every row of an (rows × cols) matrix, in float64: the independent reference. */
function columnTotals(values: Float32Array, cols: number): Float64Array {
  const out = new Float64Array(cols);
  for (let i = 0; i < values.length; i++) out[i % cols]! += values[i]!;
  return out;
}

describe('Sum over every axis but the last (bias gradients)', () => {
  const shape = [3, 5, 4, 7];
  const x = seededValues(3 * 5 * 4 * 7, 31);

  for (const [axis, keepDims] of [[[0, 1, 2], false], [[2, 0, 1], true], [[-4, -3, -2], false]] as const) {
    it(`axis ${axis}${keepDims ? ', keepDims' : ''} gives float64 column totals in the right shape`, async () => {
      await loadWasm();
      const t = tf.tidy(() => tf.sum(tf.tensor(x, shape), [...axis], keepDims));
      expect(t.shape).toEqual(keepDims ? [1, 1, 1, 7] : [7]);
      const got = t.dataSync();
      t.dispose();
      const want = columnTotals(x, 7);
      for (let c = 0; c < 7; c++) expect(got[c]).toBeCloseTo(want[c]!, 5);
    });
  }

  it('sums columns in SIMD blocks (a multiple of 4 columns, rows past one 256-row block) to float64 totals', async () => {
    await loadWasm();
    for (const [rows, cols] of [[700, 12], [256, 4], [3, 8]] as const) {
      // Values around 1000: f32 sums within each 256-row block (≈1e-6 relative at most), f64 across blocks.
      const values = seededValues(rows * cols, rows + cols).map((v, i) => 1000 + v + (i % 3));
      const t = tf.tidy(() => tf.sum(tf.tensor(values, [rows, cols]), 0));
      const got = t.dataSync();
      t.dispose();
      const want = columnTotals(values, cols);
      for (let c = 0; c < cols; c++) expect(Math.abs(got[c]! - want[c]!) / want[c]!).toBeLessThan(1e-6);
    }
  });

  it('leaves other reductions, dtypes and empty tensors to the original kernel, matching cpu', async () => {
    const builds = [
      () => tf.sum(tf.tensor(x, shape), [1, 2]),
      () => tf.sum(tf.tensor(x, shape)),
      () => tf.sum(tf.tensor(x, shape), 3),
      () => tf.sum(tf.tensor([1, 2, 3, 4, 5, 6], [3, 2], 'int32'), 0),
      () => tf.sum(tf.zeros([0, 4]), 0),
    ];
    for (const build of builds) {
      const [wasm] = await valuesOn('wasm', build);
      const [cpu] = await valuesOn('cpu', build);
      expect(Array.from(wasm).map((v) => Number(v.toFixed(4)))).toEqual(Array.from(cpu).map((v) => Number(v.toFixed(4))));
    }
    await loadWasm();
  });

  it('is the bias gradient: tf.grad of a broadcast add sums dy over batch and pixels', async () => {
    await loadWasm();
    const dy = seededValues(2 * 3 * 3 * 4, 32);
    const g = tf.tidy(() => tf.grad((b: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.zeros([2, 3, 3, 4]), b), tf.tensor(dy, [2, 3, 3, 4]))))(tf.zeros([4])));
    const got = g.dataSync();
    g.dispose();
    const want = columnTotals(dy, 4);
    for (let c = 0; c < 4; c++) expect(got[c]).toBeCloseTo(want[c]!, 5);
  });
});
