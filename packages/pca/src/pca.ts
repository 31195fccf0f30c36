import {
  assertCols,
  assertFinite,
  type CreateReducerOptions,
  createBundle,
  type Dataset,
  type FitOptions,
  type FitResult,
  float32Blob,
  inputShapeOf,
  LatentkitError,
  mapRowBatches,
  type Matrix,
  type ModelBundle,
  REDUCER_SPEC_VERSION,
  type Reducer,
  readFloat32Blob,
  validateDataset,
} from '@latentkit/core';
import { fitPca } from './fit.js';
import { checkLatentDim, type PcaOptions, type ResolvedPcaOptions, resolvePcaOptions } from './options.js';
import { decodeBatch, encodeBatch, meanCodes, type PcaProjection, transposedComponents } from './projection.js';

const BATCH_ROWS = 4096;

interface FittedState {
  readonly projection: PcaProjection;
  readonly compT: Float64Array;
  readonly meanCode: Float64Array;
  readonly explainedVariance: Float32Array;
  readonly totalVariance: number;
  readonly noiseVariance: number;
  readonly inputShape: readonly number[];
  readonly solver: 'exact' | 'randomized';
  readonly seed: number | null;
}

/** Principal component analysis as a latentkit Reducer: codes are projections on the top components. */
export class Pca implements Reducer {
  readonly kind = 'pca';
  readonly options: ResolvedPcaOptions;
  /** The requested latentDim: a count, or a variance fraction in (0, 1). */
  readonly requestedLatentDim: number;
  private state: FittedState | undefined;
  private disposed = false;

  constructor(options: CreateReducerOptions & PcaOptions) {
    this.requestedLatentDim = checkLatentDim(options.latentDim);
    this.options = resolvePcaOptions(options);
  }

  /** k: the fitted component count (before fit, the requested count, or 0 for a fraction). */
  get latentDim(): number {
    return this.state?.projection.k ?? (this.requestedLatentDim >= 1 ? this.requestedLatentDim : 0);
  }
  get inputDim(): number | undefined {
    return this.state?.projection.D;
  }
  get inputShape(): readonly number[] | undefined {
    return this.state?.inputShape;
  }
  get parameterCount(): number {
    return this.state ? this.state.projection.k * this.state.projection.D : 0;
  }
  /** k×D, one unit-norm principal axis per row. */
  get components(): Matrix {
    const s = this.fitted();
    return { data: s.projection.components, rows: s.projection.k, cols: s.projection.D };
  }
  get mean(): Float32Array {
    return this.fitted().projection.mean;
  }
  /** Variance along each component (sample variance, n−1), descending. */
  get explainedVariance(): Float32Array {
    return this.fitted().explainedVariance;
  }
  get explainedVarianceRatio(): number[] {
    const s = this.fitted();
    return Array.from(s.explainedVariance, (v) => v / s.totalVariance);
  }
  /** Sum of all feature variances (the trace of the covariance). */
  get totalVariance(): number {
    return this.fitted().totalVariance;
  }
  /** Mean variance of the discarded directions (scikit-learn's noise_variance_). */
  get noiseVariance(): number {
    return this.fitted().noiseVariance;
  }
  /** The solver the last fit (or the saved model) used. */
  get solver(): 'exact' | 'randomized' | undefined {
    return this.state?.solver;
  }

  async fit(data: Dataset, options: FitOptions = {}): Promise<FitResult> {
    this.assertUsable();
    const started = performance.now();
    validateDataset(data);
    assertFinite(data.x, `dataset "${data.name}"`);
    if (data.x.rows < 2) throw new LatentkitError('E_EMPTY', `dataset "${data.name}" needs at least 2 samples for PCA, got ${data.x.rows}`);
    const result = await fitPca(data.x, this.requestedLatentDim, this.options, options);
    this.state = makeState({
      mean: Float32Array.from(result.mean),
      components: Float32Array.from(result.components),
      explainedVariance: Float32Array.from(result.explainedVariance),
      k: result.k,
      D: data.x.cols,
      totalVariance: result.totalVariance,
      noiseVariance: result.noiseVariance,
      inputShape: inputShapeOf(data),
      solver: result.solver,
      whiten: this.options.whiten,
      seed: options.seed ?? null,
    });
    const ratio = this.explainedVarianceRatio;
    return {
      seconds: (performance.now() - started) / 1000,
      info: {
        solver: result.solver,
        components: result.k,
        explainedVarianceRatio: ratio,
        explainedVarianceRatioSum: ratio.reduce((a, b) => a + b, 0),
        noiseVariance: result.noiseVariance,
      },
    };
  }

