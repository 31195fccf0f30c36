import { createMatrix, type LatentkitError, type ProgressEvent } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { normalPdf2d, sampleMixture2d, type Normal2d } from './__fixtures__/gaussian-reference.js';
import { densityFromJSON } from './density-from-json.js';
import { fitGaussian } from './gaussian.js';
import { bayesianInformationCriterion, mixtureParameterCount } from './gmm-bic.js';
import { fitGaussianMixture } from './gmm-fit.js';
import { GaussianMixtureDensity } from './gmm.js';

const COMPONENTS: Normal2d[] = [
  { mean: [-5, 0], cov: [1, 0.3, 0.6] },
  { mean: [5, 0], cov: [0.5, 0, 0.5] },
  { mean: [0, 6], cov: [1.2, -0.4, 0.8] },
];
const WEIGHTS = [0.5, 0.3, 0.2];
const CODES = sampleMixture2d(COMPONENTS, WEIGHTS, 1500, 42);

/** Fitted component index matching each true component (nearest mean). */
function matchComponents(g: GaussianMixtureDensity): number[] {
  return COMPONENTS.map((c) => {
    let best = 0;
    g.means.forEach((m, i) => {
      if (Math.hypot(m[0]! - c.mean[0], m[1]! - c.mean[1]) < Math.hypot(g.means[best]![0]! - c.mean[0], g.means[best]![1]! - c.mean[1])) best = i;
    });
    return best;
  });
}

async function rejection(p: Promise<unknown>): Promise<LatentkitError | undefined> {
  return (await p.then(() => undefined, (e: unknown) => e)) as LatentkitError | undefined;
}

