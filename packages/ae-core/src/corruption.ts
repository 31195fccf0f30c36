import { createMatrix, createRng, LatentkitError, type Matrix, type Rng } from '@latentkit/core';
import { assertCorruptionFits, imageDims, maskSide, parseCorruption, type Corruption } from './corruption-spec.js';

/**
 * Corruptions on plain Float32Array rows (no tfjs): for apps that corrupt a test set (`latentkit restore`,
 * the viewer) and for reducers without tfjs. The training loop's tensor version is corruption-tf.ts; both
 * follow the same definitions (corruption-spec.ts) but draw different random numbers.
 */
export interface CorruptOptions {
  /** The shape of one row: [h, w, c] for images (row-major, channels last), [features] for flat rows. */
  readonly inputShape: readonly number[];
  readonly seed: number;
}

/** A corrupted copy of the rows of x; x is left as it is. The same seed gives the same corruption. */
export function corruptRows(x: Matrix, corruption: Corruption | string, { inputShape, seed }: CorruptOptions): Matrix {
  const c = typeof corruption === 'string' ? parseCorruption(corruption) : corruption;
  assertCorruptionFits(c, inputShape);
  const size = inputShape.reduce((a, b) => a * b, 1);
  if (size !== x.cols) throw new LatentkitError('E_SHAPE', `corrupt: rows have ${x.cols} values, but the shape ${inputShape.join('×')} holds ${size}`);
  const out = createMatrix(x.rows, x.cols, Float32Array.from(x.data));
  const rng = createRng(seed);
  const d = out.data;
  switch (c.type) {
    case 'none':
      break;
    case 'noise':
      for (let i = 0; i < d.length; i++) d[i] = clip01(d[i]! + c.sigma * rng.normal());
      break;
    case 'saltpepper':
      for (let i = 0; i < d.length; i++) {
        const u = rng.next();
        if (u < c.p) d[i] = u < c.p / 2 ? 1 : 0;
      }
      break;
    case 'mask':
      maskRows(d, x.rows, x.cols, c.fraction, inputShape, rng);
      break;
    case 'downsample':
      for (let r = 0; r < x.rows; r++) blockMeans(d.subarray(r * x.cols, (r + 1) * x.cols), inputShape, c.factor);
      break;
  }
  return out;
}

function clip01(v: number): number {
  return v < 0 ? 0 : v > 1 ? 1 : v;
}

/** One square hole per image (same position in every channel); independent values for flat rows. */
function maskRows(d: Float32Array, rows: number, cols: number, fraction: number, inputShape: readonly number[], rng: Rng): void {
  const dims = imageDims(inputShape);
  if (!dims) {
    for (let i = 0; i < d.length; i++) if (rng.next() < fraction) d[i] = 0;
    return;
  }
  const { h, w, c } = dims;
  const s = maskSide(fraction, h, w);
  for (let r = 0; r < rows; r++) {
    const top = rng.int(h - s + 1);
    const left = rng.int(w - s + 1);
    const base = r * cols;
    for (let y = top; y < top + s; y++) d.fill(0, base + (y * w + left) * c, base + (y * w + left + s) * c);
  }
}

/** Replaces every k×k block of one HWC image by its per-channel mean, in place. */
function blockMeans(img: Float32Array, inputShape: readonly number[], k: number): void {
  const { w, h, c } = imageDims(inputShape)!;
  const area = k * k;
  for (let by = 0; by < h; by += k) {
    for (let bx = 0; bx < w; bx += k) {
      for (let ch = 0; ch < c; ch++) {
        let s = 0;
        for (let y = by; y < by + k; y++) for (let x = bx; x < bx + k; x++) s += img[(y * w + x) * c + ch]!;
        const mean = s / area;
        for (let y = by; y < by + k; y++) for (let x = bx; x < bx + k; x++) img[(y * w + x) * c + ch] = mean;
      }
    }
  }
}
