// Memory planning through fitPca: a fit chooses a method that fits its budget (maxBytes here; the
// LATENTKIT_MAX_DATA_BYTES route is exercised in memory-bounds.test.ts) or refuses in one line before it
// allocates anything.
import { isLatentkitError, type Matrix, type ProgressEvent } from '@latentkit/core';
import { afterEach, describe, expect, it } from 'vitest';
import { asDataset, lowRankPlusNoise } from './__fixtures__/synthetic.js';
import { COVARIANCE_CHUNK_ROWS } from './covariance.js';
import { type CovarianceEngine, inlineCovarianceEngine, setCovarianceEngine } from './covariance-engine.js';
import { computeGramChunk } from './gram-chunk.js';
import { fitPca, type PcaFitOptions, type PcaSettings } from './index.js';
import { exactPlan } from './memory-plan.js';

afterEach(() => {
  setCovarianceEngine(undefined);
});

/** An engine that records every chunk it is given and how many were outstanding at once. */
function recordingEngine(concurrency = 1, bytesPerChunk?: number): CovarianceEngine & { calls: number; maxInFlight: number } {
  let inFlight = 0;
  const engine = {
    name: 'recording',
    concurrency,
    calls: 0,
    maxInFlight: 0,
    ...(bytesPerChunk === undefined ? {} : { memoryBytes: (_rows: number, _cols: number, m: number) => m * bytesPerChunk }),
    gramChunk: async (task: Parameters<CovarianceEngine['gramChunk']>[0]) => {
      engine.calls++;
      engine.maxInFlight = Math.max(engine.maxInFlight, ++inFlight);
      await new Promise((resolve) => setTimeout(resolve, 1));
      inFlight--;
      return computeGramChunk(task);
    },
  };
  return engine;
}

async function refusal(x: Matrix, settings: PcaSettings, fitOptions: PcaFitOptions): Promise<{ code: string; message: string; events: ProgressEvent[] }> {
  const events: ProgressEvent[] = [];
  try {
    await fitPca(asDataset(x), settings, { ...fitOptions, onProgress: (e) => events.push(e) });
  } catch (e) {
    expect(isLatentkitError(e), String(e)).toBe(true);
    const { code, message } = e as { code: string; message: string };
    expect(message).not.toContain('\n');
    return { code, message, events };
  }
  throw new Error('expected the fit to be refused');
}

