import { isLatentkitError, mse, type ErrorCode, type Matrix } from '@latentkit/core';

/** A failed conformance expectation: one line saying what the reducer did and what the spec wants. */
export class ConformanceFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConformanceFailure';
  }
}

export function fail(message: string): never {
  throw new ConformanceFailure(message);
}

/** Checks a method's output is a real Matrix of rows×cols: a Float32Array of exactly rows·cols finite values. */
export function expectMatrix(what: string, m: unknown, rows: number, cols: number): Matrix {
  const x = m as Partial<Matrix> | null | undefined;
  if (!x || typeof x !== 'object') fail(`${what} returned ${x === null ? 'null' : typeof x}, not a matrix`);
  if (x.rows !== rows || x.cols !== cols) fail(`${what} gave ${String(x.rows)}×${String(x.cols)}, expected ${rows}×${cols}`);
  if (!(x.data instanceof Float32Array)) fail(`${what} must hold its values in a Float32Array, got ${describeValue(x.data)}`);
  if (x.data.length !== rows * cols) fail(`${what} holds ${x.data.length} values, expected ${rows}×${cols} = ${rows * cols}`);
  for (let i = 0; i < x.data.length; i++) {
    if (!Number.isFinite(x.data[i]!)) fail(`${what} has a non-finite value (${x.data[i]}) at row ${Math.floor(i / cols)}, column ${i % cols}`);
  }
  return x as Matrix;
}

function describeValue(v: unknown): string {
  return v === null ? 'null' : typeof v === 'object' ? (v.constructor?.name ?? 'an object') : typeof v;
}

/** Largest |a − b|; shapes must agree. */
export function maxAbsDiff(what: string, a: Matrix, b: Matrix): number {
  if (a.rows !== b.rows || a.cols !== b.cols) fail(`${what}: shapes differ, ${a.rows}×${a.cols} vs ${b.rows}×${b.cols}`);
  let m = 0;
  for (let i = 0; i < a.data.length; i++) m = Math.max(m, Math.abs(a.data[i]! - b.data[i]!));
  return Number.isNaN(m) ? Number.POSITIVE_INFINITY : m;
}

/** Fails unless a and b agree to within `tolerance` (0: bit for bit). */
export function expectClose(what: string, a: Matrix, b: Matrix, tolerance = 0): void {
  const d = maxAbsDiff(what, a, b);
  if (!(d <= tolerance)) fail(`${what} differ by up to ${d}${tolerance ? ` (tolerance ${tolerance})` : ''}`);
}

/**
 * Fails unless fn throws a LatentkitError with one of the codes. Duck-typed: a third-party plugin carries
 * its own copy of @latentkit/core, so `instanceof` would refuse its errors.
 */
export async function expectLatentkitError(what: string, fn: () => unknown, codes: readonly ErrorCode[]): Promise<void> {
  let caught: unknown;
  let threw = false;
  try {
    await fn();
  } catch (e) {
    caught = e;
    threw = true;
  }
  const want = codes.length ? ` (${codes.join(' or ')})` : '';
  if (!threw) fail(`${what} should throw a LatentkitError${want}, but succeeded`);
  if (!isLatentkitError(caught)) fail(`${what} should throw a LatentkitError${want}, got ${caught instanceof Error ? `${caught.name}: ${caught.message}` : String(caught)}`);
  if (codes.length && !codes.includes(caught.code)) fail(`${what} threw ${caught.code} (${caught.message}), expected ${codes.join(' or ')}`);
}

/** Mean squared error of predicting every row by the column mean: the bar any reconstruction must clear. */
export function meanBaselineMse(x: Matrix): number {
  const means = new Float64Array(x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) means[j]! += x.data[i * x.cols + j]!;
  const meanRow = new Float32Array(x.rows * x.cols);
  for (let i = 0; i < x.rows; i++) for (let j = 0; j < x.cols; j++) meanRow[i * x.cols + j] = means[j]! / x.rows;
  return mse(x, { rows: x.rows, cols: x.cols, data: meanRow });
}

export function sameJson(a: unknown, b: unknown): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}
