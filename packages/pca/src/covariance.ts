import { type Matrix, throwIfAborted } from '@latentkit/core';
import { columnMeans } from './centred-rows.js';
import { type CovarianceEngine, engineMemoryBytes, getCovarianceEngine, inlineCovarianceEngine } from './covariance-engine.js';
import { BYTE_BLOCK_ROWS, type GramChunk, gramChunkInKernel, gramChunkKernelBytes, type GramMode } from './gram-chunk.js';
import { forEachInOrder } from './in-order.js';
import { completeScan, type DataScan, detectByteScale } from './quantized.js';
import { releaseLargeKernelMemory } from './wasm/gram-kernel.js';

export interface CovarianceResult {
  /** Column means (float64). */
  readonly mean: Float64Array;
  /** Sample covariance XcᵀXc/(n−1), D×D row-major, both triangles (a view of the pass's padded sums). */
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
  /** At most this many chunks in flight (a memory plan's limit); default: the engine's concurrency. */
  readonly maxInFlight?: number | undefined;
}

/** Bytes the pass itself holds besides the engine's: the dp×dp running sums, which become the covariance. */
export function covarianceSumsBytes(D: number): number {
  const dp = Math.ceil(D / 4) * 4;
  return dp * dp * 8 + 3 * D * 8;
}

