// The sign rule's scores on one block of rows: no imports beyond the kernel, so worker threads load it as it is.
import { gramKernel, reserveKernelMemory } from './wasm/gram-kernel.js';

/** Rows scored per kernel call, fewer for wide rows so the block stays within SCORE_BLOCK_BYTES. */
const SCORE_BLOCK_ROWS = 256;
const SCORE_BLOCK_BYTES = 4 * 2 ** 20;

function scoreBlockRows(n: number, D: number): number {
  return Math.max(1, Math.min(SCORE_BLOCK_ROWS, n, Math.floor(SCORE_BLOCK_BYTES / (4 * D))));
}

/** Kernel memory the sign rule needs for k components of n×D data (its float64 and float32 layouts, the larger). */
export function signFlipKernelBytes(k: number, n: number, D: number): number {
  const rows = scoreBlockRows(n, D);
  const exact = D * evenWidth(k) * 8 + rows * D * 4 + rows * evenWidth(k) * 8;
  const screen = D * eightWidth(k) * 4 + rows * D * 4 + rows * eightWidth(k) * 4 + rows * 4;
  return Math.max(exact, screen) + 65536;
}

/** One block of rows to score for the sign rule, as an engine receives it. */
export interface ScoreTask {
  /** Consecutive rows, row-major rows×cols float32. */
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  /** The k components, k×cols float64. */
  readonly components: Float64Array;
  readonly k: number;
  /** mean·v for each component: subtracted from x·v, so scores are (x − mean)·v. */
  readonly meanScore: Float64Array;
  /** The data is the caller's own copy, which an engine may transfer instead of copying again. */
  readonly owned?: boolean;
}

/**
 * What a block's float32 screening leaves to decide: each score is known to within an error bound, so for
 * each component `floor` is the largest |score| the block surely reaches, and the rows listed (`rows`, from
 * offsets[c] to offsets[c + 1], block-local, ascending) are every row whose |score| might reach it, with the
 * most it might be (`reach`). Rows not listed cannot hold the block's largest |score|.
 */
export interface ScoreScreen {
  readonly floor: Float64Array;
  readonly offsets: Int32Array;
  readonly rows: Int32Array;
  readonly reach: Float64Array;
}

const U32 = 2 ** -24;
/** γ_n of a float32 sum of n terms: |error| ≤ γ_n Σ|terms| (Higham, Accuracy and Stability, §3.1). */
const gamma32 = (n: number): number => (n * U32) / (1 - n * U32);

/**
 * The sign rule's screening on one block: scores in float32 (twice the float64 kernel's speed), each with a
 * bound on how far it can be from the float64 score the rule is defined by. A float32 sum of the D products
 * x_j·fl32(v_j) differs from Σ x_j·v_j by at most ((1 + u)γ_D + u)·‖x‖·‖v‖ (Cauchy–Schwarz), and ‖x‖ is at most
 * √(fl32(‖x‖²)/(1 − γ_D)); the float64 score's own rounding and the mean's subtraction add a relative 1e-12.
 * A block with a non-finite score or bound is scored in float64 instead (its bounds then 0).
 */
export function screenScores(task: ScoreTask): ScoreScreen {
  const { data, rows: n, cols: D, components, k, meanScore } = task;
  const kp = eightWidth(k);
  const kernel = gramKernel();
  const blockRows = scoreBlockRows(n, D);
  // Kernel memory: [components transposed, D×kp float32 | float32 rows | their kp scores each | their squared lengths].
  const srcAt = D * kp * 4, outAt = srcAt + blockRows * D * 4, normAt = outAt + blockRows * kp * 4;
  reserveKernelMemory(kernel, normAt + blockRows * 4);
  const buffer = kernel.memory.buffer;
  const compT = new Float32Array(buffer, 0, D * kp).fill(0);
  const slope = new Float64Array(k);
  const scale = (1 + U32) * gamma32(D) + U32 + 1e-12;
  for (let c = 0; c < k; c++) {
    let ss = 0;
    for (let j = 0; j < D; j++) {
      const v = components[c * D + j]!;
      compT[j * kp + c] = v;
      ss += v * v;
    }
    slope[c] = scale * Math.sqrt(ss) * (1 + 1e-9);
  }
  const normScale = 1 / (1 - gamma32(D));
  // Underflow in float32 products or components: at most 2^-149 per term, far below any bound that matters.
  const tiny = (D + 1) * 2 ** -140;
  const src = new Float32Array(buffer, srcAt, blockRows * D);
  const out = new Float32Array(buffer, outAt, blockRows * kp);
  const norms = new Float32Array(buffer, normAt, blockRows);
  const floor = new Float64Array(k).fill(-Infinity);
  const listed: { row: number; reach: number }[][] = Array.from({ length: k }, () => []);
  for (let start = 0; start < n; start += blockRows) {
    const count = Math.min(blockRows, n - start);
    src.set(data.subarray(start * D, (start + count) * D));
    kernel.scoresF32(srcAt, D, count, 0, kp, outAt);
    kernel.rowNormsF32(srcAt, D, count, normAt);
    for (let r = 0; r < count; r++) {
      const length = Math.sqrt(norms[r]! * normScale) * (1 + 1e-9);
      for (let c = 0; c < k; c++) {
        const t = out[r * kp + c]! - meanScore[c]!;
        const bound = slope[c]! * length + 1e-12 * (Math.abs(t) + Math.abs(meanScore[c]!)) + tiny;
        if (!Number.isFinite(t) || !Number.isFinite(bound)) return exactScreen(task);
        const reach = Math.abs(t) + bound;
        if (reach < floor[c]!) continue;
        listed[c]!.push({ row: start + r, reach });
        floor[c] = Math.max(floor[c]!, Math.abs(t) - bound);
      }
    }
  }
  return packScreen(floor, listed);
}

