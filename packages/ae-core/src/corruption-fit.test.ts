import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createMatrix, createRng, mse, psnr, reconstruct, sliceRows, type Dataset, type ModelBundle } from '@latentkit/core';
import { lowRankMatrix, tinyArchitecture, tinyDefinition } from './__fixtures__/tiny.js';
import { corruptRows, fitAutoencoder, INFERENCE, loadAutoencoder, ParamStore, reconstructionModel, setupBackend, trainingOptions, type ForwardContext } from './index.js';

const D = 16;
// Rows near one rank-2 subspace, squeezed towards 0.5 so that the clipped noise is mostly plain noise.
const rows = lowRankMatrix(600, D, 2, 3, 0);
const all = createMatrix(rows.rows, D, rows.data.map((v) => 0.5 + (v - 0.5) * 0.5));
const data: Dataset = { name: 'low-rank', x: sliceRows(all, 0, 400) };
const test = sliceRows(all, 400, 600);
const settings = { latentDim: 2, epochs: 30, batchSize: 32, learningRate: 0.01 } as const;

describe('training to undo a corruption', () => {
  it('the loss corrupts only in training steps with a seed: inference and validation stay plain', async () => {
    await setupBackend('wasm');
    const arch = tinyArchitecture({ kind: 'tiny', inputShape: [D], latentDim: 2, options: {} });
    const store = ParamStore.initialise(arch.params, createRng(1));
    const plain = reconstructionModel(arch, store);
    const denoising = reconstructionModel(arch, store, { inputShape: [D], options: { ...trainingOptions.parse({}), corrupt: 'noise:0.3' } });
    const step = (seed?: number): ForwardContext => ({ training: true, ...(seed !== undefined ? { seed } : {}), setState: () => undefined });
    const loss = (m: typeof plain, ctx: ForwardContext) => tf.tidy(() => m.loss(tf.tensor2d(test.data, [test.rows, D]), ctx).dataSync()[0]!);
    expect(loss(denoising, INFERENCE)).toBe(loss(plain, INFERENCE));
    expect(loss(denoising, step())).toBe(loss(plain, INFERENCE));
    expect(loss(denoising, step(7))).toBeGreaterThan(loss(plain, INFERENCE));
    expect(loss(denoising, step(7))).toBe(loss(denoising, step(7)));
    expect(loss(denoising, step(8))).not.toBe(loss(denoising, step(7)));
    store.dispose();
  });

  it('refuses a corruption the input cannot take before training', async () => {
    await expect(fitAutoencoder(tinyDefinition, data, { latentDim: 2, corrupt: 'downsample:2' }, { seed: 1 })).rejects.toMatchObject({
      code: 'E_SHAPE',
      message: expect.stringContaining('downsample:2 needs image input'),
    });
  });

  it('a denoiser restores noisy rows better than the plain autoencoder and than the noisy rows themselves', async () => {
    const noisy = corruptRows(test, 'noise:0.15', { inputShape: [D], seed: 11 });
    const fitted = await Promise.all(['none', 'noise:0.15'].map((corrupt) => fitAutoencoder(tinyDefinition, data, { ...settings, corrupt }, { seed: 2 })));
    const [plain, denoiser] = fitted.map((f) => f.model);
    const score = async (m: typeof plain) => psnr(mse(test, await reconstruct(m!, noisy)));
    const input = psnr(mse(test, noisy));
    const plainScore = await score(plain);
    const denoiserScore = await score(denoiser);
    // Measured: input 16.6 dB, plain 20.7 dB, denoiser 23.9 dB.
    expect(denoiserScore).toBeGreaterThan(input + 3);
    expect(denoiserScore).toBeGreaterThan(plainScore + 1);
    // The bundle records the corruption, and the model loads back with it.
    const back = await loadAutoencoder(tinyDefinition, await denoiser!.save());
    expect((await denoiser!.save()).manifest.options.corrupt).toBe('noise:0.15');
    expect(back.options.corrupt).toBe('noise:0.15');
    for (const m of [plain, denoiser, back]) m!.dispose();
  });

  it('is part of a checkpoint\'s identity; a checkpoint from before the option resumes as "none"', async () => {
    const checkpoints: ModelBundle[] = [];
    const small = { latentDim: 2, epochs: 2, batchSize: 32 } as const;
    const first = await fitAutoencoder(tinyDefinition, data, small, { seed: 4, onCheckpoint: (b) => void checkpoints.push(b) });
    const { corrupt, ...olderOptions } = checkpoints[0]!.manifest.options;
    expect(corrupt).toBe('none');
    const older = { ...checkpoints[0]!, manifest: { ...checkpoints[0]!.manifest, options: olderOptions } };
    const resumed = await fitAutoencoder(tinyDefinition, data, small, { seed: 4, resumeFrom: older });
    await expect(fitAutoencoder(tinyDefinition, data, { ...small, corrupt: 'mask:0.2' }, { seed: 4, resumeFrom: older })).rejects.toMatchObject({
      code: 'E_OPTION',
      message: expect.stringContaining('corrupt: checkpoint "none", now "mask:0.2"'),
    });
    first.model.dispose();
    resumed.model.dispose();
  });
});
