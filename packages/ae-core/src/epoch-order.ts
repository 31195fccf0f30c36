import { createRng } from '@latentkit/core';

/**
 * The order of the training rows in one epoch: a shuffle of `rows` seeded by (seed, epoch) alone, so a
 * run resumed at epoch k sees exactly the batches an uninterrupted run would (no generator state to save).
 */
export function epochOrder(rows: Int32Array, seed: number, epoch: number): Int32Array {
  // Spread consecutive epochs over the seed space; createRng mixes the seed further through splitmix32.
  const epochSeed = (seed ^ Math.imul(epoch, 0x9e3779b1)) >>> 0;
  return createRng(epochSeed).shuffle(Int32Array.from(rows));
}
