import { LatentkitError, assertFinite, type Matrix } from '@latentkit/core';

/** Refuses empty or non-finite code matrices with a message naming what they were meant to be. */
export function assertUsableCodes(codes: Matrix, what: string): void {
  if (codes.rows === 0 || codes.cols === 0) {
    throw new LatentkitError('E_EMPTY', `${what} is empty (${codes.rows}×${codes.cols})`);
  }
  assertFinite(codes, what);
}

export function assertDim(z: Matrix, dim: number, what: string): void {
  if (z.cols !== dim) throw new LatentkitError('E_SHAPE', `${what} has ${z.cols} columns but the density is ${dim}-dimensional`);
}

export function assertCount(n: number, what: string, min = 0): void {
  if (!Number.isInteger(n) || n < min) throw new LatentkitError('E_OPTION', `${what} must be an integer ≥ ${min}, got ${n}`);
}

export function assertSeed(seed: number, what: string): void {
  if (!Number.isFinite(seed)) throw new LatentkitError('E_OPTION', `${what} seed must be a finite number, got ${seed}`);
}
