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

  /** Adds the rows of x (float32, D columns). */
  async add(x: Matrix): Promise<void> {
    const { rows, cols, data } = x;
    if (cols !== this.D) throw new LatentkitError('E_SHAPE', `PCA statistics of ${this.D} features cannot take rows of ${cols}`);
    for (let r = 0; r < rows; r++) {
      const o = r * cols;
      for (let j = 0; j < cols; j++) this.#sum[j] = this.#sum[j]! + data[o + j]!;
    }
    this.#n += rows;
    for (let start = 0; start < rows; start += COVARIANCE_CHUNK_ROWS) {
      const count = Math.min(COVARIANCE_CHUNK_ROWS, rows - start);
      const view = data.subarray(start * cols, (start + count) * cols);
      if (this.#engine === inlineCovarianceEngine) {
        this.#addChunk(gramChunkInKernel({ data: view, rows: count, cols, mode: this.#mode }));
        continue;
      }
      while (this.#pending.length >= this.#inFlight) this.#addChunk(await this.#pending.shift()!);
      // A copy: the source may reuse its batch buffer before the engine gets to this chunk.
      const result = this.#engine.gramChunk({ data: view.slice(), rows: count, cols, mode: this.#mode });
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
    assertFinite(batch.x, `${source.name} (rows from ${batch.offset})`);
    await acc.add(batch.x);
    await pace(source.rows ? (batch.offset + batch.x.rows) / source.rows : 0);
  }
  return acc.finish();
}
