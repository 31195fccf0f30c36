import { type Matrix, type RowBatch, type RowBatchSource, sliceRows } from '@latentkit/core';

/** A RowBatchSource over a matrix in memory (what file readers give), counting the passes made over it. */
export interface CountingSource extends RowBatchSource {
  readonly passes: number;
}

export function matrixSource(x: Matrix, name = 'matrix', defaultBatchRows = 1000): CountingSource {
  let passes = 0;
  return {
    name,
    cols: x.cols,
    rows: x.rows,
    get passes() {
      return passes;
    },
    async *batches(options): AsyncIterable<RowBatch> {
      passes++;
      // At most what was asked for, and never more than this source's own batch size (sources may give less).
      const size = Math.min(options?.batchRows ?? defaultBatchRows, defaultBatchRows);
      for (let offset = 0; offset < x.rows; offset += size) {
        // A copy, as a reader would give: nothing may rely on batches sharing the matrix's buffer.
        const part = sliceRows(x, offset, Math.min(x.rows, offset + size));
        yield { x: { data: part.data.slice(), rows: part.rows, cols: part.cols }, offset };
      }
    },
  };
}
