/**
 * Batched squared Mahalanobis lengths |L⁻¹(x − μ)|² for many rows held as columns (see columns.ts).
 * The forward substitution is mahalanobisSq's step for step (each y_a subtracts L[a,k]·y_k for
 * k = 0, 1, … in order, then is multiplied by 1/L[a,a], cheaper than a division), so each row's
 * result is bit-identical to it. The work is tiled: four rows and two outputs a, a+1 at a time, so
 * each y_k loaded feeds two multiply-adds and each factor entry four, where one row at a time waited
 * on every previous step.
 */

const ROWS = 4;

/** out[outOffset + i] = |L⁻¹(x_i − μ)|² for the n rows of the d×n column block xt. */
export function whitenedSquaredNorms(
  factor: Float64Array,
  d: number,
  mean: Float64Array,
  xt: Float64Array,
  n: number,
  out: Float64Array,
  outOffset: number,
): void {
  // y[k·4 + r]: the k-th whitened coordinate of the tile's row r.
  const y = new Float64Array(d * ROWS);
  const inverseDiagonal = new Float64Array(d);
  for (let a = 0; a < d; a++) inverseDiagonal[a] = 1 / factor[a * d + a]!;
  let i = 0;
  for (; i + ROWS <= n; i += ROWS) {
    let t0 = 0, t1 = 0, t2 = 0, t3 = 0;
    let a = 0;
    for (; a + 2 <= d; a += 2) {
      const b = a + 1;
      const ma = mean[a]!, mb = mean[b]!;
      const oa = a * n + i, ob = oa + n;
      let s0 = xt[oa]! - ma, s1 = xt[oa + 1]! - ma, s2 = xt[oa + 2]! - ma, s3 = xt[oa + 3]! - ma;
      let u0 = xt[ob]! - mb, u1 = xt[ob + 1]! - mb, u2 = xt[ob + 2]! - mb, u3 = xt[ob + 3]! - mb;
      const ra = a * d, rb = ra + d;
      for (let k = 0; k < a; k++) {
        const la = factor[ra + k]!, lb = factor[rb + k]!;
        const yk = k * ROWS;
        const y0 = y[yk]!, y1 = y[yk + 1]!, y2 = y[yk + 2]!, y3 = y[yk + 3]!;
        s0 -= la * y0; s1 -= la * y1; s2 -= la * y2; s3 -= la * y3;
        u0 -= lb * y0; u1 -= lb * y1; u2 -= lb * y2; u3 -= lb * y3;
      }
      const da = inverseDiagonal[a]!;
      const ya0 = s0 * da, ya1 = s1 * da, ya2 = s2 * da, ya3 = s3 * da;
      // Output b's last step uses y_a, just computed.
      const lba = factor[rb + a]!, db = inverseDiagonal[b]!;
      const yb0 = (u0 - lba * ya0) * db, yb1 = (u1 - lba * ya1) * db, yb2 = (u2 - lba * ya2) * db, yb3 = (u3 - lba * ya3) * db;
      const ya = a * ROWS;
      y[ya] = ya0; y[ya + 1] = ya1; y[ya + 2] = ya2; y[ya + 3] = ya3;
      y[ya + 4] = yb0; y[ya + 5] = yb1; y[ya + 6] = yb2; y[ya + 7] = yb3;
      t0 += ya0 * ya0; t1 += ya1 * ya1; t2 += ya2 * ya2; t3 += ya3 * ya3;
      t0 += yb0 * yb0; t1 += yb1 * yb1; t2 += yb2 * yb2; t3 += yb3 * yb3;
    }
    if (a < d) {
      // Odd d: the last output alone.
      const ma = mean[a]!;
      const oa = a * n + i;
      let s0 = xt[oa]! - ma, s1 = xt[oa + 1]! - ma, s2 = xt[oa + 2]! - ma, s3 = xt[oa + 3]! - ma;
      const ra = a * d;
      for (let k = 0; k < a; k++) {
        const la = factor[ra + k]!;
        const yk = k * ROWS;
        s0 -= la * y[yk]!; s1 -= la * y[yk + 1]!; s2 -= la * y[yk + 2]!; s3 -= la * y[yk + 3]!;
      }
      const da = inverseDiagonal[a]!;
      const ya0 = s0 * da, ya1 = s1 * da, ya2 = s2 * da, ya3 = s3 * da;
      t0 += ya0 * ya0; t1 += ya1 * ya1; t2 += ya2 * ya2; t3 += ya3 * ya3;
    }
    out[outOffset + i] = t0; out[outOffset + i + 1] = t1; out[outOffset + i + 2] = t2; out[outOffset + i + 3] = t3;
  }
  // The last n mod 4 rows, one at a time (same arithmetic).
  for (; i < n; i++) {
    let t = 0;
    for (let a = 0; a < d; a++) {
      let s = xt[a * n + i]! - mean[a]!;
      const row = a * d;
      for (let k = 0; k < a; k++) s -= factor[row + k]! * y[k]!;
      const ya = s * inverseDiagonal[a]!;
      y[a] = ya;
      t += ya * ya;
    }
    out[outOffset + i] = t;
  }
}
