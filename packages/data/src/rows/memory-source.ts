import type { Dataset, RowBatch, RowBatchSource } from '@latentkit/core';
import { LatentkitError, throwIfAborted } from '@latentkit/core';
import { resolveBatchRows } from './batch-size.js';

/**
 * A Dataset already in memory as a row-batch source, so code written for streamed files also runs on it.
 * Batches are views into the dataset (no copy); `ids`, when given, must have one entry per row.
 */
export function datasetRowSource(d: Dataset, options: { readonly ids?: readonly string[] } = {}): RowBatchSource {
  const { rows, cols, data } = d.x;
  const ids = options.ids;
  if (ids && ids.length !== rows) throw new LatentkitError('E_SHAPE', `${d.name}: ${ids.length} ids for ${rows} rows`);
  return {
    name: d.name,
    cols,
    rows,
    ...(d.imageShape ? { imageShape: d.imageShape } : {}),
    ...(d.labelNames ? { labelNames: d.labelNames } : {}),
    async *batches(opts = {}): AsyncIterable<RowBatch> {
      const step = resolveBatchRows(opts.batchRows, cols, d.name);
      for (let offset = 0; offset < rows; offset += step) {
        throwIfAborted(opts.signal, `reading ${d.name}`);
        const end = Math.min(rows, offset + step);
        yield {
          x: { data: data.subarray(offset * cols, end * cols), rows: end - offset, cols },
          offset,
          ...(d.labels ? { labels: d.labels.subarray(offset, end) } : {}),
          ...(ids ? { ids: ids.slice(offset, end) } : {}),
        };
      }
    },
  };
}
