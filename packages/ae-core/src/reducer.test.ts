import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createBundle, describeOptions, float32Blob, sliceRows, type Dataset, type FitOptions, type ModelBundle } from '@latentkit/core';
import { lowRankDataset, tinyDefinition } from './__fixtures__/tiny.js';
import {
  AutoencoderReducer,
  backendInfo,
  defineAutoencoderPlugin,
  fitAutoencoder,
  INFERENCE,
  loadAutoencoder,
  mapTensorBatches,
  trainingOptions,
  trainingOptionsWithDefaults,
  type AutoencoderSettings,
} from './index.js';

const data = lowRankDataset(96, 8, 2);
const plugin = defineAutoencoderPlugin(tinyDefinition);
type TinySettings = AutoencoderSettings<typeof trainingOptions>;

async function fit(settings: TinySettings = { latentDim: 2 }, fitOptions: FitOptions = { seed: 5 }, dataset: Dataset = data) {
  return fitAutoencoder(tinyDefinition, dataset, settings, fitOptions);
}

async function fitted(seed = 5): Promise<AutoencoderReducer> {
  return (await fit({ latentDim: 2 }, { seed })).model;
}

function withBlob(bundle: ModelBundle, name: string, blob: ReturnType<typeof float32Blob> | undefined): ModelBundle {
  const blobs = Object.fromEntries(bundle.blobs);
  if (blob) blobs[name] = blob;
  else delete blobs[name];
  const m = bundle.manifest;
  return createBundle({ kind: m.kind, specVersion: m.specVersion, options: m.options, inputShape: m.inputShape, latentDim: m.latentDim, blobs });
}

