import type { CovarianceType, WeightedMoments } from './moments.js';

/**
 * Weighted mean and maximum-likelihood covariance of rows held as a d×n column block (columns.ts).
 * Every entry is summed over the rows in row order, exactly as a row-at-a-time loop would, so the
 * results are bit-identical to the row-at-a-time two-pass loop this replaced; only the loop nest is reordered:
 * rows go in blocks small enough to stay in cache, and a 2×4 tile of covariance entries takes one
 * pass over a block with its sums in registers, reading 6 values for 8 multiply-adds.
 */

/** Rows per block: two d×BLOCK float64 work arrays stay in a core's L1/L2 cache for d ≤ 32. */
const BLOCK = 128;

/** Reusable work space, so an EM run allocates it once rather than per component per step. */
export interface MomentsScratch {
  readonly centred: Float64Array;
  readonly weighted: Float64Array;
}

export function momentsScratch(d: number): MomentsScratch {
  return { centred: new Float64Array(d * BLOCK), weighted: new Float64Array(d * BLOCK) };
}

/**
 * `weights` is read as weights[weightOffset + i] (one contiguous column of a k×n responsibility block);
 * undefined means every row has weight 1. `sums`, when given, holds Σ_i w_i·x[j, i] per column, already
 * summed in row order (mixture-sums.ts does all components at once).
 */
export function weightedMomentsOfColumns(
  xt: Float64Array,
  n: number,
  d: number,
  type: CovarianceType,
  weights?: Float64Array,
  weightOffset = 0,
  scratch: MomentsScratch = momentsScratch(d),
  sums?: Float64Array,
): WeightedMoments {
  let total = 0;
  let nonzero = n;
  if (weights) {
    nonzero = 0;
    for (let i = 0; i < n; i++) {
      const w = weights[weightOffset + i]!;
      total += w;
      nonzero += w !== 0 ? 1 : 0;
    }
  } else {
    total = n;
  }
  // Rows of weight 0 add exact zeros to every sum, so when most are 0 (hard k-means labels), the
  // others are gathered and summed alone, in the same order, with the same results.
  if (weights && nonzero > 0 && nonzero <= n / 2) {
    const kept = gatherWeightedRows(xt, n, d, weights, weightOffset, nonzero);
    return weightedMomentsOfColumns(kept.xt, nonzero, d, type, kept.weights, 0, scratch, sums);
  }
  const mean = sums ? sums.slice() : weightedColumnSums(xt, n, d, weights, weightOffset);
  const covariance = new Float64Array(d * d);
  if (total <= 0) return { total, mean, covariance };
  for (let j = 0; j < d; j++) mean[j]! /= total;

  // Per block: centred = x − μ and weighted = w·(x − μ), the left factor of every product (w·c_a)·c_b.
  const { centred } = scratch;
  const weighted = weights ? scratch.weighted : centred;
  for (let i0 = 0; i0 < n; i0 += BLOCK) {
    const m = Math.min(BLOCK, n - i0);
    centreBlock(xt, n, d, mean, i0, m, weights, weightOffset, centred, weighted);
    if (type === 'diagonal') {
      for (let j = 0; j < d; j++) covariance[j * d + j] = addColumnDot(covariance[j * d + j]!, weighted, j * BLOCK, centred, j * BLOCK, m);
    } else {
      addLowerProducts(weighted, centred, m, d, covariance);
    }
  }
  for (let a = 0; a < d; a++) {
    for (let b = 0; b <= a; b++) {
      const v = covariance[a * d + b]! / total;
      covariance[a * d + b] = v;
      covariance[b * d + a] = v;
    }
  }
  return { total, mean, covariance };
}

/** The columns and weights of the rows whose weight is not 0, in row order. */
function gatherWeightedRows(xt: Float64Array, n: number, d: number, weights: Float64Array, wo: number, nonzero: number): { xt: Float64Array; weights: Float64Array } {
  const rows = new Int32Array(nonzero);
  const kept = new Float64Array(nonzero);
  let m = 0;
  for (let i = 0; i < n; i++) {
    const w = weights[wo + i]!;
    if (w !== 0) {
      rows[m] = i;
      kept[m++] = w;
    }
  }
  const columns = new Float64Array(nonzero * d);
  for (let j = 0; j < d; j++) {
    const o = j * n, g = j * nonzero;
    for (let r = 0; r < nonzero; r++) columns[g + r] = xt[o + rows[r]!]!;
  }
  return { xt: columns, weights: kept };
}

/**
 * centred[j·BLOCK + r] = x[j, i0 + r] − μ_j and, when weighted, weighted[…] = w·(that) for the block's m
 * rows; four columns per pass, so each weight loaded serves four.
 */