describe('fitGaussianMixture', () => {
  it('recovers a known 3-component 2-D mixture', async () => {
    const g = await fitGaussianMixture(CODES, { k: 3, seed: 1 });
    expect(g.k).toBe(3);
    expect(g.converged).toBe(true);
    const match = matchComponents(g);
    expect(new Set(match).size).toBe(3);
    COMPONENTS.forEach((c, t) => {
      const i = match[t]!;
      expect(Math.abs(g.weights[i]! - WEIGHTS[t]!)).toBeLessThan(0.03);
      expect(Math.abs(g.means[i]![0]! - c.mean[0])).toBeLessThan(0.15);
      expect(Math.abs(g.means[i]![1]! - c.mean[1])).toBeLessThan(0.15);
      expect(Math.abs(g.covariances[i]![0]! - c.cov[0])).toBeLessThan(0.25);
      expect(Math.abs(g.covariances[i]![1]! - c.cov[1])).toBeLessThan(0.25);
    });
  });

  it('picks k = 3 by BIC from [1, 6]', async () => {
    const g = await fitGaussianMixture(CODES, { kRange: [1, 6], seed: 7 });
    expect(g.k).toBe(3);
    expect(g.selection?.map((s) => s.k)).toEqual([1, 2, 3, 4, 5, 6]);
    const bics = g.selection!.map((s) => s.bic);
    expect(g.bic).toBe(Math.min(...bics));
  });

  it('can choose k on a subset and refit the chosen k on every code', async () => {
    const g = await fitGaussianMixture(CODES, { kRange: [1, 5], seed: 2, selectionSampleSize: 500 });
    expect(g.k).toBe(3);
    expect(g.sampleCount).toBe(1500);
    const logL = g.logDensity(CODES).reduce((a, b) => a + b, 0);
    expect(g.bic).toBeCloseTo(bayesianInformationCriterion(logL, 3, 2, 1500, 'full'), 6);
    // The selection BICs were measured on 500 codes, so they are roughly a third of the final one.
    expect(g.selection![2]!.bic).toBeLessThan(g.bic / 2);
    const e = await rejection(fitGaussianMixture(CODES, { kRange: [1, 5], selectionSampleSize: 4 }));
    expect(e?.message).toMatch(/selectionSampleSize \(4\) must be at least the largest k tried \(5\)/);
  });

  it('reports BIC = −2 log L + p ln n with the right parameter count', async () => {
    expect(mixtureParameterCount(3, 2, 'full')).toBe(17); // 3·(2 + 3) + 2
    expect(mixtureParameterCount(3, 2, 'diagonal')).toBe(14); // 3·(2 + 2) + 2
    const g = await fitGaussianMixture(CODES, { k: 3, seed: 1 });
    const logL = g.logDensity(CODES).reduce((a, b) => a + b, 0);
    expect(g.logLikelihood).toBeCloseTo(logL, 6);
    expect(g.bic).toBeCloseTo(-2 * logL + 17 * Math.log(1500), 6);
    expect(bayesianInformationCriterion(logL, 3, 2, 1500, 'full')).toBeCloseTo(g.bic, 6);
  });

  it('is deterministic under a seed', async () => {
    const a = await fitGaussianMixture(CODES, { k: 4, seed: 9 });
    const b = await fitGaussianMixture(CODES, { k: 4, seed: 9 });
    expect(JSON.stringify(a)).toBe(JSON.stringify(b));
    expect(a.sample(50, 2).data).toEqual(b.sample(50, 2).data);
  });

  it('has a log density equal to log Σ w·N computed from the closed-form pdf', async () => {
    const g = await fitGaussianMixture(CODES, { k: 3, seed: 1 });
    const pts = createMatrix(4, 2, [-5, 0, 0, 0, 5, 1, 0, 6]);
    const log = g.logDensity(pts);
    for (let i = 0; i < 4; i++) {
      let p = 0;
      for (let c = 0; c < 3; c++) {
        const cov = g.covariances[c]!;
        p += g.weights[c]! * normalPdf2d({ mean: [g.means[c]![0]!, g.means[c]![1]!], cov: [cov[0]!, cov[1]!, cov[3]!] }, pts.data[2 * i]!, pts.data[2 * i + 1]!);
      }
      expect(log[i]).toBeCloseTo(Math.log(p), 9);
    }
  });

  it('integrates to ≈ 1 on a grid', async () => {
    const g = await fitGaussianMixture(CODES, { k: 3, seed: 1 });
    const step = 0.1;
    const xs = Array.from({ length: 241 }, (_, i) => -12 + i * step);
    const ys = Array.from({ length: 231 }, (_, i) => -8 + i * step);
    const grid = createMatrix(xs.length * ys.length, 2);
    let r = 0;
    for (const x of xs) for (const y of ys) grid.data.set([x, y], 2 * r++);
    const total = g.logDensity(grid).reduce((s, l) => s + Math.exp(l), 0) * step * step;
    expect(total).toBeGreaterThan(0.995);
    expect(total).toBeLessThan(1.005);
  });

  it('with k = 1 equals the single Gaussian plus regCovar', async () => {
    const g = await fitGaussianMixture(CODES, { k: 1, regCovar: 1e-3 });
    const single = fitGaussian(CODES);
    expect(g.weights[0]).toBe(1);
    expect(g.means[0]![0]).toBeCloseTo(single.mean[0]!, 9);
    expect(g.covariances[0]![0]).toBeCloseTo(single.covariance[0]! + 1e-3, 9);
    expect(g.covariances[0]![1]).toBeCloseTo(single.covariance[1]!, 9);
  });

  it('keeps covariances diagonal with the diagonal option', async () => {
    const g = await fitGaussianMixture(CODES, { k: 3, seed: 1, covariance: 'diagonal' });
    for (const c of g.covariances) {
      expect(c[1]).toBe(0);
      expect(c[2]).toBe(0);
      expect(c[0]).toBeGreaterThan(0);
    }
  });

  it('samples with the fitted weights', async () => {
    const g = await fitGaussianMixture(CODES, { k: 3, seed: 1 });
    const s = g.sample(20_000, 3);
    const resp = g.responsibilities(s);
    const counts = [0, 0, 0];
    for (let i = 0; i < s.rows; i++) {
      let best = 0;
      for (let c = 1; c < 3; c++) if (resp[i * 3 + c]! > resp[i * 3 + best]!) best = c;
      counts[best]!++;
    }
    for (let c = 0; c < 3; c++) expect(Math.abs(counts[c]! / s.rows - g.weights[c]!)).toBeLessThan(0.015);
  });

  it('round-trips through JSON text', async () => {
    const g = await fitGaussianMixture(CODES, { kRange: [2, 3], seed: 1 });
    const back = densityFromJSON(JSON.parse(JSON.stringify(g)));
    expect(back).toBeInstanceOf(GaussianMixtureDensity);
    expect(back.logDensity(CODES)).toEqual(g.logDensity(CODES));
    expect((back as GaussianMixtureDensity).selection).toEqual(g.selection);
    expect(() => GaussianMixtureDensity.fromJSON({ ...g.toJSON(), weights: [1] })).toThrow(/weights must be 3 finite numbers/);
  });

  it('builds from given parameters and round-trips without fit statistics', () => {
    const g = new GaussianMixtureDensity({ weights: [0.25, 0.75], means: [[0, 0], [4, 0]], covariances: [[1, 0, 0, 1], [2, 0.5, 0.5, 1]] });
    const back = densityFromJSON(JSON.parse(JSON.stringify(g))) as GaussianMixtureDensity;
    expect(Number.isNaN(back.bic)).toBe(true);
    const p = Math.exp(back.logDensity(createMatrix(1, 2, [4, 0]))[0]!);
    const want = 0.25 * normalPdf2d({ mean: [0, 0], cov: [1, 0, 1] }, 4, 0) + 0.75 * normalPdf2d({ mean: [4, 0], cov: [2, 0.5, 1] }, 4, 0);
    expect(p).toBeCloseTo(want, 12);
    expect(() => new GaussianMixtureDensity({ weights: [0.5, 0.6], means: [[0], [1]], covariances: [[1], [1]] })).toThrow(/sum to 1/);
  });

  it('reports progress up to 1', async () => {
    const events: ProgressEvent[] = [];
    await fitGaussianMixture(CODES, { kRange: [1, 2], seed: 1, onProgress: (e) => events.push(e) });
    expect(events.length).toBeGreaterThan(2);
    expect(events.every((e) => e.phase === 'gmm' && e.fraction! >= 0 && e.fraction! <= 1)).toBe(true);
    expect(events.at(-1)!.fraction).toBe(1);
  });

  it('is cancelled by an abort signal', async () => {
    const before = new AbortController();
    before.abort();
    expect((await rejection(fitGaussianMixture(CODES, { k: 3, signal: before.signal })))?.code).toBe('E_ABORTED');

    const during = new AbortController();
    let iterations = 0;
    const e = await rejection(
      fitGaussianMixture(CODES, { kRange: [1, 6], tol: 0, maxIter: 500, signal: during.signal, onProgress: () => iterations++ === 2 && during.abort() }),
    );
    expect(e?.code).toBe('E_ABORTED');
    expect(e?.message).toMatch(/Gaussian mixture fit was cancelled/);
    expect(iterations).toBeLessThan(10);
  });

  it('refuses bad options', async () => {
    expect((await rejection(fitGaussianMixture(CODES, { k: 0 })))?.code).toBe('E_OPTION');
    expect((await rejection(fitGaussianMixture(createMatrix(2, 2, [0, 0, 1, 1]), { k: 3 })))?.message).toMatch(/k must be an integer in \[1, 2\]/);
    expect((await rejection(fitGaussianMixture(CODES, { kRange: [4, 2] })))?.code).toBe('E_OPTION');
    expect((await rejection(fitGaussianMixture(CODES, { maxIter: 0 })))?.code).toBe('E_OPTION');
    expect((await rejection(fitGaussianMixture(createMatrix(0, 2))))?.code).toBe('E_EMPTY');
  });

  it('survives duplicated codes and more components than distinct points', async () => {
    const codes = createMatrix(6, 2, [0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1]);
    const g = await fitGaussianMixture(codes, { k: 4, seed: 3 });
    expect(g.logDensity(codes).every(Number.isFinite)).toBe(true);
    expect(g.sample(10, 1).data.every(Number.isFinite)).toBe(true);
  });
});
