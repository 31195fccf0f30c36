import {
  assertCols,
  assertFinite,
  type Capability,
  createBundle,
  float32Blob,
  LatentkitError,
  mapRowBatches,
  type Matrix,
  type ModelBundle,
  type PluginPackage,
  REDUCER_SPEC_VERSION,
  type Reducer,
} from '@latentkit/core';
import type { PcaOptions } from './options.js';
import { decodeBatch, encodeBatch, meanCodes, type PcaProjection, transposedComponents } from './projection.js';

const BATCH_ROWS = 4096;

/** Everything a fitted PCA is made of: what fitPca computes and what a bundle stores. */
export interface PcaState {
  readonly mean: Float32Array;
  /** k×D, one unit-norm principal axis per row. */
  readonly components: Float32Array;
  readonly explainedVariance: Float32Array;
  readonly k: number;
  readonly D: number;
  readonly totalVariance: number;
  readonly noiseVariance: number;
  readonly inputShape: readonly number[];
  readonly solver: 'exact' | 'randomized';
  readonly seed: number | null;
  /** The options it was fitted with (defaults filled). */
  readonly options: PcaOptions;
  /** The latentDim asked for: a count, or a variance fraction in (0, 1). */
  readonly requestedLatentDim: number;
  /** The package that wrote it, recorded in saved bundles. */
  readonly package?: PluginPackage;
}

interface Fitted {
  readonly state: PcaState;
  readonly projection: PcaProjection;
  readonly compT: Float64Array;
  readonly meanCode: Float64Array;
}

/**
 * A fitted principal component analysis: codes are projections on the top components. Made only by
 * fitPca or loadPca, so every field holds from the start; dispose() makes it unusable.
 */
export class Pca implements Reducer {
  readonly kind = 'pca';
  readonly capabilities: readonly Capability[] = ['encode', 'decode'];
  readonly options: PcaOptions;
  /** The latentDim asked for: a count, or a variance fraction in (0, 1) (then latentDim is the count it chose). */
  readonly requestedLatentDim: number;
  readonly latentDim: number;
  readonly inputDim: number;
  readonly inputShape: readonly number[];
  readonly parameterCount: number;
  /** The solver the fit used (a loaded model: the one its fit used). */
  readonly solver: 'exact' | 'randomized';
  /** Sum of all feature variances (the trace of the covariance). */
  readonly totalVariance: number;
  /** Mean variance of the discarded directions (scikit-learn's noise_variance_). */
  readonly noiseVariance: number;
  #fitted: Fitted | undefined;

  /** Use fitPca or loadPca; this takes a complete fitted state. */
  constructor(state: PcaState) {
    this.options = state.options;
    this.requestedLatentDim = state.requestedLatentDim;
    this.latentDim = state.k;
    this.inputDim = state.D;
    this.inputShape = state.inputShape;
    this.parameterCount = state.k * state.D;
    this.solver = state.solver;
    this.totalVariance = state.totalVariance;
    this.noiseVariance = state.noiseVariance;
    this.#fitted = prepare(state);
  }

  /** k×D, one unit-norm principal axis per row. */
  get components(): Matrix {
    const { state } = this.#usable();
    return { data: state.components, rows: state.k, cols: state.D };
  }
  get mean(): Float32Array {
    return this.#usable().state.mean;
  }
  /** Variance along each component (sample variance, n−1), descending. */
  get explainedVariance(): Float32Array {
    return this.#usable().state.explainedVariance;
  }
  get explainedVarianceRatio(): number[] {
    return Array.from(this.explainedVariance, (v) => v / this.totalVariance);
  }

  async encode(x: Matrix): Promise<Matrix> {
    const d = this.#usable();
    assertCols(x, d.projection.D, 'PCA encode input');
    assertFinite(x, 'PCA encode input');
    return mapRowBatches(x, BATCH_ROWS, d.projection.k, (batch) => encodeBatch(d.projection, d.compT, d.meanCode, batch));
  }

  async decode(z: Matrix): Promise<Matrix> {
    const d = this.#usable();
    assertCols(z, d.projection.k, 'PCA decode input');
    assertFinite(z, 'PCA decode input');
    return mapRowBatches(z, BATCH_ROWS, d.projection.D, (batch) => decodeBatch(d.projection, batch));
  }

  async save(): Promise<ModelBundle> {
    const s = this.#usable().state;
    return createBundle({
      kind: 'pca',
      specVersion: REDUCER_SPEC_VERSION,
      ...(s.package ? { plugin: s.package } : {}),
      options: { ...s.options, latentDim: s.requestedLatentDim },
      inputShape: s.inputShape,
      latentDim: s.k,
      seed: s.seed,
      metrics: { explainedVarianceRatioSum: this.explainedVarianceRatio.reduce((a, b) => a + b, 0) },
      extra: { totalVariance: s.totalVariance, noiseVariance: s.noiseVariance, solver: s.solver },
      blobs: {
        mean: float32Blob(s.mean, [s.D]),
        components: float32Blob(s.components, [s.k, s.D]),
        explainedVariance: float32Blob(s.explainedVariance, [s.k]),
      },
    });
  }

  /** Drops the fitted arrays; any later use throws. */
  dispose(): void {
    this.#fitted = undefined;
  }

  #usable(): Fitted {
    if (!this.#fitted) throw new LatentkitError('E_NOT_FITTED', 'this PCA model was disposed');
    return this.#fitted;
  }
}

function prepare(s: PcaState): Fitted {
  // Whitening divides by sqrt(variance); a zero-variance component keeps scale 1 rather than dividing by zero.
  const codeScale = Float64Array.from(s.explainedVariance, (v) => (s.options.whiten && v > 0 ? 1 / Math.sqrt(v) : 1));
  const projection: PcaProjection = { mean: s.mean, components: s.components, codeScale, k: s.k, D: s.D };
  return { state: s, projection, compT: transposedComponents(projection), meanCode: meanCodes(projection) };
}
