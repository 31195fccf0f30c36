import { LatentkitError } from '@latentkit/core';

/** About 4 MiB of float32 per batch: large enough to amortise a read, small enough that two batches are noise. */
export const DEFAULT_BATCH_BYTES = 4 * 2 ** 20;

/** The rows per batch a source uses when the caller names none (at least one). */
export function defaultBatchRows(cols: number): number {
  return Math.max(1, Math.floor(DEFAULT_BATCH_BYTES / (4 * Math.max(1, cols))));
}

/** batchRows as given, checked: a positive whole number (one E_OPTION line otherwise). */
export function resolveBatchRows(batchRows: number | undefined, cols: number, source: string): number {
  if (batchRows === undefined) return defaultBatchRows(cols);
  if (!Number.isSafeInteger(batchRows) || batchRows < 1) {
    throw new LatentkitError('E_OPTION', `${source}: batchRows must be a positive whole number, got ${batchRows}`);
  }
  return batchRows;
}
