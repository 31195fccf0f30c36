import { LatentkitError } from '@latentkit/core';

/**
 * Eigenvalues of a symmetric tridiagonal matrix by the implicit QL method with Wilkinson shifts
 * (no vectors: O(n²)). Returns them sorted descending.
 */
export function tridiagonalEigenvalues(diag: Float64Array, offDiag: Float64Array): Float64Array {
  const n = diag.length;
  const d = Float64Array.from(diag);
  const e = new Float64Array(n);
  for (let i = 0; i < n - 1; i++) e[i] = offDiag[i]!;
  // Deflate couplings below ε‖T‖ too: QL's eigenvalues are accurate to ε‖T‖ anyway, and without this floor
  // a block of roundoff-sized entries (the zero-variance pixels of MNIST) never meets the relative test.
  let norm = 0;
  for (let i = 0; i < n; i++) norm = Math.max(norm, Math.abs(d[i]!) + Math.abs(e[i]!) + (i > 0 ? Math.abs(e[i - 1]!) : 0));
  const floor = Number.EPSILON * norm;
  for (let l = 0; l < n; l++) {
    let iter = 0;
    for (;;) {
      let m = l;
      for (; m < n - 1; m++) {
        const dd = Math.abs(d[m]!) + Math.abs(d[m + 1]!);
        if (Math.abs(e[m]!) <= Number.EPSILON * dd || Math.abs(e[m]!) <= floor) break;
      }
      if (m === l) break;
      if (++iter > 60) throw new LatentkitError('E_DIVERGED', 'tridiagonal QL eigensolver did not converge');
      let g = (d[l + 1]! - d[l]!) / (2 * e[l]!);
      let r = Math.hypot(g, 1);
      g = d[m]! - d[l]! + e[l]! / (g + (g >= 0 ? r : -r));
      let s = 1, c = 1, p = 0;
      let i = m - 1;
      for (; i >= l; i--) {
        const f = s * e[i]!;
        const b = c * e[i]!;
        r = Math.hypot(f, g);
        e[i + 1] = r;
        if (r === 0) {
          d[i + 1] = d[i + 1]! - p;
          e[m] = 0;
          break;
        }
        s = f / r;
        c = g / r;
        g = d[i + 1]! - p;
        r = (d[i]! - g) * s + 2 * c * b;
        p = s * r;
        d[i + 1] = g + p;
        g = c * r - b;
      }
      if (r === 0 && i >= l) continue;
      d[l] = d[l]! - p;
      e[l] = g;
      e[m] = 0;
    }
  }
  return d.sort().reverse();
}

/**
 * Eigenvectors of a symmetric tridiagonal matrix for given eigenvalues (descending) by inverse
 * iteration, as LAPACK's dstein does: eigenvalues closer than 1e-3·‖T‖ form a cluster whose vectors
 * are re-orthogonalised against each other, and (near-)equal eigenvalues are nudged apart so each
 * solve aims at a different vector. Returns the vectors as rows of a k×n array.
 */
