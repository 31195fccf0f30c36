import { fitConvAe } from '@latentkit/conv-ae';
import { fitGaussian } from '@latentkit/latent';
import { toyImages } from '@latentkit/reducer-conformance';
import { decodePng } from '@latentkit/viz';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitVae } from '../plugin.js';
import { trainImageClassifier, type ImageClassifier } from './classifier.js';
import { compareSamples } from './sample-comparison.js';

// Toy 8×8 blob images in 3 classes by position; conv-ae's small layout for 8×8 (8 → 6 → 4 → 2 → 1).
const train = toyImages(96, 1);
const test = toyImages(48, 2);
const settings = { latentDim: 3, channels: [4, 4, 4], kernels: [3, 3, 2, 2], strides: [1, 1, 2, 1], epochs: 3, batchSize: 8, learningRate: 0.01, lrSchedule: 'constant' } as const;

describe('sample comparison', () => {
  let classifier: ImageClassifier;
  beforeAll(async () => {
    classifier = await trainImageClassifier(train, { epochs: 20, batchSize: 16, hidden: 16, seed: 1 });
  });
  afterAll(() => classifier.dispose());

  it('a classifier trained here tells the toy classes apart on unseen images', async () => {
    expect(classifier.classes).toBe(3);
    expect(await classifier.accuracy(test)).toBeGreaterThan(0.9);
  });

  it('draws both models’ samples over their nearest training images and scores them against real images', async () => {
    const { model: vae } = await fitVae(train, settings, { seed: 1 });
    const { model: ae } = await fitConvAe(train, settings, { seed: 1 });
    try {
      await expect(compareSamples({ vae: ae, autoencoder: ae, train, test })).rejects.toThrow('reducer "conv-ae" does not support sample (needed for prior samples)');
      const out = await compareSamples({ vae, autoencoder: ae, train, test, judged: 20, shown: 4, classifier, names: { vae: 'VAE', autoencoder: 'CNN' } });
      expect(out.rows.map((r) => r.source)).toEqual(['VAE prior N(0, I)', 'CNN codes → fitted Gaussian', 'test digits (reference)']);
      expect(out.rows.map((r) => r.images)).toEqual([20, 20, 20]);
      for (const r of out.rows) {
        expect(r.meanConfidence).toBeGreaterThanOrEqual(1 / 3);
        expect(r.meanConfidence).toBeLessThanOrEqual(1);
        expect(r.classEntropyBits).toBeGreaterThanOrEqual(0);
        expect(r.classEntropyBits).toBeLessThanOrEqual(Math.log2(3) + 1e-9);
        expect(Number.isFinite(r.mmdToTest)).toBe(true);
      }
      expect(out.classifierTestAccuracy).toBeGreaterThan(0.9);
      // Four rows (samples, nearest, samples, nearest) of four 8×8 images at scale 2 under a title.
      const png = decodePng(out.png);
      expect(png.width).toBeGreaterThan(4 * 16);
      expect(png.height).toBeGreaterThan(4 * 16);
      // A Gaussian the caller already fitted to the autoencoder's training codes is used as given: same rows.
      const gaussian = fitGaussian(await ae.encode!(train.x), { covariance: 'full' });
      const given = await compareSamples({ vae, autoencoder: ae, train, test, judged: 20, shown: 4, classifier, autoencoderGaussian: gaussian });
      expect(given.rows[1]).toEqual({ ...out.rows[1], source: 'conv-ae codes → fitted Gaussian' });
      const shifted = fitGaussian({ ...train.x, rows: 96, cols: 3, data: (await ae.encode!(train.x)).data.map((v) => v + 3) }, { covariance: 'full' });
      const moved = await compareSamples({ vae, autoencoder: ae, train, test, judged: 20, shown: 4, classifier, autoencoderGaussian: shifted });
      expect(moved.rows[1]!.mmdToTest).not.toBe(out.rows[1]!.mmdToTest);
    } finally {
      vae.dispose();
      ae.dispose();
    }
  });
});
