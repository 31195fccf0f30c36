import type { Rng } from '@latentkit/core';
import type { UMAP } from 'umap-js';
import type { KnnGraph } from './knn-graph.js';
import type { LayoutInput } from './layout.js';

/** umap-js 1.4.0's per-row steps of the fuzzy graph, called as they are (they use nothing of the instance). */
interface UmapGraphSteps {
  smoothKNNDistance(distances: number[][], k: number, localConnectivity: number): { sigmas: number[]; rhos: number[] };
  computeMembershipStrengths(indices: number[][], distances: number[][], sigmas: number[], rhos: number[]): { rows: number[]; cols: number[]; vals: number[] };
}

/** What umap-js's fit is configured with; the rest are its defaults (localConnectivity 1, setOpMixRatio 1). */
export interface LayoutSetupOptions {
  readonly nNeighbors: number;
  readonly dim: number;
  /** umap-js's nEpochs: 0 for its size-based default. */
  readonly nEpochs: number;
  readonly a: number;
  readonly b: number;
}

const LOCAL_CONNECTIVITY = 1.0;
const SET_OP_MIX_RATIO = 1.0;

/**
 * What umap-js 1.4.0's initializeFit sets up for the layout, value for value, without its string-keyed
 * sparse matrices (most of its time: 10 s of 15 for 8,000 rows on a loaded machine) and without the
 * search graph it builds for its own transform(), which we do not use: the fuzzy graph
 * (A + Aᵀ − A∘Aᵀ from umap-js's own sigmas and memberships), edges below max/epochs dropped, edges in
 * umap-js's order (by row, then column; the row is the tail, the column the head), their sampling
 * periods, and the initial positions drawn from `rng` as umap-js draws them (row by row, next()·20 − 10).
 */
export function setUpLayout(umap: UMAP, graph: KnnGraph, options: LayoutSetupOptions, rng: Rng): LayoutInput {
  const steps = umap as unknown as UmapGraphSteps;
  const n = graph.knnIndices.length;
  const { sigmas, rhos } = steps.smoothKNNDistance(graph.knnDistances, options.nNeighbors, LOCAL_CONNECTIVITY);
  const { cols, vals } = steps.computeMembershipStrengths(graph.knnIndices, graph.knnDistances, sigmas, rhos);
  const k = graph.knnIndices[0]!.length;
  const { rowStart, column, value } = symmetricGraph(n, k, cols, vals);

  const epochs = options.nEpochs > 0 ? options.nEpochs : n <= 2500 ? 500 : n <= 5000 ? 400 : n <= 7500 ? 300 : 200;
  let graphMax = 0;
  for (const v of value) if (graphMax < v) graphMax = v;
  const embedding = new Float64Array(n * options.dim);
  for (let i = 0; i < embedding.length; i++) embedding[i] = rng.next() * 20 + -10;

  const head: number[] = [];
  const tail: number[] = [];
  const weights: number[] = [];
  for (let row = 0; row < n; row++) {
    for (let e = rowStart[row]!; e < rowStart[row + 1]!; e++) {
      const v = value[e]! < graphMax / epochs ? 0 : value[e]!;
      if (!v) continue;
      weights.push(v);
      tail.push(row);
      head.push(column[e]!);
    }
  }
  // makeEpochsPerSample: max from 0 up, each weight sampled every epochs / ((w / max)·epochs) epochs.
  let max = 0;
  for (const w of weights) max = w > max ? w : max;
  const epochsPerSample = Float64Array.from(weights, (w) => {
    const samples = (w / max) * epochs;
    return samples > 0 ? epochs / samples : -1.0;
  });
  return { rows: n, dim: options.dim, epochs, embedding, head: Int32Array.from(head), tail: Int32Array.from(tail), epochsPerSample, a: options.a, b: options.b };
}

/**
 * The fuzzy union of the membership graph A (row i: columns cols[i·k..], values vals[i·k..]) with its
 * transpose, row by row with columns ascending: (a + t − a·t)·ratio + (a·t)·(1 − ratio) for a = A(i, j),
 * t = A(j, i) (0 where absent), the float64 steps of umap-js's add, pairwiseMultiply, subtract and
 * multiplyScalar. Entries of A with value 0 (each row's own) are kept, as umap-js keeps them.
 */
function symmetricGraph(n: number, k: number, cols: number[], vals: number[]): { rowStart: Int32Array; column: Int32Array; value: Float64Array } {
  // Aᵀ as lists: for each column j, the rows i with an entry (i, j), and where in A it is.
  const inCount = new Int32Array(n + 1);
  for (let e = 0; e < n * k; e++) inCount[cols[e]! + 1]!++;
  for (let j = 0; j < n; j++) inCount[j + 1]! += inCount[j]!;
  const inEntry = new Int32Array(n * k);
  const fill = inCount.slice(0, n);
  for (let e = 0; e < n * k; e++) inEntry[fill[cols[e]!]!++] = e;

  const rowStart = new Int32Array(n + 1);
  const columnList: number[] = [];
  const valueList: number[] = [];
  const own = new Map<number, number>();
  const union = new Map<number, { a: number; t: number }>();
  for (let i = 0; i < n; i++) {
    own.clear();
    union.clear();
    // umap-js's Map keeps the last value set for a key (cols are distinct per row here, but be exact).
    for (let e = i * k; e < (i + 1) * k; e++) own.set(cols[e]!, vals[e]!);
    for (const [j, a] of own) union.set(j, { a, t: 0 });
    for (let p = inCount[i]!; p < inCount[i + 1]!; p++) {
      const e = inEntry[p]!;
      const from = Math.floor(e / k);
      // A(from, i) as umap-js stores it: the last value set for that key in row `from`.
      const t = lastValue(cols, vals, from, k, i);
      const entry = union.get(from);
      if (entry) entry.t = t;
      else union.set(from, { a: 0, t });
    }
    const sorted = [...union.keys()].sort((x, y) => x - y);
    for (const j of sorted) {
      const { a, t } = union.get(j)!;
      const sum = a + t;
      const product = a * t;
      columnList.push(j);
      valueList.push((sum - product) * SET_OP_MIX_RATIO + product * (1.0 - SET_OP_MIX_RATIO));
    }
    rowStart[i + 1] = columnList.length;
  }
  return { rowStart, column: Int32Array.from(columnList), value: Float64Array.from(valueList) };
}

function lastValue(cols: number[], vals: number[], row: number, k: number, col: number): number {
  for (let e = (row + 1) * k - 1; e >= row * k; e--) if (cols[e] === col) return vals[e]!;
  return 0;
}
