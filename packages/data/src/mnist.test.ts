import { describe, expect, it } from 'vitest';
import { expectLatentkitError } from './__fixtures__/expect-error.js';
import { MNIST_DIGIT_COUNTS, mnistFromDigitJson } from './mnist.js';

/** Synthetic per-digit objects with the real row counts; pixel 0 of every image holds digit/10. */
function synthetic(): { data: Float32Array }[] {
  return MNIST_DIGIT_COUNTS.map((rows, d) => {
    const data = new Float32Array(rows * 784);
    for (let r = 0; r < rows; r++) data[r * 784] = d / 10;
    return { data };
  });
}

describe('mnistFromDigitJson', () => {
  it('stacks the ten digits in order with labels, names and image shape', () => {
    const d = mnistFromDigitJson(synthetic());
    expect([d.name, d.x.rows, d.x.cols, d.imageShape]).toEqual(['mnist', 10000, 784, [28, 28, 1]]);
    expect(d.labelNames).toEqual(['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const counts = new Array<number>(10).fill(0);
    d.labels!.forEach((l, i) => {
      counts[l]!++;
      expect(d.x.data[i * 784]).toBeCloseTo(l / 10, 6);
    });
    expect(counts).toEqual([1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]);
  });

  it('refuses the wrong number of digit files', () => {
    expectLatentkitError(() => mnistFromDigitJson(synthetic().slice(0, 9)), 'E_INPUT_FORMAT', /expected 10 digit files, got 9/);
  });

  it('refuses lengths that are not whole images or the wrong count', () => {
    const partial = synthetic();
    partial[3] = { data: new Float32Array(1032 * 784 - 1) };
    expectLatentkitError(() => mnistFromDigitJson(partial), 'E_INPUT_FORMAT', /digit 3 JSON: 809087 values is not a multiple of 784/);
    const short = synthetic();
    short[5] = { data: new Float32Array(862 * 784) };
    expectLatentkitError(() => mnistFromDigitJson(short), 'E_INPUT_FORMAT', /digit 5 JSON: 862 images, expected 863/);
    const missing = synthetic() as unknown as { data: ArrayLike<number> }[];
    missing[0] = {} as { data: ArrayLike<number> };
    expectLatentkitError(() => mnistFromDigitJson(missing), 'E_INPUT_FORMAT', /missing "data"/);
  });

  it('refuses values outside [0, 1]', () => {
    const bad = synthetic();
    bad[9]!.data[784 * 2 + 5] = 1.5;
    expectLatentkitError(() => mnistFromDigitJson(bad), 'E_INPUT_VALUE', /digit 9 JSON: value 1\.5 at image 2, pixel 5/);
    const nan = synthetic();
    nan[0]!.data[0] = NaN;
    expectLatentkitError(() => mnistFromDigitJson(nan), 'E_INPUT_VALUE', /value NaN/);
  });
});