  async encode(x: Matrix): Promise<Matrix> {
    const s = this.fitted();
    assertCols(x, s.projection.D, 'PCA encode input');
    assertFinite(x, 'PCA encode input');
    return mapRowBatches(x, BATCH_ROWS, s.projection.k, (batch) => encodeBatch(s.projection, s.compT, s.meanCode, batch));
  }

  async decode(z: Matrix): Promise<Matrix> {
    const s = this.fitted();
    assertCols(z, s.projection.k, 'PCA decode input');
    assertFinite(z, 'PCA decode input');
    return mapRowBatches(z, BATCH_ROWS, s.projection.D, (batch) => decodeBatch(s.projection, batch));
  }

  async save(): Promise<ModelBundle> {
    const s = this.fitted();
    const { k, D } = s.projection;
    return createBundle({
      kind: 'pca',
      specVersion: REDUCER_SPEC_VERSION,
      options: { ...this.options, latentDim: this.requestedLatentDim },
      inputShape: s.inputShape,
      latentDim: k,
      seed: s.seed,
      metrics: { explainedVarianceRatioSum: this.explainedVarianceRatio.reduce((a, b) => a + b, 0) },
      extra: { totalVariance: s.totalVariance, noiseVariance: s.noiseVariance, solver: s.solver },
      blobs: {
        mean: float32Blob(s.projection.mean, [D]),
        components: float32Blob(s.projection.components, [k, D]),
        explainedVariance: float32Blob(s.explainedVariance, [k]),
      },
    });
  }

  /** Restores a saved model; wrong blob shapes or missing figures throw E_BUNDLE_CORRUPT. */
  static fromBundle(bundle: ModelBundle): Pca {
    const m = bundle.manifest;
    if (m.kind !== 'pca') throw new LatentkitError('E_BUNDLE_CORRUPT', `bundle holds a "${m.kind}" model, not "pca"`);
    const D = m.inputShape.reduce((a, b) => a * b, 1);
    const k = m.latentDim;
    const totalVariance = m.extra.totalVariance;
    const noiseVariance = m.extra.noiseVariance;
    if (typeof totalVariance !== 'number' || !(totalVariance >= 0)) throw new LatentkitError('E_BUNDLE_CORRUPT', 'pca bundle lacks a valid extra.totalVariance');
    const options = { ...m.options } as Record<string, unknown>;
    const requested = typeof options.latentDim === 'number' ? options.latentDim : k;
    delete options.latentDim;
    const pca = new Pca({ ...(options as PcaOptions), latentDim: requested });
    pca.state = makeState({
      mean: readFloat32Blob(bundle, 'mean', [D]),
      components: readFloat32Blob(bundle, 'components', [k, D]),
      explainedVariance: readFloat32Blob(bundle, 'explainedVariance', [k]),
      k,
      D,
      totalVariance,
      noiseVariance: typeof noiseVariance === 'number' ? noiseVariance : 0,
      inputShape: m.inputShape,
      solver: m.extra.solver === 'randomized' ? 'randomized' : 'exact',
      whiten: pca.options.whiten,
      seed: m.seed,
    });
    return pca;
  }

  dispose(): void {
    this.state = undefined;
    this.disposed = true;
  }

  private assertUsable(): void {
    if (this.disposed) throw new LatentkitError('E_NOT_FITTED', 'this PCA model was disposed');
  }

  private fitted(): FittedState {
    this.assertUsable();
    if (!this.state) throw new LatentkitError('E_NOT_FITTED', 'PCA model is not fitted; call fit() or load a bundle first');
    return this.state;
  }
}

interface StateInit {
  readonly mean: Float32Array;
  readonly components: Float32Array;
  readonly explainedVariance: Float32Array;
  readonly k: number;
  readonly D: number;
  readonly totalVariance: number;
  readonly noiseVariance: number;
  readonly inputShape: readonly number[];
  readonly solver: 'exact' | 'randomized';
  readonly whiten: boolean;
  readonly seed: number | null;
}

function makeState(init: StateInit): FittedState {
  // Whitening divides by sqrt(variance); a zero-variance component keeps scale 1 rather than dividing by zero.
  const codeScale = Float64Array.from(init.explainedVariance, (v) => (init.whiten && v > 0 ? 1 / Math.sqrt(v) : 1));
  const projection: PcaProjection = { mean: init.mean, components: init.components, codeScale, k: init.k, D: init.D };
  return {
    projection,
    compT: transposedComponents(projection),
    meanCode: meanCodes(projection),
    explainedVariance: init.explainedVariance,
    totalVariance: init.totalVariance,
    noiseVariance: init.noiseVariance,
    inputShape: init.inputShape,
    solver: init.solver,
    seed: init.seed,
  };
}
