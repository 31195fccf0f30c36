import { LatentkitError } from '@latentkit/core';
import type { Pca } from './pca.js';
import type { PcaStats } from './pca-stats.js';

/**
 * A PCA model's reconstruction MSE on the rows some statistics summarise, without the rows:
 * with y = x − mean (the model's) and P = VᵀV (V its k×D float32 components), Σ‖(I−P)y‖² =
 * tr(S) − 2·tr(V S Vᵀ) + tr((V S Vᵀ)(V Vᵀ)), where S = Σ y yᵀ = XᵀX − μ·Σxᵀ − Σx·μᵀ + n·μμᵀ. Exact for the
 * model as saved (whitening does not change a reconstruction), up to float64 rounding.
 */
export function reconstructionMseOfStats(model: Pca, stats: PcaStats): number {
  const { n, D, sum, xtx } = stats;
  if (D !== model.inputDim) throw new LatentkitError('E_SHAPE', `statistics of ${D} features do not fit a PCA of ${model.inputDim}`);
  if (n === 0) return 0;
  const mu = model.mean, v = model.components.data, k = model.latentDim;
  // S applied to each component: SV (D×k), and tr(S).
  const sv = new Float64Array(D * k);
  let trace = 0;
  const vm = new Float64Array(k); // V·μ
  const vs = new Float64Array(k); // V·Σx
  for (let c = 0; c < k; c++) {
    for (let j = 0; j < D; j++) {
      vm[c] = vm[c]! + v[c * D + j]! * mu[j]!;
      vs[c] = vs[c]! + v[c * D + j]! * sum[j]!;
    }
  }
  for (let a = 0; a < D; a++) {
    trace += xtx[a * D + a]! - 2 * mu[a]! * sum[a]! + n * mu[a]! * mu[a]!;
    for (let c = 0; c < k; c++) {
      let s = 0;
      for (let b = 0; b < D; b++) s += xtx[a * D + b]! * v[c * D + b]!;
      // (XᵀX − μΣxᵀ − Σxμᵀ + nμμᵀ)·v = XᵀXv − μ(Σx·v) − Σx(μ·v) + nμ(μ·v)
      sv[a * k + c] = s - mu[a]! * vs[c]! - sum[a]! * vm[c]! + n * mu[a]! * vm[c]!;
    }
  }
  // A = V S Vᵀ and G = V Vᵀ (k×k).
  let trA = 0, trAG = 0;
  const a = new Float64Array(k * k), g = new Float64Array(k * k);
  for (let c = 0; c < k; c++) {
    for (let e = 0; e < k; e++) {
      let sa = 0, sg = 0;
      for (let j = 0; j < D; j++) {
        sa += v[c * D + j]! * sv[j * k + e]!;
        sg += v[c * D + j]! * v[e * D + j]!;
      }
      a[c * k + e] = sa;
      g[c * k + e] = sg;
    }
    trA += a[c * k + c]!;
  }
  for (let c = 0; c < k; c++) for (let e = 0; e < k; e++) trAG += a[c * k + e]! * g[e * k + c]!;
  return Math.max(0, trace - 2 * trA + trAG) / (n * D);
}
