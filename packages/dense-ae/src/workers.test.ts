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
    const settings = { latentDim: 2, hidden: [16], epochs: 3, batchSize: 32, learningRate: 0.01 };
    const a = await fitDenseAe(data(), settings, { seed: 3, workers: 2 });
    const b = await fitDenseAe(data(), settings, { seed: 3, workers: 2 });
    try {
      expect(a.result.info?.threads).toBe(2);
      const za = await a.model.encode(data().x);
      const zb = await b.model.encode(data().x);
      expect(Array.from(zb.data)).toEqual(Array.from(za.data));
      expect(a.result.history!.at(-1)!.loss).toBeLessThan(a.result.history![0]!.loss);
    } finally {
      a.model.dispose();
      b.model.dispose();
    }
  }, 120_000);
});
