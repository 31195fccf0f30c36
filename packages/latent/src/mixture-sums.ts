/**
 * Σ_i r[c, i]·x[j, i] for every component c and column j of a d×n column block, in one pass for all
 * components: two components × four columns per pass, so each value loaded feeds two or four sums
 * (one component per pass read every column again). Each sum adds its rows in order, as the
 * one-component sums do, so the results are the same bit for bit. A group past the last component or
 * column repeats it; repeats compute and write the same value.
 */
export function mixtureColumnSums(xt: Float64Array, n: number, d: number, resp: Float64Array, k: number): Float64Array {
  const sums = new Float64Array(k * d);
  for (let c0 = 0; c0 < k; c0 += 2) {
    const c1 = Math.min(c0 + 1, k - 1);
    const w0 = c0 * n, w1 = c1 * n;
    for (let j0 = 0; j0 < d; j0 += 4) {
      const j1 = Math.min(j0 + 1, d - 1), j2 = Math.min(j0 + 2, d - 1), j3 = Math.min(j0 + 3, d - 1);
      const o0 = j0 * n, o1 = j1 * n, o2 = j2 * n, o3 = j3 * n;
      let p0 = 0, p1 = 0, p2 = 0, p3 = 0, q0 = 0, q1 = 0, q2 = 0, q3 = 0;
      for (let i = 0; i < n; i++) {
        const a = resp[w0 + i]!, b = resp[w1 + i]!;
        const x0 = xt[o0 + i]!, x1 = xt[o1 + i]!, x2 = xt[o2 + i]!, x3 = xt[o3 + i]!;
        p0 += a * x0; p1 += a * x1; p2 += a * x2; p3 += a * x3;
        q0 += b * x0; q1 += b * x1; q2 += b * x2; q3 += b * x3;
      }
      const s0 = c0 * d, s1 = c1 * d;
      sums[s0 + j0] = p0; sums[s0 + j1] = p1; sums[s0 + j2] = p2; sums[s0 + j3] = p3;
      sums[s1 + j0] = q0; sums[s1 + j1] = q1; sums[s1 + j2] = q2; sums[s1 + j3] = q3;
    }
  }
  return sums;
}
