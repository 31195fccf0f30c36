// The JavaScript placeRow that place.wat replaced (as of the exact-neighbour change), kept as the reference
// the kernel must match bit for bit. Test-only.
import type { Rng } from '@latentkit/core';
import type { Neighbors } from '../neighbors.js';
import { membershipStrengths } from '../membership.js';
import type { Layout } from '../transform.js';

// umap-learn's transform constants: its learning rate is a quarter of the fit's (1), with umap-js's
// repulsion strength, negative sample rate and gradient clip.
const INITIAL_ALPHA = 0.25;
const REPULSION = 1;
const NEGATIVE_SAMPLE_RATE = 5;
const CLIP = 4;

/**
 * Places one new row into the layout, as umap-learn's transform does for each row: start at the
 * membership-weighted mean of its neighbours' positions, then run the layout's SGD with only the new
 * point moving (attraction to its neighbours, repulsion from random training points). Everything is
 * per row, from an RNG seeded by the caller, so a row's code never depends on the rows encoded with it.
 */
export function placeRowReference(layout: Layout, neighbors: Neighbors, rng: Rng, out: Float32Array, outOffset: number): void {
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

  let alpha = INITIAL_ALPHA;
  for (let n = 0; n < epochs; n++) {
    for (let e = 0; e < edges.length; e++) {
      if (nextSample[e]! > n) continue;
      const other = neighbors.index[edges[e]!]! * dim;
      const d2 = squaredGap(current, embedding, other, dim);
      const p2 = d2 > 0 ? Math.pow(d2, b) : 0; // d²ᵇ, once: d^(2(b−1)) is p2 / d2
      const attract = d2 > 0 ? (-2 * a * b * (p2 / d2)) / (a * p2 + 1) : 0;
      step(current, embedding, other, dim, attract, alpha);
      nextSample[e]! += epochsPerSample[e]!;

      const negatives = Math.floor((n - nextNegative[e]!) / epochsPerNegative[e]!);
      for (let p = 0; p < negatives; p++) {
        const far = rng.int(rows) * dim;
        const f2 = squaredGap(current, embedding, far, dim);
        // Coinciding points give no direction to push along: skip them.
        if (f2 > 0) step(current, embedding, far, dim, (2 * REPULSION * b) / ((0.001 + f2) * (a * Math.pow(f2, b) + 1)), alpha);
      }
      nextNegative[e]! += negatives * epochsPerNegative[e]!;
    }
    alpha = INITIAL_ALPHA * (1 - n / epochs);
  }
  for (let t = 0; t < dim; t++) out[outOffset + t] = current[t]!;
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

function squaredGap(current: Float64Array, embedding: Float32Array, off: number, dim: number): number {
  let s = 0;
  for (let t = 0; t < dim; t++) {
    const g = current[t]! - embedding[off + t]!;
    s += g * g;
  }
  return s;
}

/** current += alpha · clip(coefficient · (current − other)), per coordinate. */
function step(current: Float64Array, embedding: Float32Array, off: number, dim: number, coefficient: number, alpha: number): void {
  for (let t = 0; t < dim; t++) {
    const g = coefficient * (current[t]! - embedding[off + t]!);
    current[t]! += alpha * Math.max(-CLIP, Math.min(CLIP, g));
  }
}
