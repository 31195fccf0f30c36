import type { TrivialErrors } from '../collapse.js';

/**
 * collapse.ts's trivialErrors accumulated a row at a time (float64 per-feature sums of x and x²), for rows that
 * are read in batches and never held together: memory O(D), whatever the row count.
 */
export class TrivialSums {
  readonly #sum: Float64Array;
  readonly #sumSq: Float64Array;
  #rows = 0;

  constructor(readonly cols: number) {
    this.#sum = new Float64Array(cols);
    this.#sumSq = new Float64Array(cols);
  }

  /** Adds the row starting at `start` of `data` (`cols` values). */
  add(data: Float32Array, start: number): void {
    const sum = this.#sum;
    const sumSq = this.#sumSq;
    for (let j = 0; j < this.cols; j++) {
      const v = data[start + j]!;
      sum[j]! += v;
      sumSq[j]! += v * v;
    }
    this.#rows++;
  }

  /** The trivial errors of the rows added so far (the same formula as trivialErrors). */
  errors(): TrivialErrors {
    const n = this.#rows;
    const D = this.cols;
    if (n === 0 || D === 0) return { constant: 0, blank: 0 };
    let variance = 0;
    let square = 0;
    for (let j = 0; j < D; j++) {
      const mean = this.#sum[j]! / n;
      variance += Math.max(0, this.#sumSq[j]! - n * mean * mean);
      square += this.#sumSq[j]!;
    }
    return { constant: variance / (n * D), blank: square / (n * D) };
  }
}
