import { throwIfAborted } from '@latentkit/core';

/** What every PCA method finds: the leading principal axes of the data and the variance along each. */
export interface PcaSpectrum {
  readonly k: number;
  /** Column means (float64). */
  readonly mean: Float64Array;
  /** Sample variance (n−1) along each of the k components, descending; tiny negatives from rounding are possible. */
  readonly variances: Float64Array;
  /** k×D, orthonormal rows (signs not yet normalised). */
  readonly components: Float64Array;
  /** Sum of all feature variances (the trace of the covariance). */
  readonly totalVariance: number;
}

/**
 * The number of components: a count, or (exact solvers, for a variance fraction) a rule applied to the whole
 * spectrum of variances once known, which may throw before any eigenvector is allocated.
 */
export type ComponentCount = number | ((variances: Float64Array, totalVariance: number) => number);

/** Settings of the randomized solvers (Halko, Martinsson & Tropp 2011). */
export interface RandomizedSettings {
  /** Width of the random subspace (components + oversamples, capped by the data's shape). */
  readonly width: number;
  readonly powerIterations: number;
  readonly seed: number;
}

/** Cancellation and progress, as a fit passes them on. */
export interface SolveControl {
  readonly signal?: AbortSignal | undefined;
  readonly report?: ((phase: string, fraction: number, message?: string) => void) | undefined;
}

/** Lets an AbortSignal (or a UI) get a turn between passes over the data. */
export async function yieldTurn(): Promise<void> {
  await new Promise<void>((resolve) => setTimeout(resolve, 0));
}

/** Yield this often during long passes so an AbortSignal (or a UI) can get a turn. */
const YIELD_MS = 50;

/**
 * A pacer for long loops: each call checks the signal; at most every YIELD_MS it reports the fraction done
 * under `phase` and yields to the event loop (so a signal fired meanwhile is seen).
 */
export function createPacer(control: SolveControl, phase: string): (fraction: number) => Promise<void> {
  let last = performance.now();
  return async (fraction) => {
    throwIfAborted(control.signal, 'PCA fit');
    const now = performance.now();
    if (now - last < YIELD_MS) return;
    last = now;
    control.report?.(phase, fraction);
    await yieldTurn();
    throwIfAborted(control.signal, 'PCA fit');
  };
}
