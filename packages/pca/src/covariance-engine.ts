import type { ScoreScreen, ScoreTask } from './sign-scores.js';
import { computeGramChunk, type GramChunk, type GramChunkTask, gramChunkKernelBytes, gramChunkResultBytes } from './gram-chunk.js';

/**
 * Computes the Gram sums of row chunks for the covariance pass. The pass splits rows into fixed chunks
 * and adds the results in chunk order, so every engine gives bit-identical covariances.
 */
export interface CovarianceEngine {
  readonly name: string;
  /** Chunks the covariance pass keeps in flight at once (1: one after another). */
  readonly concurrency: number;
  /**
   * Peak bytes the engine holds while `inFlight` chunks of rows×cols are outstanding (kernel memory, copies
   * of the rows, results not yet added), so a fit can keep no more chunks in flight than its memory limit
   * allows. Engines without it are planned as needing `inFlight` × (kernel memory + result + rows).
   */
  memoryBytes?(rows: number, cols: number, inFlight: number): number;
  gramChunk(task: GramChunkTask): Promise<GramChunk>;
  /**
   * The sign rule's screening of a block of rows (see flipSignsByScores). Engines without it leave that pass
   * on the calling thread; engines with it must answer exactly as screenScores does.
   */
  screenScores?(task: ScoreTask): Promise<ScoreScreen>;
}

/** Runs each chunk on the calling thread with the WebAssembly SIMD kernel (the default). */
export const inlineCovarianceEngine: CovarianceEngine = {
  name: 'inline',
  concurrency: 1,
  // One chunk at a time: the kernel's memory plus the copy of its sums handed back (the covariance pass
  // itself adds the sums straight from the kernel's memory, without the copy).
  memoryBytes: (_rows, cols) => gramChunkKernelBytes(cols) + gramChunkResultBytes(cols),
  gramChunk: async (task) => computeGramChunk(task),
};

/** What an engine holds with `inFlight` chunks outstanding (its own estimate, else a conservative one). */
export function engineMemoryBytes(engine: CovarianceEngine, rows: number, cols: number, inFlight: number): number {
  if (engine.memoryBytes) return engine.memoryBytes(rows, cols, inFlight);
  return inFlight * (gramChunkKernelBytes(cols) + gramChunkResultBytes(cols) + rows * cols * 4);
}

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
