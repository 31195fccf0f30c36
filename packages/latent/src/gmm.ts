import { LatentkitError, createMatrix, createRng, type Matrix } from '@latentkit/core';
import { assertCount, assertDim, assertSeed } from './checks.js';
import { DENSITY_FORMAT, DENSITY_FORMAT_VERSION, type GaussianMixtureJson, type LatentDensity } from './density.js';
import { bad, readCovarianceType, readInt, readNumber, readObject, readVector } from './density-json.js';
import { GaussianComponent } from './gaussian-component.js';
import { columnsOf } from './columns.js';
import type { MixtureParams } from './gmm-em.js';
import { mixtureLogTermsOfColumns, type MixtureLogTermsOut } from './gmm-estep.js';
import type { CovarianceType } from './moments.js';

export interface GaussianMixtureInit {
  readonly weights: ArrayLike<number>;
  readonly means: readonly ArrayLike<number>[];
  /** d×d row-major per component (zeros off the diagonal for 'diagonal'). */
  readonly covariances: readonly ArrayLike<number>[];
  readonly covarianceType?: CovarianceType;
  readonly logLikelihood?: number;
  readonly bic?: number;
  readonly converged?: boolean;
  readonly iterations?: number;
  readonly sampleCount?: number;
  readonly selection?: readonly { k: number; bic: number }[];
}

/** A Gaussian mixture over codes: fit one with fitGaussianMixture, or build one from known parameters. */
export class GaussianMixtureDensity implements LatentDensity {
  readonly kind = 'gaussian-mixture' as const;
  readonly dim: number;
  readonly k: number;
  readonly covarianceType: CovarianceType;
  readonly weights: Float64Array;
  readonly logLikelihood: number;
  readonly bic: number;
  readonly converged: boolean;
  readonly iterations: number;
  readonly sampleCount: number;
  /** BIC per k tried, when k was chosen automatically. */
  readonly selection: readonly { k: number; bic: number }[] | undefined;
  private readonly params: MixtureParams;
  private readonly logWeights: Float64Array;

  constructor(init: GaussianMixtureInit) {
    const k = init.weights.length;
    if (k === 0) throw new LatentkitError('E_SHAPE', 'a mixture needs at least one component');
    if (init.means.length !== k || init.covariances.length !== k) {
      throw new LatentkitError('E_SHAPE', `mixture has ${k} weights but ${init.means.length} means and ${init.covariances.length} covariances`);
    }
    const d = init.means[0]!.length;
    if (d === 0) throw new LatentkitError('E_SHAPE', 'a mixture needs at least one dimension');
    const weights = Float64Array.from(init.weights);
    let total = 0;
    for (const w of weights) {
      if (!(w >= 0)) throw new LatentkitError('E_INPUT_VALUE', `mixture weights must be ≥ 0, got ${w}`);
      total += w;
    }
    if (!(Math.abs(total - 1) < 1e-6)) throw new LatentkitError('E_INPUT_VALUE', `mixture weights must sum to 1, got ${total}`);
    const components = init.means.map((m, c) => {
      const cov = init.covariances[c]!;
      if (m.length !== d || cov.length !== d * d) throw new LatentkitError('E_SHAPE', `mixture component ${c} does not match dimension ${d}`);
      return new GaussianComponent(Float64Array.from(m), Float64Array.from(cov), `mixture component ${c} covariance`);
    });
    this.dim = d;
    this.k = k;
    this.covarianceType = init.covarianceType ?? 'full';
    this.weights = weights;
    this.logWeights = weights.map(Math.log);
    this.params = { weights, components };
    this.logLikelihood = init.logLikelihood ?? NaN;
    this.bic = init.bic ?? NaN;
    this.converged = init.converged ?? false;
    this.iterations = init.iterations ?? 0;
    this.sampleCount = init.sampleCount ?? 0;
    this.selection = init.selection?.map((s) => ({ ...s }));
  }

