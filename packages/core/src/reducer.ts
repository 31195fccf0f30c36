import type { Dataset } from './dataset.js';
import type { Matrix } from './matrix.js';
import type { ModelBundle } from './bundle.js';
import type { ProgressListener } from './progress.js';
import type { Capability } from './capabilities.js';

export interface FitOptions {
  /** Cancels the fit; the reducer then throws LatentkitError E_ABORTED. */
  readonly signal?: AbortSignal;
  readonly onProgress?: ProgressListener;
  /** Seed for every random choice of the fit; the same seed and data give the same model. */
  readonly seed?: number;
  /**
   * Iterative reducers call this after each completed epoch with a bundle `resumeFrom` can continue from
   * (weights plus optimizer state and the epoch reached). Apps persist it so an interrupted or diverged
   * fit keeps its last good state.
   */
  readonly onCheckpoint?: (checkpoint: ModelBundle, epoch: number) => Promise<void> | void;
  /** Continue a fit from a checkpoint written through onCheckpoint (same data, options and seed). */
  readonly resumeFrom?: ModelBundle;
  /**
   * Data-parallel worker threads a reducer may train on (1 = this thread only). An execution setting, not a
   * model option: reducers that cannot use it ignore it; those that do document how it changes results.
   */
  readonly workers?: number;
}

/** One epoch of a training history (iterative reducers). */
export interface LossPoint {
  readonly epoch: number;
  readonly loss: number;
  readonly valLoss?: number;
  readonly seconds?: number;
}

export interface FitResult {
  readonly seconds: number;
  readonly history?: readonly LossPoint[];
  /** Reducer-specific figures worth reporting, e.g. PCA's explainedVarianceRatio. */
  readonly info?: Readonly<Record<string, number | string | boolean | readonly number[]>>;
}

/** q(z|x) as a diagonal Gaussian per row: the mean and log-variance codes (encode-distribution). */
export interface GaussianCodes {
  readonly mean: Matrix;
  readonly logVar: Matrix;
}

/**
 * A fitted model, made only by a plugin's fit() or load(), so it is never half-initialised: every
 * field holds from the moment you have one. It maps x ∈ R^D to codes z ∈ R^d and, by capability, back
 * (decode), to a distribution (encodeDistribution) or draws samples. Methods a reducer does not declare
 * in `capabilities` are absent; apps check capabilities (or call `requireCapability`) before calling.
 * Matrices hold one sample per row; methods batch internally so any row count is safe.
 */
export interface Reducer {
  readonly kind: string;
  readonly capabilities: readonly Capability[];
  /** d, the latent dimension. */
  readonly latentDim: number;
  /** D, the input dimension. */
  readonly inputDim: number;
  /** Shape of one input sample ([h,w,c] for images, [D] otherwise). */
  readonly inputShape: readonly number[];
  /** Number of fitted parameters (weights, or components × D for PCA). */
  readonly parameterCount: number;
  /** Capability "encode": codes for any rows. */
  encode?(x: Matrix): Promise<Matrix>;
  /** Capability "decode": x̂ = g(z). */
  decode?(z: Matrix): Promise<Matrix>;
  /** Capability "encode-distribution": q(z|x). */
  encodeDistribution?(x: Matrix): Promise<GaussianCodes>;
  /** Capability "sample": n draws from the model's own prior, seeded. */
  sample?(n: number, options?: { readonly seed?: number }): Promise<Matrix>;
  /**
   * Capability "likelihood-bound": a lower bound on log p(x) per row, in nats (a VAE's ELBO), estimated with
   * `samples` draws from q(z|x) (default 1) seeded by `seed` (default 0); −bound is an anomaly score.
   */
  logLikelihoodBound?(x: Matrix, options?: { readonly samples?: number; readonly seed?: number }): Promise<Float64Array>;
  /** Capability "partial-fit": continue learning from more rows; the model stays fitted throughout. */
  partialFit?(data: Dataset, options?: FitOptions): Promise<FitResult>;
  save(): Promise<ModelBundle>;
  /** Frees backend memory (tensors); the model is unusable afterwards. */
  dispose(): void;
}

/** Spec v1's reducer: settings and fitted state in one object, `fit` mutating it. Loaded through the v1 adapter. */
export interface ReducerV1 {
  readonly kind: string;
  readonly latentDim: number;
  readonly inputDim: number | undefined;
  readonly inputShape: readonly number[] | undefined;
  readonly parameterCount: number;
  fit(data: Dataset, options?: FitOptions): Promise<FitResult>;
  encode(x: Matrix): Promise<Matrix>;
  decode(z: Matrix): Promise<Matrix>;
  save(): Promise<ModelBundle>;
  dispose(): void;
}
