import { LatentkitError, createDataset, createRng, type Dataset } from '@latentkit/core';

export type Covariance2 = readonly [readonly [number, number], readonly [number, number]];

export interface GaussianMixtureSpec {
  /** Mixing weights, positive; normalised to sum to 1. */
  readonly weights: readonly number[];
  readonly means: ReadonlyArray<readonly [number, number]>;
  /** Symmetric positive-definite 2×2 covariances [[a, b], [b, c]]. */
  readonly covariances: ReadonlyArray<Covariance2>;
}

export interface GaussianMixtureProcess {
  /** n points drawn from the mixture; labels are component indices. Deterministic for a seed. */
  sample(n: number, seed?: number): Dataset;
  /** Exact log-density of the mixture at (x, y). */
  logDensity(x: number, y: number): number;
  density(x: number, y: number): number;
  /** The validated spec, weights normalised. */
  readonly spec: GaussianMixtureSpec;
}

/** Three well-separated components: a tilted, a round and a narrow one. */
export const DEFAULT_GAUSSIAN_MIXTURE: GaussianMixtureSpec = {
  weights: [0.5, 0.3, 0.2],
  means: [[-4, 0], [4, 1], [0, 6]],
  covariances: [
    [[1.5, 0.6], [0.6, 1]],
    [[1, 0], [0, 1]],
    [[0.5, -0.2], [-0.2, 0.8]],
  ],
};

interface Component {
  readonly logWeight: number;
  readonly mx: number;
  readonly my: number;
  // Inverse covariance [[ia, ib], [ib, ic]] and Cholesky factor [[l11, 0], [l21, l22]].
  readonly ia: number;
  readonly ib: number;
  readonly ic: number;
  readonly logNorm: number;
  readonly l11: number;
  readonly l21: number;
  readonly l22: number;
}

/** A synthetic 2-D Gaussian-mixture data source whose exact density is known, for density tests. */
export function gaussianMixtureProcess(spec: GaussianMixtureSpec = DEFAULT_GAUSSIAN_MIXTURE): GaussianMixtureProcess {
  const normalised = validate(spec);
  const components = normalised.weights.map((w, k) => component(w, normalised.means[k]!, normalised.covariances[k]!));
  const cumulative = cumulativeWeights(normalised.weights);

  const logDensity = (x: number, y: number): number => {
    const terms = components.map((c) => {
      const dx = x - c.mx;
      const dy = y - c.my;
      return c.logWeight + c.logNorm - 0.5 * (c.ia * dx * dx + 2 * c.ib * dx * dy + c.ic * dy * dy);
    });
    const max = Math.max(...terms);
    if (max === -Infinity) return -Infinity;
    return max + Math.log(terms.reduce((s, t) => s + Math.exp(t - max), 0));
  };

  const sample = (n: number, seed = 0): Dataset => {
    if (!Number.isInteger(n) || n < 1) throw new LatentkitError('E_OPTION', `mixture sample size must be a positive integer, got ${n}`);
    const rng = createRng(seed);
    const x = new Float32Array(2 * n);
    const labels = new Int32Array(n);
    for (let i = 0; i < n; i++) {
      const u = rng.next();
      let k = 0;
      while (k < cumulative.length - 1 && u >= cumulative[k]!) k++;
      const c = components[k]!;
      const z1 = rng.normal();
      const z2 = rng.normal();
      x[2 * i] = c.mx + c.l11 * z1;
      x[2 * i + 1] = c.my + c.l21 * z1 + c.l22 * z2;
      labels[i] = k;
    }
    return createDataset({
      name: 'gaussian-mixture',
      x: { data: x, rows: n, cols: 2 },
      labels,
      labelNames: components.map((_, k) => `component ${k}`),
    });
  };

  return { sample, logDensity, density: (x, y) => Math.exp(logDensity(x, y)), spec: normalised };
}

function validate(spec: GaussianMixtureSpec): GaussianMixtureSpec {
  const k = spec.weights.length;
  const bad = (msg: string): LatentkitError => new LatentkitError('E_OPTION', `gaussian mixture: ${msg}`);
  if (k === 0) throw bad('needs at least one component');
  if (spec.means.length !== k || spec.covariances.length !== k) {
    throw bad(`${k} weights but ${spec.means.length} means and ${spec.covariances.length} covariances`);
  }
  if (spec.weights.some((w) => !(w > 0) || !Number.isFinite(w))) throw bad('weights must be positive and finite');
  spec.means.forEach((m, i) => {
    if (m.length !== 2 || !m.every(Number.isFinite)) throw bad(`mean ${i} must be two finite numbers`);
  });
  spec.covariances.forEach((cov, i) => {
    const [[a, b], [b2, c]] = cov;
    if (![a, b, b2, c].every(Number.isFinite) || b !== b2) throw bad(`covariance ${i} must be a finite symmetric 2×2 matrix`);
    if (!(a > 0 && c > 0 && a * c - b * b > 0)) throw bad(`covariance ${i} is not positive definite`);
  });
  const total = spec.weights.reduce((s, w) => s + w, 0);
  return {
    weights: spec.weights.map((w) => w / total),
    means: spec.means.map(([x, y]) => [x, y] as const),
    covariances: spec.covariances.map(([[a, b], [, c]]) => [[a, b], [b, c]] as const),
  };
}

function component(weight: number, mean: readonly [number, number], cov: Covariance2): Component {
  const [[a, b], [, c]] = cov;
  const det = a * c - b * b;
  const l11 = Math.sqrt(a);
  const l21 = b / l11;
  return {
    logWeight: Math.log(weight),
    mx: mean[0],
    my: mean[1],
    ia: c / det,
    ib: -b / det,
    ic: a / det,
    logNorm: -Math.log(2 * Math.PI) - 0.5 * Math.log(det),
    l11,
    l21,
    l22: Math.sqrt(c - l21 * l21),
  };
}

function cumulativeWeights(weights: readonly number[]): number[] {
  let s = 0;
  return weights.map((w) => (s += w));
}
