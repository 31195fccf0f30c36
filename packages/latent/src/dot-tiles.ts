/**
 * Register-tiled dot products for nearest-neighbour search. Each kernel walks the feature axis
 * once and keeps several accumulators live, so every value loaded feeds several multiply-adds;
 * a 4-query × 2-reference tile measured ~1.5× faster than a 4 × 1 tile and ~3× faster than one
 * dot product at a time in V8.
 */

/** out[0..3] = q_a·r1, out[4..7] = q_a·r2 for the four query rows starting at offset q0. */
export function dots4x2(q: Float32Array, q0: number, r: Float32Array, r1: number, r2: number, d: number, out: Float64Array): void {
  const o1 = q0 + d, o2 = o1 + d, o3 = o2 + d;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0, b0 = 0, b1 = 0, b2 = 0, b3 = 0;
  for (let j = 0; j < d; j++) {
    const va = r[r1 + j]!, vb = r[r2 + j]!;
    const x0 = q[q0 + j]!, x1 = q[o1 + j]!, x2 = q[o2 + j]!, x3 = q[o3 + j]!;
    a0 += x0 * va; a1 += x1 * va; a2 += x2 * va; a3 += x3 * va;
    b0 += x0 * vb; b1 += x1 * vb; b2 += x2 * vb; b3 += x3 * vb;
  }
  out[0] = a0; out[1] = a1; out[2] = a2; out[3] = a3;
  out[4] = b0; out[5] = b1; out[6] = b2; out[7] = b3;
}

/** out[0..3] = q_a·r1 for the four query rows starting at offset q0. */
export function dots4x1(q: Float32Array, q0: number, r: Float32Array, r1: number, d: number, out: Float64Array): void {
  const o1 = q0 + d, o2 = o1 + d, o3 = o2 + d;
  let a0 = 0, a1 = 0, a2 = 0, a3 = 0;
  for (let j = 0; j < d; j++) {
    const v = r[r1 + j]!;
    a0 += q[q0 + j]! * v; a1 += q[o1 + j]! * v; a2 += q[o2 + j]! * v; a3 += q[o3 + j]! * v;
  }
  out[0] = a0; out[1] = a1; out[2] = a2; out[3] = a3;
}

export function dot(a: Float32Array, ao: number, b: Float32Array, bo: number, d: number): number {
  let s = 0;
  for (let j = 0; j < d; j++) s += a[ao + j]! * b[bo + j]!;
  return s;
}
