import { useTrainingWorkers } from '@latentkit/ae-core/node';
import { convAeDefinition } from '@latentkit/conv-ae';
import { createMatrix, describeOptions, type RowBatchSource } from '@latentkit/core';
import { toyImages } from '@latentkit/reducer-conformance';
import { describe, expect, it } from 'vitest';
import vaePluginDefault, { fitVae, loadVae, VAE_CAPABILITIES, vaeOptions, vaePlugin, VaeReducer } from './index.js';

const data = toyImages(96, 1);
// conv-ae's small layout for 8×8 images (8 → 6 → 4 → 2 → 1).
const small = { channels: [4, 4, 4], kernels: [3, 3, 2, 2], strides: [1, 1, 2, 1], batchSize: 8, learningRate: 0.01, lrSchedule: 'constant' } as const;
const mean = (v: Float64Array) => v.reduce((a, b) => a + b, 0) / v.length;

describe('vae plugin', () => {
  it('is a spec v2 plugin with conv-ae’s options plus beta and outputStd, exported as default', () => {
    expect(vaePluginDefault).toBe(vaePlugin);
    expect(vaePlugin).toMatchObject({ specVersion: 2, kind: 'vae', displayName: 'VAE', capabilities: ['encode', 'decode', 'encode-distribution', 'sample', 'likelihood-bound', 'fit-stream'], requiresImages: true });
    expect(vaePlugin.package).toEqual({ name: '@latentkit/vae', version: expect.stringMatching(/^\d+\.\d+\.\d+/) });
    const fields = describeOptions(vaePlugin.options);
    const convFields = describeOptions(convAeDefinition.options).map((f) => f.name);
    expect(fields.map((f) => f.name)).toEqual([...convFields, 'beta', 'outputStd']);
    expect(fields.find((f) => f.name === 'beta')).toMatchObject({ default: 1, minimum: 0 });
    expect(fields.find((f) => f.name === 'outputStd')).toMatchObject({ default: 0.35 });
    expect(vaeOptions.safeParse({ outputStd: 0 }).success).toBe(false);
  });

  it('has conv-ae’s encoder at width 2d (μ and log σ²) and its decoder at width d', async () => {
    const { model } = await fitVae(data, { latentDim: 3, ...small, epochs: 1 }, { seed: 1 });
    expect(model).toBeInstanceOf(VaeReducer);
    const encoder = 3 * 3 * 1 * 4 + 4 + (3 * 3 * 4 * 4 + 4) + (2 * 2 * 4 * 4 + 4) + (2 * 2 * 4 * 6 + 6);
    const decoder = 2 * 2 * 3 * 4 + 4 + (2 * 2 * 4 * 4 + 4) + (3 * 3 * 4 * 4 + 4) + (3 * 3 * 4 * 1 + 1);
    expect(model.parameterCount).toBe(encoder + decoder);
    model.dispose();
  });

  it('a short fit raises the ELBO of the training images; save → load keeps it exactly', async () => {
    const settings = { latentDim: 3, ...small };
    const { model: early } = await fitVae(data, { ...settings, epochs: 1 }, { seed: 2 });
    const { model: late, result } = await fitVae(data, { ...settings, epochs: 6 }, { seed: 2 });
    const [before, after] = [mean(await early.logLikelihoodBound(data.x)), mean(await late.logLikelihoodBound(data.x))];
    expect(after).toBeGreaterThan(before + 1);
    expect(result.history!.at(-1)!.loss).toBeLessThan(result.history![0]!.loss);
    const loaded = await loadVae(await late.save());
    expect(loaded.capabilities).toEqual(late.capabilities);
    expect(Array.from(await loaded.logLikelihoodBound(data.x))).toEqual(Array.from(await late.logLikelihoodBound(data.x)));
    for (const m of [early, late, loaded]) m.dispose();
  });

  it('fitStream trains from row batches and gives a VAE like fit does (the model declares VAE_CAPABILITIES)', async () => {
    const { x, imageShape } = data;
    const source: RowBatchSource = {
      name: 'toy images (streamed)',
      cols: x.cols,
      rows: x.rows,
      imageShape: imageShape!,
      async *batches() {
        for (let offset = 0; offset < x.rows; offset += 25) {
          const end = Math.min(x.rows, offset + 25);
          yield { x: createMatrix(end - offset, x.cols, x.data.slice(offset * x.cols, end * x.cols)), offset };
        }
      },
    };
    const { model, result } = await vaePlugin.fitStream!(source, { latentDim: 3, options: vaeOptions.parse({ ...small, epochs: 1 }) }, { seed: 1 });
    try {
      expect(model).toBeInstanceOf(VaeReducer);
      expect(model.capabilities).toEqual(VAE_CAPABILITIES);
      expect(result.info?.streamed).toBe(true);
      expect(Number.isFinite(mean(await (model as VaeReducer).logLikelihoodBound(x)))).toBe(true);
    } finally {
      model.dispose();
    }
  });

  it('β weights the KL term: a large β pulls q(z|x) towards the prior', async () => {
    const settings = { latentDim: 3, ...small, epochs: 3 };
    const kl = async (beta: number) => {
      const { model } = await fitVae(data, { ...settings, beta }, { seed: 4 });
      const q = await model.encodeDistribution(data.x);
      model.dispose();
      let sum = 0;
      for (let i = 0; i < q.mean.data.length; i++) sum += 0.5 * (q.mean.data[i]! ** 2 + Math.exp(q.logVar.data[i]!) - q.logVar.data[i]! - 1);
      return sum / q.mean.rows;
    };
    expect(await kl(20)).toBeLessThan((await kl(1)) * 0.5);
  });

  it('trains on 2 threads deterministically for a seed and worker count (replicas build the same objective)', async () => {
    useTrainingWorkers();
    // Batches large enough for each shard to do ≥ 2,000 FLOPs per weight (ae-core's usefulWorkers): this
    // 8×8 model does ~24 per weight per row, so 128 rows per thread.
    const rows = toyImages(256, 1);
    const settings = { latentDim: 3, ...small, epochs: 2, batchSize: 256 };
    const a = await fitVae(rows, settings, { seed: 3, workers: 2 });
    const b = await fitVae(rows, settings, { seed: 3, workers: 2 });
    try {
      expect(a.result.info?.threads).toBe(2);
      expect(Array.from((await b.model.encode(rows.x)).data)).toEqual(Array.from((await a.model.encode(rows.x)).data));
    } finally {
      a.model.dispose();
      b.model.dispose();
    }
  }, 120_000);
});
