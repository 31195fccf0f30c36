import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng, type LossPoint, type ProgressEvent } from '@latentkit/core';
import { lowRankMatrix, tinyArchitecture } from './__fixtures__/tiny.js';
import { ParamStore, reconstructionModel, setupBackend, trainModel, type TrainableModel, type TrainSettings, type WeightValues } from './index.js';

const x = lowRankMatrix(96, 8, 2);
const settings: TrainSettings = { epochs: 4, batchSize: 16, learningRate: 0.01, lrSchedule: 'constant', validationSplit: 0, patience: 0, seed: 7 };

function tinyModel(seed = 3): TrainableModel {
  const arch = tinyArchitecture({ kind: 'tiny', inputShape: [8], latentDim: 2, options: {} });
  return reconstructionModel(arch, ParamStore.initialise(arch.params, createRng(seed)));
}

function expectSameWeights(a: WeightValues, b: WeightValues): void {
  expect([...a.keys()]).toEqual([...b.keys()]);
  for (const [k, v] of a) expect(Array.from(b.get(k)!)).toEqual(Array.from(v));
}

describe('trainModel', () => {
  it('lowers the loss', async () => {
    await setupBackend('wasm');
    const model = tinyModel();
    const r = await trainModel(model, x, { ...settings, epochs: 8 });
    expect(r.history).toHaveLength(8);
    expect(r.history[7]!.loss).toBeLessThan(r.history[0]!.loss * 0.5);
    model.store.dispose();
  });

  it('is deterministic under a seed and differs across seeds', async () => {
    const run = async (seed: number) => {
      const model = tinyModel();
      await trainModel(model, x, { ...settings, seed });
      const w = model.store.snapshot();
      model.store.dispose();
      return w;
    };
    const a = await run(7);
    expectSameWeights(a, await run(7));
    expect(Array.from((await run(8)).get('enc.0.kernel')!)).not.toEqual(Array.from(a.get('enc.0.kernel')!));
  });

  it('keeps the tensor count flat across epochs and frees the optimizer afterwards', async () => {
    const model = tinyModel();
    const before = tf.memory().numTensors;
    const counts: number[] = [];
    await trainModel(model, x, { ...settings, validationSplit: 0.25 }, { onEpochEnd: () => counts.push(tf.memory().numTensors) });
    expect(counts).toHaveLength(4);
    expect(new Set(counts).size).toBe(1);
    expect(tf.memory().numTensors).toBe(before);
    model.store.dispose();
  });

  it('reports batch and epoch progress', async () => {
    const model = tinyModel();
    const events: ProgressEvent[] = [];
    await trainModel(model, x, { ...settings, epochs: 2, validationSplit: 0.25 }, { onProgress: (e) => events.push(e) });
    // 72 training rows in batches of 16 → 5 batches, plus one epoch event per epoch.
    const epochEvents = events.filter((e) => e.valLoss !== undefined);
    expect(events).toHaveLength(2 * 5 + 2);
    expect(epochEvents.map((e) => e.epoch)).toEqual([1, 2]);
    expect(events.every((e) => e.phase === 'train' && e.epochs === 2 && e.batches === 5)).toBe(true);
    expect(events.at(-1)!.fraction).toBe(1);
    expect(events[0]!.samplesPerSecond).toBeGreaterThan(0);
    model.store.dispose();
  });

  it('aborts between batches with E_ABORTED', async () => {
    const model = tinyModel();
    const controller = new AbortController();
    let batchesSeen = 0;
    const run = trainModel(model, x, settings, {
      signal: controller.signal,
      onProgress: (e) => {
        if (e.batch !== undefined && e.valLoss === undefined && e.message === undefined) batchesSeen++;
        if (e.epoch === 2 && e.batch === 2) controller.abort();
      },
    });
    await expect(run).rejects.toMatchObject({ code: 'E_ABORTED' });
    expect(batchesSeen).toBe(6 + 2);
    model.store.dispose();
  });

  it('throws E_DIVERGED on a non-finite loss and keeps the last good epoch', async () => {
    const inner = tinyModel();
    let calls = 0;
    // Finite for the first epoch (6 batches), NaN (with NaN gradients, so the weights break too) mid-second.
    const model: TrainableModel = { store: inner.store, loss: (b, ctx) => (++calls === 9 ? tf.mul(inner.loss(b, ctx), NaN) : inner.loss(b, ctx)) };
    const epochWeights: WeightValues[] = [];
    // retries: 0: this checks the stop itself (collapse.test.ts checks the retries).
    const run = trainModel(model, x, { ...settings, retries: 0 }, { onEpochEnd: () => epochWeights.push(model.store.snapshot()) });
    await expect(run).rejects.toMatchObject({ code: 'E_DIVERGED', message: expect.stringContaining('epoch 2, batch 3') });
    expect(epochWeights).toHaveLength(1);
    expectSameWeights(model.store.snapshot(), epochWeights[0]!);
    model.store.dispose();
  });

  it('stops early after `patience` epochs without improvement and restores the best weights', async () => {
    const inner = tinyModel();
    // Validation losses by epoch: best at epoch 2, then worse; inference calls are the validation ones.
    const valByEpoch = [3, 1, 2, 2.5, 0.5, 0.1];
    let epoch = 0;
    const model: TrainableModel = {
      store: inner.store,
      loss: (b, ctx) => (ctx.training ? inner.loss(b, ctx) : tf.scalar(valByEpoch[epoch - 1]!)),
    };
    const weights: WeightValues[] = [];
    const history: LossPoint[] = [];
    const r = await trainModel(model, x, { ...settings, epochs: 6, validationSplit: 0.25, patience: 2 }, {
      onProgress: (e) => {
        if (e.batch === 1 && e.valLoss === undefined) epoch = e.epoch!;
      },
      onEpochEnd: (p) => {
        history.push(p);
        weights.push(model.store.snapshot());
      },
    });
    expect(r.stoppedEarly).toBe(true);
    expect(r.bestEpoch).toBe(2);
    expect(history.map((h) => h.valLoss)).toEqual([3, 1, 2, 2.5]);
    expectSameWeights(model.store.snapshot(), weights[1]!);
    expect(Array.from(model.store.snapshot().get('enc.0.kernel')!)).not.toEqual(Array.from(weights[3]!.get('enc.0.kernel')!));
    model.store.dispose();
  });

  it('refuses a split that leaves no training rows', async () => {
    const model = tinyModel();
    await expect(trainModel(model, lowRankMatrix(1, 8, 2), { ...settings, validationSplit: 0.5 })).rejects.toMatchObject({ code: 'E_EMPTY' });
    model.store.dispose();
  });
});
