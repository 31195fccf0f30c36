import { describe, expect, it } from 'vitest';
import { expectLatentkitError } from './__fixtures__/expect-error.js';
import { gaussianMixtureProcess } from './mixture.js';

/** Bivariate normal density written from the textbook formula with ρ, σx, σy. */
function bivariateNormal(x: number, y: number, mx: number, my: number, sx: number, sy: number, rho: number): number {
  const zx = (x - mx) / sx;
  const zy = (y - my) / sy;
  const q = (zx * zx - 2 * rho * zx * zy + zy * zy) / (1 - rho * rho);
  return Math.exp(-q / 2) / (2 * Math.PI * sx * sy * Math.sqrt(1 - rho * rho));
}

describe('gaussianMixtureProcess', () => {
  it('matches the closed-form mixture density at points', () => {
    const spec = {
      weights: [1, 3], // normalised to 0.25 / 0.75
      means: [[0, 0], [2, -1]] as [number, number][],
      covariances: [[[4, 1.2], [1.2, 1]], [[1, 0], [0, 0.25]]] as [[number, number], [number, number]][],
    };
    const p = gaussianMixtureProcess(spec);
    expect(p.spec.weights).toEqual([0.25, 0.75]);
    for (const [x, y] of [[0, 0], [1, 1], [2, -1], [-3, 2], [5, 5]] as const) {
      const expected = 0.25 * bivariateNormal(x, y, 0, 0, 2, 1, 0.6) + 0.75 * bivariateNormal(x, y, 2, -1, 1, 0.5, 0);
      expect(p.density(x, y)).toBeCloseTo(expected, 12);
      expect(p.logDensity(x, y)).toBeCloseTo(Math.log(expected), 10);
    }
  });

  it('keeps logDensity finite far in the tails', () => {
    const p = gaussianMixtureProcess();
    expect(p.density(1e3, 1e3)).toBe(0);
    expect(Number.isFinite(p.logDensity(1e3, 1e3))).toBe(true);
    expect(p.logDensity(1e3, 1e3)).toBeLessThan(-1e4);
  });

  it('integrates to 1 on a grid (default three components)', () => {
    const p = gaussianMixtureProcess();
    const h = 0.05;
    let sum = 0;
    for (let x = -14; x <= 12; x += h) for (let y = -8; y <= 14; y += h) sum += p.density(x, y);
    expect(sum * h * h).toBeCloseTo(1, 4);
  });

  it('samples with the right component weights, means and covariances, deterministically', () => {
    const p = gaussianMixtureProcess();
    const n = 30000;
    const d = p.sample(n, 11);
    expect([d.x.rows, d.x.cols, d.name]).toEqual([n, 2, 'gaussian-mixture']);
    expect(d.labelNames).toEqual(['component 0', 'component 1', 'component 2']);
    expect(Array.from(p.sample(50, 11).x.data)).toEqual(Array.from(d.x.data.subarray(0, 100)));
    expect(Array.from(p.sample(50, 12).x.data)).not.toEqual(Array.from(d.x.data.subarray(0, 100)));
    p.spec.weights.forEach((w, k) => {
      const rows = [...d.labels!.keys()].filter((i) => d.labels![i] === k);
      // Binomial standard error is below 0.003 here; allow 4 of them.
      expect(Math.abs(rows.length / n - w)).toBeLessThan(0.012);
      const xs = rows.map((i) => d.x.data[2 * i]!);
      const ys = rows.map((i) => d.x.data[2 * i + 1]!);
      const mean = (v: number[]): number => v.reduce((s, a) => s + a, 0) / v.length;
      const [mx, my] = [mean(xs), mean(ys)];
      const cov = (a: number[], ma: number, b: number[], mb: number): number => a.reduce((s, _, i) => s + (a[i]! - ma) * (b[i]! - mb), 0) / (a.length - 1);
      const [[a, b], [, c]] = p.spec.covariances[k]!;
      expect(mx).toBeCloseTo(p.spec.means[k]![0], 1);
      expect(my).toBeCloseTo(p.spec.means[k]![1], 1);
      expect(cov(xs, mx, xs, mx)).toBeCloseTo(a, 1);
      expect(cov(xs, mx, ys, my)).toBeCloseTo(b, 1);
      expect(cov(ys, my, ys, my)).toBeCloseTo(c, 1);
    });
  });

  it('refuses invalid specs and sample sizes', () => {
    const ok = { weights: [1], means: [[0, 0]] as [number, number][], covariances: [[[1, 0], [0, 1]]] as [[number, number], [number, number]][] };
    expectLatentkitError(() => gaussianMixtureProcess({ ...ok, weights: [] }), 'E_OPTION', /at least one component/);
    expectLatentkitError(() => gaussianMixtureProcess({ ...ok, weights: [1, 1] }), 'E_OPTION', /2 weights but 1 means/);
    expectLatentkitError(() => gaussianMixtureProcess({ ...ok, weights: [-1] }), 'E_OPTION', /positive/);
    expectLatentkitError(() => gaussianMixtureProcess({ ...ok, covariances: [[[1, 2], [2, 1]]] }), 'E_OPTION', /not positive definite/);
    expectLatentkitError(() => gaussianMixtureProcess({ ...ok, covariances: [[[1, 0.1], [0.2, 1]]] }), 'E_OPTION', /symmetric/);
    expectLatentkitError(() => gaussianMixtureProcess(ok).sample(0), 'E_OPTION', /positive integer/);
  });
});
