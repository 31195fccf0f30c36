import type { Matrix, Rng } from '@latentkit/core';

function squaredDistance(data: Float32Array, offset: number, centres: Float64Array, c: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) {
    const diff = data[offset + j]! - centres[c * d + j]!;
    s += diff * diff;
  }
  return s;
}

/** Draws a row index with probability ∝ weight (uniform when every weight is 0). */
function drawProportional(weights: Float64Array, total: number, rng: Rng): number {
  if (!(total > 0)) return rng.int(weights.length);
  let target = rng.next() * total;
  for (let i = 0; i < weights.length; i++) {
    target -= weights[i]!;
    if (target < 0) return i;
  }
  return weights.length - 1; // rounding left target a hair above 0
}

/**
 * Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, with sklearn's local trials): the first
 * centre is a uniform random row; for each further centre, 2 + ⌊ln k⌋ candidate rows are drawn with
 * probability ∝ squared distance to the nearest chosen centre, and the candidate that most lowers the
 * total squared distance is kept. The trials make a missed cluster far less likely than plain k-means++.
 */
export function kmeansPlusPlus(x: Matrix, k: number, rng: Rng): Float64Array {
  const { rows: n, cols: d, data } = x;
  const trials = 2 + Math.floor(Math.log(k));
  const centres = new Float64Array(k * d);
  const first = rng.int(n);
  for (let j = 0; j < d; j++) centres[j] = data[first * d + j]!;
  let nearest: Float64Array = new Float64Array(n);
  let total = 0;
  for (let i = 0; i < n; i++) total += nearest[i] = squaredDistance(data, i * d, centres, 0, d);

  const candidate = new Float64Array(d);
  for (let c = 1; c < k; c++) {
    let best: { row: number; nearest: Float64Array; total: number } | undefined;
    for (let t = 0; t < trials; t++) {
      const row = drawProportional(nearest, total, rng);
      for (let j = 0; j < d; j++) candidate[j] = data[row * d + j]!;
      const next = new Float64Array(n);
      let nextTotal = 0;
      for (let i = 0; i < n; i++) nextTotal += next[i] = Math.min(nearest[i]!, squaredDistance(data, i * d, candidate, 0, d));
      if (!best || nextTotal < best.total) best = { row, nearest: next, total: nextTotal };
    }
    for (let j = 0; j < d; j++) centres[c * d + j] = data[best!.row * d + j]!;
    nearest = best!.nearest;
    total = best!.total;
  }
  return centres;
}

/** Index of the nearest centre for every row. */
export function assignToCentres(x: Matrix, centres: Float64Array, k: number): Int32Array {
  const { rows: n, cols: d, data } = x;
  const labels = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    let bestDist = Infinity;
    for (let c = 0; c < k; c++) {
      const dist = squaredDistance(data, i * d, centres, c, d);
      if (dist < bestDist) {
        bestDist = dist;
        best = c;
      }
    }
    labels[i] = best;
  }
  return labels;
}

/**
 * A few Lloyd iterations from the given centres (updated in place), as sklearn does before EM:
 * seeding alone can leave two centres in one cluster. Empty clusters keep their centre.
 */
export function refineCentres(x: Matrix, centres: Float64Array, k: number, iterations: number): Int32Array {
  const { rows: n, cols: d, data } = x;
  let labels = assignToCentres(x, centres, k);
  for (let it = 0; it < iterations; it++) {
    const sums = new Float64Array(k * d);
    const counts = new Float64Array(k);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j]! += data[i * d + j]!;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j]! / counts[c]!;
    }
    const next = assignToCentres(x, centres, k);
    let changed = false;
    for (let i = 0; i < n && !changed; i++) changed = next[i] !== labels[i];
    labels = next;
    if (!changed) break;
  }
  return labels;
}
