import type { Matrix } from '@latentkit/core';

/**
 * The fitted linear map in float32 (exactly what a bundle stores, so a loaded model encodes bit for
 * bit like the original). Products accumulate in float64.
 */
export interface PcaProjection {
  readonly mean: Float32Array;
  /** k×D, one unit-norm component per row. */
  readonly components: Float32Array;
  /** Per-component code scale: 1/sqrt(variance) when whitening, else 1. */
  readonly codeScale: Float64Array;
  readonly k: number;
  readonly D: number;
}

/** Components transposed to D×k so encoding a row is one axpy of length k per non-zero feature. */
export function transposedComponents(p: PcaProjection): Float64Array {
  const t = new Float64Array(p.D * p.k);
  for (let c = 0; c < p.k; c++) for (let j = 0; j < p.D; j++) t[j * p.k + c] = p.components[c * p.D + j]!;
  return t;
}

/** mean · componentᵀ for each component: subtracting it centres codes without touching zero pixels. */
export function meanCodes(p: PcaProjection): Float64Array {
  const out = new Float64Array(p.k);
  for (let c = 0; c < p.k; c++) {
    let s = 0;
    for (let j = 0; j < p.D; j++) s += p.mean[j]! * p.components[c * p.D + j]!;
    out[c] = s;
  }
  return out;
}

export function encodeBatch(p: PcaProjection, compT: Float64Array, meanCode: Float64Array, x: Matrix): Matrix {
  const { k, D } = p;
  const out = new Float32Array(x.rows * k);
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
    for (let c = 0; c < k; c++) out[r * k + c] = (acc[c]! - meanCode[c]!) * p.codeScale[c]!;
  }
  return { data: out, rows: x.rows, cols: k };
}

export function decodeBatch(p: PcaProjection, z: Matrix): Matrix {
  const { k, D } = p;
  const out = new Float32Array(z.rows * D);
  const acc = new Float64Array(D);
  for (let r = 0; r < z.rows; r++) {
    for (let j = 0; j < D; j++) acc[j] = p.mean[j]!;
    for (let c = 0; c < k; c++) {
      const w = z.data[r * k + c]! / p.codeScale[c]!;
      if (w === 0) continue;
      const t = c * D;
      for (let j = 0; j < D; j++) acc[j] = acc[j]! + w * p.components[t + j]!;
    }
    out.set(acc, r * D);
  }
  return { data: out, rows: z.rows, cols: D };
}
