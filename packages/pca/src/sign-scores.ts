// The sign rule's scores on one block of rows: no imports beyond the kernel, so worker threads load it as it is.
import { gramKernel, reserveKernelMemory } from './wasm/gram-kernel.js';

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

/** One block of rows to score for the sign rule, as an engine receives it. */
export interface ScoreTask {
  /** Consecutive rows, row-major rows×cols float32. */
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** The k components transposed and padded to an even width: compT[j*kp + c], float64. */
  readonly compT: Float64Array;
  readonly k: number;
  /** mean·v for each component: subtracted from x·v, so scores are (x − mean)·v. */
  readonly meanScore: Float64Array;
  /** The data is the caller's own copy, which an engine may transfer instead of copying again. */
  readonly owned?: boolean;
}

/** For each component, the block's largest |score| and that score with its sign (first row on ties). */
export interface ScoreExtremes {
  readonly best: Float64Array;
  readonly signed: Float64Array;
}

/**
 * The sign rule's extremes over one block of rows, by the WebAssembly kernel on this thread: every row's
 * scores are summed in the same order whichever thread runs the block.
 */
export function scoreExtremes(task: ScoreTask): ScoreExtremes {
  const { data, rows: n, cols: D, compT, k, meanScore } = task;
  const kp = k + (k % 2);
  // Kernel memory: [components transposed, D×kp float64 | float32 rows | their kp scores each].
  const kernel = gramKernel();
  const blockRows = scoreBlockRows(n, D);
  const srcAt = D * kp * 8;
  // float64 scores must start on an 8-byte boundary: an odd blockRows × D leaves the float32 rows 4 bytes short.
  const outAt = Math.ceil((srcAt + blockRows * D * 4) / 8) * 8;
  reserveKernelMemory(kernel, outAt + blockRows * kp * 8);
  const buffer = kernel.memory.buffer;
  new Float64Array(buffer, 0, D * kp).set(compT);
  const src = new Float32Array(buffer, srcAt, blockRows * D);
  const out = new Float64Array(buffer, outAt, blockRows * kp);
  const best = new Float64Array(k).fill(-1);
  const signed = new Float64Array(k);
  for (let start = 0; start < n; start += blockRows) {
    const count = Math.min(blockRows, n - start);
    src.set(data.subarray(start * D, (start + count) * D));
    kernel.scoresF64(srcAt, D, count, 0, kp, outAt);
    for (let r = 0; r < count; r++) {
      for (let c = 0; c < k; c++) {
        const s = out[r * kp + c]! - meanScore[c]!;
        if (Math.abs(s) > best[c]!) {
          best[c] = Math.abs(s);
          signed[c] = s;
        }
      }
    }
  }
  return { best, signed };
}