/** A block scored exactly (float64, no bounds): the fallback for data too large for float32 bounds. */
function exactScreen(task: ScoreTask): ScoreScreen {
  const { data, rows: n, cols: D, components, k, meanScore } = task;
  const scores = exactScores(data, n, D, components, k, meanScore);
  const floor = new Float64Array(k).fill(-Infinity);
  for (let r = 0; r < n; r++) for (let c = 0; c < k; c++) floor[c] = Math.max(floor[c]!, Math.abs(scores[r * k + c]!));
  const listed: { row: number; reach: number }[][] = Array.from({ length: k }, () => []);
  for (let r = 0; r < n; r++) {
    for (let c = 0; c < k; c++) {
      const reach = Math.abs(scores[r * k + c]!);
      if (reach >= floor[c]!) listed[c]!.push({ row: r, reach });
    }
  }
  return packScreen(floor, listed);
}

/** The listed rows that can still reach their component's final floor, flattened. */
function packScreen(floor: Float64Array, listed: { row: number; reach: number }[][]): ScoreScreen {
  const kept = listed.map((entries, c) => entries.filter((e) => e.reach >= floor[c]!));
  const offsets = new Int32Array(kept.length + 1);
  kept.forEach((entries, c) => (offsets[c + 1] = offsets[c]! + entries.length));
  const rows = new Int32Array(offsets[kept.length]!), reach = new Float64Array(rows.length);
  kept.forEach((entries, c) =>
    entries.forEach((e, i) => {
      rows[offsets[c]! + i] = e.row;
      reach[offsets[c]! + i] = e.reach;
    }),
  );
  return { floor, offsets, rows, reach };
}

/**
 * The scores the sign rule is defined by: (x − mean)·v for each of `count` rows (row-major at data) and k
 * components, row by row (count×k): x·v summed in float64 by the WebAssembly kernel, j in order, minus mean·v.
 * A row's scores do not depend on which rows are scored with it.
 */
export function exactScores(data: Float32Array, count: number, D: number, components: Float64Array, k: number, meanScore: Float64Array): Float64Array {
  const kp = evenWidth(k);
  const kernel = gramKernel();
  const blockRows = scoreBlockRows(count, D);
  // Kernel memory: [components transposed, D×kp float64 | float32 rows | their kp scores each].
  const srcAt = D * kp * 8;
  // float64 scores must start on an 8-byte boundary: an odd blockRows × D leaves the float32 rows 4 bytes short.
  const outAt = Math.ceil((srcAt + blockRows * D * 4) / 8) * 8;
  reserveKernelMemory(kernel, outAt + blockRows * kp * 8);
  const buffer = kernel.memory.buffer;
  const compT = new Float64Array(buffer, 0, D * kp).fill(0);
  for (let c = 0; c < k; c++) for (let j = 0; j < D; j++) compT[j * kp + c] = components[c * D + j]!;
  const src = new Float32Array(buffer, srcAt, blockRows * D);
  const out = new Float64Array(buffer, outAt, blockRows * kp);
  const scores = new Float64Array(count * k);
  for (let start = 0; start < count; start += blockRows) {
    const rows = Math.min(blockRows, count - start);
    src.set(data.subarray(start * D, (start + rows) * D));
    kernel.scoresF64(srcAt, D, rows, 0, kp, outAt);
    for (let r = 0; r < rows; r++) for (let c = 0; c < k; c++) scores[(start + r) * k + c] = out[r * kp + c]! - meanScore[c]!;
  }
  return scores;
}

const evenWidth = (k: number): number => k + (k % 2);
const eightWidth = (k: number): number => Math.ceil(k / 8) * 8;
