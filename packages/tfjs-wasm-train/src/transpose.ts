/** Tile edge for the blocked transpose: 32×32 floats = 4 KiB per tile, cache friendly on both sides. */
const TILE = 32;

/**
 * Writes the transpose of each `rows × cols` matrix of `src` (`batch` of them, back to back) into
 * `dst` as `cols × rows`. Blocked so both reads and writes stay within a few cache lines.
 */
export function transposeBatched(
  src: Float32Array,
  dst: Float32Array,
  batch: number,
  rows: number,
  cols: number,
): void {
  const size = rows * cols;
  for (let m = 0; m < batch; m++) {
    const base = m * size;
    for (let r0 = 0; r0 < rows; r0 += TILE) {
      const r1 = Math.min(r0 + TILE, rows);
      for (let c0 = 0; c0 < cols; c0 += TILE) {
        const c1 = Math.min(c0 + TILE, cols);
        for (let r = r0; r < r1; r++) {
          const srcRow = base + r * cols;
          for (let c = c0; c < c1; c++) dst[base + c * rows + r] = src[srcRow + c];
        }
      }
    }
  }
}
