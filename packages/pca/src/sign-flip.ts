import type { Matrix } from '@latentkit/core';
import { gramKernel, releaseLargeKernelMemory, reserveKernelMemory } from './wasm/gram-kernel.js';

/** Rows scored per kernel call, fewer for wide rows so the block stays within SCORE_BLOCK_BYTES. */
const SCORE_BLOCK_ROWS = 256;
const SCORE_BLOCK_BYTES = 4 * 2 ** 20;

function scoreBlockRows(n: number, D: number): number {
  return Math.max(1, Math.min(SCORE_BLOCK_ROWS, n, Math.floor(SCORE_BLOCK_BYTES / (4 * D))));
}

/** Kernel memory flipSignsByScores needs for k components of n×D data. */
export function signFlipKernelBytes(k: number, n: number, D: number): number {
  const kp = k + (k % 2), rows = scoreBlockRows(n, D);
  return D * kp * 8 + rows * D * 4 + rows * kp * 8 + 65536;
}

/**
 * scikit-learn's svd_flip, u-based (the rule PCA uses): each component's sign is chosen so that the
 * sample with the largest |score| (first such sample on ties) gets a positive score. Scores are
 * (x − mean)·v computed in float64 (x·v by the WebAssembly kernel, then minus mean·v). Flips rows of `components` (k×D) in place.
 */
export function flipSignsByScores(x: Matrix, mean: Float64Array, components: Float64Array, k: number): void {
  const { rows: n, cols: D } = x;
  const kp = k + (k % 2);
  const meanScore = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += mean[j]! * components[c * D + j]!;
    meanScore[c] = s;
  }
  // Kernel memory: [components transposed, D×kp float64 | float32 rows | their kp scores each].
  const kernel = gramKernel();
  const blockRows = scoreBlockRows(n, D);
  const srcAt = D * kp * 8;
  // float64 scores must start on an 8-byte boundary: an odd blockRows × D leaves the float32 rows 4 bytes short.
  const outAt = Math.ceil((srcAt + blockRows * D * 4) / 8) * 8;
  reserveKernelMemory(kernel, outAt + blockRows * kp * 8);
  const buffer = kernel.memory.buffer;
  const compT = new Float64Array(buffer, 0, D * kp).fill(0);
  for (let c = 0; c < k; c++) for (let j = 0; j < D; j++) compT[j * kp + c] = components[c * D + j]!;
  const src = new Float32Array(buffer, srcAt, blockRows * D);
  const out = new Float64Array(buffer, outAt, blockRows * kp);
  const best = new Float64Array(k).fill(-1);
  const bestSigned = new Float64Array(k);
  for (let start = 0; start < n; start += blockRows) {
    const count = Math.min(blockRows, n - start);
    src.set(x.data.subarray(start * D, (start + count) * D));
    kernel.scoresF64(srcAt, D, count, 0, kp, outAt);
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < k; c++) {
        const s = out[r * kp + c]! - meanScore[c]!;
        if (Math.abs(s) > best[c]!) {
          best[c] = Math.abs(s);
          bestSigned[c] = s;
        }
      }
    }
  }
  releaseLargeKernelMemory();
  for (let c = 0; c < k; c++) if (bestSigned[c]! < 0) negateRow(components, c, D);
}

/**
 * scikit-learn's v-based svd_flip (its randomized solver uses it when there are fewer samples than
 * features): the largest-|value| entry of each component (first on ties) becomes positive.
 */
export function flipSignsByComponents(components: Float64Array, k: number, D: number): void {
  for (let c = 0; c < k; c++) {
    let best = -1, signed = 0;
    for (let j = 0; j < D; j++) {
      const v = components[c * D + j]!;
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        signed = v;
      }
    }
    if (signed < 0) negateRow(components, c, D);
  }
}

function negateRow(m: Float64Array, row: number, D: number): void {
  for (let j = 0; j < D; j++) m[row * D + j] = -m[row * D + j]!;
}