export function tridiagonalEigenvectors(diag: Float64Array, offDiag: Float64Array, values: ArrayLike<number>): Float64Array {
  const n = diag.length;
  const k = values.length;
  const out = new Float64Array(k * n);
  let norm = 0;
  for (let i = 0; i < n; i++) {
    const rowSum = Math.abs(diag[i]!) + (i > 0 ? Math.abs(offDiag[i - 1]!) : 0) + (i < n - 1 ? Math.abs(offDiag[i]!) : 0);
    norm = Math.max(norm, rowSum);
  }
  if (norm === 0) norm = 1;
  const clusterTol = 1e-3 * norm;
  const nudge = 10 * Number.EPSILON * norm;
  const tinyPivot = Number.EPSILON * norm;
  // LU of (T − λI) with partial pivoting: U has diagonal u0 and two superdiagonals u1, u2.
  const u0 = new Float64Array(n), u1 = new Float64Array(n), u2 = new Float64Array(n), mult = new Float64Array(n);
  const swapped = new Uint8Array(n);
  const x = new Float64Array(n);
  let seed = 0x9e3779b9;
  let clusterStart = 0;
  let previous = Infinity;
  for (let j = 0; j < k; j++) {
    let lambda = values[j]!;
    if (j > 0 && previous - lambda > clusterTol) clusterStart = j;
    if (j > 0 && previous - lambda < nudge) lambda = previous - nudge;
    previous = lambda;
    factor(lambda);
    // Deterministic pseudo-random start so repeated fits give identical vectors.
    for (let i = 0; i < n; i++) {
      seed = (Math.imul(seed ^ (seed >>> 15), 0x2c1b3c6d) + 0x297a2d39) >>> 0;
      x[i] = seed / 4294967296 - 0.5;
    }
    // λ is accurate to ≈ε‖T‖, so each solve shrinks every other direction by ≈ε‖T‖/gap; three
    // solves (re-orthogonalised within the cluster) leave the vector accurate to working precision.
    for (let it = 0; it < 3; it++) {
      solve();
      for (let c = clusterStart; c < j; c++) orthogonalize(out, c * n, x, n);
      let maxAbs = 0;
      for (let i = 0; i < n; i++) maxAbs = Math.max(maxAbs, Math.abs(x[i]!));
      // Rescale before normalising so huge solutions cannot overflow the sum of squares.
      for (let i = 0; i < n; i++) x[i] = x[i]! / maxAbs;
      let ss = 0;
      for (let i = 0; i < n; i++) ss += x[i]! * x[i]!;
      const scale = 1 / Math.sqrt(ss);
      for (let i = 0; i < n; i++) x[i] = x[i]! * scale;
    }
    out.set(x, j * n);
  }
  return out;

  function factor(lambda: number): void {
    // Gaussian elimination with row interchanges on the tridiagonal (T − λI).
    let a = diag[0]! - lambda; // current pivot row diagonal
    let b = n > 1 ? offDiag[0]! : 0; // current pivot row first superdiagonal
    let c = 0; // current pivot row second superdiagonal
    for (let i = 0; i < n - 1; i++) {
      const sub = offDiag[i]!;
      const nextDiag = diag[i + 1]! - lambda;
      const nextSup = i + 1 < n - 1 ? offDiag[i + 1]! : 0;
      if (Math.abs(a) >= Math.abs(sub)) {
        swapped[i] = 0;
        const m = a === 0 ? 0 : sub / a;
        mult[i] = m;
        u0[i] = a; u1[i] = b; u2[i] = c;
        a = nextDiag - m * b;
        b = nextSup - m * c;
        c = 0;
      } else {
        swapped[i] = 1;
        const m = a / sub;
        mult[i] = m;
        u0[i] = sub; u1[i] = nextDiag; u2[i] = nextSup;
        const na = b - m * nextDiag;
        const nb = c - m * nextSup;
        a = na;
        b = nb;
        c = 0;
      }
      if (u0[i] === 0) u0[i] = tinyPivot;
    }
    u0[n - 1] = a === 0 ? tinyPivot : a;
    u1[n - 1] = 0;
    u2[n - 1] = 0;
  }

  function solve(): void {
    // Forward: apply the row interchanges and multipliers to x.
    for (let i = 0; i < n - 1; i++) {
      if (swapped[i]) {
        const t = x[i]!;
        x[i] = x[i + 1]!;
        x[i + 1] = t - mult[i]! * x[i]!;
      } else {
        x[i + 1] = x[i + 1]! - mult[i]! * x[i]!;
      }
    }
    // Back substitution with U.
    for (let i = n - 1; i >= 0; i--) {
      let s = x[i]!;
      if (i + 1 < n) s -= u1[i]! * x[i + 1]!;
      if (i + 2 < n) s -= u2[i]! * x[i + 2]!;
      let p = u0[i]!;
      if (Math.abs(p) < tinyPivot) p = p < 0 ? -tinyPivot : tinyPivot;
      x[i] = s / p;
    }
  }
}

function orthogonalize(rows: Float64Array, offset: number, x: Float64Array, n: number): void {
  let dot = 0;
  for (let i = 0; i < n; i++) dot += rows[offset + i]! * x[i]!;
  for (let i = 0; i < n; i++) x[i] = x[i]! - dot * rows[offset + i]!;
}
