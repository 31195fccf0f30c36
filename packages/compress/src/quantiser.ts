import { LatentkitError, createMatrix, type Matrix } from '@latentkit/core';

/**
 * A uniform scalar quantiser per latent dimension: the range [min_j, max_j] of the training codes in dimension j
 * is cut into 2^b equal bins of width step_j = (max_j − min_j) / 2^b, a code becomes the index of its bin
 * (values outside the range are clamped to the first or last bin) and decodes to the bin's centre. Inside the
 * range the error is at most step_j / 2. Uniform bins followed by an entropy coder are close to the best
 * scalar quantiser at these rates, and need only two numbers per dimension in the file header.
 */
export interface UniformQuantiser {
  readonly method: 'uniform-minmax';
  /** Bits per dimension, 1…8: symbols are 0 … 2^bits − 1 and fit in one byte. */
  readonly bits: number;
  /** Per-dimension lower edge (the smallest training code), float32 values. */
  readonly min: readonly number[];
  /** Per-dimension upper edge (the largest training code), float32 values. */
  readonly max: readonly number[];
}

export const MAX_BITS = 8;

export function checkBits(bits: number, what = 'bits'): number {
  if (!Number.isInteger(bits) || bits < 1 || bits > MAX_BITS) {
    throw new LatentkitError('E_OPTION', `${what} must be an integer from 1 to ${MAX_BITS} (one byte per symbol), got ${bits}`);
  }
  return bits;
}

/** The quantiser for `bits` bits per dimension fitted to the range of the training codes. */
export function fitQuantiser(trainCodes: Matrix, bits: number): UniformQuantiser {
  checkBits(bits);
  if (trainCodes.rows === 0 || trainCodes.cols === 0) throw new LatentkitError('E_EMPTY', 'cannot fit a quantiser to no codes');
  const d = trainCodes.cols;
  const min = new Array<number>(d).fill(Infinity);
  const max = new Array<number>(d).fill(-Infinity);
  for (let i = 0; i < trainCodes.rows; i++) {
    for (let j = 0; j < d; j++) {
      const v = trainCodes.data[i * d + j]!;
      if (!Number.isFinite(v)) throw new LatentkitError('E_INPUT_VALUE', `training code ${i} has a non-finite value in dimension ${j}`);
      if (v < min[j]!) min[j] = v;
      if (v > max[j]!) max[j] = v;
    }
  }
  return { method: 'uniform-minmax', bits, min, max };
}

/** Bin width of dimension j (0 where every training code was equal). */
export function stepOf(q: UniformQuantiser, j: number): number {
  return (q.max[j]! - q.min[j]!) / 2 ** q.bits;
}

/** Codes (n × d) to symbols, row-major: symbol (i, j) is the bin of code i in dimension j. */
export function quantise(q: UniformQuantiser, codes: Matrix): Uint8Array {
  const d = checkWidth(q, codes.cols);
  const top = 2 ** q.bits - 1;
  const steps = Array.from({ length: d }, (_, j) => stepOf(q, j));
  const out = new Uint8Array(codes.rows * d);
  for (let i = 0; i < codes.rows; i++) {
    for (let j = 0; j < d; j++) {
      const v = codes.data[i * d + j]!;
      if (!Number.isFinite(v)) throw new LatentkitError('E_INPUT_VALUE', `code ${i} has a non-finite value in dimension ${j}`);
      const s = steps[j]! > 0 ? Math.floor((v - q.min[j]!) / steps[j]!) : 0;
      out[i * d + j] = s < 0 ? 0 : s > top ? top : s;
    }
  }
  return out;
}

/** Symbols back to codes: each symbol decodes to its bin's centre, min_j + (s + ½)·step_j. */
export function dequantise(q: UniformQuantiser, symbols: Uint8Array, rows: number): Matrix {
  const d = q.min.length;
  if (symbols.length !== rows * d) throw new LatentkitError('E_SHAPE', `expected ${rows}×${d} symbols, got ${symbols.length}`);
  const top = 2 ** q.bits - 1;
  const steps = Array.from({ length: d }, (_, j) => stepOf(q, j));
  const out = new Float32Array(rows * d);
  for (let k = 0; k < symbols.length; k++) {
    const j = k % d;
    const s = symbols[k]!;
    if (s > top) throw new LatentkitError('E_INPUT_FORMAT', `symbol ${s} does not fit in ${q.bits} bits`);
    out[k] = steps[j]! > 0 ? q.min[j]! + (s + 0.5) * steps[j]! : q.min[j]!;
  }
  return createMatrix(rows, d, out);
}

function checkWidth(q: UniformQuantiser, cols: number): number {
  if (cols !== q.min.length) throw new LatentkitError('E_SHAPE', `the quantiser has ${q.min.length} dimensions, the codes ${cols}`);
  return cols;
}
