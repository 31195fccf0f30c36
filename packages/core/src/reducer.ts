import type { Dataset } from './dataset.js';
import type { Matrix } from './matrix.js';
import type { ModelBundle } from './bundle.js';
import type { ProgressListener } from './progress.js';

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

/**
 * A model that maps x ∈ R^D to a code z ∈ R^d (encode, f) and back to x̂ (decode, g).
 * Matrices hold one sample per row; encode and decode batch internally so any row count is safe.
 */
export interface Reducer {
  readonly kind: string;
  /** d, the latent dimension (known after fit for reducers that pick it from the data). */
  readonly latentDim: number;
  /** D, the input dimension; undefined before fit. */
  readonly inputDim: number | undefined;
  /** Shape of one input sample ([h,w,c] for images, [D] otherwise); undefined before fit. */
  readonly inputShape: readonly number[] | undefined;
  /** Number of trainable parameters (weights, or components × D for PCA). */
  readonly parameterCount: number;
  fit(data: Dataset, options?: FitOptions): Promise<FitResult>;
  encode(x: Matrix): Promise<Matrix>;
  decode(z: Matrix): Promise<Matrix>;
  save(): Promise<ModelBundle>;
  /** Frees backend memory (tensors); the reducer is unusable afterwards. */
  dispose(): void;
}
