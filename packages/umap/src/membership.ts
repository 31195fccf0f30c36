const SMOOTH_K_TOLERANCE = 1e-5;
const MIN_K_DIST_SCALE = 1e-3;
const BISECTION_STEPS = 64;

/**
 * How strongly a new row belongs to each of its k nearest training rows: umap-learn's transform, i.e.
 * smooth_knn_dist with local connectivity max(0, 1 − 1) = 0 (so ρ = 0) followed by
 * compute_membership_strengths, w_j = exp(−d_j / σ), with σ bisected so that Σ_{j≥1} w_j = log2(k).
 * (As in umap-learn and umap-js the sum starts at the second neighbour.) Distances ascend.
 */
export function membershipStrengths(distances: Float64Array): Float64Array {
  const k = distances.length;
  const target = Math.log2(k);
  let lo = 0;
  let hi = Infinity;
  let sigma = 1;
  for (let step = 0; step < BISECTION_STEPS; step++) {
    let psum = 0;
    for (let j = 1; j < k; j++) psum += distances[j]! > 0 ? Math.exp(-distances[j]! / sigma) : 1;
    if (Math.abs(psum - target) < SMOOTH_K_TOLERANCE) break;
    if (psum > target) {
      hi = sigma;
      sigma = (lo + hi) / 2;
    } else {
      lo = sigma;
      sigma = hi === Infinity ? sigma * 2 : (lo + hi) / 2;
    }
  }
  // A floor on σ, so a row sitting on top of its neighbours does not get infinitely sharp weights.
  let mean = 0;
  for (let j = 0; j < k; j++) mean += distances[j]!;
  sigma = Math.max(sigma, (MIN_K_DIST_SCALE * mean) / k);
  return distances.map((d) => (d > 0 ? Math.exp(-d / sigma) : 1));
}
