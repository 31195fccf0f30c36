import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { setupBackend } from '../backend.js';
import { EXPORT_FORMAT, parseExportManifest } from './export-manifest.js';
import type { SequentialSpec } from './layer-spec.js';
import { layersModelFiles, loadLayersModelFrom } from './layers-model-files.js';
import { buildSequential } from './sequential.js';

const bytes = (text: string) => new TextEncoder().encode(text);

/** x [1, 2] → Dense(2→3, relu) with known weights. */
const spec: SequentialSpec = {
  name: 'tiny',
  inputShape: [2],
  layers: [{ type: 'dense', units: 3, activation: 'relu', kernel: { values: Float32Array.of(1, -1, 2, 0.5, 3, -4), shape: [2, 3] }, bias: { values: Float32Array.of(0.1, 0.2, -0.3), shape: [3] } }],
};

describe('LayersModel export machinery', () => {
  it('builds a Sequential with the given weights and round-trips it through model.json + weights.bin', async () => {
    await setupBackend('cpu');
    const model = buildSequential(spec);
    const files = await layersModelFiles(model);
    model.dispose();
    type Layer = { class_name: string; config: Record<string, unknown> };
    const json = JSON.parse(new TextDecoder().decode(files.modelJson)) as { format: string; weightsManifest: { paths: string[] }[]; modelTopology: { config: { layers: Layer[] } } };
    expect(json.format).toBe('layers-model');
    // The input as an explicit InputLayer (Keras 2's own form, which Keras 3 also reads), not on the Dense.
    const [input, dense] = json.modelTopology.config.layers;
    expect(input!.class_name).toBe('InputLayer');
    expect(input!.config.batch_input_shape).toEqual([null, 2]);
    expect(dense!.class_name).toBe('Dense');
    expect('batch_input_shape' in dense!.config).toBe(false);
    expect(json.weightsManifest[0]!.paths).toEqual(['weights.bin']);
    expect(files.weightsBin.byteLength).toBe((6 + 3) * 4);
    const loaded = await loadLayersModelFrom(files.modelJson, async () => files.weightsBin, 'tiny/model.json');
    const y = tf.tidy(() => (loaded.predict(tf.tensor2d([[1, 2]])) as tf.Tensor).arraySync() as number[][]);
    loaded.dispose();
    // [1,2]·K + b = [1+1, -1+6, 2-8] + b = [2.1, 5.2, -6.3] → relu
    expect(y[0]![0]).toBeCloseTo(2.1, 6);
    expect(y[0]![1]).toBeCloseTo(5.2, 6);
    expect(y[0]![2]).toBe(0);
  });

  it('refuses weights of the wrong shape, naming the model and layer', () => {
    const bad: SequentialSpec = { ...spec, layers: [{ ...(spec.layers[0] as Extract<SequentialSpec['layers'][number], { type: 'dense' }>), kernel: { values: new Float32Array(6), shape: [3, 2] } }] };
    expect(() => buildSequential(bad)).toThrow(/^tiny layer 0 \(dense\): weight 0 has shape \[3,2\], the layer needs \[2,3\]$/);
  });

  it('refuses files that are not a LayersModel in one line', async () => {
    await expect(loadLayersModelFrom(bytes('{oops'), async () => new Uint8Array(), 'm.json')).rejects.toMatchObject({ code: 'E_INPUT_FORMAT', message: expect.stringMatching(/^m\.json is not JSON/) });
    await expect(loadLayersModelFrom(bytes('{"format":"graph-model"}'), async () => new Uint8Array(), 'm.json')).rejects.toMatchObject({ message: expect.stringContaining('needs modelTopology') });
  });

  it('reads an export manifest and refuses a damaged one', () => {
    const good = { format: EXPORT_FORMAT, formatVersion: 1, kind: 'dense-ae', latentDim: 2, inputShape: [28, 28, 1], encoder: 'encoder/model.json' };
    expect(parseExportManifest(bytes(JSON.stringify(good)), 'x.json')).toEqual(good);
    expect(() => parseExportManifest(bytes(JSON.stringify({ ...good, latentDim: 0 })), 'x.json')).toThrow(/^x\.json: latentDim 0/);
    expect(() => parseExportManifest(bytes(JSON.stringify({ ...good, format: 'other' })), 'x.json')).toThrow(/not a latentkit layers export/);
    expect(() => parseExportManifest(bytes(JSON.stringify({ ...good, formatVersion: 2 })), 'x.json')).toThrow(/format version 2/);
  });
});
