import { describe, expect, it } from 'vitest';
import { meanLogits } from '@latentkit/ae-core';
import { describeOptions, mse, type Matrix } from '@latentkit/core';
import { lowRankRows, pcaOptimalMse, symmetricEigenvalues } from './__fixtures__/reference.js';
import denseAePluginDefault, { buildDenseArchitecture, denseAeOptions, denseAePlugin, denseLayout, fitDenseAe, loadDenseAe, type DenseAeSettings } from './index.js';

/** Fits on x and returns the fitted model and the fit's result. */
function fit(x: Matrix, settings: DenseAeSettings, seed: number) {
  return fitDenseAe({ name: 'low-rank', x }, settings, { seed });
}

describe('reference eigenvalues', () => {
  it('match a hand-checked 2×2 case', () => {
    // [[2,1],[1,2]] has eigenvalues 3 and 1.
    const ev = symmetricEigenvalues(Float64Array.of(2, 1, 1, 2), 2);
    expect(ev[0]).toBeCloseTo(3, 12);
    expect(ev[1]).toBeCloseTo(1, 12);
  });
});

describe('dense-ae', () => {
  it('is the default export: a spec v2 plugin with its package and one options schema', () => {
    expect(denseAePluginDefault).toBe(denseAePlugin);
    expect(denseAePlugin).toMatchObject({ specVersion: 2, kind: 'dense-ae', displayName: 'dense AE', capabilities: ['encode', 'decode', 'fit-stream'], requiresImages: false });
    expect(denseAePlugin.package).toEqual({ name: '@latentkit/dense-ae', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(denseAePlugin.options).toBe(denseAeOptions);
    const fields = describeOptions(denseAePlugin.options);
    expect(fields.map((f) => f.name)).toEqual(['hidden', 'activation', 'outputSigmoid', 'linear', 'epochs', 'batchSize', 'learningRate', 'lrSchedule', 'validationSplit', 'patience', 'backend', 'retries', 'corrupt']);
    expect(fields.find((f) => f.name === 'retries')).toMatchObject({ type: 'integer', default: 2, minimum: 0 });
    expect(fields.find((f) => f.name === 'hidden')).toMatchObject({ type: 'integer[]' });
    expect(fields.find((f) => f.name === 'activation')).toMatchObject({ default: 'relu', choices: ['relu', 'elu', 'tanh', 'linear'] });
    expect(fields.find((f) => f.name === 'epochs')).toMatchObject({ default: 20, minimum: 1 });
  });

  it('refuses bad options in one line naming them', async () => {
    const x = lowRankRows(16, 12, 3, 2);
    await expect(fit(x, { latentDim: 2, hidden: [3, 0] }, 1)).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/^reducer "dense-ae" options: hidden\.1: /) });
    await expect(fit(x, { latentDim: 2, activation: 'sigmoid' as never }, 1)).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('activation') });
    await expect(fit(x, { latentDim: 2, solver: 'exact' } as never, 1)).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('"solver"') });
  });

  it('picks the documented layouts', () => {
    expect(denseLayout('dense-ae', { activation: 'relu' })).toEqual({ hidden: [256, 64], activation: 'relu', outputSigmoid: true });
    expect(denseLayout('dense-ae', { activation: 'relu', linear: true })).toEqual({ hidden: [], activation: 'linear', outputSigmoid: false });
    expect(denseLayout('dense-ae', { activation: 'tanh', hidden: [5], outputSigmoid: false })).toEqual({ hidden: [5], activation: 'tanh', outputSigmoid: false });
    expect(() => denseLayout('dense-ae', { activation: 'relu', hidden: [3, 0] })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
  });

  it('starts a sigmoid output’s bias at the logit of each feature’s training mean; a linear output has no data start', () => {
    const ctx = (options: Record<string, unknown>) => ({ kind: 'dense-ae', inputShape: [6], latentDim: 2, options: denseAeOptions.parse(options) });
    const sigmoidOut = buildDenseArchitecture(ctx({ hidden: [4] }));
    const started = sigmoidOut.params.filter((p) => p.fromData);
    expect(started.map((p) => p.name)).toEqual(['decoder.1.bias']);
    const x: Matrix = { data: Float32Array.from({ length: 18 }, (_, i) => (i % 7) / 7), rows: 3, cols: 6 };
    const rows = Int32Array.of(1, 2);
    expect(Array.from(started[0]!.fromData!(x, rows))).toEqual(Array.from(meanLogits(x, rows, 6)));
    expect(buildDenseArchitecture(ctx({ linear: true })).params.some((p) => p.fromData)).toBe(false);
    expect(buildDenseArchitecture(ctx({ outputSigmoid: false })).params.some((p) => p.fromData)).toBe(false);
  });

  it('builds 784-256-64-d mirrored by default, squashing reconstructions into [0, 1]', async () => {
    const x = lowRankRows(64, 784, 3, 2);
    const { model: ae, result: r } = await fitDenseAe({ name: 'wide', x }, { latentDim: 16, epochs: 1 }, { seed: 1 });
    expect(r.info?.backend).toBe('wasm');
    const layers = [784 * 256 + 256, 256 * 64 + 64, 64 * 16 + 16, 16 * 64 + 64, 64 * 256 + 256, 256 * 784 + 784];
    expect(ae.parameterCount).toBe(layers.reduce((a, b) => a + b, 0));
    const z = await ae.encode(x);
    expect([z.rows, z.cols]).toEqual([64, 16]);
    const xHat = await ae.decode(z);
    expect([xHat.rows, xHat.cols]).toEqual([64, 784]);
    expect(xHat.data.every((v) => v > 0 && v < 1)).toBe(true);
    ae.dispose();
  });

  it('learns: each nonlinearity lowers the loss', async () => {
    const x = lowRankRows(128, 12, 3, 3);
    for (const activation of ['relu', 'elu', 'tanh'] as const) {
      const { model: ae, result: r } = await fit(x, { latentDim: 3, hidden: [16, 8], activation, outputSigmoid: false, epochs: 6, batchSize: 16, learningRate: 0.01 }, 2);
      expect(r.history!.at(-1)!.loss).toBeLessThan(r.history![0]!.loss * 0.7);
      ae.dispose();
    }
  });

  it('linear: reaches PCA’s closed-form optimum within 3% (and never beats it)', async () => {
    const x = lowRankRows(240, 10, 4, 4);
    const optimum = pcaOptimalMse(x, 2);
    const { model: ae } = await fit(x, { latentDim: 2, linear: true, epochs: 150, batchSize: 32, learningRate: 0.01, lrSchedule: 'cosine' }, 5);
    expect(ae.parameterCount).toBe(10 * 2 + 2 + 2 * 10 + 10);
    const achieved = mse(x, await ae.decode(await ae.encode(x)));
    expect(achieved).toBeGreaterThan(optimum * (1 - 1e-4));
    expect(achieved).toBeLessThan(optimum * 1.03);
    ae.dispose();
  });

  it('round-trips through a bundle, layout options included', async () => {
    const x = lowRankRows(64, 12, 3, 6);
    const { model: ae } = await fit(x, { latentDim: 3, hidden: [7], activation: 'tanh', epochs: 2, batchSize: 16 }, 1);
    const bundle = await ae.save();
    expect(bundle.manifest.options).toMatchObject({ hidden: [7], activation: 'tanh' });
    expect(bundle.manifest).toMatchObject({ specVersion: 2, plugin: { name: '@latentkit/dense-ae' } });
    const loaded = await loadDenseAe(bundle);
    expect(loaded.options).toEqual(ae.options);
    expect(Array.from((await loaded.encode(x)).data)).toEqual(Array.from((await ae.encode(x)).data));
    const z = await ae.encode(x);
    expect(Array.from((await loaded.decode(z)).data)).toEqual(Array.from((await ae.decode(z)).data));
    // The same bytes with the previous release's spec version (1) load through the plugin too.
    const { plugin: _plugin, ...v1 } = bundle.manifest;
    const old = await denseAePlugin.load({ ...bundle, manifest: { ...v1, specVersion: 1 } });
    expect(Array.from((await old.encode(x)).data)).toEqual(Array.from(z.data));
    old.dispose();
    ae.dispose();
    loaded.dispose();
  });
});
