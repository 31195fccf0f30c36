import { isLatentkitError, type Matrix, mse, sliceRows } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { matrixSource } from './__fixtures__/row-source.js';
import { asDataset, lowRankPlusNoise } from './__fixtures__/synthetic.js';
import { fitPca } from './fit-pca.js';
import { loadPca } from './load-pca.js';
import type { PcaSolver } from './options.js';
import type { Pca } from './pca.js';
import { mergePcaStats } from './pca-stats.js';
import { accumulatePcaStats } from './stats-accumulate.js';
import { reconstructionMseOfStats } from './stats-mse.js';
import { fitPcaFromStats } from './stats-solve.js';
import { fitPcaStream } from './stream-fit.js';
import { passesPlan } from './stream-plan.js';

const BIG = 2 ** 40;

/** Same PCA: equal means, explained variances (relative) and components up to sign. */
function expectSameModel(actual: Pca, reference: Pca, tolerance: number): void {
  expect(actual.latentDim).toBe(reference.latentDim);
  const { k, D } = { k: reference.latentDim, D: reference.inputDim };
  for (let j = 0; j < D; j++) expect(Math.abs(actual.mean[j]! - reference.mean[j]!)).toBeLessThan(1e-5);
  for (let c = 0; c < k; c++) {
    expect(Math.abs(actual.explainedVariance[c]! / reference.explainedVariance[c]! - 1), `variance ${c}`).toBeLessThan(tolerance);
    let dot = 0;
    for (let j = 0; j < D; j++) dot += actual.components.data[c * D + j]! * reference.components.data[c * D + j]!;
    expect(Math.abs(Math.abs(dot) - 1), `component ${c}`).toBeLessThan(tolerance);
  }
  expect(actual.totalVariance / reference.totalVariance).toBeCloseTo(1, 9);
}

const ratioSum = (m: Pca) => m.explainedVarianceRatio.reduce((a, b) => a + b, 0);