function centreBlock(
  xt: Float64Array,
  n: number,
  d: number,
  mean: Float64Array,
  i0: number,
  m: number,
  weights: Float64Array | undefined,
  weightOffset: number,
  centred: Float64Array,
  weighted: Float64Array,
): void {
  let j = 0;
  if (weights) {
    const wo = weightOffset + i0;
    for (; j + 4 <= d; j += 4) {
      const o0 = j * n + i0, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      const b0 = j * BLOCK, b1 = b0 + BLOCK, b2 = b1 + BLOCK, b3 = b2 + BLOCK;
      const m0 = mean[j]!, m1 = mean[j + 1]!, m2 = mean[j + 2]!, m3 = mean[j + 3]!;
      for (let r = 0; r < m; r++) {
        const w = weights[wo + r]!;
        const c0 = xt[o0 + r]! - m0, c1 = xt[o1 + r]! - m1, c2 = xt[o2 + r]! - m2, c3 = xt[o3 + r]! - m3;
        centred[b0 + r] = c0; centred[b1 + r] = c1; centred[b2 + r] = c2; centred[b3 + r] = c3;
        weighted[b0 + r] = w * c0; weighted[b1 + r] = w * c1; weighted[b2 + r] = w * c2; weighted[b3 + r] = w * c3;
      }
    }
  }
  for (; j < d; j++) {
    const o = j * n + i0;
    const b = j * BLOCK;
    const mj = mean[j]!;
    if (weights) {
      const wo = weightOffset + i0;
      for (let r = 0; r < m; r++) {
        const c = xt[o + r]! - mj;
        centred[b + r] = c;
        weighted[b + r] = weights[wo + r]! * c;
      }
    } else {
      for (let r = 0; r < m; r++) centred[b + r] = xt[o + r]! - mj;
    }
  }
}

/** Σ_i w_i·x[j, i] per column j, four columns per pass so each weight loaded feeds four sums. */
function weightedColumnSums(xt: Float64Array, n: number, d: number, weights: Float64Array | undefined, wo: number): Float64Array {
  const sums = new Float64Array(d);
  let j = 0;
  if (weights) {
    for (; j + 4 <= d; j += 4) {
      const o0 = j * n, o1 = o0 + n, o2 = o1 + n, o3 = o2 + n;
      let s0 = 0, s1 = 0, s2 = 0, s3 = 0;
      for (let i = 0; i < n; i++) {
        const w = weights[wo + i]!;
        s0 += w * xt[o0 + i]!; s1 += w * xt[o1 + i]!; s2 += w * xt[o2 + i]!; s3 += w * xt[o3 + i]!;
      }
      sums[j] = s0; sums[j + 1] = s1; sums[j + 2] = s2; sums[j + 3] = s3;
    }
  }
  for (; j < d; j++) {
    const o = j * n;
    let s = 0;
    if (weights) for (let i = 0; i < n; i++) s += weights[wo + i]! * xt[o + i]!;
    else for (let i = 0; i < n; i++) s += xt[o + i]!;
    sums[j] = s;
  }
  return sums;
}

/** s + Σ_r u[uo + r]·v[vo + r], added in order. */
function addColumnDot(s: number, u: Float64Array, uo: number, v: Float64Array, vo: number, m: number): number {
  for (let r = 0; r < m; r++) s += u[uo + r]! * v[vo + r]!;
  return s;
}

/**
 * out[a·d + b] += Σ_r u[a, r]·v[b, r] for b ≤ a, over the m rows of one block (columns BLOCK apart).
 * Entries above the diagonal are left alone.
 */
function addLowerProducts(u: Float64Array, v: Float64Array, m: number, d: number, out: Float64Array): void {
  for (let a0 = 0; a0 < d; a0 += 2) {
    const a1 = a0 + 1;
    if (a1 === d) {
      for (let b = 0; b <= a0; b++) out[a0 * d + b] = addColumnDot(out[a0 * d + b]!, u, a0 * BLOCK, v, b * BLOCK, m);
      break;
    }
    const ua = a0 * BLOCK, ub = a1 * BLOCK;
    const ra = a0 * d, rb = a1 * d;
    let b0 = 0;
    // 2×4 tiles up to b = a1; the one entry a tile may reach above the diagonal (a0, a1) is dropped.
    for (; b0 + 4 <= a1 + 1; b0 += 4) {
      const v0 = b0 * BLOCK, v1 = v0 + BLOCK, v2 = v1 + BLOCK, v3 = v2 + BLOCK;
      let p0 = out[ra + b0]!, p1 = out[ra + b0 + 1]!, p2 = out[ra + b0 + 2]!, p3 = out[ra + b0 + 3]!;
      let q0 = out[rb + b0]!, q1 = out[rb + b0 + 1]!, q2 = out[rb + b0 + 2]!, q3 = out[rb + b0 + 3]!;
      for (let r = 0; r < m; r++) {
        const x = u[ua + r]!, y = u[ub + r]!;
        const c0 = v[v0 + r]!, c1 = v[v1 + r]!, c2 = v[v2 + r]!, c3 = v[v3 + r]!;
        p0 += x * c0; p1 += x * c1; p2 += x * c2; p3 += x * c3;
        q0 += y * c0; q1 += y * c1; q2 += y * c2; q3 += y * c3;
      }
      out[ra + b0] = p0; out[ra + b0 + 1] = p1; out[ra + b0 + 2] = p2;
      if (b0 + 3 <= a0) out[ra + b0 + 3] = p3;
      out[rb + b0] = q0; out[rb + b0 + 1] = q1; out[rb + b0 + 2] = q2; out[rb + b0 + 3] = q3;
    }
    // The tiles stop at b0 = a0 (a0 a multiple of 4) or past a1: then the 2×2 diagonal block
    // (a0, a0), (a1, a0), (a1, a1) is left, done in one pass.
    if (b0 === a0) {
      const va = a0 * BLOCK, vb = a1 * BLOCK;
      let p = out[ra + a0]!, q = out[rb + a0]!, t = out[rb + a1]!;
      for (let r = 0; r < m; r++) {
        const x = u[ua + r]!, y = u[ub + r]!, c0 = v[va + r]!, c1 = v[vb + r]!;
        p += x * c0; q += y * c0; t += y * c1;
      }
      out[ra + a0] = p; out[rb + a0] = q; out[rb + a1] = t;
    }
  }
}
