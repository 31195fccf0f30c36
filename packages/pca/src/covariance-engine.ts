import { computeGramChunk, type GramChunk, type GramChunkTask } from './gram-chunk.js';

/**
 * Computes the Gram sums of row chunks for the covariance pass. The pass splits rows into fixed chunks
 * and adds the results in chunk order, so every engine gives bit-identical covariances.
 */
export interface CovarianceEngine {
  readonly name: string;
  /** Chunks the covariance pass keeps in flight at once (1: one after another). */
  readonly concurrency: number;
  gramChunk(task: GramChunkTask): Promise<GramChunk>;
}

/** Runs each chunk on the calling thread with the WebAssembly SIMD kernel (the default). */
export const inlineCovarianceEngine: CovarianceEngine = {
  name: 'inline',
  concurrency: 1,
  gramChunk: async (task) => computeGramChunk(task),
};

let current: CovarianceEngine = inlineCovarianceEngine;

/**
 * Chooses the engine every later PCA fit uses (like tfjs's explicit backend registration); undefined
 * restores the inline one. Returns the engine it replaces.
 */
export function setCovarianceEngine(engine: CovarianceEngine | undefined): CovarianceEngine {
  const previous = current;
  current = engine ?? inlineCovarianceEngine;
  return previous;
}

export function getCovarianceEngine(): CovarianceEngine {
  return current;
}
