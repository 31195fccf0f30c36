import type { Matrix } from '@latentkit/core';
import { type CovarianceEngine, inlineCovarianceEngine } from './covariance-engine.js';
import { COVARIANCE_CHUNK_ROWS } from './covariance.js';
import { forEachInOrder } from './in-order.js';
import { exactScores, type ScoreScreen, screenScores, type ScoreTask } from './sign-scores.js';
import { releaseLargeKernelMemory } from './wasm/gram-kernel.js';

/** Rows per block handed to an engine: the covariance pass's chunk, so its memory plan covers this pass too. */
const SCORE_CHUNK_ROWS = COVARIANCE_CHUNK_ROWS;

/**
 * scikit-learn's svd_flip, u-based (the rule PCA uses): each component's sign is chosen so that the
 * sample with the largest |score| (first such sample on ties) gets a positive score. Scores are
 * (x − mean)·v as exactScores computes them (float64). Found in two steps with the same outcome: a float32
 * screening of every row (screenScores, on the engine's threads when it has them) bounds each score, and only
 * the rows that could hold a component's largest |score| are scored in float64 and compared in row order.
 * Flips rows of `components` (k×D) in place.
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
  const meanScore = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += mean[j]! * components[c * D + j]!;
    meanScore[c] = s;
  }
  const blocks = Math.ceil(n / SCORE_CHUNK_ROWS);
  const task = (b: number): ScoreTask => {
    const start = b * SCORE_CHUNK_ROWS, rows = Math.min(SCORE_CHUNK_ROWS, n - start);
    return { data: x.data.subarray(start * D, (start + rows) * D), rows, cols: D, components, k, meanScore };
  };
  const screens = await screenBlocks(blocks, task, engine, maxInFlight);
  // A row can hold component c's largest |score| only if its reach is at least every block's floor.
  const floor = new Float64Array(k).fill(-Infinity);
  for (const screen of screens) for (let c = 0; c < k; c++) floor[c] = Math.max(floor[c]!, screen.floor[c]!);
  const candidates: number[][] = Array.from({ length: k }, () => []);
  screens.forEach((screen, b) => {
    for (let c = 0; c < k; c++) {
      for (let i = screen.offsets[c]!; i < screen.offsets[c + 1]!; i++) {
        if (screen.reach[i]! >= floor[c]!) candidates[c]!.push(b * SCORE_CHUNK_ROWS + screen.rows[i]!);
      }
    }
  });
  const rows = [...new Set(candidates.flat())].sort((a, b) => a - b);
  // Candidates in row order, the first largest |score| kept: the plain rule's choice among all rows. Scored a
  // block at a time, so even data where every row ties (constant rows) is never copied whole.
  const best = new Float64Array(k).fill(-1);
  const signed = new Float64Array(k);
  const next = new Int32Array(k); // each component's place in its own (ascending) candidate list
  for (let start = 0; start < rows.length; start += SCORE_CHUNK_ROWS) {
    const block = rows.slice(start, start + SCORE_CHUNK_ROWS);
    const gathered = new Float32Array(block.length * D);
    block.forEach((r, i) => gathered.set(x.data.subarray(r * D, (r + 1) * D), i * D));
    const scores = exactScores(gathered, block.length, D, components, k, meanScore);
    block.forEach((r, i) => {
      for (let c = 0; c < k; c++) {
        if (candidates[c]![next[c]!] !== r) continue;
        next[c]!++;
        const v = scores[i * k + c]!;
        if (Math.abs(v) > best[c]!) {
          best[c] = Math.abs(v);
          signed[c] = v;
        }
      }
    });
  }
  releaseLargeKernelMemory();
  for (let c = 0; c < k; c++) if (signed[c]! < 0) negateRow(components, c, D);
}

/** Every block's screening, in block order: on the engine's threads when it screens, else here. */
async function screenBlocks(blocks: number, task: (b: number) => ScoreTask, engine: CovarianceEngine, maxInFlight: number): Promise<ScoreScreen[]> {
  const screen = engine.screenScores?.bind(engine);
  if (!screen) return Array.from({ length: blocks }, (_, b) => screenScores(task(b)));
  const inFlight = Math.max(1, Math.min(engine.concurrency, maxInFlight));
  const screens: ScoreScreen[] = [];
  await forEachInOrder(blocks, inFlight, (b) => screen(task(b)), async (result) => {
    screens.push(result);
    return true;
  });
  return screens;
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
