import { LatentkitError } from '@latentkit/core';
import { cosineDistance, exactDistanceKey, nearestRows, queryNormFor, type Neighbors, type TrainingRows } from './neighbors.js';
import { rowNorms, squaredNorm, type RowNorms } from './row-norms.js';
import { isResident, knnKernel, markResident, reserveKernelMemory, type KnnKernel } from './wasm/knn-kernel.js';

/** Queries per kernel call: 64 rows of 784 float32 features are 200 KB, which stay in L2 while training rows stream by. */
export const QUERY_BLOCK = 64;
/** Training rows held in kernel memory at once (a whole MNIST training set fits); more are searched chunk by chunk. */
export const TRAINING_CHUNK_BYTES = 64 * 2 ** 20;
/** Also at most this many rows per chunk, so a query block's scores (64 per row, float32) stay within 16 MB. */
export const TRAINING_CHUNK_ROWS = 65536;
/** Candidates kept per query beyond k for the exact re-rank: enough that the exactness check nearly always passes. */
export const EXTRA_CANDIDATES = 16;
/** float32 unit roundoff, and the spacing of float32 subnormals (an underflowing product loses at most half). */
const U32 = 2 ** -24;
const TINY32 = 2 ** -149;
/** Above this ‖q‖·max‖t‖ a float32 product could overflow: such queries take the scalar search. */
const OVERFLOW_GUARD = 1e36;

/**
 * The k nearest training rows of each of `count` query rows (row-major, train.cols features each):
 * the same neighbours and distances as nearestRows gives row by row, ties to the lower index.
 *
 * How: a WebAssembly SIMD kernel computes the float32 dot products of a block of queries with the training
 * rows, from which ‖q‖² + ‖t‖² − 2 q·t (or the cosine distance) ranks k + 16 candidates per query. Those
 * are re-ranked by nearestRows's own float64 sums. float32 rounding moves an approximate distance by at most
 * δ (a bound from the kernel's summation depth and the rows' norms), so when the k-th exact distance lies
 * more than δ below the worst candidate's approximate one, no other row can be nearer or tie: the answer
 * is exact. A query failing that check (near-equal distances at the cut) falls back to the scalar scan.
 *
 * Memory: the kernel holds one training chunk (at most 64 MB and 65,536 rows), one block of 64 queries
 * and their 64 × chunk-rows float32 scores (at most 16 MB), never a queries × training matrix.
 */
export function nearestRowsBlock(train: TrainingRows, queries: Float32Array, count: number, k: number, stats?: SearchStats): Neighbors[] {
  if (!Number.isInteger(k) || k < 1) throw new LatentkitError('E_OPTION', `umap neighbour search: k must be an integer ≥ 1, got ${String(k)}`);
  const { rows: n, cols } = train;
  if (queries.length < count * cols) throw new LatentkitError('E_SHAPE', `umap neighbour search: ${queries.length} query values, expected ${count} rows of ${cols}`);
  const m = Math.min(n, k + EXTRA_CANDIDATES);
  const norms = rowNorms(train);
  const candidates = { key: new Float64Array(count * m).fill(Infinity), index: new Int32Array(count * m).fill(-1) };
  const queryNorms = Float64Array.from({ length: count }, (_, i) => Math.sqrt(squaredNorm(queries, i * cols, cols)));
  if (n > 0 && count > 0) scanByKernel(train, norms, queries, queryNorms, count, m, candidates);
  return Array.from({ length: count }, (_, i) => {
    const query = queries.subarray(i * cols, (i + 1) * cols);
    const found = rerank(train, norms, query, queryNorms[i]!, k, m, candidates.key.subarray(i * m, (i + 1) * m), candidates.index.subarray(i * m, (i + 1) * m));
    if (stats) stats.scalar += found ? 0 : 1;
    return found ?? nearestRows(train, query, k);
  });
}

/** Counts queries the candidates could not settle, which took the scalar scan (for tests and benches). */
export interface SearchStats {
  scalar: number;
}

export interface Candidates {
  readonly key: Float64Array;
  readonly index: Int32Array;
}

/** Fills each query's m best approximate candidates, chunk by chunk of training rows, block by block of queries. */
function scanByKernel(train: TrainingRows, norms: RowNorms, queries: Float32Array, queryNorms: Float64Array, count: number, m: number, candidates: Candidates): void {
  const { rows: n, cols } = train;
  const dp = (cols + 3) & ~3;
  const rowBytes = dp * 4;
  const chunkRows = Math.max(4, Math.min(TRAINING_CHUNK_ROWS, Math.floor(TRAINING_CHUNK_BYTES / rowBytes)) & ~3);
  const kernel = knnKernel();
  for (let start = 0; start < n; start += chunkRows) {
    const rows = Math.min(chunkRows, n - start);
    const paddedRows = (rows + 3) & ~3;
    const queryAt = paddedRows * rowBytes;
    const outAt = queryAt + QUERY_BLOCK * rowBytes;
    reserveKernelMemory(kernel, outAt + QUERY_BLOCK * paddedRows * 4);
    if (!isResident(train, start, rows)) {
      copyRows(kernel, 0, train.data, start, rows, paddedRows, cols, dp);
      markResident(train, start, rows);
    }
    for (let q0 = 0; q0 < count; q0 += QUERY_BLOCK) {
      const block = Math.min(QUERY_BLOCK, count - q0);
      const paddedBlock = (block + 1) & ~1;
      copyRows(kernel, queryAt, queries, q0, block, paddedBlock, cols, dp);
      kernel.dotsF32(queryAt, paddedBlock, 0, paddedRows, dp, outAt, paddedRows);
      const dots = new Float32Array(kernel.memory.buffer, outAt, paddedBlock * paddedRows);
      for (let b = 0; b < block; b++) {
        const i = q0 + b;
        keepBest(train, norms, queryNorms[i]!, dots.subarray(b * paddedRows, b * paddedRows + rows), start, candidates.key.subarray(i * m, (i + 1) * m), candidates.index.subarray(i * m, (i + 1) * m));
      }
    }
  }
}

