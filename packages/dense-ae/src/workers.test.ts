import { createRng, createMatrix } from '@latentkit/core';
import { useTrainingWorkers } from '@latentkit/ae-core/node';
import { describe, expect, it } from 'vitest';
import { fitDenseAe } from './index.js';

// Low-rank data: a dense AE learns it in a few epochs, so both runs leave the trivial solution.
function data(n = 256, D = 24) {
  const rng = createRng(5);
  const x = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const a = rng.next(), b = rng.next();
    for (let j = 0; j < D; j++) x[i * D + j] = 0.5 * a * Math.sin(j / 3) + 0.5 * b * Math.cos(j / 5) + 0.25;
  }
  return { name: 'low-rank', x: createMatrix(n, D, x) };
}

describe('data-parallel fits through the plugin', () => {
  it('trains on 2 threads when Node opted in, deterministically for a given seed and worker count', async () => {
    useTrainingWorkers();
    // A dense step splits only with batches large enough to give each shard ≥ 2,000 FLOPs per weight (ae-core's
    // usefulWorkers): this one does ~1.9 FLOPs per weight per row, so 4,096-row batches (2,048 per thread).
    const settings = { latentDim: 2, hidden: [16], epochs: 3, batchSize: 4096, learningRate: 0.03 };
    const a = await fitDenseAe(data(8192), settings, { seed: 3, workers: 2 });
    const b = await fitDenseAe(data(8192), settings, { seed: 3, workers: 2 });
    try {
      expect(a.result.info?.threads).toBe(2);
      const za = await a.model.encode(data(8192).x);
      const zb = await b.model.encode(data(8192).x);
      expect(Array.from(zb.data)).toEqual(Array.from(za.data));
      expect(a.result.history!.at(-1)!.loss).toBeLessThan(a.result.history![0]!.loss);
    } finally {
      a.model.dispose();
      b.model.dispose();
    }
  }, 120_000);

  it('keeps a step too small to split on one thread, and says so in one progress line', async () => {
    useTrainingWorkers();
    const notes: string[] = [];
    const { model, result } = await fitDenseAe(data(), { latentDim: 2, hidden: [16], epochs: 1, batchSize: 32 }, { seed: 3, workers: 2, onProgress: (e) => e.phase === 'workers' && notes.push(e.message ?? '') });
    model.dispose();
    expect(result.info?.threads).toBe(1);
    expect(notes).toEqual([expect.stringMatching(/^training on 1 thread instead of 2: a step of 32 rows is too little work to split: /)]);
  }, 120_000);
});
