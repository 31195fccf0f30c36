import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { bundleFiles, createBundle, float32Blob, readBundle, type Dataset, type FitOptions, type LossPoint, type ModelBundle } from '@latentkit/core';
import { lowRankDataset, lowRankMatrix, tinyDefinition } from './__fixtures__/tiny.js';
import { checkpointInfoOf, defineAutoencoderPlugin, fitAutoencoder, trainStateFromBundle, type AutoencoderSettings, type trainingOptions, type WeightValues } from './index.js';

const data = lowRankDataset(96, 8, 2);
const plugin = defineAutoencoderPlugin(tinyDefinition);
const specs = tinyDefinition.build({ kind: 'tiny-ae', inputShape: [8], latentDim: 2, options: {} as never }).params;
type TinyOptions = Omit<AutoencoderSettings<typeof trainingOptions>, 'latentDim'>;

/** Fits the tiny autoencoder with d = 2 and returns the fitted model. */
async function fitTiny(options: TinyOptions, fit: FitOptions, dataset: Dataset = data) {
  return (await fitAutoencoder(tinyDefinition, dataset, { latentDim: 2, ...options }, fit)).model;
}

/** Fits and returns the reducer, every checkpoint given to onCheckpoint, and the fit result. */
async function fitWithCheckpoints(options: TinyOptions, fit: FitOptions = {}, dataset: Dataset = data) {
  const checkpoints: ModelBundle[] = [];
  const epochs: number[] = [];
  const { model: reducer, result } = await fitAutoencoder(tinyDefinition, dataset, { latentDim: 2, ...options }, {
    seed: 3,
    ...fit,
    onCheckpoint: (bundle, epoch) => {
      checkpoints.push(bundle);
      epochs.push(epoch);
    },
  });
  return { reducer, checkpoints, epochs, result };
}

const withoutSeconds = (h: readonly LossPoint[] | undefined) => (h ?? []).map(({ seconds: _s, ...rest }) => rest);

function expectSameWeights(a: WeightValues, b: WeightValues): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [k, v] of a) expect(Array.from(b.get(k)!), k).toEqual(Array.from(v));
}

/** Serialises a bundle to its files and reads it back, as the CLI does through a folder. */
async function throughFiles(bundle: ModelBundle): Promise<ModelBundle> {
  const files = bundleFiles(bundle);
  return readBundle(async (f) => files.get(f)!, 'checkpoint');
}

