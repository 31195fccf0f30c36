import type { Neighbors } from './neighbors.js';
import { membershipStrengths } from './membership.js';
import { placeMemory, seedKernelRng } from './wasm/place-kernel.js';

/** The fitted layout new rows are placed into, and the curve parameters of the fit. */
export interface Layout {
  /** Embedding of the training rows, row-major n×d. */
  readonly embedding: Float32Array;
  readonly rows: number;
  readonly dim: number;
  /** The low-dimensional similarity 1 / (1 + a·r^(2b)) the fit used (umap-js findABParams(spread, minDist)). */
  readonly a: number;
  readonly b: number;
  /** Epochs of the per-row optimisation. */
  readonly epochs: number;
}

// umap-learn's transform constants: its learning rate is a quarter of the fit's (1), with umap-js's
// negative sample rate. umap-js's repulsion strength (1) and gradient clip (±4) are written into place.wat.
const INITIAL_ALPHA = 0.25;
const NEGATIVE_SAMPLE_RATE = 5;

/**
 * Places one new row into the layout, as umap-learn's transform does for each row: start at the
 * membership-weighted mean of its neighbours' positions, then run the layout's SGD with only the new
 * point moving (attraction to its neighbours, repulsion from random training points). Everything is
 * per row, negatives drawn from createRng(rowSeed) (run inside the kernel), so a row's code never depends
 * on the rows encoded with it.
 */
export function placeRow(layout: Layout, neighbors: Neighbors, rowSeed: number, out: Float32Array, outOffset: number): void {
  const { embedding, dim, a, b, epochs, rows } = layout;
  const weights = membershipStrengths(neighbors.distance);
  const current = initialPosition(layout, neighbors.index, weights);

  // Edges too weak to be sampled once in `epochs` are dropped; each remaining edge j is sampled every
  // max(w)/w_j epochs (umap-learn's make_epochs_per_sample), negatives NEGATIVE_SAMPLE_RATE times as often.
  let maxWeight = 0;
  for (const w of weights) maxWeight = Math.max(maxWeight, w);
  const edges: number[] = [];
  for (let j = 0; j < weights.length; j++) if (weights[j]! >= maxWeight / epochs) edges.push(j);
  const epochsPerSample = edges.map((j) => maxWeight / weights[j]!);
  const epochsPerNegative = epochsPerSample.map((e) => e / NEGATIVE_SAMPLE_RATE);
  const nextSample = [...epochsPerSample];
  const nextNegative = [...epochsPerNegative];

  // Each sampled edge's attraction and its negative samples' repulsions run in the WebAssembly kernel
  // (place.wat: the same float64 steps as umap-learn's loop, Math.pow imported, the row's RNG inside it).
  const { kernel, dim: padded, cur } = placeMemory(embedding, rows, dim);
  seedKernelRng(kernel, rowSeed);
  const point = new Float64Array(kernel.memory.buffer, cur, padded).fill(0);
  point.set(current);
  let alpha = INITIAL_ALPHA;
  for (let n = 0; n < epochs; n++) {
    for (let e = 0; e < edges.length; e++) {
      if (nextSample[e]! > n) continue;
      nextSample[e]! += epochsPerSample[e]!;
      const negatives = Math.floor((n - nextNegative[e]!) / epochsPerNegative[e]!);
      // Attraction to the neighbour (attract = −2ab·d^(2(b−1)) / (a·d^(2b) + 1)), then `negatives` repulsions
      // from random training points, 2b / ((0.001 + d²)(a·d^(2b) + 1)), skipping coinciding ones; clipped at ±4.
      kernel.sampleEdge(0, cur, padded, neighbors.index[edges[e]!]!, negatives, rows, a, b, alpha);
      nextNegative[e]! += negatives * epochsPerNegative[e]!;
    }
    alpha = INITIAL_ALPHA * (1 - n / epochs);
  }
  for (let t = 0; t < dim; t++) out[outOffset + t] = point[t]!;
}

/** The seed of one row's RNG: the model's seed mixed with a hash of the row's bytes. */
export function rowSeed(seed: number, rowHash: number): number {
  return (Math.imul(seed >>> 0, 0x9e3779b1) ^ rowHash) >>> 0;
}

function initialPosition(layout: Layout, index: Int32Array, weights: Float64Array): Float64Array {
  const { embedding, dim } = layout;
  const position = new Float64Array(dim);
  let total = 0;
  for (const w of weights) total += w;
  for (let j = 0; j < index.length; j++) {
    const share = total > 0 ? weights[j]! / total : 1 / index.length;
    for (let t = 0; t < dim; t++) position[t]! += share * embedding[index[j]! * dim + t]!;
  }
  return position;
}

