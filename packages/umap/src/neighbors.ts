import type { UmapMetric } from './options.js';

/** The training rows an encoder searches: row-major n×D, with row norms when the metric needs them. */
export interface TrainingRows {
  readonly data: Float32Array;
  readonly rows: number;
  readonly cols: number;
  readonly metric: UmapMetric;
  /** Euclidean norm of each row (cosine metric only). */
  readonly norms?: Float64Array;
}

export interface Neighbors {
  /** Training-row indices, nearest first. */
  readonly index: Int32Array;
  /** Their distances (euclidean, or umap-js's cosine distance 1 − cos), ascending. */
  readonly distance: Float64Array;
}

export function trainingRows(data: Float32Array, rows: number, cols: number, metric: UmapMetric): TrainingRows {
  if (metric !== 'cosine') return { data, rows, cols, metric };
  const norms = new Float64Array(rows);
  for (let i = 0; i < rows; i++) norms[i] = Math.sqrt(dot(data, i * cols, data, i * cols, cols));
  return { data, rows, cols, metric, norms };
}

/**
 * The k nearest training rows of one query, found exactly (a full scan, O(n·D)). Exact rather than
 * umap-js's approximate search: its transform search never expands the graph (umap-js 1.4.0's
 * smallestFlagged loop does not run), and an exact answer needs no randomness, so a row's neighbours
 * never depend on the rows encoded with it. Ties keep the lower index.
 */
export function nearestRows(train: TrainingRows, query: Float32Array, k: number): Neighbors {
  const index = new Int32Array(k).fill(-1);
  const key = new Float64Array(k).fill(Infinity);
  const { data, rows, cols } = train;
  const queryNorm = queryNormFor(train, query);
  for (let j = 0; j < rows; j++) {
    const off = j * cols;
    const worst = key[k - 1]!;
    let d: number;
    if (train.metric === 'cosine') {
      d = cosineDistance(dot(query, 0, data, off, cols), queryNorm, train.norms![j]!);
    } else {
      d = squaredDistance(query, data, off, cols, worst);
    }
    if (d < worst) insert(index, key, j, d);
  }
  const distance = train.metric === 'cosine' ? key : key.map((s) => Math.sqrt(s));
  return { index, distance };
}

/** The query norm nearestRows uses: 0 for euclidean (unused), ‖q‖ for cosine. */
export function queryNormFor(train: TrainingRows, query: Float32Array): number {
  return train.metric === 'cosine' ? Math.sqrt(dot(query, 0, query, 0, train.cols)) : 0;
}

/**
 * The value nearestRows ranks training row j by, bit for bit: the squared euclidean distance or the
 * cosine distance. The blocked search re-ranks its candidates with it, so both give the same neighbours.
 */
export function exactDistanceKey(train: TrainingRows, query: Float32Array, queryNorm: number, j: number): number {
  const off = j * train.cols;
  if (train.metric === 'cosine') return cosineDistance(dot(query, 0, train.data, off, train.cols), queryNorm, train.norms![j]!);
  return squaredDistance(query, train.data, off, train.cols, Infinity);
}

/** Squared euclidean distance, abandoned (returning a value ≥ limit) once it exceeds the limit. */
function squaredDistance(q: Float32Array, data: Float32Array, off: number, cols: number, limit: number): number {
  let s = 0;
  let t = 0;
  // Check the running sum every 64 features: cheap, and most far rows are rejected early.
  while (t < cols) {
    const end = Math.min(cols, t + 64);
    for (; t < end; t++) {
      const diff = q[t]! - data[off + t]!;
      s += diff * diff;
    }
    if (s >= limit) return s;
  }
  return s;
}

function dot(a: Float32Array, aOff: number, b: Float32Array, bOff: number, cols: number): number {
  let s = 0;
  for (let t = 0; t < cols; t++) s += a[aOff + t]! * b[bOff + t]!;
  return s;
}

/** umap-js's cosine distance, including its rules for all-zero rows. */
export function cosineDistance(dotProduct: number, normA: number, normB: number): number {
  if (normA === 0 && normB === 0) return 0;
  if (normA === 0 || normB === 0) return 1;
  return 1 - dotProduct / (normA * normB);
}

/** Inserts (j, d) into the ascending top-k lists, dropping the current worst. */
function insert(index: Int32Array, key: Float64Array, j: number, d: number): void {
  let p = key.length - 1;
  while (p > 0 && key[p - 1]! > d) {
    key[p] = key[p - 1]!;
    index[p] = index[p - 1]!;
    p--;
  }
  key[p] = d;
  index[p] = j;
}
