/**
 * Seeds for the randomness inside a training objective (corruption noise, a VAE's ε): one per step,
 * and per shard when a batch is split over worker threads, so the same seed and worker count give the
 * same model. A 32-bit integer hash (murmur3's finaliser) of the two inputs.
 */
export function mixSeed(a: number, b: number): number {
  let h = (Math.imul(a >>> 0, 0x9e3779b1) ^ (b >>> 0)) >>> 0;
  h = Math.imul(h ^ (h >>> 16), 0x85ebca6b) >>> 0;
  h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35) >>> 0;
  return (h ^ (h >>> 16)) >>> 0;
}
