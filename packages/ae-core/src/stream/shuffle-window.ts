import { createMatrix, type Matrix, type Rng } from '@latentkit/core';

/**
 * Rows arriving in file order, handed on as batches in a shuffled order while holding at most `capacity`
 * rows (a shuffle buffer, as tf.data's): once the window is full each new row takes the place of a row drawn
 * at random from it, which joins the current batch; at the end of the pass the rows left are emptied in a
 * random order. A row can move anywhere later in the pass but at most `capacity` rows earlier, so the mixing
 * is local; memory is capacity × cols floats plus one batch, whatever the number of rows.
 */
export class ShuffleWindow {
  readonly #window: Float32Array;
  #held = 0;
  #batch: Float32Array;
  #inBatch = 0;

  constructor(
    readonly capacity: number,
    readonly cols: number,
    readonly batchSize: number,
    readonly rng: Rng,
  ) {
    this.#window = new Float32Array(capacity * cols);
    this.#batch = new Float32Array(batchSize * cols);
  }

  /** Takes the row starting at `start` of `data` (copied); returns the batch it completed, if any. */
  push(data: Float32Array, start: number): Matrix | undefined {
    const cols = this.cols;
    const row = data.subarray(start, start + cols);
    if (this.#held < this.capacity) {
      this.#window.set(row, this.#held * cols);
      this.#held++;
      return undefined;
    }
    const slot = this.rng.int(this.capacity);
    const full = this.#emit(slot);
    this.#window.set(row, slot * cols);
    return full;
  }

  /** The rows still held, in a random order, as batches; the last may be shorter. The window is empty after. */
  *drain(): Generator<Matrix> {
    const order = this.rng.shuffle(Int32Array.from({ length: this.#held }, (_, i) => i));
    this.#held = 0;
    for (const slot of order) {
      const full = this.#emit(slot);
      if (full) yield full;
    }
    if (this.#inBatch > 0) {
      const rows = this.#inBatch;
      this.#inBatch = 0;
      yield createMatrix(rows, this.cols, this.#batch.slice(0, rows * this.cols));
    }
  }

  /** Copies a window slot into the current batch; returns the batch once full (a fresh buffer each time). */
  #emit(slot: number): Matrix | undefined {
    const cols = this.cols;
    this.#batch.set(this.#window.subarray(slot * cols, (slot + 1) * cols), this.#inBatch * cols);
    this.#inBatch++;
    if (this.#inBatch < this.batchSize) return undefined;
    const full = createMatrix(this.batchSize, cols, this.#batch);
    // The tensor backends may keep a reference to a batch's buffer: never refill one that was handed out.
    this.#batch = new Float32Array(this.batchSize * cols);
    this.#inBatch = 0;
    return full;
  }
}
