import { createMatrix, type LatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { LinearReducer } from './__fixtures__/linear-reducer.js';
import { interpolate } from './interpolate.js';

// z = [x0 + x2, x1 + x2]; decode(z) = [z0, z1, z0 + z1].
const W = [
  [1, 0],
  [0, 1],
  [1, 1],
];

async function rejects(p: Promise<unknown>, code: string, text: RegExp): Promise<void> {
  const e = (await p.then(() => undefined, (err: unknown) => err)) as LatentkitError | undefined;
  expect(e?.code).toBe(code);
  expect(e?.message).toMatch(text);
}

describe('interpolate', () => {
  it('spaces alphas evenly over [0, 1] inclusive', async () => {
    const r = await interpolate(new LinearReducer(W), Float32Array.of(1, 0, 0), Float32Array.of(0, 1, 0), 5);
    expect(r.alphas).toEqual([0, 0.25, 0.5, 0.75, 1]);
    expect(r.codes.rows).toBe(5);
    expect(r.images.rows).toBe(5);
    expect(r.images.cols).toBe(3);
  });

  it.each(['linear', 'slerp'] as const)('%s endpoints equal decode(encode(x)) and decode(encode(x′)) exactly', async (method) => {
    const reducer = new LinearReducer(W);
    const x = Float32Array.of(0.3, -1.7, 0.11);
    const x2 = Float32Array.of(2.2, 0.4, -0.9);
    const r = await interpolate(reducer, x, x2, 7, { method });
    const own0 = await reducer.decode(await reducer.encode(createMatrix(1, 3, x)));
    const own1 = await reducer.decode(await reducer.encode(createMatrix(1, 3, x2)));
    expect(r.images.data.subarray(0, 3)).toEqual(own0.data);
    expect(r.images.data.subarray(18, 21)).toEqual(own1.data);
  });

  it('puts the linear midpoint halfway between the codes (hand-checked)', async () => {
    // f([1,0,0]) = [1,0], f([0,1,0]) = [0,1] → midpoint code [0.5, 0.5] → image [0.5, 0.5, 1].
    const r = await interpolate(new LinearReducer(W), Float32Array.of(1, 0, 0), createMatrix(1, 3, [0, 1, 0]), 3);
    expect(Array.from(r.codes.data)).toEqual([1, 0, 0.5, 0.5, 0, 1]);
    expect(Array.from(r.images.data.subarray(3, 6))).toEqual([0.5, 0.5, 1]);
  });

  it('follows the unit arc with slerp between orthogonal unit codes', async () => {
    const r = await interpolate(new LinearReducer(W), Float32Array.of(1, 0, 0), Float32Array.of(0, 1, 0), 5, { method: 'slerp' });
    const h = Math.SQRT1_2;
    expect(r.codes.data[4]).toBeCloseTo(h, 6);
    expect(r.codes.data[5]).toBeCloseTo(h, 6);
    for (let i = 0; i < 5; i++) {
      const a = r.codes.data[2 * i]!, b = r.codes.data[2 * i + 1]!;
      expect(Math.hypot(a, b)).toBeCloseTo(1, 6);
      // The angle from the first code grows linearly: α·π/2.
      expect(Math.atan2(b, a)).toBeCloseTo((i / 4) * (Math.PI / 2), 6);
    }
  });

  it('falls back to linear when slerp codes are parallel', async () => {
    // codes [1,0] and [2,0]: the angle is 0, so the midpoint is [1.5, 0].
    const r = await interpolate(new LinearReducer(W), Float32Array.of(1, 0, 0), Float32Array.of(2, 0, 0), 3, { method: 'slerp' });
    expect(Array.from(r.codes.data.subarray(2, 4))).toEqual([1.5, 0]);
  });

  it('encodes both endpoints in one call', async () => {
    const reducer = new LinearReducer(W);
    await interpolate(reducer, Float32Array.of(1, 0, 0), Float32Array.of(0, 1, 0), 4);
    expect(reducer.encodeCalls).toBe(1);
  });

  it('needs a decoder: an encode-only reducer gets E_UNSUPPORTED before any encoding', async () => {
    const encodeOnly = Object.assign(new LinearReducer(W), { capabilities: ['encode'] as const });
    await rejects(interpolate(encodeOnly, Float32Array.of(1, 0, 0), Float32Array.of(0, 1, 0), 4), 'E_UNSUPPORTED', /^reducer "linear-test" does not support decode \(needed for interpolation\)$/);
    expect(encodeOnly.encodeCalls).toBe(0);
  });

  it('refuses bad steps, methods and endpoints', async () => {
    const reducer = new LinearReducer(W);
    const x = Float32Array.of(1, 0, 0);
    await rejects(interpolate(reducer, x, x, 1), 'E_OPTION', /steps must be an integer ≥ 2, got 1/);
    await rejects(interpolate(reducer, x, x, 2.5), 'E_OPTION', /steps/);
    await rejects(interpolate(reducer, x, x, 3, { method: 'cubic' as 'linear' }), 'E_OPTION', /method/);
    await rejects(interpolate(reducer, x, Float32Array.of(1, 0), 3), 'E_SHAPE', /differ in size: 3 vs 2/);
    await rejects(interpolate(reducer, createMatrix(2, 3), x, 3), 'E_SHAPE', /single sample, got 2 rows/);
    await rejects(interpolate(reducer, Float32Array.of(1, 0, 0, 0), Float32Array.of(1, 0, 0, 0), 3), 'E_SHAPE', /expects 3/);
    await rejects(interpolate(reducer, Float32Array.of(1, NaN, 0), x, 3), 'E_INPUT_VALUE', /first interpolation endpoint/);
  });
});
