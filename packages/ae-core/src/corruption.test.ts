import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { createMatrix, validateOptions, type Matrix } from '@latentkit/core';
import { corruptBatch, corruptRows, formatCorruption, parseCorruption, setupBackend, trainingOptions, type Corruption } from './index.js';

const IMAGE: readonly number[] = [8, 8, 1];

function constant(rows: number, cols: number, value: number): Matrix {
  return createMatrix(rows, cols, new Float32Array(rows * cols).fill(value));
}

function stats(values: ArrayLike<number>, around: number): { mean: number; std: number } {
  let s = 0;
  let s2 = 0;
  for (let i = 0; i < values.length; i++) {
    s += values[i]! - around;
    s2 += (values[i]! - around) ** 2;
  }
  const mean = s / values.length;
  return { mean: mean + around, std: Math.sqrt(s2 / values.length - mean * mean) };
}

const fraction = (values: ArrayLike<number>, test: (v: number) => boolean) => Array.from(values).filter(test).length / values.length;

/** Runs the tensor version on a matrix and reads the result back. */
function onTensor(x: Matrix, c: Corruption, shape: readonly number[], seed: number): Float32Array {
  return tf.tidy(() => corruptBatch(tf.tensor2d(x.data, [x.rows, x.cols]), c, shape, seed).dataSync() as Float32Array).slice();
}

/** A 4×4 one-channel image 0..15 and its 2×2 block means written out by hand. */
const RAMP = createMatrix(1, 16, Array.from({ length: 16 }, (_, i) => i));
// Blocks: (0,1,4,5)→2.5, (2,3,6,7)→4.5, (8,9,12,13)→10.5, (10,11,14,15)→12.5.
const RAMP_BLOCKS = [2.5, 2.5, 4.5, 4.5, 2.5, 2.5, 4.5, 4.5, 10.5, 10.5, 12.5, 12.5, 10.5, 10.5, 12.5, 12.5];

describe('corruption specs', () => {
  it('parses every form and prints it back', () => {
    expect(parseCorruption('noise:0.5')).toEqual({ type: 'noise', sigma: 0.5 });
    expect(parseCorruption(' SaltPepper:0.1 ')).toEqual({ type: 'saltpepper', p: 0.1 });
    expect(parseCorruption('mask:.25')).toEqual({ type: 'mask', fraction: 0.25 });
    expect(parseCorruption('downsample:2')).toEqual({ type: 'downsample', factor: 2 });
    for (const spec of ['none', 'noise:0.5', 'saltpepper:0.1', 'mask:0.25', 'downsample:2']) expect(formatCorruption(parseCorruption(spec))).toBe(spec);
  });

  it.each([
    ['noise:-1', 'needs a noise level σ in (0, 10]'],
    ['noise', 'needs a noise level σ'],
    ['saltpepper:1.5', 'needs a probability p in (0, 1]'],
    ['mask:1', 'needs a masked fraction f in (0, 1)'],
    ['downsample:1.5', 'needs an integer factor k from 2 to 8'],
    ['blur:2', 'is not a corruption (expected none, noise:σ'],
  ])('refuses "%s" in one line naming the spec', (spec, why) => {
    expect(() => parseCorruption(spec, '--corrupt')).toThrow(expect.objectContaining({ code: 'E_OPTION', message: expect.stringMatching(new RegExp(`^--corrupt: "${spec}" `)) }));
    expect(() => parseCorruption(spec)).toThrow(why);
  });

  it('is an option of every autoencoder: "none" by default, a bad spec one E_OPTION line naming it', async () => {
    expect((await validateOptions('tiny', trainingOptions, {})).corrupt).toBe('none');
    expect((await validateOptions('tiny', trainingOptions, { corrupt: 'mask:0.3' })).corrupt).toBe('mask:0.3');
    const bad = validateOptions('tiny', trainingOptions, { corrupt: 'noise:abc' });
    await expect(bad).rejects.toMatchObject({ code: 'E_OPTION', message: 'reducer "tiny" options: corrupt: "noise:abc" needs a noise level σ in (0, 10] (e.g. noise:0.5)' });
  });

  it('refuses down-sampling flat rows or sides that are not multiples of k', () => {
    expect(() => corruptRows(constant(1, 8, 0.5), 'downsample:2', { inputShape: [8], seed: 0 })).toThrow(expect.objectContaining({ code: 'E_SHAPE', message: expect.stringContaining('needs image input') }));
    expect(() => corruptRows(constant(1, 25, 0.5), 'downsample:2', { inputShape: [5, 5, 1], seed: 0 })).toThrow('multiples of 2');
    expect(() => corruptRows(constant(1, 10, 0.5), 'noise:0.1', { inputShape: [8], seed: 0 })).toThrow(expect.objectContaining({ code: 'E_SHAPE' }));
  });
});

