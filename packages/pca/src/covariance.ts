import { type Matrix, throwIfAborted } from '@latentkit/core';
import { accumulateUpperBlock } from './covariance-kernel.js';
import { detectByteScale } from './quantized.js';

export interface CovarianceResult {
  /** Column means (float64). */
  readonly mean: Float64Array;
  /** Sample covariance XcᵀXc/(n−1), D×D row-major, both triangles. */
  readonly covariance: Float64Array;
  /** Whether the exact 8-bit path was used. */
  readonly byteData: boolean;
}

export interface CovarianceOptions {
  readonly signal?: AbortSignal | undefined;
  /** Fraction of rows done, called between row blocks. */
  readonly onProgress?: ((fraction: number) => void) | undefined;
}

/** Rows per feature-major block (measured: 128 beats 32/64/256 for D = 784). */
const BLOCK_ROWS = 128;
/** 2^26: the high half of a packed pair. 1024 rows of products ≤ 255² stay below it (1024·65025 < 2^26). */
const PACK = 67108864;
const BLOCKS_PER_FLUSH = 1024 / BLOCK_ROWS;
/** Yield to the event loop this often so an AbortSignal (or a UI) can get a turn. */
const YIELD_MS = 50;

/**
 * Mean and covariance of the rows of x with float64 accumulation, in row blocks. For 8-bit data
 * (pixels/255) the products are exact integers and two of them are packed into one float64 multiply,
 * which halves the work; other data is centred per block and multiplied directly.
 */
export async function covariance(x: Matrix, options: CovarianceOptions = {}): Promise<CovarianceResult> {
  const scale = detectByteScale(x);
  return scale === undefined ? centredCovariance(x, options) : byteCovariance(x, scale, options);
}

async function byteCovariance(x: Matrix, scale: number, options: CovarianceOptions): Promise<CovarianceResult> {
  const { rows: n, cols: D, data } = x;
  const aRows = D + (D % 2);
  const pairs = Math.ceil(D / 2);
  const bRows = Math.ceil(pairs / 4) * 4;
  const left = new Float64Array(aRows * BLOCK_ROWS);
  const right = new Float64Array(bRows * BLOCK_ROWS);
  const packed = new Float64Array(aRows * bRows);
  const sums = new Float64Array(D);
  const upper = new Float64Array(D * D);
  const pacer = createPacer(options, n);
  let blocks = 0;
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const width = Math.min(BLOCK_ROWS, n - start);
    if (width < BLOCK_ROWS) {
      left.fill(0);
      right.fill(0);
    }
    for (let i = 0; i < width; i++) {
      const o = (start + i) * D;
      for (let j = 0; j < D; j++) {
        const q = Math.round(data[o + j]! * scale);
        left[j * BLOCK_ROWS + i] = q;
        sums[j] = sums[j]! + q;
      }
    }
    for (let m = 0; m < pairs; m++) {
      const lo = 2 * m * BLOCK_ROWS, hi = lo + BLOCK_ROWS, dst = m * BLOCK_ROWS;
      const hasHi = 2 * m + 1 < D;
      for (let i = 0; i < BLOCK_ROWS; i++) right[dst + i] = left[lo + i]! + (hasHi ? PACK * left[hi + i]! : 0);
    }
    accumulateUpperBlock(left, right, packed, aRows, bRows, BLOCK_ROWS, 2);
    if (++blocks === BLOCKS_PER_FLUSH || start + BLOCK_ROWS >= n) {
      unpack(packed, upper, D, bRows);
      blocks = 0;
    }
    await pacer(start + width);
  }
  const mean = new Float64Array(D);
  for (let j = 0; j < D; j++) mean[j] = sums[j]! / n;
  // Integer sums are exact, so S − s sᵀ/n loses nothing before the final scaling.
  const norm = 1 / ((n - 1 || 1) * scale * scale);
  const cov = new Float64Array(D * D);
  for (let a = 0; a < D; a++) {
    for (let b = a; b < D; b++) {
      const v = (upper[a * D + b]! - (sums[a]! * sums[b]!) / n) * norm;
      cov[a * D + b] = v;
      cov[b * D + a] = v;
    }
  }
  for (let j = 0; j < D; j++) mean[j] = mean[j]! / scale;
  return { mean, covariance: cov, byteData: true };
}

/** Splits packed sums (lo + 2^26·hi, exact integers) into the D×D accumulator and clears them. */
function unpack(packed: Float64Array, upper: Float64Array, D: number, bRows: number): void {
  for (let a = 0; a < D; a++) {
    const row = a * bRows;
    for (let m = Math.floor(a / 2 / 4) * 4; m < bRows; m++) {
      const p = packed[row + m]!;
      if (p === 0) continue;
      const hi = Math.floor(p / PACK);
      const lo = p - hi * PACK;
      const b = 2 * m;
      if (b < D) upper[a * D + b] = upper[a * D + b]! + lo;
      if (b + 1 < D) upper[a * D + b + 1] = upper[a * D + b + 1]! + hi;
    }
  }
  packed.fill(0);
}

async function centredCovariance(x: Matrix, options: CovarianceOptions): Promise<CovarianceResult> {
  const { rows: n, cols: D, data } = x;
  const mean = new Float64Array(D);
  for (let r = 0; r < n; r++) {
    const o = r * D;
    for (let j = 0; j < D; j++) mean[j] = mean[j]! + data[o + j]!;
  }
  for (let j = 0; j < D; j++) mean[j] = mean[j]! / n;
  const rowsPadded = Math.ceil(D / 4) * 4;
  const block = new Float64Array(rowsPadded * BLOCK_ROWS);
  const acc = new Float64Array(rowsPadded * rowsPadded);
  const pacer = createPacer(options, n);
  for (let start = 0; start < n; start += BLOCK_ROWS) {
    const width = Math.min(BLOCK_ROWS, n - start);
    if (width < BLOCK_ROWS) block.fill(0);
    for (let i = 0; i < width; i++) {
      const o = (start + i) * D;
      for (let j = 0; j < D; j++) block[j * BLOCK_ROWS + i] = data[o + j]! - mean[j]!;
    }
    accumulateUpperBlock(block, block, acc, rowsPadded, rowsPadded, BLOCK_ROWS, 1);
    await pacer(start + width);
  }
  const norm = 1 / (n - 1 || 1);
  const cov = new Float64Array(D * D);
  for (let a = 0; a < D; a++) {
    for (let b = a; b < D; b++) {
      const v = acc[a * rowsPadded + b]! * norm;
      cov[a * D + b] = v;
      cov[b * D + a] = v;
    }
  }
  return { mean, covariance: cov, byteData: false };
}

/** Reports progress, checks the signal between blocks and yields now and then so the signal can fire. */
function createPacer(options: CovarianceOptions, n: number): (rowsDone: number) => Promise<void> {
  let last = performance.now();
  return async (rowsDone) => {
    throwIfAborted(options.signal, 'PCA fit');
    const now = performance.now();
    if (now - last < YIELD_MS && rowsDone < n) return;
    last = now;
    options.onProgress?.(rowsDone / n);
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
    throwIfAborted(options.signal, 'PCA fit');
  };
}