/** What an engine holds during the pass: the inline engine's chunks are added from kernel memory, uncopied. */
export function covarianceEngineBytes(engine: CovarianceEngine, rows: number, cols: number, inFlight: number): number {
  return engine === inlineCovarianceEngine ? gramChunkKernelBytes(cols) : engineMemoryBytes(engine, rows, cols, inFlight);
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
 * The Gram sums come from the covariance engine, chunk by chunk; the covariance is written over them.
 */
export function covariance(x: Matrix, options: CovarianceOptions = {}): Promise<CovarianceResult> {
  return covarianceOfScanned(x, { byteScale: detectByteScale(x) }, options);
}

/**
 * covariance() for data already scanned (a fit's scanData pass), so its values are not read again to detect
 * bytes. A partial scan (probeData: only the first values looked 8-bit) is finished by the pass itself, which
 * checks every value as it packs it; data that turns out not to be 8-bit is scanned in full and summed again.
 */
export async function covarianceOfScanned(x: Matrix, scan: DataScan, options: CovarianceOptions = {}): Promise<CovarianceResult> {
  if (scan.partial) {
    const optimistic = await covariancePass(x, scan.byteScale, true, options);
    if (optimistic) return optimistic;
  }
  return (await covariancePass(x, completeScan(x, scan).byteScale, false, options))!;
}

/** The pass itself; undefined when `unchecked` byte data turned out not to be 8-bit. */
async function covariancePass(x: Matrix, scale: number | undefined, unchecked: boolean, options: CovarianceOptions): Promise<CovarianceResult | undefined> {
  const { rows: n, cols: D, data } = x;
  const mode: GramMode = scale === undefined ? { kind: 'centred', mean: columnMeans(x) } : { kind: 'byte', scale, ...(unchecked ? { unchecked } : {}) };
  const engine = options.engine ?? getCovarianceEngine();
  const dp = Math.ceil(D / 4) * 4;
  const gram = new Float64Array(dp * dp);
  const sums = new Float64Array(D);
  // The inline engine's sums are added straight from the kernel's memory before its next chunk runs.
  const direct = engine === inlineCovarianceEngine;
  const inFlight = direct ? 1 : Math.max(1, Math.min(engine.concurrency, options.maxInFlight ?? Infinity));
  const chunks = chunkStarts(n, mode, inFlight);
  const chunkCount = chunks.length - 1;
  const startChunk = (c: number): Promise<GramChunk> => {
    const start = chunks[c]!, rows = chunks[c + 1]! - start;
    const task = { data: data.subarray(start * D, (start + rows) * D), rows, cols: D, mode };
    return direct ? Promise.resolve(gramChunkInKernel(task)) : engine.gramChunk(task);
  };
  const pacer = createPacer(options, n);
  throwIfAborted(options.signal, 'PCA fit');
  // A chunk that is not 8-bit stops the pass; the chunks still running finish first, so they never overlap
  // the caller's next pass.
  const eightBit = await forEachInOrder(chunkCount, inFlight, startChunk, async (part, c) => {
    if (part.notBytes) return false;
    addUpper(gram, part.gram, dp);
    if (part.sums) for (let j = 0; j < D; j++) sums[j] = sums[j]! + part.sums[j]!;
    await pacer(chunks[c + 1]!);
    return true;
  });
  // No view into the kernel is left: a kernel grown for wide data need not stay resident.
  releaseLargeKernelMemory();
  if (!eightBit) return undefined;
  return scale === undefined ? centredResult(gram, dp, D, n, mode.kind === 'centred' ? mode.mean : sums) : byteResult(gram, sums, dp, D, n, scale);
}

/**
 * Where each chunk starts (and n at the end). Float data takes fixed chunks: they are added in chunk order,
 * which makes the float64 result the same on every engine. 8-bit data sums exact integers, so any split gives
 * the same result: its chunks are whole kernel blocks (a block costs the same however few of its rows are
 * used), at most COVARIANCE_CHUNK_ROWS rows, as many as a multiple of the chunks in flight and as even as
 * blocks allow, so no thread is left alone with the last one.
 */
function chunkStarts(n: number, mode: GramMode, inFlight: number): number[] {
  if (mode.kind === 'centred' || inFlight === 1) {
    return Array.from({ length: Math.ceil(n / COVARIANCE_CHUNK_ROWS) + 1 }, (_, c) => Math.min(n, c * COVARIANCE_CHUNK_ROWS));
  }
  const blocks = Math.ceil(n / BYTE_BLOCK_ROWS);
  const least = Math.ceil(blocks / (COVARIANCE_CHUNK_ROWS / BYTE_BLOCK_ROWS));
  const count = Math.min(blocks, Math.ceil(least / inFlight) * inFlight);
  return Array.from({ length: count + 1 }, (_, c) => Math.min(n, Math.floor((c * blocks) / count) * BYTE_BLOCK_ROWS));
}

function addUpper(total: Float64Array, part: Float64Array, dp: number): void {
  for (let a = 0; a < dp; a++) for (let b = a; b < dp; b++) total[a * dp + b] = total[a * dp + b]! + part[a * dp + b]!;
}

function byteResult(gram: Float64Array, sums: Float64Array, dp: number, D: number, n: number, scale: number): CovarianceResult {
  const norm = 1 / ((n - 1 || 1) * scale * scale);
  const cov = toCovarianceInPlace(gram, dp, D, (a, b, g) => (g - (sums[a]! * sums[b]!) / n) * norm);
  const mean = Float64Array.from(sums, (s) => s / n / scale);
  return { mean, covariance: cov, byteData: true };
}

function centredResult(gram: Float64Array, dp: number, D: number, n: number, mean: Float64Array): CovarianceResult {
  const norm = 1 / (n - 1 || 1);
  return { mean, covariance: toCovarianceInPlace(gram, dp, D, (_a, _b, g) => g * norm), byteData: false };
}

/**
 * Rewrites the upper triangle of the dp×dp sums as a D×D matrix (both triangles) in the same buffer, so the
 * covariance costs no second D×D array. Row-major compaction moves every entry to a lower or equal index,
 * and each is read before anything is written over it.
 */
function toCovarianceInPlace(gram: Float64Array, dp: number, D: number, entry: (a: number, b: number, sum: number) => number): Float64Array {
  for (let a = 0; a < D; a++) for (let b = a; b < D; b++) gram[a * D + b] = entry(a, b, gram[a * dp + b]!);
  for (let a = 0; a < D; a++) for (let b = a + 1; b < D; b++) gram[b * D + a] = gram[a * D + b]!;
  return gram.subarray(0, D * D);
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
