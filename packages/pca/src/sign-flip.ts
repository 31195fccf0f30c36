import type { Matrix } from '@latentkit/core';
import { type CovarianceEngine, inlineCovarianceEngine } from './covariance-engine.js';
import { COVARIANCE_CHUNK_ROWS } from './covariance.js';
import { type ScoreExtremes, type ScoreTask, scoreExtremes } from './sign-scores.js';
import { releaseLargeKernelMemory } from './wasm/gram-kernel.js';

/** Rows per block handed to an engine: the covariance pass's chunk, so its memory plan covers this pass too. */
const SCORE_CHUNK_ROWS = COVARIANCE_CHUNK_ROWS;

/**
 * scikit-learn's svd_flip, u-based (the rule PCA uses): each component's sign is chosen so that the
 * sample with the largest |score| (first such sample on ties) gets a positive score. Scores are
 * (x − mean)·v computed in float64 (x·v by the WebAssembly kernel, then minus mean·v). Row blocks go to the
 * engine (worker threads score them in parallel) and their extremes are merged in row order, so every engine
 * flips the same components. Flips rows of `components` (k×D) in place.
 */
export async function flipSignsByScores(
  x: Matrix,
  mean: Float64Array,
  components: Float64Array,
  k: number,
  engine: CovarianceEngine = inlineCovarianceEngine,
  maxInFlight = Infinity,
): Promise<void> {
  const { rows: n, cols: D } = x;
  const kp = k + (k % 2);
  const meanScore = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += mean[j]! * components[c * D + j]!;
    meanScore[c] = s;
  }
  const compT = new Float64Array(D * kp);
  for (let c = 0; c < k; c++) for (let j = 0; j < D; j++) compT[j * kp + c] = components[c * D + j]!;
  const score = engine.scoreExtremes?.bind(engine);
  const blocks = Math.ceil(n / SCORE_CHUNK_ROWS);
  const task = (b: number): ScoreTask => {
    const start = b * SCORE_CHUNK_ROWS, rows = Math.min(SCORE_CHUNK_ROWS, n - start);
    return { data: x.data.subarray(start * D, (start + rows) * D), rows, cols: D, compT, k, meanScore };
  };
  const best = new Float64Array(k).fill(-1);
  const bestSigned = new Float64Array(k);
  const merge = (part: ScoreExtremes): void => {
    for (let c = 0; c < k; c++) {
      if (part.best[c]! > best[c]!) {
        best[c] = part.best[c]!;
        bestSigned[c] = part.signed[c]!;
      }
    }
  };
  if (!score) {
    for (let b = 0; b < blocks; b++) merge(scoreExtremes(task(b)));
    releaseLargeKernelMemory();
  } else {
    const inFlight = Math.max(1, Math.min(engine.concurrency, maxInFlight));
    const pending: (Promise<ScoreExtremes> | undefined)[] = [];
    let submitted = 0;
    for (let b = 0; b < blocks; b++) {
      while (submitted < blocks && submitted - b < inFlight) {
        const result = score(task(submitted));
        // Abandoned blocks (after an earlier failure) must not surface as unhandled rejections.
        result.catch(() => undefined);
        pending[submitted++] = result;
      }
      merge(await pending[b]!);
      pending[b] = undefined;
    }
  }
  for (let c = 0; c < k; c++) if (bestSigned[c]! < 0) negateRow(components, c, D);
}

/**
 * scikit-learn's v-based svd_flip (its randomized solver uses it when there are fewer samples than
 * features): the largest-|value| entry of each component (first on ties) becomes positive.
 */
export function flipSignsByComponents(components: Float64Array, k: number, D: number): void {
  for (let c = 0; c < k; c++) {
    let best = -1, signed = 0;
    for (let j = 0; j < D; j++) {
      const v = components[c * D + j]!;
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        signed = v;
      }
    }
    if (signed < 0) negateRow(components, c, D);
  }
}

function negateRow(m: Float64Array, row: number, D: number): void {
  for (let j = 0; j < D; j++) m[row * D + j] = -m[row * D + j]!;
}
