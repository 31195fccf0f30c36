import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createBundle, float32Blob, sliceRows, type ModelBundle } from '@latentkit/core';
import { lowRankDataset, tinyDefinition } from './__fixtures__/tiny.js';
import { AutoencoderReducer, backendInfo, defineAutoencoderPlugin, INFERENCE, mapTensorBatches } from './index.js';

const data = lowRankDataset(96, 8, 2);
const plugin = defineAutoencoderPlugin(tinyDefinition);

async function fitted(seed = 5): Promise<AutoencoderReducer> {
  const r = plugin.create({ latentDim: 2 });
  await r.fit(data, { seed });
  return r;
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
    const r = plugin.create({ latentDim: 2 });
    expect(r.options.backend).toBe('wasm');
    expect(r.parameterCount).toBe(0);
    const result = await r.fit(data, { seed: 1 });
    expect(backendInfo().backend).toBe('wasm');
    expect(result.history).toHaveLength(3);
    // 8·6+6 + 6·2+2 + 2·8+8 weights in the tiny architecture.
    expect(r.parameterCount).toBe(54 + 14 + 24);
    expect(r.inputShape).toEqual([8]);
    const z = await r.encode(data.x);
    expect([z.rows, z.cols]).toEqual([96, 2]);
    const xHat = await r.decode(z);
    expect([xHat.rows, xHat.cols]).toEqual([96, 8]);
    r.dispose();
  });

  it('encodes in batches exactly as in one pass', async () => {
    const r = await fitted();
    const whole = await r.encode(data.x);
    const vars = r.params!.vars;
    const arch = tinyDefinition.build({ kind: 'tiny-ae', inputShape: [8], latentDim: 2, options: r.options });
    const inSevens = await mapTensorBatches(data.x, 2, (b) => arch.encode(vars, b, INFERENCE), 7);
    expect(Array.from(inSevens.data)).toEqual(Array.from(whole.data));
    // A slice encodes to the matching rows of the whole.
    const part = await r.encode(sliceRows(data.x, 10, 20));
    expect(Array.from(part.data)).toEqual(Array.from(whole.data.subarray(20, 40)));
    r.dispose();
  });

  it('round-trips through a bundle bit for bit', async () => {
    const r = await fitted();
    const bundle = await r.save();
    expect(bundle.manifest.kind).toBe('tiny-ae');
    expect(bundle.manifest.options).toMatchObject({ epochs: 3, backend: 'wasm' });
    expect(bundle.manifest.seed).toBe(5);
    expect((bundle.manifest.extra.history as unknown[]).length).toBe(3);
    const loaded = await plugin.load(bundle);
    expect(loaded.parameterCount).toBe(r.parameterCount);
    expect(Array.from((await loaded.encode(data.x)).data)).toEqual(Array.from((await r.encode(data.x)).data));
    const z = await r.encode(data.x);
    expect(Array.from((await loaded.decode(z)).data)).toEqual(Array.from((await r.decode(z)).data));
    r.dispose();
    loaded.dispose();
  });

  it('refuses bundles with a missing, wrong-shaped or foreign weight, naming it', async () => {
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
  });

  it('validates options, input shape and values', async () => {
    expect(() => plugin.create({ latentDim: 2, epoks: 3 })).toThrow(expect.objectContaining({ code: 'E_OPTION', message: expect.stringContaining('"epoks"') }));
    expect(() => plugin.create({ latentDim: 0.5 })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    expect(() => plugin.create({ latentDim: 2, backend: 'webgl' })).toThrow(expect.objectContaining({ code: 'E_OPTION' }));
    const r = plugin.create({ latentDim: 2 });
    await expect(r.encode(data.x)).rejects.toMatchObject({ code: 'E_NOT_FITTED' });
    const bad = new Float32Array(data.x.data);
    bad[13] = NaN;
    await expect(r.fit({ name: 'nan', x: { data: bad, rows: 96, cols: 8 } })).rejects.toMatchObject({ code: 'E_INPUT_VALUE', message: expect.stringContaining('row 1, column 5') });
    await r.fit(data);
    await expect(r.encode({ data: new Float32Array(7), rows: 1, cols: 7 })).rejects.toMatchObject({ code: 'E_SHAPE' });
    await expect(r.decode({ data: new Float32Array(3), rows: 1, cols: 3 })).rejects.toMatchObject({ code: 'E_SHAPE' });
    await expect(r.decode({ data: Float32Array.of(1, Infinity), rows: 1, cols: 2 })).rejects.toMatchObject({ code: 'E_INPUT_VALUE' });
    r.dispose();
    await expect(r.encode(data.x)).rejects.toMatchObject({ code: 'E_NOT_FITTED' });
  });

  it('asks image-only kinds for image input', async () => {
    const imagePlugin = defineAutoencoderPlugin({ ...tinyDefinition, kind: 'tiny-image-ae', requiresImages: true });
    expect(imagePlugin.requiresImages).toBe(true);
    await expect(imagePlugin.create({ latentDim: 2 }).fit(data)).rejects.toMatchObject({ code: 'E_SHAPE', message: expect.stringContaining('needs image input') });
  });

  it('stays unfitted after an aborted fit and leaks no tensors', async () => {
    const before = tf.memory().numTensors;
    const r = plugin.create({ latentDim: 2 });
    const controller = new AbortController();
    controller.abort();
    await expect(r.fit(data, { signal: controller.signal })).rejects.toMatchObject({ code: 'E_ABORTED' });
    await expect(r.encode(data.x)).rejects.toMatchObject({ code: 'E_NOT_FITTED' });
    expect(tf.memory().numTensors).toBe(before);
  });

  it('keeps the last good weights usable after divergence', async () => {
    const r = plugin.create({ latentDim: 2, epochs: 1 });
    // Finite but enormous values overflow the float32 loss on the first batch.
    const huge = { name: 'huge', x: { data: new Float32Array(96 * 8).fill(1e30), rows: 96, cols: 8 } };
    await expect(r.fit(huge, { seed: 2 })).rejects.toMatchObject({ code: 'E_DIVERGED' });
    const z = await r.encode(data.x);
    expect(z.data.every(Number.isFinite)).toBe(true);
    r.dispose();
  });
});
