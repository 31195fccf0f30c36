import { createDataset, createMatrix, type LatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { LinearReducer } from './__fixtures__/linear-reducer.js';
import { combinedScores, densityScores, heldOutClassAuc, reconstructionScores, scoreDataset } from './anomaly.js';
import { GaussianDensity } from './gaussian.js';

// Keeps x0 and drops x1: x̂ = [x0, 0], so the per-sample MSE is x1² / 2.
const PROJECT_FIRST = [[1], [0]];
const X = createMatrix(5, 2, [1, 0, 2, 1, -1, 2, 0, -3, 4, 0.5]);
const STANDARD_1D = new GaussianDensity(Float64Array.of(0), Float64Array.of(1));

function thrown(fn: () => unknown): LatentkitError | undefined {
  try {
    fn();
  } catch (e) {
    return e as LatentkitError;
  }
  return undefined;
}

describe('anomaly scores', () => {
  it('reconstructionScores is the per-sample MSE (hand-checked, across batches)', async () => {
    const scores = await reconstructionScores(new LinearReducer(PROJECT_FIRST), X, { batchSize: 2 });
    expect(Array.from(scores)).toEqual([0, 0.5, 2, 4.5, 0.125]);
  });

  it('densityScores is the negative log density', () => {
    const nll = densityScores(STANDARD_1D, createMatrix(2, 1, [0, 2]));
    expect(nll[0]).toBeCloseTo(0.5 * Math.log(2 * Math.PI), 12);
    expect(nll[1]).toBeCloseTo(0.5 * Math.log(2 * Math.PI) + 2, 12);
  });

  it('combinedScores sums z-scores against the scores themselves by default (hand-checked)', () => {
    // recon [1,2,3]: mean 2, std √(2/3); nll [10,10,40]: mean 20, std √200.
    const c = combinedScores([1, 2, 3], [10, 10, 40]);
    const sr = Math.sqrt(2 / 3), sn = Math.sqrt(200);
    expect(c[0]).toBeCloseTo(-1 / sr - 10 / sn, 12);
    expect(c[1]).toBeCloseTo(0 - 10 / sn, 12);
    expect(c[2]).toBeCloseTo(1 / sr + 20 / sn, 12);
  });

  it('combinedScores standardises against the given reference', () => {
    // reference recon [0, 2]: mean 1, std 1; reference nll [5, 5]: std 0 → left unscaled.
    const c = combinedScores([3], [7], { fitOn: { reconstruction: [0, 2], density: [5, 5] } });
    expect(c[0]).toBeCloseTo(2 + 2, 12);
    expect(thrown(() => combinedScores([1, 2], [1]))?.code).toBe('E_SHAPE');
    expect(thrown(() => combinedScores([1], [1], { fitOn: { reconstruction: [], density: [1] } }))?.code).toBe('E_EMPTY');
  });

  it('scoreDataset returns all three scores, standardised on the reference set', async () => {
    const reducer = new LinearReducer(PROJECT_FIRST);
    const dataset = createDataset({ name: 'test', x: X });
    const reference = createDataset({ name: 'train', x: createMatrix(3, 2, [0, 0, 1, 1, -1, 0.5]) });
    const s = await scoreDataset(reducer, STANDARD_1D, dataset, { reference });
    expect(Array.from(s.reconstruction!)).toEqual([0, 0.5, 2, 4.5, 0.125]);
    // Codes are x0, so the density score is −log N(x0; 0, 1).
    expect(s.density[4]).toBeCloseTo(0.5 * Math.log(2 * Math.PI) + 8, 6);
    const refRecon = await reconstructionScores(reducer, reference.x);
    const refNll = densityScores(STANDARD_1D, createMatrix(3, 1, [0, 1, -1]));
    expect(Array.from(s.combined)).toEqual(Array.from(combinedScores(s.reconstruction, s.density, { fitOn: { reconstruction: refRecon, density: refNll } })));
    // Without a reference the dataset standardises itself, so the combined scores sum to 0.
    const own = await scoreDataset(reducer, STANDARD_1D, dataset);
    expect(own.combined.reduce((a, b) => a + b, 0)).toBeCloseTo(0, 10);
  });

  it('an encode-only reducer is scored by density alone; reconstruction scores say what is missing', async () => {
    const full = new LinearReducer(PROJECT_FIRST);
    const encodeOnly = Object.assign(new LinearReducer(PROJECT_FIRST), { capabilities: ['encode'] as const });
    const dataset = createDataset({ name: 'test', x: X });
    const s = await scoreDataset(encodeOnly, STANDARD_1D, dataset);
    expect(s.reconstruction).toBeUndefined();
    const withDecode = await scoreDataset(full, STANDARD_1D, dataset);
    expect(Array.from(s.density)).toEqual(Array.from(withDecode.density));
    expect(Array.from(s.combined)).toEqual(Array.from(combinedScores(undefined, s.density)));
    const e = await reconstructionScores(encodeOnly, X).catch((err: LatentkitError) => err);
    expect((e as LatentkitError).code).toBe('E_UNSUPPORTED');
    expect((e as Error).message).toBe('reducer "linear-test" does not support decode (needed for reconstruction anomaly scores)');
  });

  it('refuses a density of the wrong dimension and mismatched inputs', async () => {
    const reducer = new LinearReducer(PROJECT_FIRST);
    const wide = new GaussianDensity(Float64Array.of(0, 0), Float64Array.of(1, 0, 0, 1));
    const e = await scoreDataset(reducer, wide, createDataset({ name: 't', x: X })).catch((err: LatentkitError) => err);
    expect((e as LatentkitError).code).toBe('E_SHAPE');
    const e2 = await reconstructionScores(reducer, createMatrix(1, 3)).catch((err: LatentkitError) => err);
    expect((e2 as LatentkitError).message).toMatch(/3 features but the linear-test model expects 2/);
  });

  it('heldOutClassAuc is the rocAuc of "label === heldOut" (hand-checked)', () => {
    // Positives (label 1) score 0.35 and 0.8; negatives 0.1 and 0.4: 3 of 4 pairs ordered right.
    expect(heldOutClassAuc([0.1, 0.4, 0.35, 0.8], Int32Array.of(0, 0, 1, 1), 1)).toBe(0.75);
    // Same scores with class 0 held out: the complement.
    expect(heldOutClassAuc([0.1, 0.4, 0.35, 0.8], Int32Array.of(0, 0, 1, 1), 0)).toBe(0.25);
    // Ties count one half.
    expect(heldOutClassAuc([1, 1], [0, 1], 1)).toBe(0.5);
    expect(thrown(() => heldOutClassAuc([1, 2], [0, 0], 7))?.message).toMatch(/no sample has the held-out label 7/);
    expect(thrown(() => heldOutClassAuc([1], [0, 1], 1))?.code).toBe('E_SHAPE');
  });
});
