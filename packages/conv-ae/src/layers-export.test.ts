import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { loadLayersModelFrom } from '@latentkit/ae-core';
import { createMatrix, createRng, LatentkitError, type Dataset, type Matrix } from '@latentkit/core';
import { blobImages } from './__fixtures__/blobs.js';
import { convAeLayers, convAeLayersExporter, fitConvAe, type ConvAeSettings } from './index.js';

const KERAS_CLASSES = new Set(['Sequential', 'InputLayer', 'Reshape', 'Conv2D', 'Conv2DTranspose', 'BatchNormalization', 'Activation', 'Flatten', 'ZeroPadding2D']);

function uniformRows(rows: number, cols: number, seed: number): Matrix {
  const rng = createRng(seed);
  const m = createMatrix(rows, cols);
  for (let i = 0; i < m.data.length; i++) m.data[i] = rng.next();
  return m;
}

async function predict(model: tf.LayersModel, x: Matrix): Promise<Float32Array> {
  const out = tf.tidy(() => model.predict(tf.tensor2d(x.data, [x.rows, x.cols])) as tf.Tensor);
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

function maxAbsDiff(a: Float32Array, b: Float32Array): number {
  expect(a.length).toBe(b.length);
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i]! - b[i]!));
  return m;
}

/** Exports into memory, reopens both models with tf.loadLayersModel and compares with encode/decode on random rows. */
async function roundTrip(data: Dataset, settings: ConvAeSettings) {
  const { model } = await fitConvAe(data, settings, { seed: 2 });
  try {
    expect(convAeLayersExporter.offers(model)).toBe(true);
    const files = new Map<string, Uint8Array>();
    await convAeLayersExporter.export(model, async (path, bytes) => void files.set(path, bytes));
    const open = (name: string) => loadLayersModelFrom(files.get(`${name}/model.json`)!, async (p) => files.get(`${name}/${p}`)!, `${name}/model.json`);
    const [encoder, decoder] = [await open('encoder'), await open('decoder')];
    const rows = uniformRows(6, model.inputDim, 11);
    const codes = await model.encode(rows);
    const recon = await model.decode(codes);
    const classes = new Set<string>();
    for (const name of ['encoder', 'decoder']) {
      const topo = JSON.parse(new TextDecoder().decode(files.get(`${name}/model.json`))) as { modelTopology: { class_name: string; config: { layers: { class_name: string }[] } } };
      classes.add(topo.modelTopology.class_name);
      for (const l of topo.modelTopology.config.layers) classes.add(l.class_name);
    }
    const result = { encodeDiff: maxAbsDiff(await predict(encoder, rows), codes.data), decodeDiff: maxAbsDiff(await predict(decoder, codes), recon.data), classes };
    encoder.dispose();
    decoder.dispose();
    return result;
  } finally {
    model.dispose();
  }
}

describe('conv-ae LayersModel export', () => {
  it('the default 28×28 layout with batch norm: tf.loadLayersModel predicts like encode and decode (to 1e-5)', async () => {
    const r = await roundTrip(blobImages(24, 3), { latentDim: 4, channels: [4, 4, 4, 4], batchNorm: true, epochs: 1, batchSize: 12 });
    expect(r.encodeDiff).toBeLessThan(1e-5);
    expect(r.decodeDiff).toBeLessThan(1e-5);
    expect([...r.classes].filter((c) => !KERAS_CLASSES.has(c))).toEqual([]);
    expect(r.classes.has('BatchNormalization')).toBe(true);
  });

  it('a strided stage that loses a row (8×8: 3/1, 3/2, 2/1) comes back through zero padding', async () => {
    const r = await roundTrip(blobImages(16, 4, 8), { latentDim: 3, channels: [3, 3], kernels: [3, 3, 2], strides: [1, 2, 1], activation: 'tanh', epochs: 1, batchSize: 8 });
    expect(r.encodeDiff).toBeLessThan(1e-5);
    expect(r.decodeDiff).toBeLessThan(1e-5);
    expect(r.classes.has('ZeroPadding2D')).toBe(true);
  });

  it('refuses a model whose weights do not match its layout, naming the weight', async () => {
    const { model } = await fitConvAe(blobImages(16, 4, 8), { latentDim: 3, channels: [3, 3], kernels: [3, 3, 2], strides: [1, 2, 1], epochs: 1, batchSize: 8 }, { seed: 1 });
    try {
      // The same weights under a layout asking for d = 5: the last kernel no longer fits.
      const broken = { kind: model.kind, options: model.options, inputShape: model.inputShape, inputDim: model.inputDim, latentDim: 5, params: model.params } as unknown as typeof model;
      expect(() => convAeLayers(broken)).toThrow(LatentkitError);
      expect(() => convAeLayers(broken)).toThrow(/encoder\.2\.kernel/);
    } finally {
      model.dispose();
    }
  });
});
