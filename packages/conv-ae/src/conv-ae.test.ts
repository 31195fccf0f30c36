import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { backendInfo } from '@latentkit/ae-core';
import { describeOptions } from '@latentkit/core';
import { blobImages } from './__fixtures__/blobs.js';
import convAePluginDefault, { convAeOptions, convAePlugin, fitConvAe, loadConvAe } from './index.js';

const images = blobImages(48, 1);
// Narrow channels keep these tests fast; the default widths are exercised once below.
const small = { channels: [4, 4, 4, 4], batchSize: 16 } as const;

describe('conv-ae', () => {
  it('is a spec v2 plugin needing images, exported as default, with its package and one options schema', () => {
    expect(convAePluginDefault).toBe(convAePlugin);
    expect(convAePlugin).toMatchObject({ specVersion: 2, kind: 'conv-ae', displayName: 'CNN', capabilities: ['encode', 'decode', 'fit-stream'], requiresImages: true });
    expect(convAePlugin.package).toEqual({ name: '@latentkit/conv-ae', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    expect(convAePlugin.options).toBe(convAeOptions);
    const fields = describeOptions(convAePlugin.options);
    expect(fields.map((f) => f.name)).toEqual(['channels', 'kernels', 'strides', 'activation', 'batchNorm', 'epochs', 'batchSize', 'learningRate', 'lrSchedule', 'validationSplit', 'patience', 'backend', 'retries', 'corrupt']);
    expect(fields.find((f) => f.name === 'backend')).toMatchObject({ default: 'wasm' });
    expect(fields.find((f) => f.name === 'channels')).toMatchObject({ default: [16, 16, 32, 32], type: 'integer[]' });
    // conv-ae's own training defaults, with the shared bounds and descriptions.
    expect(fields.find((f) => f.name === 'epochs')).toMatchObject({ default: 4, minimum: 1, description: 'passes over the training rows' });
    expect(fields.find((f) => f.name === 'learningRate')).toMatchObject({ default: 5e-3 });
    expect(fields.find((f) => f.name === 'lrSchedule')).toMatchObject({ default: 'cosine' });
  });

  it('trains the default five-layer design (ELU) on wasm: n×d codes and n×784 reconstructions in [0, 1]', async () => {
    const { model: ae, result } = await fitConvAe(blobImages(32, 2), { latentDim: 16, epochs: 1, batchSize: 16 }, { seed: 1 });
    expect(result.info?.backend).toBe('wasm');
    expect(backendInfo().backend).toBe('wasm');
    expect(backendInfo().trainingKernels).toEqual(expect.arrayContaining(['Conv2DBackpropFilter', 'Conv2DBackpropInput']));
    // Encoder 5*5*1*16+16, 5*5*16*16+16, 4*4*16*32+32, 3*3*32*32+32, 4*4*32*16+16; decoder mirrored.
    const encoder = 416 + 6416 + 8224 + 9248 + 8208;
    const decoder = 4 * 4 * 16 * 32 + 32 + (3 * 3 * 32 * 32 + 32) + (4 * 4 * 32 * 16 + 16) + (5 * 5 * 16 * 16 + 16) + (5 * 5 * 16 * 1 + 1);
    expect(ae.parameterCount).toBe(encoder + decoder);
    const z = await ae.encode(images.x);
    expect([z.rows, z.cols]).toEqual([48, 16]);
    const xHat = await ae.decode(z);
    expect([xHat.rows, xHat.cols]).toEqual([48, 784]);
    expect(xHat.data.every((v) => v >= 0 && v <= 1)).toBe(true);
    ae.dispose();
  });

  it('lowers the reconstruction loss and keeps tensors flat', async () => {
    const counts: number[] = [];
    const before = tf.memory().numTensors;
    const { model: ae, result: r } = await fitConvAe(images, { latentDim: 4, ...small, epochs: 3, learningRate: 3e-3 }, { seed: 3, onProgress: (e) => e.message && counts.push(tf.memory().numTensors) });
    expect(r.history![2]!.loss).toBeLessThan(r.history![0]!.loss);
    expect(new Set(counts).size).toBe(1);
    ae.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });

  it('refuses flat (non-image) data with E_SHAPE', async () => {
    const flat = { name: 'flat', x: images.x };
    await expect(fitConvAe(flat, { latentDim: 4, ...small })).rejects.toMatchObject({ code: 'E_SHAPE', message: expect.stringContaining('needs image input') });
  });

  it('refuses a layout that does not reach 1×1 and unknown options, one line each', async () => {
    await expect(fitConvAe(images, { latentDim: 4, ...small, kernels: [5, 5], strides: [1, 1], channels: [4] })).rejects.toMatchObject({ code: 'E_SHAPE', message: expect.stringContaining('not 1×1') });
    await expect(fitConvAe(images, { latentDim: 4, ...small, channels: [4, 0, 4, 4] })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/^reducer "conv-ae" options: channels\.1: /) });
    await expect(fitConvAe(images, { latentDim: 4, hidden: [3] } as never)).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('"hidden"') });
  });

  it('with batch norm: codes do not depend on batch mates, and a bundle restores them bit for bit', async () => {
    const { model: ae } = await fitConvAe(images, { latentDim: 4, ...small, batchNorm: true, epochs: 1 }, { seed: 4 });
    const running = ae.params.vars['encoder.0.norm.movingMean']!.dataSync();
    expect(Array.from(running).some((v) => v !== 0)).toBe(true);
    const all = await ae.encode(images.x);
    const one = await ae.encode({ data: images.x.data.subarray(5 * 784, 6 * 784), rows: 1, cols: 784 });
    for (let j = 0; j < 4; j++) expect(one.data[j]).toBeCloseTo(all.data[5 * 4 + j]!, 5);
    const bundle = await ae.save();
    expect(bundle.blobs.has('decoder.0.norm.movingVariance')).toBe(true);
    expect(bundle.manifest).toMatchObject({ specVersion: 2, plugin: { name: '@latentkit/conv-ae' } });
    const loaded = await loadConvAe(bundle);
    expect(loaded.options).toEqual(ae.options);
    expect(Array.from((await loaded.encode(images.x)).data)).toEqual(Array.from(all.data));
    // The same bytes with the previous release's spec version (1) load through the plugin too.
    const { plugin: _plugin, ...v1 } = bundle.manifest;
    const old = await convAePlugin.load({ ...bundle, manifest: { ...v1, specVersion: 1 } });
    expect(Array.from((await old.encode(images.x)).data)).toEqual(Array.from(all.data));
    old.dispose();
    ae.dispose();
    loaded.dispose();
  });

  it('trains on the cpu backend only when asked', async () => {
    const { model: ae, result: r } = await fitConvAe(blobImages(8, 5), { latentDim: 2, channels: [2, 2, 2, 2], batchSize: 8, epochs: 1, backend: 'cpu' }, { seed: 1 });
    expect(r.info?.backend).toBe('cpu');
    expect(backendInfo().backend).toBe('cpu');
    ae.dispose();
  });
});
