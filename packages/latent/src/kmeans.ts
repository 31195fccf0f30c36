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
 * For trials t0 … t0+3 (those that exist): out[t][i] = min(nearest[i], |x_i − x_rows[t]|²) and
 * totals[t] = Σ_i out[t][i], four candidates per pass over each row (a group past the last trial
 * repeats it; repeats write nothing). Distances add their terms in squaredDistance's order.
 */
function trialDistances(
  data: Float32Array,
  n: number,
  d: number,
  rows: Int32Array,
  t0: number,
  nearest: Float64Array,
  out: readonly Float64Array[],
  totals: Float64Array,
): void {
  const last = rows.length - 1;
  const t1 = Math.min(t0 + 1, last), t2 = Math.min(t0 + 2, last), t3 = Math.min(t0 + 3, last);
  const r0 = rows[t0]! * d, r1 = rows[t1]! * d, r2 = rows[t2]! * d, r3 = rows[t3]! * d;
  const o0 = out[t0]!, o1 = out[t1]!, o2 = out[t2]!, o3 = out[t3]!;
  let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
  for (let i = 0; i < n; i++) {
    const o = i * d;
    let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
    for (let j = 0; j < d; j++) {
      const v = data[o + j]!;
      const e0 = v - data[r0 + j]!, e1 = v - data[r1 + j]!, e2 = v - data[r2 + j]!, e3 = v - data[r3 + j]!;
      a0 += e0 * e0; a1 += e1 * e1; a2 += e2 * e2; a3 += e3 * e3;
    }
    const near = nearest[i]!;
    // Repeated trials write the same value to the same place, so the order of these stores is harmless.
    s0 += o0[i] = Math.min(near, a0);
    s1 += o1[i] = Math.min(near, a1);
    s2 += o2[i] = Math.min(near, a2);
    s3 += o3[i] = Math.min(near, a3);
  }
  totals[t0] = s0;
  totals[t1] = s1;
  totals[t2] = s2;
  totals[t3] = s3;
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

  // Every trial's distances are measured in one pass over the rows (all are drawn from the same
  // `nearest`, so drawing them first takes the same random numbers); buffers are reused across centres.
  const rows = new Int32Array(trials);
  let candidates: Float64Array[] = Array.from({ length: trials }, () => new Float64Array(n));
  const totals = new Float64Array(trials);
  for (let c = 1; c < k; c++) {
    for (let t = 0; t < trials; t++) rows[t] = drawProportional(nearest, total, rng);
    for (let t0 = 0; t0 < trials; t0 += 4) trialDistances(data, n, d, rows, t0, nearest, candidates, totals);
    let best = 0;
    for (let t = 1; t < trials; t++) if (totals[t]! < totals[best]!) best = t;
    for (let j = 0; j < d; j++) centres[c * d + j] = data[rows[best]! * d + j]!;
    const previous = nearest;
    nearest = candidates[best]!;
    candidates = candidates.map((b, t) => (t === best ? previous : b));
    total = totals[best]!;
  }
  return centres;
}

/**
 * Index of the nearest centre for every row (the first on ties). Two rows are measured against four
 * centres per pass over their coordinates, so each value loaded feeds two or four distances (a tile
 * past the last centre repeats it and the repeats are not compared). Each distance sums its terms in
 * the same order as squaredDistance, so the labels are exactly one-at-a-time's.
 */
export function assignToCentres(x: Matrix, centres: Float64Array, k: number, labels: Int32Array = new Int32Array(x.rows)): Int32Array {
  const { rows: n, cols: d, data } = x;
  let i = 0;
  for (; i + 2 <= n; i += 2) {
    const o = i * d, p = o + d;
    let bestA = 0, distA = Infinity, bestB = 0, distB = Infinity;
    for (let c = 0; c < k; c += 4) {
      const q0 = c * d, q1 = Math.min(c + 1, k - 1) * d, q2 = Math.min(c + 2, k - 1) * d, q3 = Math.min(c + 3, k - 1) * d;
      let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
      for (let j = 0; j < d; j++) {
        const va = data[o + j]!, vb = data[p + j]!;
        const m0 = centres[q0 + j]!, m1 = centres[q1 + j]!, m2 = centres[q2 + j]!, m3 = centres[q3 + j]!;
        const e0 = va - m0, e1 = va - m1, e2 = va - m2, e3 = va - m3;
        const f0 = vb - m0, f1 = vb - m1, f2 = vb - m2, f3 = vb - m3;
        a0 += e0 * e0; a1 += e1 * e1; a2 += e2 * e2; a3 += e3 * e3;
        b0 += f0 * f0; b1 += f1 * f1; b2 += f2 * f2; b3 += f3 * f3;
      }
      if (a0 < distA) { distA = a0; bestA = c; }
      if (b0 < distB) { distB = b0; bestB = c; }
      if (c + 1 < k) {
        if (a1 < distA) { distA = a1; bestA = c + 1; }
        if (b1 < distB) { distB = b1; bestB = c + 1; }
      }
      if (c + 2 < k) {
        if (a2 < distA) { distA = a2; bestA = c + 2; }
        if (b2 < distB) { distB = b2; bestB = c + 2; }
      }
      if (c + 3 < k) {
        if (a3 < distA) { distA = a3; bestA = c + 3; }
        if (b3 < distB) { distB = b3; bestB = c + 3; }
      }
    }
    labels[i] = bestA;
    labels[i + 1] = bestB;
  }
  // An odd last row, one centre at a time.
  for (; i < n; i++) {
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
  let labels: Int32Array = assignToCentres(x, centres, k);
  let next: Int32Array = new Int32Array(n);
  const sums = new Float64Array(k * d);
  const counts = new Float64Array(k);
  for (let it = 0; it < iterations; it++) {
    sums.fill(0);
    counts.fill(0);
    for (let i = 0; i < n; i++) {
      const c = labels[i]!;
      counts[c]!++;
      for (let j = 0; j < d; j++) sums[c * d + j]! += data[i * d + j]!;
    }
    for (let c = 0; c < k; c++) {
      if (counts[c] === 0) continue;
      for (let j = 0; j < d; j++) centres[c * d + j] = sums[c * d + j]! / counts[c]!;
    }
    assignToCentres(x, centres, k, next);
    let changed = false;
    for (let i = 0; i < n && !changed; i++) changed = next[i] !== labels[i];
    [labels, next] = [next, labels];
    if (!changed) break;
  }
  return labels;
}
