import type { TrainingRows } from './neighbors.js';

/** Per-row float64 squared norms of the training rows and their largest norm, for the blocked search. */
export interface RowNorms {
  readonly squared: Float64Array;
  readonly max: number;
  /** Smallest non-zero norm (Infinity when every row is zero): bounds float32 underflow in cosine. */
  readonly minNonZero: number;
}

const cache = new WeakMap<TrainingRows, RowNorms>();

/** Computed once per TrainingRows (a model's encode calls share them). */
export function rowNorms(train: TrainingRows): RowNorms {
  let norms = cache.get(train);
  if (!norms) {
    const { data, rows, cols } = train;
    const squared = new Float64Array(rows);
    let max = 0;
    let minNonZero = Infinity;
    for (let j = 0; j < rows; j++) {
      squared[j] = squaredNorm(data, j * cols, cols);
      const norm = Math.sqrt(squared[j]!);
      max = Math.max(max, norm);
      if (norm > 0) minNonZero = Math.min(minNonZero, norm);
    }
    norms = { squared, max, minNonZero };
    cache.set(train, norms);
  }
  return norms;
}

/** Σ v², in float64 and in feature order, as the scalar search sums it. */
export function squaredNorm(data: Float32Array, off: number, cols: number): number {
  let s = 0;
  for (let t = 0; t < cols; t++) s += data[off + t]! * data[off + t]!;
  return s;
}
