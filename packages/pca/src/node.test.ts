import { createRng, isLatentkitError } from '@latentkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { type CovarianceEngine, getCovarianceEngine, inlineCovarianceEngine, setCovarianceEngine } from './covariance-engine.js';
import { COVARIANCE_CHUNK_ROWS, covariance } from './covariance.js';
import { gramChunkKernelBytes, gramChunkResultBytes } from './gram-chunk.js';
import { fitPca } from './index.js';
import { methodPlan } from './memory-plan.js';
import { flipSignsByScores } from './sign-flip.js';
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
  it('transfers an owned chunk without a copy and copies any other, leaving the caller its rows', async () => {
    const x = dataset('general', 40, 6);
    const engine = createWorkerCovarianceEngine(1);
    try {
      const mode = { kind: 'centred' as const, mean: new Float64Array(6) };
      const kept = x.data.slice();
      const copied = await engine.gramChunk({ data: kept, rows: 40, cols: 6, mode });
      expect(kept.length).toBe(240);
      expect(Array.from(kept)).toEqual(Array.from(x.data));
      const owned = x.data.slice();
      const transferred = await engine.gramChunk({ data: owned, rows: 40, cols: 6, mode, owned: true });
      expect(owned.length).toBe(0); // detached: it went to the worker as it was
      expect(Array.from(transferred.gram)).toEqual(Array.from(copied.gram));
    } finally {
      await engine.close();
    }
  });

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

  it('reads rows on shared memory in place, with the same covariance and sign flips as the calling thread', async () => {
    const plain = dataset('byte', 2 * COVARIANCE_CHUNK_ROWS + 9, 10);
    const data = new Float32Array(new SharedArrayBuffer(plain.data.byteLength));
    data.set(plain.data);
    const x = { ...plain, data };
    const engine = createWorkerCovarianceEngine(2);
    try {
      const threaded = await covariance(x, { engine });
      const inline = await covariance(x, { engine: inlineCovarianceEngine });
      expect(Array.from(threaded.covariance)).toEqual(Array.from(inline.covariance));
      const components = Float64Array.from({ length: 3 * 10 }, (_, i) => Math.sin(i + 1));
      const [a, b] = [components.slice(), components.slice()];
      await flipSignsByScores(x, threaded.mean, a, 3, engine);
      await flipSignsByScores(x, threaded.mean, b, 3);
      expect(Array.from(a)).toEqual(Array.from(b));
      // Shared, never transferred: the caller's rows are all still there.
      expect(data.length).toBe(plain.data.length);
      expect(Array.from(data.subarray(0, 50))).toEqual(Array.from(plain.data.subarray(0, 50)));
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

  it('plans its memory: each running chunk holds a kernel and rows, each outstanding one its sums', async () => {
    const engine = createWorkerCovarianceEngine(4);
    try {
      const [rows, cols] = [COVARIANCE_CHUNK_ROWS, 784];
      const result = gramChunkResultBytes(cols);
      const one = engine.memoryBytes!(rows, cols, 1);
      // A thread with its kernel and rows, the chunk's sums and the last ones added (not yet collected).
      expect(one).toBeGreaterThan(gramChunkKernelBytes(cols) + 2 * result + rows * cols * 4);
      // Eight outstanding on four threads: four running, eight copies of rows and eight sets of sums.
      expect(engine.memoryBytes!(rows, cols, 8) - engine.memoryBytes!(rows, cols, 4)).toBe(4 * (result + rows * cols * 4));
      expect(engine.memoryBytes!(rows, cols, 4) - result).toBe(4 * (one - result));
    } finally {
      await engine.close();
    }
  });

  it('keeps one chunk in flight when the memory limit allows only one, with the same result', async () => {
    const x = dataset('general', 4 * COVARIANCE_CHUNK_ROWS, 10);
    const workers = createWorkerCovarianceEngine(3);
    let inFlight = 0, most = 0;
    const watched: CovarianceEngine = {
      ...workers,
      gramChunk: async (task) => {
        most = Math.max(most, ++inFlight);
        try {
          return await workers.gramChunk(task);
        } finally {
          inFlight--;
        }
      },
    };
    setCovarianceEngine(watched);
    try {
      const input = { n: x.rows, D: x.cols, k: 3, oversamples: 10, engine: watched };
      const single = methodPlan(input, 'covariance', 'exact', 0);
      expect(single.inFlight).toBe(1);
      const limited = await fitPca({ name: 'tall', x }, { latentDim: 3, solver: 'exact' }, { maxBytes: single.bytes });
      expect(most).toBe(1);
      most = 0;
      const free = await fitPca({ name: 'tall', x }, { latentDim: 3, solver: 'exact' });
      expect(most).toBeGreaterThan(1);
      expect(Array.from(limited.model.components.data)).toEqual(Array.from(free.model.components.data));
    } finally {
      await workers.close();
    }
  });

  it('scores the sign rule on its threads and flips what the calling thread flips, first row winning a tie across chunks', async () => {
    const [n, D, k] = [3 * COVARIANCE_CHUNK_ROWS + 7, 12, 5];
    const x = dataset('general', n, D);
    const rng = createRng(9);
    const components = Float64Array.from({ length: k * D }, () => rng.normal());
    const mean = new Float64Array(D);
    // Component 0's largest |score| twice, with opposite signs: in chunk 0 (positive) and in the last chunk
    // (negative). The first row wins the tie, so component 0 keeps its sign.
    const big = Float32Array.from({ length: D }, (_, j) => (components[j]! > 0 ? 64 : -64));
    x.data.set(big, 5 * D);
    x.data.set(big.map((v) => -v), (n - 2) * D);
    const engine = createWorkerCovarianceEngine(2);
    const scored: number[] = [];
    const watched: CovarianceEngine = {
      ...engine,
      screenScores: (task) => {
        scored.push(task.rows);
        return engine.screenScores!(task);
      },
    };
    try {
      const threaded = components.slice();
      await flipSignsByScores(x, mean, threaded, k, watched);
      const inline = components.slice();
      await flipSignsByScores(x, mean, inline, k);
      expect(scored).toEqual([COVARIANCE_CHUNK_ROWS, COVARIANCE_CHUNK_ROWS, COVARIANCE_CHUNK_ROWS, 7]);
      expect(Array.from(threaded)).toEqual(Array.from(inline));
      expect(threaded[0]).toBe(components[0]);
      // Without the first row, the negative one wins and component 0 flips: the tie decided the test above.
      x.data.fill(0, 5 * D, 6 * D);
      const second = components.slice();
      await flipSignsByScores(x, mean, second, k, watched);
      expect(second[0]).toBe(-components[0]!);
    } finally {
      await engine.close();
    }
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
