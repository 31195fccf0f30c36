/** A product's sizes: op(A) is m × k, op(B) k × n. */
export interface ProductShape {
  readonly m: number;
  readonly k: number;
  readonly n: number;
  readonly transposeA: boolean;
  readonly transposeB: boolean;
}

/**
 * Byte strides of a stored A and B: A(i, k) at a + i·sI + k·sK, B(k, n) at b + k·bsK + n·bsN. A transposed
 * operand is read through its strides, never copied.
 */
export function stridesOf({ m, k, n, transposeA, transposeB }: ProductShape): { sI: number; sK: number; bsK: number; bsN: number } {
  const [sI, sK] = transposeA ? [4, 4 * m] : [4 * k, 4];
  const [bsK, bsN] = transposeB ? [4, 4 * k] : [4 * n, 4];
  return { sI, sK, bsK, bsN };
}

/** Columns (N) above which a transposed A is multiplied in slices of TRANSPOSED_A_ROWS rows. */
const MANY_COLUMNS = 64;
const TRANSPOSED_A_ROWS = 8;

/**
 * Rows of C per gemm call. A transposed: a 4-row block reads one new cache line per k, and the GEMM sweeps all
 * of A once per 8-column panel. With many panels, 8-row slices keep their lines in L1 across the panels instead
 * (dense-ae's weight gradient, 784×128 · 128×256: 25 → 30 GFLOP/s). Decided by the whole product's N, so
 * threads sharing its panels slice alike.
 */
export function rowsPerGemmCall(m: number, n: number, transposeA: boolean): number {
  return transposeA && n > MANY_COLUMNS ? TRANSPOSED_A_ROWS : m;
}
