import type { ImageShape } from './dataset.js';
import type { Matrix } from './matrix.js';

/**
 * Rows read a batch at a time, so that a file larger than memory can still be fitted, scored or drawn:
 * readers of NPY, Arrow, Parquet (and the in-memory formats) yield these, and out-of-core fits consume them.
 */
export interface RowBatch {
  /** The batch's rows (float32, one sample per row). */
  readonly x: Matrix;
  /** Index of the batch's first row in the whole source. */
  readonly offset: number;
  /** Class of each row, indexing the source's labelNames, where the source has a label column. */
  readonly labels?: Int32Array;
  /** An id per row, where the source has an id column. */
  readonly ids?: readonly string[];
}

/** A source of row batches: its shape is known before any batch is read (from the file's header). */
export interface RowBatchSource {
  readonly name: string;
  /** Features per row. */
  readonly cols: number;
  /** Total rows, where the header says (NPY, Arrow, Parquet, IDX do; a CSV stream may not). */
  readonly rows?: number;
  readonly imageShape?: ImageShape;
  readonly labelNames?: readonly string[];
  /**
   * The rows in order, at most `batchRows` per batch (the source picks a size when omitted). Each call
   * starts a new pass from the first row, so multi-pass algorithms (randomized range finding) can re-read.
   */
  batches(options?: { readonly batchRows?: number; readonly signal?: AbortSignal }): AsyncIterable<RowBatch>;
}
