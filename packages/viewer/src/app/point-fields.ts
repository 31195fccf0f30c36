import { labelName, type RunData } from '@latentkit/run';
import { formatScore } from './scatter-colours.js';

/** A per-point score to show beside the point, e.g. the anomaly score the scatter is coloured by. */
export interface PointScore {
  readonly name: string;
  /** Score of each point, NaN where it has none (train points). */
  readonly values: Float32Array;
}

/**
 * The fields of one row as the hover card and the lasso list show them: "#12" first (its row number), then
 * label, split and score where the run has them. Image runs show the thumbnail beside these; tables only these.
 */
export function pointFields(run: RunData, i: number, score?: PointScore): [string, string][] {
  const fields: [string, string][] = [['row', `#${i}`]];
  const id = run.ids?.[i];
  if (id !== undefined) fields.push(['id', String(id)]);
  if (run.labels) fields.push(['label', labelName(run, i)]);
  fields.push(['split', run.split[i] === 1 ? 'test' : 'train']);
  const v = score?.values[i];
  if (score && v !== undefined && Number.isFinite(v)) fields.push([score.name, formatScore(v)]);
  return fields;
}

/** One line of a row's fields: "#12 · 7 · test · combined score 2.31". */
export function pointSummary(run: RunData, i: number, score?: PointScore): string {
  return pointFields(run, i, score)
    .map(([name, value]) => (name === 'row' || name === 'label' || name === 'split' ? value : `${name} ${value}`))
    .join(' · ');
}

/** A score per point from a list over the test points (`testIndices` order), NaN elsewhere. */
export function scoresByPoint(n: number, testIndices: Int32Array, scores: readonly number[]): Float32Array {
  const out = new Float32Array(n).fill(Number.NaN);
  for (let k = 0; k < testIndices.length && k < scores.length; k++) out[testIndices[k]!] = scores[k]!;
  return out;
}

/** Whether the run's points are images (their shape is recorded) rather than table rows or embeddings. */
export function isImageRun(run: RunData): boolean {
  return run.manifest.data.imageShape !== undefined;
}