describe('checkpoints', () => {
  it('are written after every epoch and round-trip through files with weights, Adam state and history', async () => {
    const { reducer, checkpoints, epochs } = await fitWithCheckpoints({ epochs: 3 });
    expect(epochs).toEqual([1, 2, 3]);
    const last = await throughFiles(checkpoints[2]!);
    const info = checkpointInfoOf(last)!;
    // 96 rows in batches of 16 → 6 Adam steps per epoch.
    expect(info).toMatchObject({ epoch: 3, bestEpoch: 3, sinceBest: 0, dataRows: 96, optimizer: { kind: 'adam', iterations: 18 } });
    expect(info.optimizer.accBeta1).toBeCloseTo(0.9 ** 19, 6);
    expect(last.manifest).toMatchObject({ kind: 'tiny-ae', specVersion: 2, plugin: { name: '@acme/tiny-ae' }, seed: 3, latentDim: 2, inputShape: [8] });
    const state = trainStateFromBundle(last, specs);
    expect(state.history.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(state.optimizer.firstMoments).toHaveLength(specs.length);
    expect(state.optimizer.secondMoments.every((v) => v.every((m) => m >= 0))).toBe(true);
    // Without validation the last epoch is the model: the checkpoint holds exactly the fitted weights.
    expectSameWeights(state.weights, reducer.params.snapshot());
    expect(state.best.weights).toBe(state.weights);
    // A checkpoint also loads as a plain model.
    const loaded = await plugin.load(last);
    expect(Array.from((await loaded.encode(data.x)).data)).toEqual(Array.from((await reducer.encode(data.x)).data));
    loaded.dispose();
    reducer.dispose();
  });

  it('keep the best epoch\'s weights and the patience counter when the last epoch is not the best', async () => {
    // A learning rate this high makes the validation loss bounce, so some epoch is worse than an earlier one.
    const { reducer, checkpoints, result } = await fitWithCheckpoints({ epochs: 6, validationSplit: 0.25, learningRate: 0.3 });
    const worse = checkpoints.map((c) => checkpointInfoOf(c)!).find((i) => i.bestEpoch < i.epoch);
    expect(worse, 'an epoch that did not improve').toBeDefined();
    const state = trainStateFromBundle(await throughFiles(checkpoints[worse!.epoch - 1]!), specs);
    expect(state.sinceBest).toBe(worse!.sinceBest);
    expect(state.sinceBest).toBeGreaterThan(0);
    const atBest = trainStateFromBundle(checkpoints[worse!.bestEpoch - 1]!, specs);
    expectSameWeights(state.best.weights, atBest.weights);
    expect(state.best.value).toBe(atBest.history[atBest.epoch - 1]!.valLoss);
    expect(result.info?.bestEpoch).toBeLessThanOrEqual(6);
    reducer.dispose();
  });

  it('leave the tensor count flat across epochs', async () => {
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    const reducer = await fitTiny({ epochs: 4, validationSplit: 0.25 }, { seed: 1, onCheckpoint: () => void counts.push(tf.memory().numTensors) });
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
    reducer.dispose();
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('resumeFrom', () => {
  it('continues bit for bit: 4 epochs straight equal 2 epochs, a checkpoint, and 2 more', async () => {
    for (const options of [{ epochs: 4 }, { epochs: 4, validationSplit: 0.25, lrSchedule: 'cosine', patience: 3 }] as TinyOptions[]) {
      const straight = await fitWithCheckpoints(options);
      const later: number[] = [];
      const { model: resumed, result } = await fitAutoencoder(tinyDefinition, data, { latentDim: 2, ...options }, {
        seed: 3,
        resumeFrom: await throughFiles(straight.checkpoints[1]!),
        onCheckpoint: (_b, e) => void later.push(e),
      });
      expect(later).toEqual([3, 4]);
      expect(result.info).toMatchObject({ epochsRun: 4, resumedFromEpoch: 2, bestEpoch: straight.result.info!.bestEpoch });
      expect(withoutSeconds(result.history)).toEqual(withoutSeconds(straight.result.history));
      expectSameWeights(resumed.params.snapshot(), straight.reducer.params.snapshot());
      straight.reducer.dispose();
      resumed.dispose();
    }
  });

  it('continues from a checkpoint of the previous release (reducer spec 1, same layout), not from an unknown spec', async () => {
    const straight = await fitWithCheckpoints({ epochs: 3 });
    const { plugin: _plugin, ...manifest } = straight.checkpoints[0]!.manifest;
    const v1 = { ...straight.checkpoints[0]!, manifest: { ...manifest, specVersion: 1 } };
    const resumed = await fitTiny({ epochs: 3 }, { seed: 3, resumeFrom: v1 });
    expectSameWeights(resumed.params.snapshot(), straight.reducer.params.snapshot());
    const v3 = { ...v1, manifest: { ...v1.manifest, specVersion: 3 } };
    await expect(fitTiny({ epochs: 3 }, { seed: 3, resumeFrom: v3 })).rejects.toMatchObject({ code: 'E_BUNDLE_VERSION', message: expect.stringContaining('checkpoint was written for reducer spec 3') });
    straight.reducer.dispose();
    resumed.dispose();
  });

  it('continues after an interrupted fit (abort right after the epoch-2 checkpoint)', async () => {
    const straight = await fitWithCheckpoints({ epochs: 4 });
    const controller = new AbortController();
    let saved: ModelBundle | undefined;
    const run = fitTiny({ epochs: 4 }, {
      seed: 3,
      signal: controller.signal,
      onCheckpoint: (bundle, epoch) => {
        saved = bundle;
        if (epoch === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(checkpointInfoOf(saved!)!.epoch).toBe(2);
    const resumed = await fitTiny({ epochs: 4 }, { seed: 3, resumeFrom: saved });
    expectSameWeights(resumed.params.snapshot(), straight.reducer.params.snapshot());
    straight.reducer.dispose();
    resumed.dispose();
  });

  it('stops at once when the checkpointed run had already run out of patience', async () => {
    const { reducer, checkpoints } = await fitWithCheckpoints({ epochs: 8, validationSplit: 0.25, learningRate: 0.3, patience: 1 });
    const last = checkpointInfoOf(checkpoints.at(-1)!)!;
    expect(last.sinceBest, 'the run stopped early').toBe(1);
    const options = { epochs: 8, validationSplit: 0.25, learningRate: 0.3, patience: 1 };
    const { model: resumed, result } = await fitAutoencoder(tinyDefinition, data, { latentDim: 2, ...options }, { seed: 3, resumeFrom: checkpoints.at(-1)! });
    expect(result.info).toMatchObject({ stoppedEarly: true, epochsRun: last.epoch, bestEpoch: last.bestEpoch });
    expectSameWeights(resumed.params.snapshot(), reducer.params.snapshot());
    reducer.dispose();
    resumed.dispose();
  });

  it('refuses a checkpoint of another kind, options, seed, shape or data, or a plain saved model', async () => {
    const { reducer, checkpoints } = await fitWithCheckpoints({ epochs: 2 });
    const checkpoint = checkpoints[0]!;
    const saved = await reducer.save();
    reducer.dispose();
    const refuse = async (options: TinyOptions, fit: FitOptions, expected: { code: string; message: string }, dataset = data) => {
      const before = tf.memory().numTensors;
      await expect(fitTiny({ epochs: 2, ...options }, { seed: 3, ...fit }, dataset)).rejects.toMatchObject({ code: expected.code, message: expect.stringContaining(expected.message) });
      // A refused resume gives no model and leaves nothing behind.
      expect(tf.memory().numTensors).toBe(before);
    };
    await refuse({}, { resumeFrom: { ...checkpoint, manifest: { ...checkpoint.manifest, kind: 'dense-ae' } } }, { code: 'E_BUNDLE_CORRUPT', message: 'holds a "dense-ae" model' });
    await refuse({ batchSize: 7 }, { resumeFrom: checkpoint }, { code: 'E_OPTION', message: 'batchSize: checkpoint' });
    await refuse({}, { resumeFrom: checkpoint, seed: 4 }, { code: 'E_OPTION', message: 'seed 3, this fit uses seed 4' });
    await refuse({}, { resumeFrom: checkpoint }, { code: 'E_SHAPE', message: 'inputs of shape [8], this data has [6]' }, { name: 'six', x: lowRankMatrix(96, 6, 2) });
    await refuse({}, { resumeFrom: checkpoint }, { code: 'E_SHAPE', message: '96 rows, this data has 64' }, lowRankDataset(64, 8, 2));
    await refuse({}, { resumeFrom: checkpoint }, { code: 'E_OPTION', message: 'different data' }, lowRankDataset(96, 8, 2, 9));
    await refuse({}, { resumeFrom: saved }, { code: 'E_BUNDLE_CORRUPT', message: 'not a checkpoint' });
    // A damaged optimizer moment is named rather than loaded.
    const blobs = Object.fromEntries(checkpoint.blobs);
    blobs['checkpoint.adam.v.0'] = float32Blob(new Float32Array(4), [2, 2]);
    const m = checkpoint.manifest;
    const damaged = createBundle({ ...m, blobs, extra: m.extra, options: m.options, seed: m.seed });
    await refuse({}, { resumeFrom: damaged }, { code: 'E_BUNDLE_CORRUPT', message: 'has shape [2,2]' });
  });

  it('may change the schedule on resume (a lower learning rate after divergence, more epochs)', async () => {
    const { reducer, checkpoints } = await fitWithCheckpoints({ epochs: 2 });
    reducer.dispose();
    const { model: r, result } = await fitAutoencoder(tinyDefinition, data, { latentDim: 2, epochs: 3, learningRate: 0.001 }, { seed: 3, resumeFrom: checkpoints[0]! });
    expect(result.history!.map((p) => p.epoch)).toEqual([1, 2, 3]);
    expect(result.info).toMatchObject({ resumedFromEpoch: 1 });
    r.dispose();
  });
});
