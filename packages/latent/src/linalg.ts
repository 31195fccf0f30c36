import { LatentkitError } from '@latentkit/core';

/**
 * Small dense float64 linear algebra for d×d covariance matrices, stored row-major in a
 * Float64Array. d is a latent size (tens at most), so plain O(d³) loops are the right tool.
 */

/** Lower-triangular Cholesky factor L with A = L·Lᵀ, or undefined when A is not positive definite. */
export function cholesky(a: Float64Array, d: number): Float64Array | undefined {
  const l = new Float64Array(d * d);
  for (let i = 0; i < d; i++) {
    for (let j = 0; j <= i; j++) {
      let s = a[i * d + j]!;
      for (let k = 0; k < j; k++) s -= l[i * d + k]! * l[j * d + k]!;
      if (i === j) {
        // `!(s > 0)` also rejects NaN, which a plain `s <= 0` would let through.
        if (!(s > 0)) return undefined;
        l[i * d + i] = Math.sqrt(s);
      } else {
        l[i * d + j] = s / l[j * d + j]!;
      }
    }
  }
  return l;
}

export interface JitteredCholesky {
  readonly factor: Float64Array;
  /** The amount added to the diagonal before the factorisation succeeded (0 when none was needed). */
  readonly jitter: number;
}

const JITTER_ATTEMPTS = 12;

/**
 * Cholesky that survives singular covariances (e.g. codes lying on a line): when A is not positive
 * definite it retries with A + εI, starting at ε = 1e-6·trace/d and growing ×10 per attempt.
 */
export function choleskyWithJitter(a: Float64Array, d: number, what = 'covariance'): JitteredCholesky {
  const plain = cholesky(a, d);
  if (plain) return { factor: plain, jitter: 0 };
  let trace = 0;
  for (let i = 0; i < d; i++) trace += a[i * d + i]!;
  // A zero trace (all codes identical) still needs a positive starting jitter.
  let jitter = 1e-6 * (Number.isFinite(trace) && trace > 0 ? trace / d : 1);
  for (let attempt = 0; attempt < JITTER_ATTEMPTS; attempt++) {
    const shifted = Float64Array.from(a);
    for (let i = 0; i < d; i++) shifted[i * d + i]! += jitter;
    const factor = cholesky(shifted, d);
    if (factor) return { factor, jitter };
    jitter *= 10;
  }
  throw new LatentkitError('E_INPUT_VALUE', `${what} is not positive definite even with ${jitter / 10} added to its diagonal`);
}

/** log|A| from A's Cholesky factor: 2·Σ log Lᵢᵢ. */
export function logDetFromCholesky(l: Float64Array, d: number): number {
  let s = 0;
  for (let i = 0; i < d; i++) s += Math.log(l[i * d + i]!);
  return 2 * s;
}

/**
 * Squared Mahalanobis length vᵀA⁻¹v = |L⁻¹v|², by forward substitution. `work` is scratch space of
 * length d so hot loops allocate nothing. Each step multiplies by 1/Lᵢᵢ, as the batched
 * whitenedSquaredNorms does to spare its divisions, so the two agree bit for bit.
 */
export function mahalanobisSq(l: Float64Array, d: number, v: Float64Array, work: Float64Array): number {
  let total = 0;
  for (let i = 0; i < d; i++) {
    let s = v[i]!;
    for (let k = 0; k < i; k++) s -= l[i * d + k]! * work[k]!;
    const y = s * (1 / l[i * d + i]!);
    work[i] = y;
    total += y * y;
  }
  return total;
}

/** out = L·e (lower-triangular times vector), used to colour standard-normal draws. */
export function lowerTimesVector(l: Float64Array, d: number, e: Float64Array, out: Float64Array): void {
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let k = 0; k <= i; k++) s += l[i * d + k]! * e[k]!;
    out[i] = s;
  }
}