describe('PCA memory planning', () => {
  const x = lowRankPlusNoise(600, 500, 5, 0.05);

  it('refuses a forced exact solver whose covariance exceeds the limit, in one line, before any work', async () => {
    const engine = recordingEngine();
    setCovarianceEngine(engine);
    const { code, message, events } = await refusal(x, { latentDim: 5, solver: 'exact' }, { maxBytes: 1_000_000 });
    expect(code).toBe('E_OPTION');
    expect(message).toMatch(
      /^reducer "pca": the exact solver needs [\d,]+ bytes \([\d.]+ MiB\) for a 500×500 covariance, more than the memory limit of 1,000,000 bytes \(1\.0 MiB\), given as maxBytes; use --opt solver=randomized, fewer columns, or raise maxBytes$/,
    );
    // Nothing was computed: no covariance chunk, not even a progress report.
    expect(engine.calls).toBe(0);
    expect(events).toEqual([]);
    // The same fit with room for the covariance runs on the same engine.
    const { result } = await fitPca(asDataset(x), { latentDim: 5, solver: 'exact' }, { maxBytes: 64 * 2 ** 20 });
    expect(result.info).toMatchObject({ solver: 'exact', method: 'covariance' });
    expect(engine.calls).toBe(1);
  });

  it("'auto' falls back to the randomized solver on the data when no D×D matrix fits, with the same results", async () => {
    const engine = recordingEngine();
    setCovarianceEngine(engine);
    const tight = await fitPca(asDataset(x), { latentDim: 5 }, { seed: 2, maxBytes: 1_000_000 });
    expect(tight.result.info).toMatchObject({ solver: 'randomized', method: 'direct' });
    expect(tight.result.info?.plannedBytes).toBeLessThanOrEqual(1_000_000);
    expect(engine.calls).toBe(0);
    setCovarianceEngine(undefined);
    const roomy = await fitPca(asDataset(x), { latentDim: 5, solver: 'exact' });
    expect(roomy.result.info?.method).toBe('covariance');
    const a = tight.model.explainedVarianceRatio, b = roomy.model.explainedVarianceRatio;
    for (let c = 0; c < 5; c++) expect(Math.abs(a[c]! - b[c]!) / b[c]!).toBeLessThan(1e-4);
  });

  it('suggests a component count for a variance fraction whose exact solve does not fit', async () => {
    const { code, message } = await refusal(x, { latentDim: 0.9 }, { maxBytes: 1_000_000 });
    expect(code).toBe('E_OPTION');
    expect(message).toMatch(/exact solver needs .* 500×500 covariance.*; use a component count with --opt solver=randomized, fewer columns, or raise maxBytes$/);
  });

  it('checks the components a variance fraction keeps before allocating them', async () => {
    const input = { n: 600, D: 500, oversamples: 10, engine: inlineCovarianceEngine };
    const few = exactPlan({ ...input, k: 1 }, Infinity).bytes, many = exactPlan({ ...input, k: 499 }, Infinity).bytes;
    const maxBytes = Math.floor((few + many) / 2);
    const { code, message } = await refusal(x, { latentDim: 0.999999 }, { maxBytes });
    expect(code).toBe('E_OPTION');
    expect(message).toMatch(/^reducer "pca": latentDim 0\.999999 keeps \d+ components, .*; use a smaller variance fraction or a component count, or raise maxBytes$/);
    // A fraction that keeps few components fits the same budget.
    const { model } = await fitPca(asDataset(x), { latentDim: 0.5 }, { maxBytes });
    expect(model.latentDim).toBeLessThan(5);
  });

  it('refuses in one E_INPUT_VALUE line when no method fits, naming the least it needs', async () => {
    const { code, message } = await refusal(x, { latentDim: 5 }, { maxBytes: 10_000 });
    expect(code).toBe('E_INPUT_VALUE');
    expect(message).toMatch(/^reducer "pca": the randomized solver needs [\d,]+ bytes .* for a 500×15 random range finder, more than the memory limit of 10,000 bytes .*; use fewer columns, fewer components, or raise maxBytes$/);
  });

  it('refuses a maxBytes that is not a positive whole number', async () => {
    for (const maxBytes of [0, -1, 1.5, Number.NaN]) {
      const { code, message } = await refusal(x, { latentDim: 2 }, { maxBytes });
      expect(code).toBe('E_OPTION');
      expect(message).toMatch(/^reducer "pca": maxBytes must be a positive whole number of bytes/);
    }
  });

  it('keeps no more covariance chunks in flight than the limit allows, with the same covariance', async () => {
    const rows = 5 * COVARIANCE_CHUNK_ROWS, cols = 8;
    const wide = lowRankPlusNoise(rows, cols, 3, 0.1, 3);
    const reference = await fitPca(asDataset(wide), { latentDim: 3, solver: 'exact' });
    const engine = recordingEngine(8, 10 * 2 ** 20);
    setCovarianceEngine(engine);
    // Room for three chunks of 10 MiB (the rest of the plan is well under 5 MiB for 8 features).
    const limited = await fitPca(asDataset(wide), { latentDim: 3, solver: 'exact' }, { maxBytes: 35 * 2 ** 20 });
    expect(engine.calls).toBe(5);
    expect(engine.maxInFlight).toBe(3);
    expect(Array.from(limited.model.components.data)).toEqual(Array.from(reference.model.components.data));
    // Too little for even one chunk: refused before any.
    const { message } = await refusal(wide, { latentDim: 3, solver: 'exact' }, { maxBytes: 5 * 2 ** 20 });
    expect(message).toMatch(/8×8 covariance/);
    expect(engine.calls).toBe(5);
  });
});