describe('PCA from streamed row batches', () => {
  const x = lowRankPlusNoise(2400, 40, 5, 0.3, 21);

  for (const solver of ['exact', 'randomized'] as PcaSolver[]) {
    it(`equals in-memory PCA (${solver}): components up to sign, explained variance`, async () => {
      const source = matrixSource(x, 'x', 500);
      const streamed = await fitPcaStream(source, { latentDim: 6, solver }, { seed: 5, maxBytes: BIG });
      const memory = await fitPca(asDataset(x), { latentDim: 6, solver }, { seed: 5, maxBytes: BIG });
      expectSameModel(streamed.model, memory.model, 1e-6);
      expect(source.passes).toBe(1);
      expect(streamed.result.info).toMatchObject({ method: 'statistics', solver, rows: 2400 });
    });
  }

  it('takes a variance fraction like the in-memory fit', async () => {
    const streamed = await fitPcaStream(matrixSource(x), { latentDim: 0.9 }, { maxBytes: BIG });
    const memory = await fitPca(asDataset(x), { latentDim: 0.9 }, { maxBytes: BIG });
    expect(streamed.model.latentDim).toBe(memory.model.latentDim);
    expectSameModel(streamed.model, memory.model, 1e-6);
  });

  it('fits from merged shard statistics as from the whole stream, and the model saves and loads', async () => {
    const a = await accumulatePcaStats(matrixSource(sliceRows(x, 0, 1000)));
    const b = await accumulatePcaStats(matrixSource(sliceRows(x, 1000, 2400)));
    const merged = await fitPcaFromStats(mergePcaStats(a, b), { latentDim: 4, solver: 'exact' }, { maxBytes: BIG });
    const whole = await fitPcaStream(matrixSource(x), { latentDim: 4, solver: 'exact' }, { maxBytes: BIG });
    // Models hold float32 components: equal to float32 rounding.
    expectSameModel(merged.model, whole.model, 1e-6);
    const loaded = await loadPca(await merged.model.save());
    const probe: Matrix = sliceRows(x, 0, 10);
    expect(Array.from((await loaded.encode(probe)).data)).toEqual(Array.from((await merged.model.encode(probe)).data));
  });

  it('reaches the exact explained-variance sum to 1e-4 with randomized passes when D×D does not fit', async () => {
    const wide = lowRankPlusNoise(1500, 120, 6, 0.05, 8);
    const k = 6, width = k + 10;
    const source = matrixSource(wide, 'wide', 400);
    const maxBytes = passesPlan(120, k, width).bytes + 1000;
    const passes = await fitPcaStream(source, { latentDim: k, solver: 'randomized', powerIterations: 3 }, { seed: 2, maxBytes });
    const exact = await fitPca(asDataset(wide), { latentDim: k, solver: 'exact' }, { maxBytes: BIG });
    expect(passes.result.info).toMatchObject({ method: 'passes', solver: 'randomized', rows: 1500 });
    expect(source.passes).toBe(3 + 2);
    expect(Math.abs(ratioSum(passes.model) - ratioSum(exact.model))).toBeLessThan(1e-4);
    expectSameModel(passes.model, exact.model, 1e-3);
  });

  it('refuses before reading when the D×D statistics do not fit the exact solver: one line with the need and the way out', async () => {
    const source = matrixSource(x);
    const error = await fitPcaStream(source, { latentDim: 3, solver: 'exact' }, { maxBytes: passesPlan(40, 3, 13).bytes + 100 }).catch((e: unknown) => e);
    expect(isLatentkitError(error) && error.code).toBe('E_OPTION');
    expect((error as Error).message).toMatch(/^reducer "pca": fitting from the data in passes needs [\d,]+ bytes .* for a 40×40 covariance, more than the memory limit .*; use --opt solver=randomized/);
    expect(source.passes).toBe(0);
  });

  it('refuses a latentDim that does not reduce before reading', async () => {
    const source = matrixSource(x);
    await expect(fitPcaStream(source, { latentDim: 40 })).rejects.toThrow(/latentDim 40 must be smaller than the input dimension 40/);
    expect(source.passes).toBe(0);
  });
});

describe('reconstruction MSE from statistics', () => {
  it('equals the MSE of reconstructing the rows themselves, for plain and whitened models', async () => {
    const x = lowRankPlusNoise(900, 30, 4, 0.4, 13);
    const held = lowRankPlusNoise(300, 30, 4, 0.4, 14);
    for (const whiten of [false, true]) {
      const { model } = await fitPca(asDataset(x), { latentDim: 5, whiten }, { maxBytes: BIG });
      for (const rows of [x, held]) {
        const direct = mse(rows, await model.decode(await model.encode(rows)));
        const fromStats = reconstructionMseOfStats(model, await accumulatePcaStats(matrixSource(rows)));
        expect(fromStats / direct, `whiten ${whiten}`).toBeCloseTo(1, 5);
      }
    }
  });
});

describe('reconstruction MSE reported by a stream fit', () => {
  it('gives the train and held-out MSE that reconstructing the rows gives', async () => {
    const x = lowRankPlusNoise(800, 25, 3, 0.3, 31);
    const train = sliceRows(x, 0, 600), held = sliceRows(x, 600, 800);
    const heldOut = matrixSource(held, 'held');
    const fitted = await fitPcaStream(matrixSource(train), { latentDim: 3 }, { heldOut, maxBytes: BIG });
    const direct = async (rows: Matrix) => mse(rows, await fitted.model.decode(await fitted.model.encode(rows)));
    expect(fitted.reconstruction?.train.n).toBe(600);
    expect(fitted.reconstruction?.test?.n).toBe(200);
    expect(fitted.reconstruction!.train.mse / (await direct(train))).toBeCloseTo(1, 5);
    expect(fitted.reconstruction!.test!.mse / (await direct(held))).toBeCloseTo(1, 5);
    expect(heldOut.passes).toBe(1);
  });
});
