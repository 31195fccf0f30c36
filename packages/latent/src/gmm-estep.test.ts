import { createMatrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { randomCovariance, randomRows, referenceLogPdf } from './__fixtures__/gmm-reference.js';
import { columnsOf } from './columns.js';
import { GaussianComponent } from './gaussian-component.js';
import { mixtureLogTermsOfColumns } from './gmm-estep.js';

const d = 4;
const n = 23; // not a multiple of the 4-row tile
const means = [[0, 0, 0, 0], [1, -1, 0.5, 2], [400, 400, 400, 400]].map((m) => Float64Array.from(m));
// An ordinary component, a near-singular one (smallest eigenvalue 1e-9) and one so far away that its
// responsibilities underflow to exactly 0.
const covariances = [randomCovariance(d, 1, 0.2), randomCovariance(d, 2, 1e-9), randomCovariance(d, 3, 0.5)];
const weights = Float64Array.from([0.5, 0.3, 0.2]);
const x = createMatrix(n, d, randomRows(n, d, 4, 1.2, 0.3));

function run(responsibilities: boolean) {
  const components = means.map((m, c) => new GaussianComponent(m, covariances[c]!));
  const out = { terms: new Float64Array(3 * n), rowLogLikelihood: new Float64Array(n) };
  const total = mixtureLogTermsOfColumns(components, weights.map(Math.log), columnsOf(x), n, out, responsibilities);
  return { components, out, total };
}

describe('mixtureLogTermsOfColumns', () => {
  it('equals the per-row log-sum-exp of log w_c + log N(x; μ_c, Σ_c)', () => {
    const { out, total } = run(false);
    let sum = 0;
    for (let i = 0; i < n; i++) {
      const row = x.data.subarray(i * d, (i + 1) * d);
      const terms = means.map((m, c) => Math.log(weights[c]!) + referenceLogPdf(row, m, covariances[c]!));
      const max = Math.max(...terms);
      const want = max + Math.log(terms.reduce((s, t) => s + Math.exp(t - max), 0));
      expect(Math.abs(out.rowLogLikelihood[i]! - want)).toBeLessThanOrEqual(1e-12 * Math.abs(want));
      for (let c = 0; c < 3; c++) expect(Math.abs(out.terms[c * n + i]! - terms[c]!)).toBeLessThanOrEqual(1e-12 * Math.abs(terms[c]!));
      sum += out.rowLogLikelihood[i]!;
    }
    expect(total).toBe(sum);
  });

  it('writes posterior responsibilities that match the per-row formula and sum to 1', () => {
    const { out } = run(true);
    for (let i = 0; i < n; i++) {
      const row = x.data.subarray(i * d, (i + 1) * d);
      const terms = means.map((m, c) => Math.log(weights[c]!) + referenceLogPdf(row, m, covariances[c]!));
      const max = Math.max(...terms);
      const lse = max + Math.log(terms.reduce((s, t) => s + Math.exp(t - max), 0));
      let s = 0;
      for (let c = 0; c < 3; c++) {
        expect(Math.abs(out.terms[c * n + i]! - Math.exp(terms[c]! - lse))).toBeLessThanOrEqual(1e-12);
        s += out.terms[c * n + i]!;
      }
      expect(Math.abs(s - 1)).toBeLessThan(1e-12);
      expect(out.terms[2 * n + i]).toBe(0);
    }
  });

  it('is bit for bit the row-at-a-time GaussianComponent.logPdfAt', () => {
    const { components, out } = run(false);
    for (let i = 0; i < n; i++) {
      for (let c = 0; c < 3; c++) expect(out.terms[c * n + i]).toBe(Math.log(weights[c]!) + components[c]!.logPdfAt(x.data, i * d));
    }
  });
});
