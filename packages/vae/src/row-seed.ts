import { mixSeed } from '@latentkit/ae-core';

/**
 * The seed of one row's draws in logLikelihoodBound: a hash (FNV-1a over the float32 bits) of the row's
 * values mixed with the caller's seed. Keyed by content, not position, so a row's bound is the same alone, in
 * any batch and at any index.
 */
export function rowSeed(seed: number, row: Float32Array): number {
  const bits = new Uint32Array(row.buffer, row.byteOffset, row.length);
  let h = 0x811c9dc5;
  for (let i = 0; i < bits.length; i++) h = Math.imul(h ^ bits[i]!, 0x01000193) >>> 0;
  return mixSeed(seed, h);
}
