/**
 * acc[a, b] += Σ_i left[a, i] · right[b, i] for every even a in [0, aRows) and b from the start given by
 * `bStart(a)` up to bRows, i.e. a (transposed) block product restricted to the upper triangle.
 * Both operands are feature-major blocks (one feature's `width` samples contiguous), so each
 * 2×4 tile is eight running dot products over contiguous memory, kept in registers.
 * Requirements: aRows even, bRows a multiple of 4, bStart(a) a multiple of 4.
 */
export function accumulateUpperBlock(
  left: Float64Array,
  right: Float64Array,
  acc: Float64Array,
  aRows: number,
  bRows: number,
  width: number,
  bStartDivisor: number,
): void {
  for (let a = 0; a < aRows; a += 2) {
    const pa = a * width;
    const pa1 = pa + width;
    const bStart = Math.floor(a / bStartDivisor / 4) * 4;
    const accRow = a * bRows;
    for (let b = bStart; b < bRows; b += 4) {
      const pb0 = b * width, pb1 = pb0 + width, pb2 = pb1 + width, pb3 = pb2 + width;
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      for (let i = 0; i < width; i++) {
        const u = left[pa + i]!, w = left[pa1 + i]!;
        const r0 = right[pb0 + i]!, r1 = right[pb1 + i]!, r2 = right[pb2 + i]!, r3 = right[pb3 + i]!;
        s00 += u * r0; s01 += u * r1; s02 += u * r2; s03 += u * r3;
        s10 += w * r0; s11 += w * r1; s12 += w * r2; s13 += w * r3;
      }
      const c = accRow + b;
      acc[c] = acc[c]! + s00; acc[c + 1] = acc[c + 1]! + s01; acc[c + 2] = acc[c + 2]! + s02; acc[c + 3] = acc[c + 3]! + s03;
      const c1 = c + bRows;
      acc[c1] = acc[c1]! + s10; acc[c1 + 1] = acc[c1 + 1]! + s11; acc[c1 + 2] = acc[c1 + 2]! + s12; acc[c1 + 3] = acc[c1 + 3]! + s13;
    }
  }
}
