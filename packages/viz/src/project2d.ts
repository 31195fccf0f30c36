import { assertFinite, createRng, LatentkitError, type Matrix } from '@latentkit/core';

export interface Projection2d {
  /** n×2 coordinates to plot. */
  points: Matrix;
  /** 'identity' when the codes were already (at most) 2-D, 'pca' when they are the first two principal components. */
  axes: 'identity' | 'pca';
}

const MAX_ITERATIONS = 5000;
const TOLERANCE = 1e-11;

/**
 * Puts latent codes on a plane for a scatter plot: 2-D codes as they are (1-D ones get y = 0),
 * wider codes projected onto their first two principal components (centred). The components come
 * from subspace iteration on the d×d covariance, kept here so viz does not depend on @latentkit/pca.
 */
export function project2d(codes: Matrix): Projection2d {
  if (codes.rows === 0) throw new LatentkitError('E_EMPTY', 'project2d got no codes');
  if (codes.cols === 0) throw new LatentkitError('E_SHAPE', 'project2d got codes with 0 columns');
  assertFinite(codes, 'latent codes');
  if (codes.cols === 2) return { points: codes, axes: 'identity' };
  if (codes.cols === 1) {
    const data = new Float32Array(codes.rows * 2);
    for (let i = 0; i < codes.rows; i++) data[2 * i] = codes.data[i]!;
    return { points: { data, rows: codes.rows, cols: 2 }, axes: 'identity' };
  }
  const { mean, cov } = meanAndCovariance(codes);
  const [u, v] = topTwoEigenvectors(cov, codes.cols);
  const d = codes.cols;
  const data = new Float32Array(codes.rows * 2);
  for (let i = 0; i < codes.rows; i++) {
    let a = 0;
    let b = 0;
    for (let j = 0; j < d; j++) {
      const x = codes.data[i * d + j]! - mean[j]!;
      a += x * u[j]!;
      b += x * v[j]!;
    }
    data[2 * i] = a;
    data[2 * i + 1] = b;
  }
  return { points: { data, rows: codes.rows, cols: 2 }, axes: 'pca' };
}

/** Column means and the d×d covariance (divided by n), accumulated in float64. */
function meanAndCovariance(m: Matrix): { mean: Float64Array; cov: Float64Array } {
  const { rows: n, cols: d } = m;
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) mean[j]! += m.data[i * d + j]!;
  for (let j = 0; j < d; j++) mean[j]! /= n;
  const cov = new Float64Array(d * d);
  const centred = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) centred[j] = m.data[i * d + j]! - mean[j]!;
    for (let j = 0; j < d; j++) {
      const cj = centred[j]!;
      for (let k = j; k < d; k++) cov[j * d + k]! += cj * centred[k]!;
    }
  }
  for (let j = 0; j < d; j++) {
    for (let k = j; k < d; k++) {
      cov[j * d + k]! /= n;
      cov[k * d + j] = cov[j * d + k]!;
    }
  }
  return { mean, cov };
}

/**
 * The two leading eigenvectors of a symmetric PSD matrix by subspace iteration with a Rayleigh–Ritz
 * step (which orders the pair by eigenvalue). Signs are fixed so the largest-magnitude entry is positive.
 */
export function topTwoEigenvectors(a: Float64Array, d: number): [Float64Array, Float64Array] {
  const rng = createRng(2);
  let u: Float64Array = Float64Array.from({ length: d }, () => rng.normal());
  let v: Float64Array = Float64Array.from({ length: d }, () => rng.normal());
  [u, v] = orthonormalPair(u, v);
  for (let it = 0; it < MAX_ITERATIONS; it++) {
    const [nu, nv] = ritzPair(...orthonormalPair(matVec(a, u, d), matVec(a, v, d)), a, d);
    const moved = Math.max(distanceUpToSign(nu, u), distanceUpToSign(nv, v));
    u = nu;
    v = nv;
    if (moved < TOLERANCE) break;
  }
  return [fixSign(u), fixSign(v)];
}

/** Rotates an orthonormal pair within its span to the eigenvectors of the 2×2 projected matrix, larger first. */
function ritzPair(u: Float64Array, v: Float64Array, a: Float64Array, d: number): [Float64Array, Float64Array] {
  const au = matVec(a, u, d);
  const av = matVec(a, v, d);
  const h00 = dot(u, au);
  const h01 = dot(u, av);
  const h11 = dot(v, av);
  const theta = 0.5 * Math.atan2(2 * h01, h00 - h11);
  const c = Math.cos(theta);
  const s = Math.sin(theta);
  return [u.map((x, i) => c * x + s * v[i]!), u.map((x, i) => -s * x + c * v[i]!)];
}

/** Gram–Schmidt on two vectors; a vector that vanishes (rank-deficient data) is replaced by a unit axis orthogonal to the other. */
function orthonormalPair(u: Float64Array, v: Float64Array): [Float64Array, Float64Array] {
  const scale = Math.max(norm(u), norm(v));
  const first = normalizedOr(u, scale, []);
  const along = dot(v, first);
  const w = v.map((x, i) => x - along * first[i]!);
  return [first, normalizedOr(w, scale, [first])];
}

function normalizedOr(x: Float64Array, scale: number, against: Float64Array[]): Float64Array {
  const n = norm(x);
  if (n > 1e-10 * scale && n > 0) return x.map((t) => t / n);
  // Pick the unit axis least aligned with the vectors already chosen.
  let best = new Float64Array(x.length);
  let bestNorm = -1;
  for (let k = 0; k < x.length; k++) {
    const e = new Float64Array(x.length);
    e[k] = 1;
    for (const b of against) {
      const p = b[k]!;
      for (let i = 0; i < e.length; i++) e[i]! -= p * b[i]!;
    }
    const en = norm(e);
    if (en > bestNorm + 1e-9) {
      bestNorm = en;
      best = e;
    }
  }
  return best.map((t) => t / bestNorm);
}

function matVec(a: Float64Array, x: Float64Array, d: number): Float64Array {
  const out = new Float64Array(d);
  for (let i = 0; i < d; i++) {
    let s = 0;
    for (let j = 0; j < d; j++) s += a[i * d + j]! * x[j]!;
    out[i] = s;
  }
  return out;
}

function dot(a: Float64Array, b: Float64Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]! * b[i]!;
  return s;
}

function norm(a: Float64Array): number {
  return Math.sqrt(dot(a, a));
}

/** ‖a − b‖ or ‖a + b‖, whichever is smaller: eigenvectors have no inherent sign. */
function distanceUpToSign(a: Float64Array, b: Float64Array): number {
  let minus = 0;
  let plus = 0;
  for (let i = 0; i < a.length; i++) {
    minus += (a[i]! - b[i]!) ** 2;
    plus += (a[i]! + b[i]!) ** 2;
  }
  return Math.sqrt(Math.min(minus, plus));
}

function fixSign(x: Float64Array): Float64Array {
  let k = 0;
  for (let i = 1; i < x.length; i++) if (Math.abs(x[i]!) > Math.abs(x[k]!)) k = i;
  return x[k]! < 0 ? x.map((t) => -t) : x;
}