describe('AutoencoderReducer', () => {
  it('trains on wasm by default and reports shapes, history and parameter count', async () => {
    const { model: r, result } = await fit({ latentDim: 2 }, { seed: 1 });
    expect(r.options.backend).toBe('wasm');
    expect(backendInfo().backend).toBe('wasm');
    expect(result.history).toHaveLength(3);
    expect(r.history).toEqual(result.history);
    // 8·6+6 + 6·2+2 + 2·8+8 weights in the tiny architecture.
    expect(r.parameterCount).toBe(54 + 14 + 24);
    expect(r.capabilities).toEqual(['encode', 'decode']);
    expect(r.inputShape).toEqual([8]);
    expect(r.inputDim).toBe(8);
    const z = await r.encode(data.x);
    expect([z.rows, z.cols]).toEqual([96, 2]);
    const xHat = await r.decode(z);
    expect([xHat.rows, xHat.cols]).toEqual([96, 8]);
    r.dispose();
  });

  it('encodes in batches exactly as in one pass', async () => {
    const r = await fitted();
    const whole = await r.encode(data.x);
    const vars = r.params.vars;
    const arch = tinyDefinition.build({ kind: 'tiny-ae', inputShape: [8], latentDim: 2, options: r.options });
    const inSevens = await mapTensorBatches(data.x, 2, (b) => arch.encode(vars, b, INFERENCE), 7);
    expect(Array.from(inSevens.data)).toEqual(Array.from(whole.data));
    // A slice encodes to the matching rows of the whole.
    const part = await r.encode(sliceRows(data.x, 10, 20));
    expect(Array.from(part.data)).toEqual(Array.from(whole.data.subarray(20, 40)));
    r.dispose();
  });

  it('round-trips through a bundle bit for bit, recording spec v2 and the package', async () => {
    const r = await fitted();
    const bundle = await r.save();
    expect(bundle.manifest).toMatchObject({ kind: 'tiny-ae', specVersion: 2, plugin: { name: '@acme/tiny-ae', version: '0.0.1' }, seed: 5 });
    expect(bundle.manifest.options).toMatchObject({ epochs: 3, backend: 'wasm' });
    expect((bundle.manifest.extra.history as unknown[]).length).toBe(3);
    const loaded = await plugin.load(bundle);
    expect(loaded.parameterCount).toBe(r.parameterCount);
    expect(loaded.options).toEqual(r.options);
    expect(Array.from((await loaded.encode(data.x)).data)).toEqual(Array.from((await r.encode(data.x)).data));
    const z = await r.encode(data.x);
    expect(Array.from((await loaded.decode(z)).data)).toEqual(Array.from((await r.decode(z)).data));
    r.dispose();
    loaded.dispose();
  });

  it('loads bundles of the previous release (reducer spec 1, same layout) and refuses unknown spec versions', async () => {
    const r = await fitted();
    const bundle = await r.save();
    // What 0.1.0 wrote: specVersion 1 and no plugin package.
    const { plugin: _plugin, ...v1Manifest } = bundle.manifest;
    const loaded = await loadAutoencoder(tinyDefinition, { ...bundle, manifest: { ...v1Manifest, specVersion: 1 } });
    expect(Array.from((await loaded.encode(data.x)).data)).toEqual(Array.from((await r.encode(data.x)).data));
    expect((await loaded.save()).manifest.specVersion).toBe(2);
    await expect(plugin.load({ ...bundle, manifest: { ...bundle.manifest, specVersion: 3 } })).rejects.toMatchObject({ code: 'E_BUNDLE_VERSION', message: expect.stringContaining('spec 3') });
    r.dispose();
    loaded.dispose();
  });

  it('refuses bundles with a missing, wrong-shaped or foreign weight, or invalid options, naming it', async () => {
    const r = await fitted();
    const bundle = await r.save();
    r.dispose();
    await expect(plugin.load(withBlob(bundle, 'enc.1.bias', undefined))).rejects.toMatchObject({ code: 'E_BUNDLE_CORRUPT', message: expect.stringContaining('"enc.1.bias" is missing') });
    await expect(plugin.load(withBlob(bundle, 'dec.0.kernel', float32Blob(new Float32Array(16), [8, 2])))).rejects.toMatchObject({
      code: 'E_BUNDLE_CORRUPT',
      message: expect.stringContaining('"dec.0.kernel" has shape [8,2]'),
    });
    await expect(plugin.load(withBlob(bundle, 'extra.kernel', float32Blob([1], [1])))).rejects.toMatchObject({ code: 'E_BUNDLE_CORRUPT', message: expect.stringContaining('"extra.kernel"') });
    const other = { ...bundle, manifest: { ...bundle.manifest, kind: 'pca' } };
    await expect(plugin.load(other)).rejects.toMatchObject({ code: 'E_BUNDLE_CORRUPT' });
    const badOptions = { ...bundle, manifest: { ...bundle.manifest, options: { ...bundle.manifest.options, epochs: 0 } } };
    await expect(plugin.load(badOptions)).rejects.toMatchObject({ code: 'E_BUNDLE_CORRUPT', message: expect.stringContaining('epochs') });
  });

  it('validates settings, input shape and values before training, one line each', async () => {
    await expect(fit({ latentDim: 2, epoks: 3 } as TinySettings)).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringMatching(/^reducer "tiny-ae" options: .*"epoks"/) });
    await expect(fit({ latentDim: 0.5 })).rejects.toMatchObject({ code: 'E_OPTION', message: 'reducer "tiny-ae": latentDim must be a positive integer, got 0.5' });
    await expect(fit({ latentDim: 2, backend: 'webgl' as never })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('backend') });
    await expect(fit({ latentDim: 2, learningRate: 0 })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('learningRate') });
    await expect(fit({ latentDim: 8 })).rejects.toMatchObject({ code: 'E_OPTION', message: 'reducer "tiny-ae": latentDim 8 must be smaller than the input dimension 8' });
    const bad = new Float32Array(data.x.data);
    bad[13] = NaN;
    await expect(fit({ latentDim: 2 }, {}, { name: 'nan', x: { data: bad, rows: 96, cols: 8 } })).rejects.toMatchObject({
      code: 'E_INPUT_VALUE',
      message: expect.stringContaining('row 1, column 5'),
    });
    const r = await fitted();
    await expect(r.encode({ data: new Float32Array(7), rows: 1, cols: 7 })).rejects.toMatchObject({ code: 'E_SHAPE' });
    await expect(r.decode({ data: new Float32Array(3), rows: 1, cols: 3 })).rejects.toMatchObject({ code: 'E_SHAPE' });
    await expect(r.decode({ data: Float32Array.of(1, Infinity), rows: 1, cols: 2 })).rejects.toMatchObject({ code: 'E_INPUT_VALUE' });
    r.dispose();
    await expect(r.encode(data.x)).rejects.toMatchObject({ code: 'E_NOT_FITTED', message: expect.stringContaining('disposed') });
    await expect(r.save()).rejects.toMatchObject({ code: 'E_NOT_FITTED' });
  });

  it('asks image-only kinds for image input', async () => {
    const imagePlugin = defineAutoencoderPlugin({ ...tinyDefinition, kind: 'tiny-image-ae', requiresImages: true });
    expect(imagePlugin.requiresImages).toBe(true);
    await expect(imagePlugin.fit(data, { latentDim: 2, options: {} as never })).rejects.toMatchObject({ code: 'E_SHAPE', message: expect.stringContaining('needs image input') });
  });

  it('an aborted fit gives no model and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const controller = new AbortController();
    controller.abort();
    await expect(fit({ latentDim: 2 }, { signal: controller.signal })).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a diverged fit throws E_DIVERGED and frees its weights (the last good epoch is its last checkpoint)', async () => {
    const before = tf.memory().numTensors;
    // Finite but enormous values overflow the float32 loss on the first batch.
    const huge = { name: 'huge', x: { data: new Float32Array(96 * 8).fill(1e30), rows: 96, cols: 8 } };
    await expect(fit({ latentDim: 2, epochs: 1 }, { seed: 2 }, huge)).rejects.toMatchObject({ code: 'E_DIVERGED' });
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('defineAutoencoderPlugin', () => {
  it('makes a spec v2 plugin: capabilities, package, one options schema with the kind’s defaults', () => {
    expect(plugin).toMatchObject({ specVersion: 2, kind: 'tiny-ae', capabilities: ['encode', 'decode', 'fit-stream'], package: { name: '@acme/tiny-ae', version: '0.0.1' } });
    expect(plugin.options).toBe(tinyDefinition.options);
    const fields = describeOptions(plugin.options);
    expect(fields.map((f) => f.name)).toEqual(['epochs', 'batchSize', 'learningRate', 'lrSchedule', 'validationSplit', 'patience', 'backend', 'retries', 'corrupt']);
    // The kind's defaults replace the shared ones; bounds and descriptions stay.
    expect(fields.find((f) => f.name === 'epochs')).toMatchObject({ default: 3, minimum: 1, description: 'passes over the training rows' });
    expect(fields.find((f) => f.name === 'backend')).toMatchObject({ default: 'wasm', choices: ['wasm', 'cpu'] });
    expect(describeOptions(trainingOptions).find((f) => f.name === 'epochs')).toMatchObject({ default: 20 });
  });

  it('fits through the plugin, validating the options again', async () => {
    const { model, result } = await plugin.fit(data, { latentDim: 2, options: { epochs: 1 } as never }, { seed: 1 });
    expect(result.history).toHaveLength(1);
    expect(model).toBeInstanceOf(AutoencoderReducer);
    model.dispose();
    await expect(plugin.fit(data, { latentDim: 2, options: { epochs: -1 } as never })).rejects.toMatchObject({ code: 'E_OPTION', message: expect.stringContaining('epochs') });
  });

  it('refuses a default for something that is not a training option', () => {
    expect(() => trainingOptionsWithDefaults({ epoch: 3 } as never)).toThrow(expect.objectContaining({ code: 'E_OPTION', message: expect.stringContaining('"epoch"') }));
  });
});
