import type { LossPoint } from '@latentkit/core';
import type { WeightValues } from './network.js';
import type { AdamState } from './optimizer-state.js';

/**
 * Everything the training loop needs to continue after `epoch` completed epochs exactly as if it had
 * never stopped. Per-epoch shuffles depend only on (seed, epoch), so no generator state is needed.
 */
export interface TrainState {
  /** Completed epochs (1-based count). */
  readonly epoch: number;
  readonly history: readonly LossPoint[];
  /** Weights at the end of `epoch`. */
  readonly weights: WeightValues;
  readonly optimizer: AdamState;
  /** Early stopping: the best monitored loss so far, its epoch and weights (the same object as `weights` when best is `epoch`). */
  readonly best: { readonly value: number; readonly epoch: number; readonly weights: WeightValues };
  /** Epochs since the best one (early-stopping patience counter). */
  readonly sinceBest: number;
  /**
   * Which attempt of the fit this state belongs to: 0 (or absent) for the first, k for the k-th retry after
   * a collapse or divergence (weights drawn from a derived seed, learning rate lowered). Resuming continues it.
   */
  readonly attempt?: number;
  /** RMS of the probe rows' codes when the attempt started: the reference for the exploding-codes check. */
  readonly initialCodeRms?: number;
}

/** True when no weight is NaN or ±Inf. */
export function isFiniteWeights(weights: WeightValues): boolean {
  for (const v of weights.values()) if (!v.every(Number.isFinite)) return false;
  return true;
}
