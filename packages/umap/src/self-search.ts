import { copyRows, EXTRA_CANDIDATES, insertCandidate, QUERY_BLOCK, rerank, TRAINING_CHUNK_BYTES, TRAINING_CHUNK_ROWS, type Candidates, type SearchStats } from './block-search.js';
import { cosineDistance, nearestRows, type Neighbors, type TrainingRows } from './neighbors.js';
import { rowNorms } from './row-norms.js';
import { isResident, knnKernel, markResident, reserveKernelMemory } from './wasm/knn-kernel.js';

/**
 * Every training row's k nearest training rows (itself included), as nearestRows finds them, for the fit's
 * graph. Like nearestRowsBlock, with the training rows as queries, but each pair's dot product is computed
 * once: a block of rows meets only itself and the rows after it, and each score updates both rows' lists.
 * Half the kernel work of searching row by row. Needs the training rows in one kernel chunk (64 MB and
 * 65,536 rows, e.g. 21,000 MNIST digits); `fits` says whether they are, else use nearestRowsBlock.
 *
 * Use: scan(first, count) over blocks in order (first a multiple of 64), then settle(first, count) once all
 * rows are scanned. The caller may yield between calls.
 */
export class SelfSearch {
  readonly fits: boolean;
  readonly #train: TrainingRows;
  readonly #k: number;
  readonly #m: number;
  readonly #candidates: Candidates;
  /** Each row's current worst candidate key, for a quick rejection. */
  readonly #worst: Float64Array;
  readonly #dp: number;
  readonly #paddedRows: number;

  constructor(train: TrainingRows, k: number) {
    const n = train.rows;
    this.#train = train;
    this.#k = k;
    this.#m = Math.min(n, k + EXTRA_CANDIDATES);
    this.#dp = (train.cols + 3) & ~3;
    this.#paddedRows = (n + 3) & ~3;
    this.fits = this.#paddedRows * this.#dp * 4 <= TRAINING_CHUNK_BYTES && this.#paddedRows <= TRAINING_CHUNK_ROWS;
    this.#candidates = { key: new Float64Array(n * this.#m).fill(Infinity), index: new Int32Array(n * this.#m).fill(-1) };
    this.#worst = new Float64Array(n).fill(Infinity);
  }

  /** Scores rows first..first+count against themselves and every later row. */
  scan(first: number, count: number): void {
    const train = this.#train;
    const { rows: n, cols } = train;
    const dp = this.#dp;
    const rowBytes = dp * 4;
    const paddedRows = this.#paddedRows;
    const kernel = knnKernel();
    const outAt = paddedRows * rowBytes;
    reserveKernelMemory(kernel, outAt + QUERY_BLOCK * paddedRows * 4);
    if (!isResident(train, 0, n)) {
      copyRows(kernel, 0, train.data, 0, n, paddedRows, cols, dp);
      markResident(train, 0, n);
    }
    const norms = rowNorms(train);
    const cosine = train.metric === 'cosine';
    const { key, index } = this.#candidates;
    const m = this.#m;
    const worst = this.#worst;
    for (let q0 = first; q0 < first + count; q0 += QUERY_BLOCK) {
      const block = Math.min(QUERY_BLOCK, n - q0);
      // Rows past n in the padded region are zeros: they pad the last block to an even count.
      const paddedBlock = (block + 1) & ~1;
      const width = paddedRows - q0; // q0 is a multiple of 64, so width stays a multiple of 4
      kernel.dotsF32(q0 * rowBytes, paddedBlock, q0 * rowBytes, width, dp, outAt, width);
      const dots = new Float32Array(kernel.memory.buffer, outAt, paddedBlock * width);
      for (let b = 0; b < block; b++) {
        const i = q0 + b;
        const qNorm = cosine ? train.norms![i]! : 0;
        const base = b * width;
        for (let c = 0; c < n - q0; c++) {
          const j = q0 + c;
          const s = dots[base + c]!;
          // Row i's list takes every row from its block on; row j's list takes i when j is past the block.
          const a = cosine ? cosineDistance(s, qNorm, train.norms![j]!) : norms.squared[j]! - 2 * s;
          if (a < worst[i]!) {
            insertCandidate(key, index, i * m, m, a, j);
            worst[i] = key[i * m + m - 1]!;
          }
          if (c >= block) {
            const back = cosine ? a : norms.squared[i]! - 2 * s;
            if (back < worst[j]!) {
              insertCandidate(key, index, j * m, m, back, i);
              worst[j] = key[j * m + m - 1]!;
            }
          }
        }
      }
    }
  }

  /** The exact neighbours of rows first..first+count (after every row was scanned). */
  settle(first: number, count: number, stats?: SearchStats): Neighbors[] {
    const train = this.#train;
    const { cols } = train;
    const norms = rowNorms(train);
    const m = this.#m;
    return Array.from({ length: count }, (_, b) => {
      const i = first + b;
      const query = train.data.subarray(i * cols, (i + 1) * cols);
      const queryNorm = Math.sqrt(norms.squared[i]!);
      const found = rerank(train, norms, query, queryNorm, this.#k, m, this.#candidates.key.subarray(i * m, (i + 1) * m), this.#candidates.index.subarray(i * m, (i + 1) * m));
      if (stats) stats.scalar += found ? 0 : 1;
      return found ?? nearestRows(train, query, this.#k);
    });
  }
}
