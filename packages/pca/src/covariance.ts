import { type Matrix, throwIfAborted } from '@latentkit/core';
import { type CovarianceEngine, getCovarianceEngine } from './covariance-engine.js';
import type { GramChunk, GramMode } from './gram-chunk.js';
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
  /** Fraction of rows done, called between row chunks. */
  readonly onProgress?: ((fraction: number) => void) | undefined;
  /** Overrides the engine chosen with setCovarianceEngine for this call. */
  readonly engine?: CovarianceEngine | undefined;
}

/**
 * Rows per chunk. Fixed (never derived from the thread count) because chunk sums are added in chunk
 * order: that order is what makes the float64 result identical on any engine.
 */
export const COVARIANCE_CHUNK_ROWS = 4096;
/** Yield to the event loop this often so an AbortSignal (or a UI) can get a turn. */
const YIELD_MS = 50;

/**
 * Mean and covariance of the rows of x. 8-bit data (pixels/255 or raw bytes) is summed as exact integers
 * (S − s sᵀ/n loses nothing before the final scaling); other data is centred by its float64 mean first.
 * The Gram sums come from the covariance engine, chunk by chunk.
 */
export async function covariance(x: Matrix, options: CovarianceOptions = {}): Promise<CovarianceResult> {
  const { rows: n, cols: D, data } = x;
  const scale = detectByteScale(x);
  const mode: GramMode = scale === undefined ? { kind: 'centred', mean: columnMeans(x) } : { kind: 'byte', scale };
  const engine = options.engine ?? getCovarianceEngine();
  const dp = Math.ceil(D / 4) * 4;
  const gram = new Float64Array(dp * dp);
  const sums = new Float64Array(D);
  const chunkCount = Math.ceil(n / COVARIANCE_CHUNK_ROWS);
  const pending: (Promise<GramChunk> | undefined)[] = [];
  const submit = (c: number): void => {
    const start = c * COVARIANCE_CHUNK_ROWS;
    const rows = Math.min(COVARIANCE_CHUNK_ROWS, n - start);
    const result = engine.gramChunk({ data: data.subarray(start * D, (start + rows) * D), rows, cols: D, mode });
    // Abandoned chunks (after an abort or an earlier failure) must not surface as unhandled rejections.
    result.catch(() => undefined);
    pending[c] = result;
  };
  const pacer = createPacer(options, n);
  let submitted = 0;
  for (let c = 0; c < chunkCount; c++) {
    throwIfAborted(options.signal, 'PCA fit');
    while (submitted < chunkCount && submitted - c < Math.max(1, engine.concurrency)) submit(submitted++);
    const part = await pending[c]!;
    pending[c] = undefined;
    addUpper(gram, part.gram, dp);
    if (part.sums) for (let j = 0; j < D; j++) sums[j] = sums[j]! + part.sums[j]!;
    await pacer(Math.min(n, (c + 1) * COVARIANCE_CHUNK_ROWS));
  }
  return scale === undefined ? centredResult(gram, dp, D, n, mode.kind === 'centred' ? mode.mean : sums) : byteResult(gram, sums, dp, D, n, scale);
}

function addUpper(total: Float64Array, part: Float64Array, dp: number): void {
  for (let a = 0; a < dp; a++) for (let b = a; b < dp; b++) total[a * dp + b] = total[a * dp + b]! + part[a * dp + b]!;
}

function byteResult(gram: Float64Array, sums: Float64Array, dp: number, D: number, n: number, scale: number): CovarianceResult {
  const norm = 1 / ((n - 1 || 1) * scale * scale);
  const cov = new Float64Array(D * D);
  for (let a = 0; a < D; a++) {
    for (let b = a; b < D; b++) {
      const v = (gram[a * dp + b]! - (sums[a]! * sums[b]!) / n) * norm;
      cov[a * D + b] = v;
      cov[b * D + a] = v;
    }
  }
  const mean = Float64Array.from(sums, (s) => s / n / scale);
  return { mean, covariance: cov, byteData: true };
}

function centredResult(gram: Float64Array, dp: number, D: number, n: number, mean: Float64Array): CovarianceResult {
  const norm = 1 / (n - 1 || 1);
  const cov = new Float64Array(D * D);
  for (let a = 0; a < D; a++) {
    for (let b = a; b < D; b++) {
      const v = gram[a * dp + b]! * norm;
      cov[a * D + b] = v;
      cov[b * D + a] = v;
    }
  }
  return { mean, covariance: cov, byteData: false };
}

function columnMeans(x: Matrix): Float64Array {
  const { rows: n, cols: D, data } = x;
  const mean = new Float64Array(D);
  for (let r = 0; r < n; r++) {
    const o = r * D;
    for (let j = 0; j < D; j++) mean[j] = mean[j]! + data[o + j]!;
  }
  for (let j = 0; j < D; j++) mean[j] = mean[j]! / n;
  return mean;
}

/** Reports progress, checks the signal between chunks and yields now and then so the signal can fire. */
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
