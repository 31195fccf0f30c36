import { describe, expect, it } from 'vitest';
import type { CovarianceEngine } from './covariance-engine.js';
import { gramChunkKernelBytes, gramChunkResultBytes } from './gram-chunk.js';
import { accumulatorBytes } from './stats-accumulate.js';
import { planStreamPca } from './stream-plan.js';

/** A pretend worker engine: 4 chunks at once, each holding a kernel, its sums and a copy of its rows. */
const engine: CovarianceEngine = {
  name: 'test-workers',
  concurrency: 4,
  memoryBytes: (rows, cols, inFlight) => inFlight * (gramChunkKernelBytes(cols) + gramChunkResultBytes(cols) + rows * cols * 4),
  gramChunk: () => Promise.reject(new Error('not used')),
};

const request = (bytes: number, heldOut?: boolean) => ({
  D: 384, k: 16, width: 26, solver: 'auto' as const, preferred: 'randomized' as const, fraction: false, engine,
  budget: { bytes, source: 'test' }, ...(heldOut === undefined ? {} : { heldOut }),
});

describe('planStreamPca with held-out rows summed alongside', () => {
  it('plans a second accumulator and twice the chunks in flight', () => {
    const alone = planStreamPca(request(2 ** 40));
    const paired = planStreamPca(request(2 ** 40, true));
    expect([alone.method, paired.method, alone.inFlight, paired.inFlight]).toEqual(['statistics', 'statistics', 4, 4]);
    const chunks = engine.memoryBytes!(4096, 384, 4);
    expect(paired.bytes - alone.bytes).toBe(accumulatorBytes(384) + chunks);
  });

  it('keeps fewer chunks in flight when the pair would not fit the budget with as many', () => {
    const alone = planStreamPca(request(2 ** 40));
    const paired = planStreamPca(request(alone.bytes, true));
    expect(paired.bytes).toBeLessThanOrEqual(alone.bytes);
    expect(paired.inFlight).toBeLessThan(alone.inFlight);
  });
});
