import * as tf from '@tensorflow/tfjs';
import { createMatrix, createRng } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { D, d, handForward, tinyArchitecture, tinyOptions, tinyStore, tinyVae } from './__fixtures__/tiny-vae.js';
import { vaeObjective } from './objective.js';
import { rowSeed } from './row-seed.js';

const ROWS = [
  [0.1, 0.9, 0.4, 0.0],
  [0.8, 0.2, 0.6, 1.0],
  [0.5, 0.5, 0.0, 0.3],
];

/** log N(x; x̂, σ²I) summed over pixels, written out pixel by pixel. */
function gaussianLogLikelihood(x: readonly number[], xHat: readonly number[], sigma: number): number {
  return x.reduce((s, v, j) => s - 0.5 * Math.log(2 * Math.PI * sigma * sigma) - (v - xHat[j]!) ** 2 / (2 * sigma * sigma), 0);
}

/** KL(N(μ, σ²) ‖ N(0, 1)) summed over dimensions: ½(μ² + σ² − log σ² − 1). */
function klToPrior(mean: readonly number[], logVar: readonly number[]): number {
  return mean.reduce((s, m, k) => s + 0.5 * (m * m + Math.exp(logVar[k]!) - logVar[k]! - 1), 0);
}

describe('the negative ELBO against a hand computation (D=4, d=2, weights set by hand)', () => {
  it('training loss: mean over rows of ‖x − g(z)‖²/D + (2σ²β/D)·KL, ε drawn from the step seed', async () => {
    await tinyVae(); // sets the cpu backend
    const store = tinyStore();
    const beta = 2.5;
    const outputStd = 0.3;
    const model = vaeObjective(tinyArchitecture, store, { kind: 'vae', inputShape: [D], latentDim: d, options: tinyOptions({ beta, outputStd }) });
    const seed = 12345;
    const loss = tf.tidy(() => model.loss(tf.tensor2d(ROWS), { training: true, seed, setState: () => {} }).dataSync()[0]!);
    // The objective's ε for this step: the same seeded draw, read back.
    const eps = tf.tidy(() => tf.randomNormal([ROWS.length, d], 0, 1, 'float32', seed).arraySync() as number[][]);
    let expected = 0;
    for (const [i, x] of ROWS.entries()) {
      const { mean, logVar, xHat } = handForward(x, eps[i]!);
      const squaredError = x.reduce((s, v, j) => s + (v - xHat[j]!) ** 2, 0);
      expected += squaredError / D + ((2 * outputStd ** 2 * beta) / D) * klToPrior(mean, logVar);
    }
    expected /= ROWS.length;
    expect(loss).toBeCloseTo(expected, 5);
    // A different step seed draws a different ε (the draw is not silently fixed).
    const other = tf.tidy(() => model.loss(tf.tensor2d(ROWS), { training: true, seed: seed + 1, setState: () => {} }).dataSync()[0]!);
    expect(other).not.toBeCloseTo(loss, 6);
    store.dispose();
  });

  it('logLikelihoodBound: E_q[log N(x; g(z), σ²I)] − KL per row in nats, a row’s ε from (seed, its values)', async () => {
    const outputStd = 0.25;
    const vae = await tinyVae({ outputStd, beta: 4 });
    const samples = 3;
    const seed = 7;
    const bound = await vae.logLikelihoodBound(createMatrix(ROWS.length, D, ROWS.flat()), { samples, seed });
    for (const [i, x] of ROWS.entries()) {
      const rng = createRng(rowSeed(seed, Float32Array.from(x)));
      let logLikelihood = 0;
      let kl = 0;
      for (let s = 0; s < samples; s++) {
        const { mean, logVar, xHat } = handForward(x, [rng.normal(), rng.normal()]);
        logLikelihood += gaussianLogLikelihood(x, xHat, outputStd) / samples;
        kl = klToPrior(mean, logVar);
      }
      // β does not enter the bound: it is the ELBO (β = 1) whatever β trained the model.
      expect(bound[i]).toBeCloseTo(logLikelihood - kl, 3);
    }
    // A row's bound does not depend on the batch it is scored in, nor on its index there.
    const alone = await vae.logLikelihoodBound(createMatrix(1, D, ROWS[2]), { samples, seed });
    expect(alone[0]).toBeCloseTo(bound[2]!, 5);
    vae.dispose();
  });
});

describe('options the objective cannot honour', () => {
  it('refuses a corruption (denoising) setting in one line instead of ignoring it', async () => {
    await tinyVae();
    const store = tinyStore();
    const options = { ...tinyOptions(), corrupt: 'noise:0.5' };
    expect(() => vaeObjective(tinyArchitecture, store, { kind: 'vae', inputShape: [D], latentDim: d, options })).toThrow('reducer "vae": option corrupt="noise:0.5" is not supported');
    expect(() => vaeObjective(tinyArchitecture, store, { kind: 'vae', inputShape: [D], latentDim: d, options: { ...options, corrupt: 'none' } })).not.toThrow();
    store.dispose();
  });
});
