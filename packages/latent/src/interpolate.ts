import { LatentkitError, assertFinite, createMatrix, decodeWith, encodeWith, requireCapability, type Matrix, type Reducer } from '@latentkit/core';

export type InterpolationMethod = 'linear' | 'slerp';

export interface InterpolateOptions {
  /** 'linear' (default) walks the straight line between codes; 'slerp' the great-circle arc. */
  readonly method?: InterpolationMethod;
}

export interface Interpolation {
  /** α for every step, evenly spaced from 0 to 1 inclusive. */
  readonly alphas: number[];
  /** steps × d latent codes. */
  readonly codes: Matrix;
  /** steps × D decoded samples g(code). */
  readonly images: Matrix;
}

// Below this angle sin ω is too small to divide by; the arc is a straight line anyway.
const MIN_SLERP_ANGLE = 1e-6;

function asSingleRow(x: Float32Array | Matrix, what: string): Matrix {
  const m = x instanceof Float32Array ? createMatrix(1, x.length, x) : x;
  if (m.rows !== 1) throw new LatentkitError('E_SHAPE', `${what} must be a single sample, got ${m.rows} rows`);
  if (m.cols === 0) throw new LatentkitError('E_EMPTY', `${what} has no features`);
  assertFinite(m, what);
  return m;
}

/** Weights (a, b) with code = a·z0 + b·z1 for one α. */
function blendWeights(alpha: number, method: InterpolationMethod, angle: number): [number, number] {
  if (method === 'slerp' && angle > MIN_SLERP_ANGLE && Math.PI - angle > MIN_SLERP_ANGLE) {
    const s = Math.sin(angle);
    return [Math.sin((1 - alpha) * angle) / s, Math.sin(alpha * angle) / s];
  }
  return [1 - alpha, alpha];
}

function angleBetween(a: Float32Array, b: Float32Array): number {
  let dot = 0, na = 0, nb = 0;
  for (let j = 0; j < a.length; j++) {
    dot += a[j]! * b[j]!;
    na += a[j]! * a[j]!;
    nb += b[j]! * b[j]!;
  }
  if (na === 0 || nb === 0) return 0; // a zero code has no direction: fall back to linear
  return Math.acos(Math.min(1, Math.max(-1, dot / Math.sqrt(na * nb))));
}

/**
 * ξ(x, x′, α) = g((1−α)·f(x) + α·f(x′)) for `steps` evenly spaced α in [0, 1]. With 'slerp' the codes
 * follow the arc between f(x) and f(x′) (linear when they are (anti)parallel or one is zero). The end
 * rows reuse the encoded codes unchanged, so they equal decode(encode(x)) and decode(encode(x′)).
 */
export async function interpolate(
  reducer: Reducer,
  x: Float32Array | Matrix,
  x2: Float32Array | Matrix,
  steps: number,
  options: InterpolateOptions = {},
): Promise<Interpolation> {
  const method = options.method ?? 'linear';
  if (method !== 'linear' && method !== 'slerp') throw new LatentkitError('E_OPTION', `interpolation method must be "linear" or "slerp", got "${String(method)}"`);
  if (!Number.isInteger(steps) || steps < 2) throw new LatentkitError('E_OPTION', `interpolation steps must be an integer ≥ 2, got ${steps}`);
  const a = asSingleRow(x, 'first interpolation endpoint');
  const b = asSingleRow(x2, 'second interpolation endpoint');
  if (a.cols !== b.cols) throw new LatentkitError('E_SHAPE', `interpolation endpoints differ in size: ${a.cols} vs ${b.cols} features`);
  if (reducer.inputDim !== undefined && a.cols !== reducer.inputDim) {
    throw new LatentkitError('E_SHAPE', `interpolation endpoints have ${a.cols} features but the ${reducer.kind} model expects ${reducer.inputDim}`);
  }

  const pair = createMatrix(2, a.cols);
  pair.data.set(a.data, 0);
  pair.data.set(b.data, a.cols);
  requireCapability(reducer, 'decode', 'interpolation');
  const ends = await encodeWith(reducer, pair, 'interpolation');
  const d = ends.cols;
  const z0 = ends.data.subarray(0, d);
  const z1 = ends.data.subarray(d, 2 * d);
  const angle = method === 'slerp' ? angleBetween(z0, z1) : 0;

  const alphas = Array.from({ length: steps }, (_, i) => i / (steps - 1));
  const codes = createMatrix(steps, d);
  alphas.forEach((alpha, i) => {
    const row = codes.data.subarray(i * d, (i + 1) * d);
    if (i === 0) row.set(z0);
    else if (i === steps - 1) row.set(z1);
    else {
      const [wa, wb] = blendWeights(alpha, method, angle);
      for (let j = 0; j < d; j++) row[j] = wa * z0[j]! + wb * z1[j]!;
    }
  });
  const images = await decodeWith(reducer, codes, 'interpolation');
  return { alphas, codes, images };
}
