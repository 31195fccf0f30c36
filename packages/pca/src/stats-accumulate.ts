import { assertFinite, LatentkitError, type Matrix, type RowBatchSource, throwIfAborted } from '@latentkit/core';
import { COVARIANCE_CHUNK_ROWS } from './covariance.js';
import { type CovarianceEngine, getCovarianceEngine, inlineCovarianceEngine } from './covariance-engine.js';
import { type GramChunk, gramChunkInKernel, type GramMode } from './gram-chunk.js';
import type { PcaStats } from './pca-stats.js';
import { createPacer, type SolveControl } from './spectrum.js';
import { releaseLargeKernelMemory } from './wasm/gram-kernel.js';

/** Rows asked of a source per batch: large enough to keep the engine's chunks full. */
export const STATS_BATCH_ROWS = 4 * COVARIANCE_CHUNK_ROWS;

export interface AccumulateOptions extends SolveControl {
  /** Overrides the engine chosen with setCovarianceEngine. */
  readonly engine?: CovarianceEngine | undefined;
  /** Chunks kept in flight (a memory plan's figure); default: the engine's concurrency. */
  readonly maxInFlight?: number | undefined;
}

/**
 * Sums n, Σx and XᵀX over batches of rows, chunk by chunk on the covariance engine (the WebAssembly SIMD
 * kernel, on worker threads where registered). Chunk sums are added in submission order, so the result does
 * not depend on the engine. Holds the dp×dp sums plus the chunks in flight: nothing grows with n.
 */
export class PcaStatsAccumulator {
  readonly D: number;
  readonly #dp: number;
  readonly #gram: Float64Array;
  readonly #sum: Float64Array;
  readonly #engine: CovarianceEngine;
  readonly #inFlight: number;
  readonly #pending: Promise<GramChunk>[] = [];
  readonly #mode: GramMode;
  #n = 0;

  constructor(D: number, options: AccumulateOptions = {}) {
    this.D = D;
    this.#dp = Math.ceil(D / 4) * 4;
    this.#gram = new Float64Array(this.#dp * this.#dp);
    this.#sum = new Float64Array(D);
    this.#engine = options.engine ?? getCovarianceEngine();
    const direct = this.#engine === inlineCovarianceEngine;
    this.#inFlight = direct ? 1 : Math.max(1, Math.min(this.#engine.concurrency, options.maxInFlight ?? Infinity));
    // Centred on zero: the kernel's float64 path then sums x·xᵀ itself.
    this.#mode = { kind: 'centred', mean: new Float64Array(D) };
  }

