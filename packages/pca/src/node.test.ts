import { createRng, isLatentkitError } from '@latentkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { getCovarianceEngine, inlineCovarianceEngine, setCovarianceEngine } from './covariance-engine.js';
import { COVARIANCE_CHUNK_ROWS, covariance } from './covariance.js';
import { createWorkerCovarianceEngine, useWorkerThreads } from './node.js';

// The workers run the built worker script (dist/node/covariance-worker.js): build the package first.
afterEach(() => {
  setCovarianceEngine(undefined);
});

function dataset(kind: 'byte' | 'general', rows: number, cols: number) {
  const rng = createRng(kind === 'byte' ? 1 : 2);
  const data = Float32Array.from({ length: rows * cols }, () => (kind === 'byte' ? Math.fround(rng.int(256) / 255) : rng.normal() * 2 + 1));
  return { data, rows, cols };
}

describe('worker-thread covariance engine', () => {
  it.each(['byte', 'general'] as const)('equals the single-threaded result bit for bit (%s data, 3 threads)', async (kind) => {
    const x = dataset(kind, 3 * COVARIANCE_CHUNK_ROWS + 5, 10);
    const engine = createWorkerCovarianceEngine(3);
    try {
      const threaded = await covariance(x, { engine });
      const inline = await covariance(x, { engine: inlineCovarianceEngine });
      expect(threaded.byteData).toBe(kind === 'byte');
      expect(Array.from(threaded.covariance)).toEqual(Array.from(inline.covariance));
      expect(Array.from(threaded.mean)).toEqual(Array.from(inline.mean));
    } finally {
      await engine.close();
    }
  });

  it('useWorkerThreads registers the engine for later fits and close() unregisters it', async () => {
    const engine = useWorkerThreads(1);
    expect(engine.threads).toBe(1);
    expect(getCovarianceEngine()).toBe(engine);
    const x = dataset('byte', 50, 4);
    expect(Array.from((await covariance(x)).covariance)).toEqual(Array.from((await covariance(x, { engine: inlineCovarianceEngine })).covariance));
    await engine.close();
    expect(getCovarianceEngine()).toBe(inlineCovarianceEngine);
    await expect(engine.gramChunk({ data: x.data, rows: 50, cols: 4, mode: { kind: 'byte', scale: 255 } })).rejects.toThrow(/closed/);
  });

  it('rejects a thread count that is not a positive integer', () => {
    for (const bad of [0, -1, 1.5]) {
      let error: unknown;
      try {
        createWorkerCovarianceEngine(bad);
      } catch (e) {
        error = e;
      }
      expect(isLatentkitError(error) && error.code).toBe('E_OPTION');
    }
  });
});
