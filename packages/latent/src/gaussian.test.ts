import { createMatrix, type LatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { moments2d, normalPdf2d, sampleMixture2d, type Normal2d } from './__fixtures__/gaussian-reference.js';
import { densityFromJSON } from './density-from-json.js';
import { GaussianDensity, fitGaussian } from './gaussian.js';

function thrown(fn: () => unknown): LatentkitError | undefined {
  try {
    fn();
  } catch (e) {
    return e as LatentkitError;
  }
  return undefined;
}

const TRUE: Normal2d = { mean: [0.5, -1], cov: [1, 0.5, 0.8] };

describe('fitGaussian', () => {
  it('uses the maximum-likelihood (divide-by-n) estimator (hand-checked)', () => {
    // Corners of a 2×2 square: mean [1,1], each variance (1+1+1+1)/4 = 1, no correlation.
    const g = fitGaussian(createMatrix(4, 2, [0, 0, 2, 0, 0, 2, 2, 2]));
    expect(Array.from(g.mean)).toEqual([1, 1]);
    expect(Array.from(g.covariance)).toEqual([1, 0, 0, 1]);
    expect(g.sampleCount).toBe(4);
  });

  it('matches the sample moments of the codes', () => {
    const codes = sampleMixture2d([TRUE], [1], 2000, 3);
    const ref = moments2d(codes);
    const g = fitGaussian(codes);
    expect(g.mean[0]).toBeCloseTo(ref.mean[0], 10);
    expect(g.mean[1]).toBeCloseTo(ref.mean[1], 10);
    expect(g.covariance[0]).toBeCloseTo(ref.cov[0], 10);
    expect(g.covariance[1]).toBeCloseTo(ref.cov[1], 10);
    expect(g.covariance[2]).toBeCloseTo(ref.cov[1], 10);
    expect(g.covariance[3]).toBeCloseTo(ref.cov[2], 10);
  });

  it('draws samples that reproduce μ and Σ for large n', () => {
    const g = new GaussianDensity(Float64Array.of(...TRUE.mean), Float64Array.of(1, 0.5, 0.5, 0.8));
    const s = moments2d(g.sample(50_000, 11));
    expect(Math.abs(s.mean[0] - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(s.mean[1] + 1)).toBeLessThan(0.02);
    expect(Math.abs(s.cov[0] - 1)).toBeLessThan(0.02);
    expect(Math.abs(s.cov[1] - 0.5)).toBeLessThan(0.02);
    expect(Math.abs(s.cov[2] - 0.8)).toBeLessThan(0.02);
  });

  it('is deterministic under a seed', () => {
    const g = fitGaussian(sampleMixture2d([TRUE], [1], 100, 1));
    expect(g.sample(20, 5).data).toEqual(g.sample(20, 5).data);
    expect(g.sample(20, 5).data).not.toEqual(g.sample(20, 6).data);
  });

  it('gives the closed-form 2-D normal log density', () => {
    const g = new GaussianDensity(Float64Array.of(...TRUE.mean), Float64Array.of(1, 0.5, 0.5, 0.8));
    const pts = [0.5, -1, 0, 0, 2, 1, -3, 0.25, 1.5, -2.5];
    const log = g.logDensity(createMatrix(5, 2, pts));
    for (let i = 0; i < 5; i++) {
      // The matrix holds float32, so compare against the pdf at the float32-rounded point.
      const x = Math.fround(pts[2 * i]!), y = Math.fround(pts[2 * i + 1]!);
      expect(log[i]).toBeCloseTo(Math.log(normalPdf2d(TRUE, x, y)), 10);
    }
  });

  it('zeroes off-diagonals with the diagonal option and factorises the density', () => {
    const codes = sampleMixture2d([TRUE], [1], 500, 2);
    const full = fitGaussian(codes);
    const diag = fitGaussian(codes, { covariance: 'diagonal' });
    expect(full.covariance[1]).not.toBe(0);
    expect(diag.covariance[1]).toBe(0);
    expect(diag.covariance[2]).toBe(0);
    expect(diag.covariance[0]).toBeCloseTo(full.covariance[0]!, 12);
    expect(diag.covariance[3]).toBeCloseTo(full.covariance[3]!, 12);
    // A diagonal Gaussian is a product of 1-D normals.
    const [vx, vy] = [diag.covariance[0]!, diag.covariance[3]!];
    const normal1d = (v: number, m: number, s2: number) => -0.5 * Math.log(2 * Math.PI * s2) - ((v - m) * (v - m)) / (2 * s2);
    const z = createMatrix(1, 2, [1, 1]);
    expect(diag.logDensity(z)[0]).toBeCloseTo(normal1d(1, diag.mean[0]!, vx) + normal1d(1, diag.mean[1]!, vy), 10);
  });

  it('still samples and scores when the codes lie on a line (jitter)', () => {
    const codes = createMatrix(50, 2);
    for (let i = 0; i < 50; i++) {
      codes.data[2 * i] = i / 10;
      codes.data[2 * i + 1] = (2 * i) / 10;
    }
    const g = fitGaussian(codes);
    expect(g.jitter).toBeGreaterThan(0);
    // Starts at 1e-6·trace/d and grows ×10 only as needed.
    const trace = g.covariance[0]! + g.covariance[3]!;
    expect(g.jitter).toBeLessThanOrEqual(1e-6 * (trace / 2) * 1e4);
    const s = g.sample(200, 1);
    for (let i = 0; i < 200; i++) {
      const x = s.data[2 * i]!, y = s.data[2 * i + 1]!;
      expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
      expect(Math.abs(y - 2 * x)).toBeLessThan(0.05); // stays on the line up to the jitter
    }
    const log = g.logDensity(codes);
    expect(log.every(Number.isFinite)).toBe(true);
  });

  it('grows the jitter ×10 from 1e-6·trace/d until Σ factorises', () => {
    // Eigenvalues 4 and −2: jitters 1e-6, 1e-5, …, 1 leave it indefinite; 10 is the first that works.
    const g = new GaussianDensity(Float64Array.of(0, 0), Float64Array.of(1, 3, 3, 1));
    expect(g.jitter / 10).toBeCloseTo(1, 9);
  });

  it('handles identical codes (zero covariance)', () => {
    const g = fitGaussian(createMatrix(3, 2, [1, 2, 1, 2, 1, 2]));
    expect(g.jitter).toBeGreaterThan(0);
    expect(Number.isFinite(g.logDensity(createMatrix(1, 2, [1, 2]))[0]!)).toBe(true);
  });

  it('round-trips through JSON text', () => {
    const g = fitGaussian(sampleMixture2d([TRUE], [1], 300, 4));
    const back = densityFromJSON(JSON.parse(JSON.stringify(g)));
    expect(back).toBeInstanceOf(GaussianDensity);
    const z = createMatrix(2, 2, [0, 0, 1, -1]);
    expect(back.logDensity(z)).toEqual(g.logDensity(z));
    expect(back.sample(10, 3).data).toEqual(g.sample(10, 3).data);
  });

  it('refuses bad input with one clear line', () => {
    expect(thrown(() => fitGaussian(createMatrix(0, 2)))?.code).toBe('E_EMPTY');
    expect(thrown(() => fitGaussian(createMatrix(2, 2, [0, NaN, 1, 1])))?.message).toMatch(/non-finite value \(NaN\) at row 0, column 1/);
    expect(thrown(() => fitGaussian(createMatrix(2, 1, [0, 1]), { covariance: 'sparse' as 'full' }))?.code).toBe('E_OPTION');
    const g = fitGaussian(createMatrix(2, 2, [0, 0, 1, 1]));
    expect(thrown(() => g.logDensity(createMatrix(1, 3)))?.message).toMatch(/3 columns but the density is 2-dimensional/);
    expect(thrown(() => g.sample(-1))?.code).toBe('E_OPTION');
    const json = g.toJSON();
    expect(thrown(() => GaussianDensity.fromJSON({ ...json, mean: [0] }))?.message).toMatch(/gaussian density JSON: mean must be 2 finite numbers/);
    expect(thrown(() => GaussianDensity.fromJSON({ ...json, version: 99 }))?.code).toBe('E_BUNDLE_VERSION');
    expect(thrown(() => densityFromJSON({ kind: 'flow' }))?.code).toBe('E_INPUT_FORMAT');
    expect(thrown(() => densityFromJSON(null))?.code).toBe('E_INPUT_FORMAT');
  });
});