  /**
   * Adds the rows of x (float32, D columns). A non-finite value is refused naming `what` and its row and
   * column (the check rides on the column sums: no separate pass over the rows).
   */
  async add(x: Matrix, what = 'input'): Promise<void> {
    const { rows, cols, data } = x;
    if (cols !== this.D) throw new LatentkitError('E_SHAPE', `PCA statistics of ${this.D} features cannot take rows of ${cols}`);
    addColumnSums(this.#sum, data, rows, cols, what);
    this.#n += rows;
    for (let start = 0; start < rows; start += COVARIANCE_CHUNK_ROWS) {
      const count = Math.min(COVARIANCE_CHUNK_ROWS, rows - start);
      const view = data.subarray(start * cols, (start + count) * cols);
      if (this.#engine === inlineCovarianceEngine) {
        this.#addChunk(gramChunkInKernel({ data: view, rows: count, cols, mode: this.#mode }));
        continue;
      }
      while (this.#pending.length >= this.#inFlight) this.#addChunk(await this.#pending.shift()!);
      // A copy: the source may reuse its batch buffer before the engine gets to this chunk. The engine may
      // hand the copy itself to a worker (owned), saving a second one.
      const result = this.#engine.gramChunk({ data: view.slice(), rows: count, cols, mode: this.#mode, owned: true });
      // Abandoned chunks (after an abort or an earlier failure) must not surface as unhandled rejections.
      result.catch(() => undefined);
      this.#pending.push(result);
    }
  }

  /** Waits for the chunks in flight and returns the statistics (the accumulator is spent). */
  async finish(): Promise<PcaStats> {
    while (this.#pending.length > 0) this.#addChunk(await this.#pending.shift()!);
    releaseLargeKernelMemory();
    const { D } = this;
    const dp = this.#dp, g = this.#gram;
    // Compact the padded upper triangle into a D×D matrix with both triangles, in place (each entry moves to
    // a lower or equal index and is read before anything is written over it).
    for (let a = 0; a < D; a++) for (let b = a; b < D; b++) g[a * D + b] = g[a * dp + b]!;
    for (let a = 0; a < D; a++) for (let b = a + 1; b < D; b++) g[b * D + a] = g[a * D + b]!;
    return { n: this.#n, D, sum: this.#sum, xtx: g.subarray(0, D * D) };
  }

  #addChunk(part: GramChunk): void {
    const dp = this.#dp, total = this.#gram, g = part.gram;
    for (let a = 0; a < dp; a++) for (let b = a; b < dp; b++) total[a * dp + b] = total[a * dp + b]! + g[a * dp + b]!;
  }
}

/**
 * Adds each column of `rows`×`cols` float32 data into `sum` (row after row, so the figures are those of a plain
 * running sum). A float64 sum of float32 values cannot overflow, so it turns non-finite exactly when a value
 * is: only then are the rows scanned for the first one, named in an E_INPUT_VALUE line as assertFinite does.
 */
export function addColumnSums(sum: Float64Array, data: Float32Array, rows: number, cols: number, what: string): void {
  // Four rows per sweep of the columns: the same additions in the same order (bit-identical sums), half the
  // loads and stores of sum[j].
  let r = 0;
  for (; r + 4 <= rows; r += 4) {
    const o0 = r * cols, o1 = o0 + cols, o2 = o1 + cols, o3 = o2 + cols;
    for (let j = 0; j < cols; j++) sum[j] = sum[j]! + data[o0 + j]! + data[o1 + j]! + data[o2 + j]! + data[o3 + j]!;
  }
  for (; r < rows; r++) {
    const o = r * cols;
    for (let j = 0; j < cols; j++) sum[j] = sum[j]! + data[o + j]!;
  }
  for (let j = 0; j < cols; j++) if (!Number.isFinite(sum[j]!)) assertFinite({ data, rows, cols }, what);
}

/** Bytes the accumulator holds: the dp×dp sums and the column sums (the engine's chunks are planned apart). */
export function accumulatorBytes(D: number): number {
  const dp = Math.ceil(D / 4) * 4;
  return dp * dp * 8 + D * 8;
}

/**
 * One pass over a source: its rows' PCA statistics. Non-finite values are refused naming the source and the
 * row; the signal is checked between batches.
 */
export async function accumulatePcaStats(source: RowBatchSource, options: AccumulateOptions = {}): Promise<PcaStats> {
  const acc = new PcaStatsAccumulator(source.cols, options);
  const pace = createPacer(options, 'statistics');
  for await (const batch of source.batches({ batchRows: STATS_BATCH_ROWS, ...(options.signal ? { signal: options.signal } : {}) })) {
    throwIfAborted(options.signal, 'PCA statistics');
    await acc.add(batch.x, `${source.name} (rows from ${batch.offset})`);
    await pace(source.rows ? (batch.offset + batch.x.rows) / source.rows : 0);
  }
  return acc.finish();
}

/**
 * Two sources' statistics summed as they are read side by side, pulling next from whichever is further behind
 * (by the fraction of its rows seen): the same figures as two accumulatePcaStats passes, and where the sources
 * are two parts of one file that share a read (a streamed fit's training and held-out rows), the file is read
 * once. Progress reports follow the first source.
 */
export async function accumulatePcaStatsPair(first: RowBatchSource, second: RowBatchSource, options: AccumulateOptions = {}): Promise<[PcaStats, PcaStats]> {
  const sides = [first, second].map((source) => ({
    source,
    acc: new PcaStatsAccumulator(source.cols, options),
    // Both passes are opened before either is pulled from, so a shared read can serve both.
    it: source.batches({ batchRows: STATS_BATCH_ROWS, ...(options.signal ? { signal: options.signal } : {}) })[Symbol.asyncIterator](),
    seen: 0,
    done: false,
  }));
  const pace = createPacer(options, 'statistics');
  const behind = (s: (typeof sides)[number]) => (s.source.rows ? s.seen / s.source.rows : s.seen);
  try {
    for (;;) {
      const open = sides.filter((s) => !s.done);
      if (open.length === 0) break;
      const side = open.reduce((a, b) => (behind(b) < behind(a) ? b : a));
      throwIfAborted(options.signal, 'PCA statistics');
      const r = await side.it.next();
      if (r.done) {
        side.done = true;
        continue;
      }
      await side.acc.add(r.value.x, `${side.source.name} (rows from ${r.value.offset})`);
      side.seen += r.value.x.rows;
      await pace(first.rows ? sides[0]!.seen / first.rows : 0);
    }
  } finally {
    await Promise.all(sides.filter((s) => !s.done).map((s) => s.it.return?.()));
  }
  return [await sides[0]!.acc.finish(), await sides[1]!.acc.finish()];
}
