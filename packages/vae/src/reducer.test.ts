import { LatentkitError, createMatrix } from '@latentkit/core';
import { describe, expect, it } from 'vitest';
import { D, d, tinyVae } from './__fixtures__/tiny-vae.js';
import { negativeElboScores } from './scores.js';

const x = createMatrix(5, D, Array.from({ length: 5 * D }, (_, i) => ((i * 37) % 11) / 10));

describe('VaeReducer (hand-set tiny model)', () => {
  it('declares encode, decode, encode-distribution, sample and likelihood-bound', async () => {
    const vae = await tinyVae();
    expect(vae.capabilities).toEqual(['encode', 'decode', 'encode-distribution', 'sample', 'likelihood-bound']);
    vae.dispose();
  });

  it('encodeDistribution: mean equals encode, σ = exp(½ log σ²) > 0 and matches the weights', async () => {
    const vae = await tinyVae();
    const q = await vae.encodeDistribution(x);
    expect([q.mean.rows, q.mean.cols, q.logVar.rows, q.logVar.cols]).toEqual([5, d, 5, d]);
    expect(Array.from(q.mean.data)).toEqual(Array.from((await vae.encode(x)).data));
    expect(q.logVar.data.every((v) => Math.exp(v / 2) > 0 && Number.isFinite(v))).toBe(true);
    // Not the mean copied twice: log σ² comes from the encoder's other half.
    expect(Array.from(q.logVar.data)).not.toEqual(Array.from(q.mean.data));
    await expect(vae.encodeDistribution(createMatrix(2, D + 1))).rejects.toMatchObject({ code: 'E_SHAPE' });
    vae.dispose();
  });

  it('sample: n decoded prior draws, the same for one seed, different for another, batch-size independent', async () => {
    const vae = await tinyVae();
    const a = await vae.sample(6, { seed: 3 });
    expect([a.rows, a.cols]).toEqual([6, D]);
    expect(Array.from((await vae.sample(6, { seed: 3 })).data)).toEqual(Array.from(a.data));
    expect(Array.from((await vae.sample(6, { seed: 4 })).data)).not.toEqual(Array.from(a.data));
    // The first draws of a longer run are the same draws.
    expect(Array.from((await vae.sample(9, { seed: 3 })).data.subarray(0, 6 * D))).toEqual(Array.from(a.data));
    await expect(vae.sample(-1)).rejects.toThrow(/sample: n must be an integer ≥ 0, got -1/);
    vae.dispose();
  });

  it('logLikelihoodBound is deterministic per seed and refuses bad input in one line', async () => {
    const vae = await tinyVae();
    const first = await vae.logLikelihoodBound(x, { seed: 1 });
    expect(Array.from(await vae.logLikelihoodBound(x, { seed: 1 }))).toEqual(Array.from(first));
    expect(Array.from(await vae.logLikelihoodBound(x, { seed: 2 }))).not.toEqual(Array.from(first));
    await expect(vae.logLikelihoodBound(x, { samples: 0 })).rejects.toThrow(/samples must be an integer ≥ 1, got 0/);
    const bad = createMatrix(1, D, [0, Number.NaN, 0, 0]);
    await expect(vae.logLikelihoodBound(bad)).rejects.toBeInstanceOf(LatentkitError);
    vae.dispose();
  });

  it('negativeElboScores: −bound by the likelihood-bound capability; E_UNSUPPORTED for a reducer without it', async () => {
    const vae = await tinyVae();
    const bound = await vae.logLikelihoodBound(x);
    expect(Array.from(await negativeElboScores(vae, x))).toEqual(Array.from(bound, (v) => -v));
    const plain = { kind: 'plain', capabilities: ['encode'] } as never;
    await expect(negativeElboScores(plain, x)).rejects.toThrow('reducer "plain" does not support likelihood-bound (needed for ELBO anomaly scores)');
    // The capability decides, not the method's presence.
    const undeclared = { kind: 'quiet', capabilities: ['encode'], logLikelihoodBound: async () => new Float64Array(x.rows) } as never;
    await expect(negativeElboScores(undeclared, x)).rejects.toThrow('reducer "quiet" does not support likelihood-bound (needed for ELBO anomaly scores)');
    vae.dispose();
  });

  it('is unusable after dispose', async () => {
    const vae = await tinyVae();
    vae.dispose();
    await expect(vae.encodeDistribution(x)).rejects.toMatchObject({ code: 'E_NOT_FITTED' });
    await expect(vae.sample(1)).rejects.toMatchObject({ code: 'E_NOT_FITTED' });
  });
});
