import { formatBytes, LatentkitError, MAX_DATA_BYTES_ENV } from '@latentkit/core';

/**
 * Memory planning for the readers: every large allocation is sized from a header (or a count) and
 * checked here first, so hostile input fails in one line instead of growing until the process dies.
 */

// One budget convention for every package: the variable and the formatting live in core.
export { formatBytes, MAX_DATA_BYTES_ENV };

/** Typed arrays cannot hold more elements than this in every engine we run on. */
export const MAX_TYPED_ELEMENTS = 2 ** 32 - 1;


/**
 * Throws one line naming the need and the way out when `need` bytes exceed `maxBytes` (undefined: no limit)
 * or `elements` exceed what a typed array can hold.
 */
export function checkMemory(source: string, what: string, need: number, maxBytes: number | undefined, elements = 0): void {
  if (!Number.isSafeInteger(need) || elements > MAX_TYPED_ELEMENTS) {
    throw new LatentkitError('E_INPUT_FORMAT', `${source}: ${what} is too large to hold in memory (${elements > 0 ? `${elements} values` : `${need} bytes`}); use a smaller file`);
  }
  if (maxBytes !== undefined && need > maxBytes) {
    throw new LatentkitError(
      'E_INPUT_FORMAT',
      `${source}: ${what} needs ${formatBytes(need)} of memory, more than the limit of ${formatBytes(maxBytes)}; use fewer rows or columns, or raise the limit with ${MAX_DATA_BYTES_ENV}`,
    );
  }
}

/**
 * A Float32Array for a whole dataset's values, on shared memory where the platform gives it freely (Node;
 * browsers only when cross-origin isolated): worker threads (PCA's covariance engine, say) then read the
 * rows in place instead of each being sent a copy. It behaves as any Float32Array otherwise.
 */
export function datasetValues(length: number): Float32Array {
  const shared = typeof SharedArrayBuffer === 'function' && (globalThis as { crossOriginIsolated?: boolean }).crossOriginIsolated !== false;
  return shared ? new Float32Array(new SharedArrayBuffer(length * 4)) : new Float32Array(length);
}
