import { createMatrix, type Dataset, type RowBatchSource } from '@latentkit/core';

/** Rows per batch of the suite's sources: small, so that the toy data comes in several uneven batches. */
export const SUITE_BATCH_ROWS = 10;

/**
 * A dataset's rows as a RowBatchSource (what the file readers give a streamed fit): at most `batchRows` per
 * batch (SUITE_BATCH_ROWS unless the reader asks for fewer), every `batches()` call a new pass. Counts passes.
 */
export function datasetRowSource(data: Dataset): RowBatchSource & { readonly passes: number } {
  let passes = 0;
  const { x } = data;
  return {
    name: `${data.name} (streamed)`,
    cols: x.cols,
    rows: x.rows,
    ...(data.imageShape ? { imageShape: data.imageShape } : {}),
    get passes() {
      return passes;
    },
    async *batches(options) {
      passes++;
      const size = Math.max(1, Math.min(options?.batchRows ?? SUITE_BATCH_ROWS, SUITE_BATCH_ROWS));
      for (let offset = 0; offset < x.rows; offset += size) {
        const end = Math.min(x.rows, offset + size);
        // A copy: a plugin that scales its batch in place must not change the suite's data.
        yield { x: createMatrix(end - offset, x.cols, x.data.slice(offset * x.cols, end * x.cols)), offset };
      }
    },
  };
}