  static fromJSON(json: unknown): GaussianMixtureDensity {
    const kind = 'gaussian-mixture';
    const o = readObject(json, kind);
    const d = readInt(o, 'dim', kind, 1);
    const k = readInt(o, 'k', kind, 1);
    const arrays = (key: string, length: number): Float64Array[] => {
      const v = o[key];
      if (!Array.isArray(v) || v.length !== k) throw bad(kind, `${key} must hold ${k} arrays`);
      return v.map((a, c) => readVector(a, length, `${key}[${c}]`, kind));
    };
    const selection = o.selection;
    if (selection !== undefined && (!Array.isArray(selection) || selection.some((s) => typeof s?.k !== 'number' || typeof s?.bic !== 'number'))) {
      throw bad(kind, 'selection must be a list of { k, bic }');
    }
    return new GaussianMixtureDensity({
      weights: readVector(o.weights, k, 'weights', kind),
      means: arrays('means', d),
      covariances: arrays('covariances', d * d),
      covarianceType: readCovarianceType(o, kind),
      // A hand-built mixture has no fit statistics; toJSON writes their NaN as null.
      logLikelihood: o.logLikelihood === null ? NaN : readNumber(o, 'logLikelihood', kind),
      bic: o.bic === null ? NaN : readNumber(o, 'bic', kind),
      converged: o.converged === true,
      iterations: readInt(o, 'iterations', kind, 0),
      sampleCount: readInt(o, 'sampleCount', kind, 0),
      ...(selection ? { selection: selection as { k: number; bic: number }[] } : {}),
    });
  }

  get means(): Float64Array[] {
    return this.params.components.map((c) => c.mean);
  }

  /** d×d row-major per component, including the regularisation EM added. */
  get covariances(): Float64Array[] {
    return this.params.components.map((c) => c.covariance);
  }

  logDensity(z: Matrix): Float64Array {
    assertDim(z, this.dim, 'codes');
    return this.logTerms(z, false).rowLogLikelihood;
  }

  /** Posterior component probabilities (n×k, row-major) for every code: soft cluster labels. */
  responsibilities(z: Matrix): Float64Array {
    assertDim(z, this.dim, 'codes');
    const k = this.k;
    const n = z.rows;
    const { terms } = this.logTerms(z, true);
    const out = new Float64Array(n * k);
    for (let c = 0; c < k; c++) for (let i = 0; i < n; i++) out[i * k + c] = terms[c * n + i]!;
    return out;
  }

  /** Every code's per-component log terms (k×n), batched per component. */
  private logTerms(z: Matrix, responsibilities: boolean): MixtureLogTermsOut {
    const out = { terms: new Float64Array(this.k * z.rows), rowLogLikelihood: new Float64Array(z.rows) };
    mixtureLogTermsOfColumns(this.params.components, this.logWeights, columnsOf(z), z.rows, out, responsibilities);
    return out;
  }

  sample(n: number, seed = 0): Matrix {
    assertCount(n, 'sample count');
    assertSeed(seed, 'sample');
    const rng = createRng(seed);
    const out = new Float32Array(n * this.dim);
    for (let i = 0; i < n; i++) {
      let u = rng.next();
      let c = 0;
      // Walk the cumulative weights; the last component absorbs rounding.
      while (c < this.k - 1 && u >= this.weights[c]!) u -= this.weights[c++]!;
      this.params.components[c]!.sampleInto(rng, out, i * this.dim);
    }
    return createMatrix(n, this.dim, out);
  }

  toJSON(): GaussianMixtureJson {
    return {
      format: DENSITY_FORMAT,
      version: DENSITY_FORMAT_VERSION,
      kind: 'gaussian-mixture',
      dim: this.dim,
      covarianceType: this.covarianceType,
      k: this.k,
      weights: Array.from(this.weights),
      means: this.means.map((m) => Array.from(m)),
      covariances: this.covariances.map((c) => Array.from(c)),
      logLikelihood: this.logLikelihood,
      bic: this.bic,
      converged: this.converged,
      iterations: this.iterations,
      sampleCount: this.sampleCount,
      ...(this.selection ? { selection: this.selection.map((s) => ({ ...s })) } : {}),
    };
  }
}
