import { LatentkitError, type Matrix } from '@latentkit/core';

/** A Gaussian kernel exp(−‖a − b‖² / (2h²)) on pixels; h fixed by the reference set, not by what is judged. */
export interface PixelKernel {
  readonly bandwidth: number;
}

function squaredDistance(a: Matrix, i: number, b: Matrix, j: number): number {
  const D = a.cols;
  let s = 0;
  for (let k = 0; k < D; k++) {
    const t = a.data[i * D + k]! - b.data[j * D + k]!;
    s += t * t;
  }
  return s;
}

/** The median heuristic: h = the median distance between reference rows (all pairs of the first 200). */
export function medianBandwidth(reference: Matrix): PixelKernel {
  const n = Math.min(reference.rows, 200);
  if (n < 2) throw new LatentkitError('E_EMPTY', 'the kernel bandwidth needs at least 2 reference rows');
  const d: number[] = [];
  for (let i = 0; i < n; i++) for (let j = i + 1; j < n; j++) d.push(Math.sqrt(squaredDistance(reference, i, reference, j)));
  d.sort((a, b) => a - b);
  return { bandwidth: d[Math.floor(d.length / 2)]! };
}

/**
 * Unbiased squared maximum mean discrepancy between two image sets under a pixel-space Gaussian kernel: 0 in
 * expectation when both come from one distribution, larger the further apart they are (in sharpness, in which
 * digits appear and how often). A check on the classifier's figures, which a confident but wrong classifier fools.
 */
export function mmdSquared(a: Matrix, b: Matrix, kernel: PixelKernel): number {
  if (a.cols !== b.cols) throw new LatentkitError('E_SHAPE', `MMD of images with ${a.cols} and ${b.cols} pixels`);
  if (a.rows < 2 || b.rows < 2) throw new LatentkitError('E_EMPTY', 'MMD needs at least 2 images on each side');
  const g = 1 / (2 * kernel.bandwidth * kernel.bandwidth);
  const k = (x: Matrix, i: number, y: Matrix, j: number) => Math.exp(-g * squaredDistance(x, i, y, j));
  const within = (x: Matrix) => {
    let s = 0;
    for (let i = 0; i < x.rows; i++) for (let j = i + 1; j < x.rows; j++) s += k(x, i, x, j);
    return (2 * s) / (x.rows * (x.rows - 1));
  };
  let cross = 0;
  for (let i = 0; i < a.rows; i++) for (let j = 0; j < b.rows; j++) cross += k(a, i, b, j);
  return within(a) + within(b) - (2 * cross) / (a.rows * b.rows);
}
