import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '@latentkit/core';
import { lowRankMatrix, tinyArchitecture } from './__fixtures__/tiny.js';
import { ParamStore, reconstructionModel, setupBackend, trainModel, type TrainableModel, type TrainSettings, type TrainState, type WeightValues } from './index.js';

const x = lowRankMatrix(96, 8, 2);
// 96 rows in batches of 16 → 6 batches per epoch. No retries: these tests check how a failed attempt stops.
const settings: TrainSettings = { epochs: 4, batchSize: 16, learningRate: 0.01, lrSchedule: 'constant', validationSplit: 0, patience: 0, seed: 7, retries: 0 };

function tinyModel(): TrainableModel {
  const arch = tinyArchitecture({ kind: 'tiny', inputShape: [8], latentDim: 2, options: {} });
  return reconstructionModel(arch, ParamStore.initialise(arch.params, createRng(3)));
}

function expectSameWeights(a: WeightValues, b: WeightValues): void {
  for (const [k, v] of a) expect(Array.from(b.get(k)!), k).toEqual(Array.from(v));
}

describe('training faults and checkpoints', () => {
  it('writes no checkpoint for an epoch whose loss turned NaN, and keeps the last checkpointed weights', async () => {
    await setupBackend('wasm');
    const inner = tinyModel();
    let calls = 0;
    // NaN (with NaN gradients) at the 3rd batch of epoch 2.
    const model: TrainableModel = { store: inner.store, loss: (b, ctx) => (++calls === 9 ? tf.mul(inner.loss(b, ctx), NaN) : inner.loss(b, ctx)) };
    const checkpoints: TrainState[] = [];
    const run = trainModel(model, x, settings, { onCheckpoint: (s) => void checkpoints.push(s) });
    await expect(run).rejects.toMatchObject({ code: 'E_DIVERGED', message: expect.stringContaining('the loss became NaN at epoch 2, batch 3') });
    expect(checkpoints.map((c) => c.epoch)).toEqual([1]);
    expectSameWeights(model.store.snapshot(), checkpoints[0]!.weights);
    model.store.dispose();
  });

  it('treats weights that turn non-finite after a finite loss as divergence, before any checkpoint of that epoch', async () => {
    // A running statistic (non-trainable, like batch norm's) that the last step of epoch 2 sets to Inf: the loss stays finite.
    const arch = tinyArchitecture({ kind: 'tiny', inputShape: [8], latentDim: 2, options: {} });
    const specs = [...arch.params, { name: 'stat', shape: [1], init: 'zeros' as const, trainable: false }];
    const store = ParamStore.initialise(specs, createRng(3));
    const inner = reconstructionModel(arch, store);
    let steps = 0;
    const model: TrainableModel = {
      store,
      loss: (b, ctx) => {
        if (ctx.training && ++steps === 12) ctx.setState('stat', tf.fill([1], Infinity));
        return inner.loss(b, ctx);
      },
    };
    const checkpoints: TrainState[] = [];
    const run = trainModel(model, x, settings, { onCheckpoint: (s) => void checkpoints.push(s) });
    await expect(run).rejects.toMatchObject({ code: 'E_DIVERGED', message: expect.stringContaining('weights became non-finite at the end of epoch 2') });
    expect(checkpoints.map((c) => c.epoch)).toEqual([1]);
    expect(checkpoints.every((c) => [...c.weights.values()].every((w) => w.every(Number.isFinite)))).toBe(true);
    expectSameWeights(store.snapshot(), checkpoints[0]!.weights);
    store.dispose();
  });

  it('refuses a resume state that does not fit the run', async () => {
    const model = tinyModel();
    const checkpoints: TrainState[] = [];
    await trainModel(model, x, { ...settings, epochs: 2 }, { onCheckpoint: (s) => void checkpoints.push(s) });
    const last = checkpoints[1]!;
    await expect(trainModel(model, x, { ...settings, epochs: 1 }, { resumeFrom: last })).rejects.toMatchObject({ code: 'E_BUNDLE_CORRUPT', message: expect.stringContaining('epoch 2 of a 1-epoch run') });
    await expect(trainModel(model, x, settings, { resumeFrom: { ...last, history: last.history.slice(1) } })).rejects.toMatchObject({ code: 'E_BUNDLE_CORRUPT' });
    model.store.dispose();
  });
});
