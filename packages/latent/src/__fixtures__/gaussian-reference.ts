import { createMatrix, createRng, type Matrix } from '@latentkit/core';

/**
 * Independent references for the density tests: the textbook 2-D normal pdf and a sampler that
 * colours normals with a hand-written 2×2 Cholesky factor (no shared code with the package).
 */
export interface Normal2d {
  readonly mean: readonly [number, number];
  /** [σx², σxy, σy²] */
  readonly cov: readonly [number, number, number];
}

export function normalPdf2d(g: Normal2d, x: number, y: number): number {
  const [vx, cxy, vy] = g.cov;
  const sx = Math.sqrt(vx), sy = Math.sqrt(vy);
  const rho = cxy / (sx * sy);
  const dx = (x - g.mean[0]) / sx, dy = (y - g.mean[1]) / sy;
  const q = (dx * dx - 2 * rho * dx * dy + dy * dy) / (1 - rho * rho);
  return Math.exp(-q / 2) / (2 * Math.PI * sx * sy * Math.sqrt(1 - rho * rho));
}

/** n draws from a mixture of 2-D normals (a single normal when given one component with weight 1). */
export function sampleMixture2d(components: readonly Normal2d[], weights: readonly number[], n: number, seed: number): Matrix {
  const rng = createRng(seed);
  const out = createMatrix(n, 2);
  for (let i = 0; i < n; i++) {
    let u = rng.next();
    let c = 0;
    while (c < weights.length - 1 && u >= weights[c]!) u -= weights[c++]!;
    const g = components[c]!;
    const [vx, cxy, vy] = g.cov;
    const l11 = Math.sqrt(vx), l21 = cxy / l11, l22 = Math.sqrt(vy - l21 * l21);
    const e1 = rng.normal(), e2 = rng.normal();
    out.data[2 * i] = g.mean[0] + l11 * e1;
    out.data[2 * i + 1] = g.mean[1] + l21 * e1 + l22 * e2;
  }
  return out;
}

/** Sample mean and (divide-by-n) covariance [vx, cxy, vy] of a 2-column matrix, in float64. */
export function moments2d(m: Matrix): { mean: [number, number]; cov: [number, number, number] } {
  let mx = 0, my = 0;
  for (let i = 0; i < m.rows; i++) {
    mx += m.data[2 * i]!;
    my += m.data[2 * i + 1]!;
  }
  mx /= m.rows;
  my /= m.rows;
  let vx = 0, cxy = 0, vy = 0;
  for (let i = 0; i < m.rows; i++) {
    const dx = m.data[2 * i]! - mx, dy = m.data[2 * i + 1]! - my;
    vx += dx * dx;
    cxy += dx * dy;
    vy += dy * dy;
  }
  return { mean: [mx, my], cov: [vx / m.rows, cxy / m.rows, vy / m.rows] };
}
