import type { Rng } from '@latentkit/core';

/** How a weight starts: drawn from the seeded core RNG in JS, so every backend starts identically. */
export type InitKind = 'glorotUniform' | 'heNormal' | 'zeros' | 'ones';

/**
 * Fan-in and fan-out of a weight shape: the last axis is the output, the one before it the input,
 * earlier axes form the receptive field (dense [in, out], conv [kh, kw, in, out]).
 */
export function fans(shape: readonly number[]): { fanIn: number; fanOut: number } {
  if (shape.length === 0) return { fanIn: 1, fanOut: 1 };
  if (shape.length === 1) return { fanIn: shape[0]!, fanOut: shape[0]! };
  const receptive = shape.slice(0, -2).reduce((a, b) => a * b, 1);
  return { fanIn: receptive * shape[shape.length - 2]!, fanOut: receptive * shape[shape.length - 1]! };
}

export function initialValues(kind: InitKind, shape: readonly number[], rng: Rng, fanOverride?: { fanIn: number; fanOut: number }): Float32Array {
  const size = shape.reduce((a, b) => a * b, 1);
  const out = new Float32Array(size);
  const { fanIn, fanOut } = fanOverride ?? fans(shape);
  switch (kind) {
    case 'zeros':
      break;
    case 'ones':
      out.fill(1);
      break;
    case 'glorotUniform': {
      const limit = Math.sqrt(6 / (fanIn + fanOut));
      for (let i = 0; i < size; i++) out[i] = (rng.next() * 2 - 1) * limit;
      break;
    }
    case 'heNormal': {
      const std = Math.sqrt(2 / fanIn);
      for (let i = 0; i < size; i++) out[i] = rng.normal() * std;
      break;
    }
  }
  return out;
}
