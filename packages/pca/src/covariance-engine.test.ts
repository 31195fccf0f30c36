import { createRng } from '@latentkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { COVARIANCE_CHUNK_ROWS, covariance } from './covariance.js';
import { type CovarianceEngine, getCovarianceEngine, inlineCovarianceEngine, setCovarianceEngine } from './covariance-engine.js';
import { computeGramChunk } from './gram-chunk.js';

/** An engine that answers chunks out of order (later chunks first), as parallel workers may. */
function shuffledEngine(calls: number[]): CovarianceEngine {
  let index = 0;
  return {
    name: 'shuffled',
    concurrency: 3,
    gramChunk: (task) => {
      const delay = 30 - 10 * (index++ % 3);
      calls.push(task.rows);
      return new Promise((resolve) => setTimeout(() => resolve(computeGramChunk(task)), delay));
    },
  };
}

function generalData(rows: number, cols: number): Float32Array {
  const rng = createRng(5);
  return Float32Array.from({ length: rows * cols }, (_, i) => rng.normal() + (i % cols) * 0.1);
}

afterEach(() => {
  setCovarianceEngine(undefined);
});

describe('covariance engines', () => {
  it('give bit-identical covariances whatever order chunks finish in', async () => {
    const rows = 2 * COVARIANCE_CHUNK_ROWS + 17, cols = 6;
    const x = { data: generalData(rows, cols), rows, cols };
    const calls: number[] = [];
    const reference = await covariance(x, { engine: inlineCovarianceEngine });
    const shuffled = await covariance(x, { engine: shuffledEngine(calls) });
    expect(calls).toEqual([COVARIANCE_CHUNK_ROWS, COVARIANCE_CHUNK_ROWS, 17]);
    expect(Array.from(shuffled.covariance)).toEqual(Array.from(reference.covariance));
    expect(Array.from(shuffled.mean)).toEqual(Array.from(reference.mean));
  });

  it('are chosen with setCovarianceEngine, which returns the one it replaces', async () => {
    const calls: number[] = [];
    const engine = shuffledEngine(calls);
    expect(setCovarianceEngine(engine)).toBe(inlineCovarianceEngine);
    expect(getCovarianceEngine()).toBe(engine);
    await covariance({ data: generalData(10, 3), rows: 10, cols: 3 });
    expect(calls).toEqual([10]);
    expect(setCovarianceEngine(undefined)).toBe(engine);
    expect(getCovarianceEngine()).toBe(inlineCovarianceEngine);
  });
});