/** Copies `rows` source rows from `first` into kernel memory at `at`, each padded to dp features, then zero rows up to paddedRows. */
export function copyRows(kernel: KnnKernel, at: number, source: Float32Array, first: number, rows: number, paddedRows: number, cols: number, dp: number): void {
  const target = new Float32Array(kernel.memory.buffer, at, paddedRows * dp);
  if (dp === cols) target.set(source.subarray(first * cols, (first + rows) * cols));
  else for (let r = 0; r < rows; r++) target.set(source.subarray((first + r) * cols, (first + r + 1) * cols), r * dp);
  // Padding must be zeros (memory may hold an earlier job's rows): zero features add nothing to a dot product.
  if (dp !== cols) for (let r = 0; r < rows; r++) target.fill(0, r * dp + cols, (r + 1) * dp);
  target.fill(0, rows * dp);
}

/** Merges one query's approximate keys against a chunk into its ascending top-m list (strictly better only). */
function keepBest(train: TrainingRows, norms: RowNorms, queryNorm: number, dots: Float32Array, start: number, key: Float64Array, index: Int32Array): void {
  const m = key.length;
  let worst = key[m - 1]!;
  const cosine = train.metric === 'cosine';
  for (let j = 0; j < dots.length; j++) {
    const t = start + j;
    // Euclidean ranks by ‖t‖² − 2 q·t: ‖q‖² is the same for every row and is added back for the check.
    const a = cosine ? cosineDistance(dots[j]!, queryNorm, train.norms![t]!) : norms.squared[t]! - 2 * dots[j]!;
    if (!(a < worst)) continue;
    insertCandidate(key, index, 0, m, a, t);
    worst = key[m - 1]!;
  }
}

/** Inserts (t, a) into the ascending list of m at base, dropping its worst (ties stay in arrival order). */
export function insertCandidate(key: Float64Array, index: Int32Array, base: number, m: number, a: number, t: number): void {
  let p = base + m - 1;
  while (p > base && key[p - 1]! > a) {
    key[p] = key[p - 1]!;
    index[p] = index[p - 1]!;
    p--;
  }
  key[p] = a;
  index[p] = t;
}

/** The exact top k among the candidates, or undefined when the candidates cannot prove it. */
export function rerank(train: TrainingRows, norms: RowNorms, query: Float32Array, queryNorm: number, k: number, m: number, key: Float64Array, index: Int32Array): Neighbors | undefined {
  if (queryNorm * norms.max > OVERFLOW_GUARD) return undefined;
  const exactNorm = queryNormFor(train, query);
  const found = Array.from(index.filter((j) => j >= 0), (j) => ({ j, d: exactDistanceKey(train, query, exactNorm, j) }));
  found.sort((x, y) => x.d - y.d || x.j - y.j);
  // Fewer than m candidates means every training row was one: nothing was left out.
  if (found.length === m && m < train.rows) {
    const kth = found[k - 1]!.d;
    const worst = train.metric === 'cosine' ? key[m - 1]! : queryNorm * queryNorm + key[m - 1]!;
    if (!(kth < worst - roundingBound(train, norms, queryNorm))) return undefined;
  }
  const outIndex = new Int32Array(k).fill(-1);
  const outKey = new Float64Array(k).fill(Infinity);
  for (let p = 0; p < Math.min(k, found.length); p++) {
    outIndex[p] = found[p]!.j;
    outKey[p] = found[p]!.d;
  }
  return { index: outIndex, distance: train.metric === 'cosine' ? outKey : outKey.map((s) => Math.sqrt(s)) };
}

/**
 * δ: how far any row's approximate key can sit from nearestRows's value. The kernel's float32 dot product
 * rounds along a path of dp/4 + 3 operations, so |fl(q·t) − q·t| ≤ γ Σ|q_f t_f| ≤ γ ‖q‖‖t‖ with
 * γ = nu / (1 − nu), plus half a subnormal per product for underflow. The float64 sums (norms, the
 * combination, nearestRows's own) add a far smaller term, bounded generously.
 */
function roundingBound(train: TrainingRows, norms: RowNorms, queryNorm: number): number {
  const dp = (train.cols + 3) & ~3;
  const depth = dp / 4 + 4;
  const gamma = (depth * U32) / (1 - depth * U32);
  const underflow = dp * TINY32;
  const float64 = (4 * train.cols + 32) * 2 ** -52;
  if (train.metric === 'cosine') {
    // A zero query's keys are cosineDistance's fixed 0 or 1, computed exactly.
    if (queryNorm === 0) return 0;
    const smallest = queryNorm * norms.minNonZero;
    return gamma + float64 + (smallest > 0 ? underflow / smallest : Infinity);
  }
  const scale = (queryNorm + norms.max) ** 2;
  return 2 * (gamma * queryNorm * norms.max + underflow) + float64 * scale;
}
