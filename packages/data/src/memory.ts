import { LatentkitError } from '@latentkit/core';

/**
 * Memory planning for the readers: every large allocation is sized from a header (or a count) and
 * checked here first, so hostile input fails in one line instead of growing until the process dies.
 */

/** The environment variable the Node loaders read their byte limit from. */
export const MAX_DATA_BYTES_ENV = 'LATENTKIT_MAX_DATA_BYTES';

/** Typed arrays cannot hold more elements than this in every engine we run on. */
export const MAX_TYPED_ELEMENTS = 2 ** 32 - 1;

/** "219,520,000 bytes (209 MiB)" — the need, readable both ways. */
export function formatBytes(n: number): string {
  const mib = n / 2 ** 20;
  const unit = mib >= 1024 ? `${(mib / 1024).toFixed(1)} GiB` : `${mib.toFixed(mib < 10 ? 1 : 0)} MiB`;
  return `${n.toLocaleString('en-US')} bytes (${unit})`;
}

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
