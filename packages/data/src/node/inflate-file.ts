import { createGunzip } from 'node:zlib';
import { pipeline } from 'node:stream/promises';
import { LatentkitError, isLatentkitError } from '@latentkit/core';
import { MAX_DEFLATE_RATIO } from '../gzip.js';
import type { RegularFile } from './read.js';

/** Output chunk: 1 MiB keeps zlib's thread-pool round trips few (47 for Fashion-MNIST) and overflow checks early. */
const CHUNK = 1024 * 1024;
/** Enough inflated bytes for any header we size from (IDX ≤ 1,024; NPY ≤ 64 KiB + 12). */
const MAX_PREFIX = 70 * 1024;

export interface InflatePlan {
  /** The total inflated size the format header declares, from the first bytes; undefined while too few. */
  sizeFromPrefix(prefix: Uint8Array): number | undefined;
  /** Called with the declared size before the output is allocated (memory budget check). */
  beforeAllocate(declared: number): void;
}

/**
 * Stream-inflates a gzip file into one buffer of exactly the size its format header declares, aborting
 * as soon as the output would pass it: a 1 MB bomb that inflates to gigabytes costs about one chunk
 * beyond the declared size, never the whole expansion. zlib checks the CRC and length trailer.
 */
export async function inflateFile(file: RegularFile, plan: InflatePlan): Promise<Uint8Array> {
  // The first refusal wins: pipeline may report the abort it caused instead of the reason for it.
  let refusal: LatentkitError | undefined;
  const fail = (why: string) => (refusal ??= new LatentkitError('E_INPUT_FORMAT', `${file.path}: ${why}`));
  let out: Uint8Array | undefined;
  let declared = 0;
  const pending: Uint8Array[] = [];
  let total = 0;
  const take = (chunk: Uint8Array): void => {
    if (out) {
      if (total + chunk.length > declared) throw fail(`gzip data inflates past the ${declared} bytes its header declares`);
      out.set(chunk, total);
      total += chunk.length;
      return;
    }
    pending.push(chunk);
    total += chunk.length;
    const prefix = Buffer.concat(pending);
    const size = plan.sizeFromPrefix(prefix);
    if (size === undefined) {
      if (total > MAX_PREFIX) throw fail(`no complete header in the first ${MAX_PREFIX} inflated bytes`);
      return;
    }
    // DEFLATE cannot expand more than ~1032:1, so a header declaring more than that is a lie.
    if (size > file.size * MAX_DEFLATE_RATIO) throw fail(`header declares ${size} bytes, more than ${file.size} gzip bytes can inflate to`);
    if (total > size) throw fail(`gzip data inflates past the ${size} bytes its header declares`);
    plan.beforeAllocate(size);
    declared = size;
    out = new Uint8Array(size);
    out.set(prefix);
    pending.length = 0;
  };
  try {
    await pipeline(
      file.fh.createReadStream({ start: 0, highWaterMark: CHUNK, autoClose: false }),
      createGunzip({ chunkSize: CHUNK }),
      async (inflated: AsyncIterable<Buffer>) => {
        for await (const chunk of inflated) take(chunk);
      },
    );
  } catch (e) {
    if (refusal) throw refusal;
    if (isLatentkitError(e)) throw e;
    throw new LatentkitError('E_INPUT_FORMAT', `${file.path}: corrupt gzip data (${(e as Error).message})`, { cause: e });
  }
  // Short output is returned as is: the parser names the truncation.
  return out ? out.subarray(0, total) : Buffer.concat(pending);
}
