import type { Matrix } from '@latentkit/core';

/**
 * scikit-learn's svd_flip, u-based (the rule PCA uses): each component's sign is chosen so that the
 * sample with the largest |score| (first such sample on ties) gets a positive score. Scores are
 * (x − mean)·v computed in float64. Flips rows of `components` (k×D) in place.
 */
export function flipSignsByScores(x: Matrix, mean: Float64Array, components: Float64Array, k: number): void {
  const D = x.cols;
  const compT = new Float64Array(D * k);
  for (let c = 0; c < k; c++) for (let j = 0; j < D; j++) compT[j * k + c] = components[c * D + j]!;
  const meanScore = new Float64Array(k);
  for (let c = 0; c < k; c++) {
    let s = 0;
    for (let j = 0; j < D; j++) s += mean[j]! * components[c * D + j]!;
    meanScore[c] = s;
  }
  const best = new Float64Array(k).fill(-1);
  const bestSigned = new Float64Array(k);
  const acc = new Float64Array(k);
  for (let r = 0; r < x.rows; r++) {
    acc.fill(0);
    const o = r * D;
    for (let j = 0; j < D; j++) {
      const v = x.data[o + j]!;
      if (v === 0) continue;
      const t = j * k;
      for (let c = 0; c < k; c++) acc[c] = acc[c]! + v * compT[t + c]!;
    }
    for (let c = 0; c < k; c++) {
      const s = acc[c]! - meanScore[c]!;
      if (Math.abs(s) > best[c]!) {
        best[c] = Math.abs(s);
        bestSigned[c] = s;
      }
    }
  }
  for (let c = 0; c < k; c++) if (bestSigned[c]! < 0) negateRow(components, c, D);
}

/**
 * scikit-learn's v-based svd_flip (its randomized solver uses it when there are fewer samples than
 * features): the largest-|value| entry of each component (first on ties) becomes positive.
 */
export function flipSignsByComponents(components: Float64Array, k: number, D: number): void {
  for (let c = 0; c < k; c++) {
    let best = -1, signed = 0;
    for (let j = 0; j < D; j++) {
      const v = components[c * D + j]!;
      if (Math.abs(v) > best) {
        best = Math.abs(v);
        signed = v;
      }
    }
    if (signed < 0) negateRow(components, c, D);
  }
}

function negateRow(m: Float64Array, row: number, D: number): void {
  for (let j = 0; j < D; j++) m[row * D + j] = -m[row * D + j]!;
}
