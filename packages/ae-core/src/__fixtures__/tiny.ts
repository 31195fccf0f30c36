import * as tf from '@tensorflow/tfjs';
import { createRng, type Dataset, type Matrix } from '@latentkit/core';
import { dense, denseSpecs, trainingOptionsWithDefaults, type AutoencoderDefinition, type Architecture, type ArchitectureContext, type trainingOptions } from '../index.js';

/** n rows in D dims lying near a rank-r subspace, values around 0.5 (seeded). */
export function lowRankMatrix(n: number, D: number, r: number, seed = 1, noise = 0.01): Matrix {
  const rng = createRng(seed);
  const basis = Array.from({ length: r }, () => Array.from({ length: D }, () => rng.normal() * 0.2));
  const data = new Float32Array(n * D);
  for (let i = 0; i < n; i++) {
    const coef = Array.from({ length: r }, () => rng.normal());
    for (let j = 0; j < D; j++) {
      let v = 0.5 + noise * rng.normal();
      for (let k = 0; k < r; k++) v += coef[k]! * basis[k]![j]!;
      data[i * D + j] = v;
    }
  }
  return { data, rows: n, cols: D };
}

export function lowRankDataset(n = 96, D = 8, r = 2, seed = 1): Dataset {
  return { name: 'low-rank', x: lowRankMatrix(n, D, r, seed) };
}

/** A one-hidden-layer tanh autoencoder: small, but with a nonlinearity and a bias on each side. */
export function tinyArchitecture(ctx: ArchitectureContext): Architecture {
  const D = ctx.inputShape.reduce((a, b) => a * b, 1);
  const h = 6;
  return {
    params: [...denseSpecs('enc.0', D, h, 'glorotUniform'), ...denseSpecs('enc.1', h, ctx.latentDim, 'glorotUniform'), ...denseSpecs('dec.0', ctx.latentDim, D, 'glorotUniform')],
    encode: (p, x) => dense(p, 'enc.1', tf.tanh(dense(p, 'enc.0', x))),
    decode: (p, z) => dense(p, 'dec.0', z),
  };
}

export const tinyDefinition: AutoencoderDefinition<typeof trainingOptions> = {
  kind: 'tiny-ae',
  description: 'test autoencoder',
  package: { name: '@acme/tiny-ae', version: '0.0.1' },
  options: trainingOptionsWithDefaults({ epochs: 3, batchSize: 16, learningRate: 0.01 }),
  build: tinyArchitecture,
};
