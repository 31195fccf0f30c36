/**
 * Householder reduction of a dense symmetric matrix to tridiagonal form, A = Q T Qᵀ, on a flat
 * row-major Float64Array. Row k of the work matrix keeps the k-th Householder vector so that
 * eigenvectors of T can later be mapped back (Q y) without ever forming Q: that costs n² per vector,
 * which for the few components PCA usually wants is far cheaper than accumulating Q (≈ n³).
 */
export interface Tridiagonal {
  readonly n: number;
  /** Diagonal of T. */
  readonly diag: Float64Array;
  /** Off-diagonal of T: offDiag[i] couples i and i+1 (length n−1, stored in an n-array). */
  readonly offDiag: Float64Array;
  /** Householder vectors v_k (entries k+1..n−1 of row k) and their factors β_k. */
  readonly reflectors: Float64Array;
  readonly betas: Float64Array;
}

/**
 * Reduces `a` (n×n symmetric; only the upper triangle is read); `a` is overwritten and kept as reflector
 * storage (its lower triangle is left stale).
 */
export function tridiagonalize(a: Float64Array, n: number): Tridiagonal {
  const diag = new Float64Array(n);
  const offDiag = new Float64Array(n);
  const betas = new Float64Array(n);
  const p = new Float64Array(n);
  for (let k = 0; k < n - 2; k++) {
    const rowK = k * n;
    // Householder vector for x = a[k, k+1..n), stored in place: v = x − α e1, β = 2 / vᵀv.
    let norm2 = 0;
    for (let j = k + 1; j < n; j++) norm2 += a[rowK + j]! * a[rowK + j]!;
    const x0 = a[rowK + k + 1]!;
    diag[k] = a[rowK + k]!;
    if (norm2 === 0) {
      offDiag[k] = 0;
      betas[k] = 0;
      continue;
    }
    const alpha = x0 > 0 ? -Math.sqrt(norm2) : Math.sqrt(norm2);
    a[rowK + k + 1] = x0 - alpha;
    const vNorm2 = norm2 - x0 * x0 + (x0 - alpha) * (x0 - alpha);
    const beta = vNorm2 === 0 ? 0 : 2 / vNorm2;
    offDiag[k] = alpha;
    betas[k] = beta;
    if (beta === 0) continue;
    // p = β A22 v from the upper triangle alone, row by row (contiguous): entry (i, j>i) serves both
    // p_i (row i) and p_j (its mirror).
    for (let i = k + 1; i < n; i++) p[i] = 0;
    for (let i = k + 1; i < n; i++) {
      const rowI = i * n;
      const vi = a[rowK + i]!;
      let s = a[rowI + i]! * vi;
      for (let j = i + 1; j < n; j++) {
        const aij = a[rowI + j]!;
        s += aij * a[rowK + j]!;
        p[j] = p[j]! + aij * vi;
      }
      p[i] = p[i]! + s;
    }
    let pv = 0;
    for (let i = k + 1; i < n; i++) {
      p[i] = p[i]! * beta;
      pv += p[i]! * a[rowK + i]!;
    }
    // w = p − (β pᵀv / 2) v, then A22 −= v wᵀ + w vᵀ on the upper triangle only (half the work).
    const c = (beta * pv) / 2;
    for (let i = k + 1; i < n; i++) p[i] = p[i]! - c * a[rowK + i]!;
    for (let i = k + 1; i < n; i++) {
      const rowI = i * n;
      const vi = a[rowK + i]!;
      const wi = p[i]!;
      for (let j = i; j < n; j++) a[rowI + j] = a[rowI + j]! - vi * p[j]! - wi * a[rowK + j]!;
    }
  }
  if (n >= 2) {
    diag[n - 2] = a[(n - 2) * n + n - 2]!;
    offDiag[n - 2] = a[(n - 2) * n + n - 1]!;
  }
  if (n >= 1) diag[n - 1] = a[n * n - 1]!;
  return { n, diag, offDiag, reflectors: a, betas };
}

/** Maps a vector y from T's basis to the original one: y ← Q y = H_0 H_1 … H_{n−3} y (in place). */
export function applyReflectors(t: Tridiagonal, y: Float64Array): void {
  const { n, reflectors: v, betas } = t;
  for (let k = n - 3; k >= 0; k--) {
    const beta = betas[k]!;
    if (beta === 0) continue;
    const rowK = k * n;
    let s = 0;
    for (let j = k + 1; j < n; j++) s += v[rowK + j]! * y[j]!;
    s *= beta;
    for (let j = k + 1; j < n; j++) y[j] = y[j]! - s * v[rowK + j]!;
  }
}
