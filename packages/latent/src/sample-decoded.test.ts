import { type LatentkitError } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { LinearReducer } from './__fixtures__/linear-reducer.js';
import { GaussianDensity } from './gaussian.js';
import { sampleDecoded } from './sample-decoded.js';

describe('sampleDecoded', () => {
  it('decodes the density’s own seeded samples', async () => {
    const reducer = new LinearReducer([[1, 0], [0, 1], [1, 1]]);
    const density = new GaussianDensity(Float64Array.of(1, -1), Float64Array.of(1, 0.2, 0.2, 0.5));
    const { codes, images } = await sampleDecoded(reducer, density, 6, 4);
    expect(codes.data).toEqual(density.sample(6, 4).data);
    expect(images.rows).toBe(6);
    for (let i = 0; i < 6; i++) {
      const [a, b] = [codes.data[2 * i]!, codes.data[2 * i + 1]!];
      expect(Array.from(images.data.subarray(3 * i, 3 * i + 3))).toEqual([a, b, Math.fround(a + b)]);
    }
  });

  it('refuses a density whose dimension differs from the latent space', async () => {
    const reducer = new LinearReducer([[1], [0]]);
    const density = new GaussianDensity(Float64Array.of(0, 0), Float64Array.of(1, 0, 0, 1));
    const e = (await sampleDecoded(reducer, density, 2).catch((err: unknown) => err)) as LatentkitError;
    expect(e.code).toBe('E_SHAPE');
    expect(e.message).toMatch(/2-dimensional but the linear-test model's latent space has 1/);
  });
});
