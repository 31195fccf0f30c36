import { execFileSync } from 'node:child_process';
import { mkdtemp, mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { EXPORT_MANIFEST_FILE, loadLayersModelFrom, parseExportManifest } from '@latentkit/ae-core';
import { createMatrix, createRng, type Matrix } from '@latentkit/core';
import { lowRankRows } from './__fixtures__/reference.js';
import { denseAeLayers, denseAeLayersExporter, fitDenseAe, type DenseAeSettings } from './index.js';

const KERAS_CLASSES = new Set(['Sequential', 'InputLayer', 'Dense']);

function hasNumpy(): boolean {
  try {
    execFileSync('python3', ['-c', 'import numpy'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
}

/** Another reader of the files: numpy follows model.json's weightsManifest into weights.bin and runs the Dense stack. */
const NUMPY_FORWARD = `
import json, sys, numpy as np
d = sys.argv[1]
acts = {"linear": lambda v: v, "relu": lambda v: np.maximum(v, 0), "elu": lambda v: np.where(v > 0, v, np.expm1(np.minimum(v, 0))), "tanh": np.tanh, "sigmoid": lambda v: 1 / (1 + np.exp(-v))}
def run(name, x):
    j = json.load(open(f"{d}/{name}/model.json"))
    blob = b"".join(open(f"{d}/{name}/{p}", "rb").read() for g in j["weightsManifest"] for p in g["paths"])
    weights, at = {}, 0
    for w in (w for g in j["weightsManifest"] for w in g["weights"]):
        n = int(np.prod(w["shape"]))
        weights[w["name"]] = np.frombuffer(blob, "<f4", n, at).reshape(w["shape"]).astype(np.float64)
        at += 4 * n
    layers = j["modelTopology"]["config"]["layers"]
    assert layers[0]["class_name"] == "InputLayer", layers[0]["class_name"]
    for layer in layers[1:]:
        assert layer["class_name"] == "Dense", layer["class_name"]
        c = layer["config"]
        x = acts[c["activation"]](x @ weights[c["name"] + "/kernel"] + weights[c["name"] + "/bias"])
    return x
x = np.load(f"{d}/x.npy").astype(np.float64)
z = run("encoder", x)
print(json.dumps({"z": z.ravel().tolist(), "xh": run("decoder", z).ravel().tolist()}))
`;

function npy2d(m: Matrix): Uint8Array {
  const header = `{'descr': '<f4', 'fortran_order': False, 'shape': (${m.rows}, ${m.cols}), }`.padEnd(117, ' ') + '\n';
  const out = new Uint8Array(10 + header.length + m.data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(m.data.buffer, m.data.byteOffset, m.data.byteLength), 10 + header.length);
  return out;
}

function randomRows(rows: number, cols: number, seed: number): Matrix {
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

/** Exports into a temporary folder on disk, reopens both models with tf.loadLayersModel, compares with encode/decode. */
async function roundTrip(settings: DenseAeSettings): Promise<{ encodeDiff: number; decodeDiff: number; classes: Set<string> }> {
  const x = lowRankRows(48, 12, 3, 5);
  const { model } = await fitDenseAe({ name: 'low-rank', x }, settings, { seed: 3 });
  const dir = await mkdtemp(join(tmpdir(), 'dense-ae-export-'));
  try {
    expect(denseAeLayersExporter.offers(model)).toBe(true);
    const written = await denseAeLayersExporter.export(model, async (path, bytes) => {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), bytes);
    });
    expect(written).toEqual(['encoder/model.json', 'encoder/weights.bin', 'decoder/model.json', 'decoder/weights.bin', EXPORT_MANIFEST_FILE]);
    const manifest = parseExportManifest(await readFile(join(dir, EXPORT_MANIFEST_FILE)), EXPORT_MANIFEST_FILE);
    expect(manifest).toMatchObject({ kind: 'dense-ae', latentDim: settings.latentDim, inputShape: [12] });
    const open = async (name: string) => {
      const json = await readFile(join(dir, name, 'model.json'));
      return loadLayersModelFrom(json, (p) => readFile(join(dir, name, p)), `${name}/model.json`);
    };
    const encoder = await open('encoder');
    const decoder = await open('decoder');
    const rows = randomRows(20, 12, 9);
    const codes = await model.encode(rows);
    const recon = await model.decode(codes);
    const classes = new Set<string>();
    for (const name of ['encoder', 'decoder']) {
      const topo = JSON.parse(await readFile(join(dir, name, 'model.json'), 'utf8')) as { modelTopology: { class_name: string; config: { layers: { class_name: string }[] } } };
      classes.add(topo.modelTopology.class_name);
      for (const l of topo.modelTopology.config.layers) classes.add(l.class_name);
    }
    const result = { encodeDiff: maxAbsDiff(await predict(encoder, rows), codes.data), decodeDiff: maxAbsDiff(await predict(decoder, codes), recon.data), classes };
    encoder.dispose();
    decoder.dispose();
    return result;
  } finally {
    model.dispose();
    await rm(dir, { recursive: true, force: true });
  }
}

describe('dense-ae LayersModel export', () => {
  it('opens with tf.loadLayersModel and predicts like encode and decode (to 1e-5), standard Keras classes only', async () => {
    const r = await roundTrip({ latentDim: 3, hidden: [8, 5], activation: 'elu', epochs: 2, batchSize: 16 });
    expect(r.encodeDiff).toBeLessThan(1e-5);
    expect(r.decodeDiff).toBeLessThan(1e-5);
    expect([...r.classes].every((c) => KERAS_CLASSES.has(c))).toBe(true);
  });

  it('exports the linear autoencoder (no hidden layers, linear output)', async () => {
    const r = await roundTrip({ latentDim: 2, linear: true, epochs: 2, batchSize: 16 });
    expect(r.encodeDiff).toBeLessThan(1e-5);
    expect(r.decodeDiff).toBeLessThan(1e-5);
  });

  it('describes the layout it was fitted with: widths, activations and output squashing', async () => {
    const x = lowRankRows(32, 10, 2, 1);
    const { model } = await fitDenseAe({ name: 'low-rank', x }, { latentDim: 2, hidden: [6], activation: 'tanh', epochs: 1 }, { seed: 1 });
    try {
      const layers = denseAeLayers(model);
      expect(layers.encoder.layers.map((l) => (l.type === 'dense' ? [l.units, l.activation] : l.type))).toEqual([[6, 'tanh'], [2, 'linear']]);
      expect(layers.decoder.layers.map((l) => (l.type === 'dense' ? [l.units, l.activation] : l.type))).toEqual([[6, 'tanh'], [10, 'sigmoid']]);
      expect(layers.decoder.inputShape).toEqual([2]);
    } finally {
      model.dispose();
    }
  });

  it.skipIf(!hasNumpy())('numpy, reading model.json and weights.bin on its own, computes the same codes and reconstructions', async () => {
    const x = lowRankRows(48, 12, 3, 5);
    const { model } = await fitDenseAe({ name: 'low-rank', x }, { latentDim: 3, hidden: [7], activation: 'elu', epochs: 2, batchSize: 16 }, { seed: 4 });
    const dir = await mkdtemp(join(tmpdir(), 'dense-ae-numpy-'));
    try {
      await denseAeLayersExporter.export(model, async (path, bytes) => {
        await mkdir(dirname(join(dir, path)), { recursive: true });
        await writeFile(join(dir, path), bytes);
      });
      const rows = randomRows(9, 12, 2);
      await writeFile(join(dir, 'x.npy'), npy2d(rows));
      const out = JSON.parse(execFileSync('python3', ['-c', NUMPY_FORWARD, dir], { encoding: 'utf8' })) as { z: number[]; xh: number[] };
      const codes = await model.encode(rows);
      expect(maxAbsDiff(Float32Array.from(out.z), codes.data as Float32Array)).toBeLessThan(1e-5);
      expect(maxAbsDiff(Float32Array.from(out.xh), (await model.decode(codes)).data as Float32Array)).toBeLessThan(1e-5);
    } finally {
      model.dispose();
      await rm(dir, { recursive: true, force: true });
    }
  });
});
