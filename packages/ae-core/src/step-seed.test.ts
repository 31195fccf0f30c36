import type * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { createRng } from '@latentkit/core';
import { lowRankMatrix, tinyArchitecture } from './__fixtures__/tiny.js';
import { mixSeed } from './step-seed.js';
import { ParamStore, reconstructionModel, setupBackend, trainModel, type ForwardContext, type TrainableModel, type TrainSettings } from './index.js';

const x = lowRankMatrix(64, 8, 2);
const settings: TrainSettings = { epochs: 2, batchSize: 16, learningRate: 0.01, lrSchedule: 'constant', validationSplit: 0, patience: 0, seed: 7 };

/** The tiny model, recording the seed each training forward pass is given. */
function recordingModel(seen: (number | undefined)[]): TrainableModel {
  const arch = tinyArchitecture({ kind: 'tiny', inputShape: [8], latentDim: 2, options: {} });
  const inner = reconstructionModel(arch, ParamStore.initialise(arch.params, createRng(3)));
  return { store: inner.store, loss: (xb: tf.Tensor2D, ctx: ForwardContext) => (ctx.training && seen.push(ctx.seed), inner.loss(xb, ctx)) };
}

describe('per-step seeds', () => {
  it('mixSeed is a 32-bit hash: stable, and different for neighbouring inputs', () => {
    expect(mixSeed(1, 2)).toBe(mixSeed(1, 2));
    const values = new Set<number>();
    for (let a = 0; a < 20; a++) for (let b = 0; b < 20; b++) values.add(mixSeed(a, b));
    expect(values.size).toBe(400);
    for (const v of values) expect(v >>> 0).toBe(v);
  });

  it('each training step gets its own seed, the same in every run with the same seed, none at inference', async () => {
    await setupBackend('wasm');
    const run = async (seed: number) => {
      const seen: (number | undefined)[] = [];
      const model = recordingModel(seen);
      await trainModel(model, x, { ...settings, seed, validationSplit: 0.25 });
      model.store.dispose();
      return seen;
    };
    const a = await run(7);
    expect(a).toHaveLength(2 * Math.ceil(48 / 16));
    expect(a.every((s) => typeof s === 'number')).toBe(true);
    expect(new Set(a).size).toBe(a.length);
    expect(await run(7)).toEqual(a);
    expect(await run(8)).not.toEqual(a);
  });
});