describe.each([
  ['Float32Array (corruptRows)', (x: Matrix, c: Corruption, shape: readonly number[], seed: number) => corruptRows(x, c, { inputShape: shape, seed }).data],
  ['tensor (corruptBatch)', onTensor],
])('corruptions on %s', (_, corrupt) => {
  beforeAll(async () => {
    await setupBackend('wasm');
  });

  it('noise: mean kept and standard deviation σ on a constant image (far from the clip)', () => {
    const out = corrupt(constant(100, 64, 0.5), { type: 'noise', sigma: 0.1 }, IMAGE, 3);
    const { mean, std } = stats(out, 0.5);
    expect(mean).toBeCloseTo(0.5, 2);
    expect(std).toBeGreaterThan(0.097);
    expect(std).toBeLessThan(0.103);
  });

  it('noise: clipped to [0, 1]', () => {
    const out = corrupt(constant(10, 64, 0), { type: 'noise', sigma: 2 }, IMAGE, 3);
    expect(Math.min(...out)).toBe(0);
    expect(Math.max(...out)).toBe(1);
    // Half the draws fall below 0 and clip there.
    expect(fraction(out, (v) => v === 0)).toBeGreaterThan(0.45);
  });

  it('salt and pepper: a fraction p changed, half to 1 and half to 0', () => {
    const out = corrupt(constant(100, 64, 0.5), { type: 'saltpepper', p: 0.2 }, IMAGE, 4);
    expect(fraction(out, (v) => v === 1)).toBeCloseTo(0.1, 1.5);
    expect(fraction(out, (v) => v === 0)).toBeCloseTo(0.1, 1.5);
    expect(fraction(out, (v) => v === 0.5)).toBeCloseTo(0.8, 1.5);
    expect(fraction(out, (v) => v === 0 || v === 1)).toBeGreaterThan(0.18);
  });

  it('mask: one square hole of area ≈ f per image, at a place that varies', () => {
    const shape = [28, 28, 1];
    const out = corrupt(constant(20, 784, 1), { type: 'mask', fraction: 0.25 }, shape, 5);
    const corners = new Set<number>();
    for (let r = 0; r < 20; r++) {
      const img = out.subarray(r * 784, (r + 1) * 784);
      const zeros = [...img.keys()].filter((i) => img[i] === 0);
      expect(zeros).toHaveLength(14 * 14);
      const ys = zeros.map((i) => Math.floor(i / 28));
      const xs = zeros.map((i) => i % 28);
      expect(Math.max(...ys) - Math.min(...ys)).toBe(13);
      expect(Math.max(...xs) - Math.min(...xs)).toBe(13);
      corners.add(zeros[0]!);
    }
    expect(corners.size).toBeGreaterThan(10);
  });

  it('mask: independent zeros with probability f on flat rows', () => {
    const out = corrupt(constant(100, 64, 1), { type: 'mask', fraction: 0.3 }, [64], 6);
    expect(fraction(out, (v) => v === 0)).toBeCloseTo(0.3, 1.5);
  });

  it('downsample: each k×k block replaced by its mean (block average, then repeat)', () => {
    expect(Array.from(corrupt(RAMP, { type: 'downsample', factor: 2 }, [4, 4, 1], 0))).toEqual(RAMP_BLOCKS);
    // Two channels average separately: channel 1 is channel 0 + 100.
    const twoChannels = createMatrix(1, 32, Array.from({ length: 32 }, (_, i) => (i % 2) * 100 + Math.floor(i / 2)));
    const out = corrupt(twoChannels, { type: 'downsample', factor: 2 }, [4, 4, 2], 0);
    expect(Array.from(out).filter((_, i) => i % 2 === 0)).toEqual(RAMP_BLOCKS);
    expect(Array.from(out).filter((_, i) => i % 2 === 1)).toEqual(RAMP_BLOCKS.map((v) => v + 100));
  });

  it('is seeded: the same seed draws the same corruption, another seed another', () => {
    const x = constant(4, 64, 0.5);
    for (const c of [parseCorruption('noise:0.3'), parseCorruption('saltpepper:0.3'), parseCorruption('mask:0.2')]) {
      expect(corrupt(x, c, IMAGE, 9)).toEqual(corrupt(x, c, IMAGE, 9));
      expect(corrupt(x, c, IMAGE, 9)).not.toEqual(corrupt(x, c, IMAGE, 10));
    }
  });

  it('leaves its input as it was', () => {
    const x = constant(2, 64, 0.5);
    corrupt(x, { type: 'noise', sigma: 0.5 }, IMAGE, 1);
    expect(x.data.every((v) => v === 0.5)).toBe(true);
  });
});
