import { describe, expect, it } from 'vitest';
import { MIN_SHARD_FLOPS_PER_WEIGHT, usefulWorkers } from './useful-workers.js';

describe('usefulWorkers: split a training step only where each shard has enough work per weight', () => {
  // dense-ae 784-256-64-16 mirrored: 2·(784·256 + 256·64 + 64·16)·2 FLOPs per row, 437,664 weights.
  const dense = { flops: 2 * (784 * 256 + 256 * 64 + 64 * 16) * 2, weights: 437_664 };

  it('keeps a dense autoencoder step (measured 0.81× on 2 threads) on one thread, and says why in one line', () => {
    const r = usefulWorkers(2, dense.flops, 128, dense.weights);
    expect(r.workers).toBe(1);
    expect(r.why).toMatch(/^a step of 128 rows is too little work to split: 0\.87 MFLOP per row for 437,664 weights, 128 FLOPs per weight per shard on 2 threads, at least 2000 pay$/);
  });

  it('splits a conv step (measured 1.83× on 2 threads) as asked, and caps many threads where shards get too thin', () => {
    // conv-ae's default layout at d=16: 14.4 MFLOP per row, 65,009 weights, batch 64.
    expect(usefulWorkers(2, 14.4e6, 64, 65_009)).toEqual({ workers: 2 });
    const eight = usefulWorkers(8, 14.4e6, 64, 65_009);
    expect(eight.workers).toBe(7);
    expect((14.4e6 * (64 / 7)) / 65_009).toBeGreaterThanOrEqual(MIN_SHARD_FLOPS_PER_WEIGHT);
    expect((14.4e6 * (64 / 8)) / 65_009).toBeLessThan(MIN_SHARD_FLOPS_PER_WEIGHT);
  });

  it('leaves the request alone without a FLOP count, for one thread, and for a large enough batch', () => {
    expect(usefulWorkers(4, undefined, 8, 1e9)).toEqual({ workers: 4 });
    expect(usefulWorkers(1, dense.flops, 128, dense.weights)).toEqual({ workers: 1 });
    expect(usefulWorkers(2, dense.flops, 4096, dense.weights)).toEqual({ workers: 2 });
  });
});
